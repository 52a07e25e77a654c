/// The bounds every input is checked against before anything large is allocated.
///
/// A 110 KB TIFF can declare 30000x30000 pixels and a 418-byte PDF can ask poppler for gigabytes, so
/// each page's size is checked from its tags or its media box before a strip is read or a page rendered.
public struct PageLimits: Sendable, Hashable, Codable {
    /// Largest file accepted, in bytes (`pages.max_file_bytes`).
    public var maxFileBytes: Int
    /// Most pages in one file (`pages.max_pages`).
    public var maxPagesPerFile: Int
    /// Most pixels in one page raster (`pages.max_pixels`).
    public var maxPixelsPerPage: Int
    /// Longest side of a page raster, in pixels (`pages.max_side`).
    public var maxPixelsPerSide: Int
    /// libtiff's cap on any single allocation it makes (`TIFFOpenOptionsSetMaxSingleMemAlloc`).
    public var tiffMaxSingleAllocation: Int
    /// Resolution PDF pages without a usable image are rendered at (`pages.render_dpi`).
    public var pdfRenderDPI: Double
    /// A PDF page whose text layer holds at least this many letters is read from the text layer.
    public var minimumTextLayerLetters: Int

    public init(
        maxFileBytes: Int = 100 * 1024 * 1024,
        maxPagesPerFile: Int = 200,
        maxPixelsPerPage: Int = 40_000_000,
        maxPixelsPerSide: Int = 20_000,
        tiffMaxSingleAllocation: Int = 256 * 1024 * 1024,
        pdfRenderDPI: Double = 300,
        minimumTextLayerLetters: Int = 20
    ) {
        self.maxFileBytes = maxFileBytes
        self.maxPagesPerFile = maxPagesPerFile
        self.maxPixelsPerPage = maxPixelsPerPage
        self.maxPixelsPerSide = maxPixelsPerSide
        self.tiffMaxSingleAllocation = tiffMaxSingleAllocation
        self.pdfRenderDPI = pdfRenderDPI
        self.minimumTextLayerLetters = minimumTextLayerLetters
    }

    public static let `default` = PageLimits()

    /// Throws `imageTooLarge` when a page of `width` x `height` pixels is over a side or area limit.
    func checkRaster(width: Int, height: Int, path: String, page: Int) throws(PageError) {
        guard width > 0, height > 0 else {
            throw PageError(.truncatedOrCorrupt, path: path, page: page,
                            detail: "the page declares \(width)x\(height) pixels")
        }
        let side = max(width, height)
        if side > maxPixelsPerSide {
            throw PageError(
                .imageTooLarge, path: path, page: page, limit: maxPixelsPerSide, actual: side,
                detail: "\(width)x\(height) pixels exceeds the \(maxPixelsPerSide)-pixel side limit (raise pages.max_side)"
            )
        }
        let (area, overflow) = width.multipliedReportingOverflow(by: height)
        if overflow || area > maxPixelsPerPage {
            throw PageError(
                .imageTooLarge, path: path, page: page, limit: maxPixelsPerPage, actual: overflow ? Int.max : area,
                detail: "\(width)x\(height) pixels exceeds the \(maxPixelsPerPage)-pixel page limit (raise pages.max_pixels)"
            )
        }
    }
}
