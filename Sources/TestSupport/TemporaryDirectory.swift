import Foundation

/// Runs `body` with a fresh empty folder that is removed afterwards, whatever `body` does.
public func withTemporaryDirectory<T>(
    prefix: String = "fileroom-test", _ body: (String) throws -> T
) throws -> T {
    let path = try makeTemporaryDirectory(prefix: prefix)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

/// Async variant of `withTemporaryDirectory`.
public func withTemporaryDirectory<T>(
    prefix: String = "fileroom-test", _ body: (String) async throws -> T
) async throws -> T {
    let path = try makeTemporaryDirectory(prefix: prefix)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}

/// A new empty folder under the system temporary folder; the caller removes it.
public func makeTemporaryDirectory(prefix: String = "fileroom-test") throws -> String {
    let base = FileManager.default.temporaryDirectory.path
    let path = "\(base)/\(prefix)-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
