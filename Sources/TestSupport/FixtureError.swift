/// A fixture could not be written: a test-setup failure, never a product error.
public struct FixtureError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
