enum Samples {
    static func write(to directory: String) throws {}
}
