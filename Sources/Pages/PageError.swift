/// Why a file or one of its pages could not be turned into pages.
///
/// The raw values are the machine codes the export and the corpus truth use (`reject_reason`), so a
/// rejection can be written out as is; the codes after `tooManyPages` are ours and can grow.
public enum PageRejectReason: String, Sendable, Codable, Hashable, CaseIterable {
    case emptyFile = "empty_file"
    case truncatedOrCorrupt = "truncated_or_corrupt"
    case notAPDF = "not_a_pdf"
    case notATIFF = "not_a_tiff"
    case imageTooLarge = "image_too_large"
    case encrypted = "encrypted"
    case unsupportedType = "unsupported_type"
    case tooManyPages = "too_many_pages"
    case fileTooLarge = "file_too_large"
    /// The file could not be read at all (missing, permissions, an I/O error).
    case unreadable = "unreadable"
    /// A page number outside 1...pageCount was asked for: a caller's bug, not the file's.
    case pageOutOfRange = "page_out_of_range"
    /// Writing an output file (a PDF of pages) failed.
    case writeFailed = "write_failed"
    /// OCR could not finish a page (its time limit passed, or tesseract failed on it).
    case ocrFailed = "ocr_failed"
}

/// A typed rejection: the machine reason plus enough context for one clear line to a person.
public struct PageError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    public var reason: PageRejectReason
    /// The file as it was named to `SourceFile.open` (or the output path for `writeFailed`).
    public var path: String
    /// 1-based page, when the problem belongs to one page.
    public var page: Int?
    /// The configured limit and the file's value, for `imageTooLarge`, `tooManyPages`, `fileTooLarge`.
    public var limit: Int?
    public var actual: Int?
    /// What went wrong and, where there is one, what the user can do; no file name (the description adds it).
    public var detail: String

    public init(
        _ reason: PageRejectReason, path: String, page: Int? = nil, limit: Int? = nil, actual: Int? = nil,
        detail: String
    ) {
        self.reason = reason
        self.path = path
        self.page = page
        self.limit = limit
        self.actual = actual
        self.detail = detail
    }

    /// The file's last path component, so messages name the file without the spool folder.
    public var fileName: String {
        path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? path
    }

    /// `fax.tif page 3: image_too_large: 200000x200000 pixels exceeds the 20000-pixel side limit (raise pages.max_side)`
    public var description: String {
        var where_ = fileName
        if let page { where_ += " page \(page)" }
        return "\(where_): \(reason.rawValue): \(detail)"
    }
}
