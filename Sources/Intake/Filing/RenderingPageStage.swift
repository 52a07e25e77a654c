import FileroomModel
import Pages

/// A filing step refused for what it was given (a document whose source is gone, pages never read): nothing was
/// changed. The staff desk reports it to the person as a refusal; the daemon treats it as any failed step.
package struct FilingRefusal: Error, Sendable, CustomStringConvertible {
    package var description: String

    package init(_ description: String) {
        self.description = description
    }
}

/// Renders pages for filing without OCR: the pages of a source being reprocessed, split or refiled by staff are
/// already read and checkpointed.
package struct RenderingPageStage: PageStage {
    let limits: PageLimits

    package init(limits: PageLimits) {
        self.limits = limits
    }

    package func readPages(
        of path: String, skipping: Set<Int>, shouldStop: @escaping @Sendable () -> Bool,
        onPage: @escaping @Sendable (PageText) async throws -> Void
    ) async throws -> Int {
        throw FilingRefusal("pages of \(path) are not checkpointed: let the daemon read them")
    }

    package func filingPages(of path: String, pages: ClosedRange<Int>, texts: [Int: PageText]) async throws
        -> [FilingPage]
    {
        try await OCRPageStage.filingPages(of: path, limits: limits, pages: pages, texts: texts)
    }
}
