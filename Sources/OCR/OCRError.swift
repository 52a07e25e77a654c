/// Why a page could not be recognised. Each case prints as one line that says what the user can do.
public enum OCRError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Tesseract refused to start with this tessdata folder and language.
    case engineInit(language: String, tessdata: String)
    /// No `<language>.traineddata` where tessdata was looked for.
    case tessdataMissing(language: String, searched: [String])
    /// Tesseract gave up on the page (or a C allocation failed while preparing it).
    case ocrFailed(page: Int)
    /// The per-page time limit passed before recognition finished.
    case timedOut(page: Int, milliseconds: Int)
    /// The caller stopped waiting (task cancelled or the pool was shut down).
    case cancelled

    public var description: String {
        switch self {
        case let .engineInit(language, tessdata):
            "OCR engine could not start with language '\(language)' from \(tessdata): reinstall tesseract-ocr-\(language) or set TESSDATA_PREFIX"
        case let .tessdataMissing(language, searched):
            "tessdata for '\(language)' not found (looked in \(searched.joined(separator: ", "))): install tesseract-ocr-\(language) or set TESSDATA_PREFIX"
        case let .ocrFailed(page):
            "OCR failed on page \(page): check the page image, or retry the file"
        case let .timedOut(page, milliseconds):
            "OCR of page \(page) exceeded its time limit of \(milliseconds) ms: raise the page time limit or check the page"
        case .cancelled:
            "OCR cancelled"
        }
    }
}

extension OCRError {
    /// The page the error concerns, where there is one.
    public var page: Int? {
        switch self {
        case let .ocrFailed(page), let .timedOut(page, _): page
        case .engineInit, .tessdataMissing, .cancelled: nil
        }
    }
}
