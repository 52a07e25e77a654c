import FileroomModel
import Foundation
import PageWorkers
import Pages

/// The daemon's page stage: pages are decoded and OCR'd in page worker processes (`PageWorkerPool`), up to
/// one page per worker at a time, checkpointed as each finishes.
///
/// A worker that dies (crash, address-space or CPU limit, deadline) surfaces as `PageWorkerDeath` with its
/// page, for the engine to count against the file; the pages already delivered stay checkpointed.
/// Rasters for filing are rendered in the daemon: the file has then been read whole by a worker already.
public struct WorkerPageStage: PageStage {
    public let pool: PageWorkerPool

    public init(pool: PageWorkerPool) {
        self.pool = pool
    }

    /// No worker could be started: the host's problem, not the file's (retried like any transient failure).
    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
    }

    public func readPages(
        of path: String, skipping: Set<Int>, shouldStop: @escaping @Sendable () -> Bool,
        onPage: @escaping @Sendable (PageText) async throws -> Void
    ) async throws -> Int {
        let pool = self.pool
        let pageCount = try await Self.mapping { () async throws(PageWorkerFailure) in try await pool.pageCount(of: path) }
        var pending = (1...max(1, pageCount)).filter { $0 <= pageCount && !skipping.contains($0) }.makeIterator()
        var stopped = false
        // No nested function adding to the group: in release builds (Swift 6.3) one capturing the group lost
        // its children (see BenchPagesCommand).
        try await withThrowingTaskGroup(of: PageText.self) { group in
            for _ in 0..<pool.workerCount {
                if shouldStop() {
                    stopped = true
                    break
                }
                guard let number = pending.next() else { break }
                group.addTask { try await Self.mapping { () async throws(PageWorkerFailure) in try await pool.readPage(number, of: path) } }
            }
            while let text = try await group.next() {
                try await onPage(text)
                if shouldStop() {
                    stopped = true
                    continue
                }
                if let number = pending.next() {
                    group.addTask { try await Self.mapping { () async throws(PageWorkerFailure) in try await pool.readPage(number, of: path) } }
                }
            }
        }
        if stopped, pending.next() != nil { throw CancellationError() }
        return pageCount
    }

    public func filingPages(of path: String, pages: ClosedRange<Int>, texts: [Int: PageText]) async throws -> [FilingPage] {
        try await OCRPageStage.filingPages(of: path, limits: pool.configuration.limits, pages: pages, texts: texts)
    }

    /// Turns the pool's failures into what `PageStage` promises: `PageError` to reject, `PageWorkerDeath` to
    /// count, `CancellationError` to stop, anything else transient.
    private static func mapping<T>(_ body: () async throws(PageWorkerFailure) -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            switch error {
            case .rejected(let pageError): throw pageError
            case .died(let death): throw death
            case .unavailable(let reason): throw Unavailable(description: reason)
            case .cancelled: throw CancellationError()
            }
        }
    }
}
