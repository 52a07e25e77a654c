import FileroomModel
import Store
import Synchronization

/// The pages of the sources in flight, as the page stage delivered them, so understanding and filing take them
/// from memory instead of decoding every page's JSON from the store again (once to understand, and once per
/// document to file: the largest part of the daemon's own CPU after filing itself).
///
/// The store stays the truth: a page is cached only after its checkpoint is written, and a source whose pages
/// are not all here (it resumed after a restart) reads them from the store. Entries go when the source is done.
final class PageTextCache: Sendable {
    private let pages = Mutex<[String: [Int: PageText]]>([:])

    /// Keeps a page that was just checkpointed.
    func add(_ page: PageText, source: String) {
        pages.withLock { $0[source, default: [:]][page.number] = page }
    }

    /// Every page of `source`, by number: from memory when all `pageCount` pages are there, else from the store.
    func pages(of source: SourceRecord, in store: any FileroomStore) async throws -> [Int: PageText] {
        if let count = source.pageCount, let cached = pages.withLock({ $0[source.id] }), cached.count == count,
            cached.keys.allSatisfy({ (1...count).contains($0) })
        {
            return cached
        }
        let stored = try await store.pages(of: source.id)
        return Dictionary(stored.map { ($0.number, $0) }, uniquingKeysWith: { first, _ in first })
    }

    func forget(_ source: String) {
        _ = pages.withLock { $0.removeValue(forKey: source) }
    }
}
