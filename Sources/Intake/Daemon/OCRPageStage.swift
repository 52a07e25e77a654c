import FileroomModel
import OCR
import Pages

/// The real page stage: libtiff/poppler decoding and tesseract OCR through a shared `PageReader`.
public struct OCRPageStage: PageStage {
    let reader: PageReader
    let limits: PageLimits

    public init(reader: PageReader) {
        self.reader = reader
        limits = reader.options.limits
    }

    public func readPages(
        of path: String, skipping: Set<Int>, shouldStop: @escaping @Sendable () -> Bool,
        onPage: @escaping @Sendable (PageText) async throws -> Void
    ) async throws -> Int {
        do {
            return try await reader.read(path: path, skip: skipping, shouldStop: shouldStop, onPage: onPage).pageCount
        } catch {
            switch error {
            case .rejected(let pageError):
                throw pageError
            case .ocr(.cancelled), .stopped:
                throw CancellationError()
            case .ocr(let ocrError):
                // A page tesseract cannot finish (time limit, engine failure) is a property of the file:
                // rejecting it with the page and the limit beats retrying it forever.
                throw PageError(
                    .ocrFailed, path: path, page: ocrError.page, detail: ocrError.description
                )
            case .callbackFailed(let underlying):
                throw underlying
            }
        }
    }

    public func filingPages(of path: String, pages: ClosedRange<Int>, texts: [Int: PageText]) async throws -> [FilingPage] {
        try await Self.filingPages(of: path, limits: limits, pages: pages, texts: texts)
    }

    /// The pages of a document as they are filed (images or vector pages, turned as OCR turned them, with their OCR
    /// words), decoded in the daemon on a thread of its own (every stage files documents this way).
    static func filingPages(
        of path: String, limits: PageLimits, pages: ClosedRange<Int>, texts: [Int: PageText]
    ) async throws -> [FilingPage] {
        try await BlockingWork.run {
            try DocumentFiler.filingPages(of: path, pages: pages, texts: texts, limits: limits)
        }
    }
}
