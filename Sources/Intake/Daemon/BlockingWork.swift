import Foundation
import Synchronization

/// Runs blocking work (C library calls, file decoding) on a fixed set of threads of its own, never on Swift's
/// cooperative pool, whose few threads must stay free for the async work around it.
///
/// The set is fixed (`threadCount`), whatever the host's core count or the number of sources in flight: work
/// beyond it queues. A thread per call, as before, let a busy daemon on a big host run out of the unit's TasksMax.
package enum BlockingWork {
    /// Threads that run blocking work (filing renders); counted in the unit's task budget.
    static let threadCount = 4

    package static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            pool.submit { continuation.resume(with: Result { try work() }) }
        }
    }

    private static let pool = BlockingThreadPool(threads: threadCount, name: "fileroom-blocking")
}

/// A fixed number of threads taking jobs from one queue, started on first use.
final class BlockingThreadPool: Sendable {
    private struct State {
        var jobs: [@Sendable () -> Void] = []
        var started = 0
        var idle = 0
    }

    private let state = Mutex(State())
    private let condition = NSCondition()
    private let threads: Int
    private let name: String

    init(threads: Int, name: String) {
        self.threads = threads
        self.name = name
    }

    func submit(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        let startThread = state.withLock { state -> Bool in
            state.jobs.append(job)
            guard state.idle == 0, state.started < threads else { return false }
            state.started += 1
            return true
        }
        condition.signal()
        condition.unlock()
        if startThread {
            let thread = Thread { [self] in work() }
            thread.name = name
            thread.start()
        }
    }

    private func work() {
        while true {
            condition.lock()
            var job: (@Sendable () -> Void)? = nil
            while job == nil {
                job = state.withLock { state -> (@Sendable () -> Void)? in
                    state.jobs.isEmpty ? nil : state.jobs.removeFirst()
                }
                if job == nil {
                    state.withLock { $0.idle += 1 }
                    condition.wait()
                    state.withLock { $0.idle -= 1 }
                }
            }
            condition.unlock()
            job?()
        }
    }
}
