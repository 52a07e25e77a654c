import Foundation

/// Runs blocking work (C library calls, file decoding) on a thread of its own, never on Swift's cooperative
/// pool, whose few threads must stay free for the async work around it.
enum BlockingWork {
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try work() })
            }
            thread.name = "fileroom-blocking"
            thread.start()
        }
    }
}
