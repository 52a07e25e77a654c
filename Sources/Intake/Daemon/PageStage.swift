import FileroomModel
import Pages

/// The page stage as the daemon uses it: one file in, its pages' text out, page by page.
///
/// The daemon checkpoints each page through `onPage` as it finishes, and on a restart passes the pages it
/// already has in `skipping`, so a source resumes at its next unfinished page.
public protocol PageStage: Sendable {
    /// Reads every page of `path` not in `skipping`, calling `onPage` as each finishes (any order).
    /// Returns the file's page count. Throws `PageError` when the file must be rejected. When `shouldStop`
    /// turns true (graceful shutdown) it starts no new page, delivers the pages in flight, then throws
    /// `CancellationError`. `PageWorkerDeath` (from `WorkerPageStage`) says a worker process died on the file:
    /// the engine counts it against the file. Anything else it throws is transient.
    func readPages(
        of path: String, skipping: Set<Int>, shouldStop: @escaping @Sendable () -> Bool,
        onPage: @escaping @Sendable (PageText) async throws -> Void
    ) async throws -> Int

    /// The pages of a document as they are filed: images at their own resolution or PDF pages as vectors, turned as
    /// OCR turned them (`texts`, by page number), with the OCR words as an invisible text layer.
    func filingPages(of path: String, pages: ClosedRange<Int>, texts: [Int: PageText]) async throws -> [FilingPage]
}
