#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
public import FileroomModel
internal import CPoppler

/// What a file turned out to be, from its first bytes (never its name).
public enum SourceFormat: String, Sendable, Codable, Hashable {
    case tiff
    case pdf
}

/// One decoded page: a raster for OCR, or the words of a PDF text layer (no OCR needed).
public enum DecodedPage: Sendable {
    case raster(PageImage)
    /// Word boxes are in pixels of a nominal `width` x `height` page at `dpi` (the PDF render resolution).
    case textLayer(lines: [TextLine], width: Int, height: Int, dpi: Double)
}

/// An input file opened for decoding, page by page.
///
/// Opening sniffs the format from the magic bytes, checks the file size and page count, and for a TIFF
/// every page's declared size, so a bad file is rejected before any page is decoded. Not thread-safe
/// (libtiff and poppler handles are not): use one `SourceFile` from one thread at a time.
public final class SourceFile {
    public let path: String
    public let format: SourceFormat
    public let pageCount: Int
    public let limits: PageLimits
    private let backing: Backing

    private enum Backing {
        case tiff(TIFFFile)
        case pdf(PDFDocument)
    }

    private init(path: String, format: SourceFormat, pageCount: Int, limits: PageLimits, backing: Backing) {
        self.path = path
        self.format = format
        self.pageCount = pageCount
        self.limits = limits
        self.backing = backing
    }

    public static func open(path: String, limits: PageLimits = .default) throws(PageError) -> SourceFile {
        let head = try FileProbe.read(path: path, limits: limits)
        switch FileProbe.sniff(head.bytes, path: path) {
        case .tiff:
            let tiff = try TIFFFile(path: path, limits: limits)
            let count = try tiff.scanDirectories(limits: limits, fileBytes: head.size)
            return SourceFile(path: path, format: .tiff, pageCount: count, limits: limits, backing: .tiff(tiff))
        case .pdf:
            try PDFPreflight.check(path: path, limits: limits)
            let document = try PDFDocument(path: path)
            let count = document.pageCount
            guard count > 0 else {
                throw PageError(.truncatedOrCorrupt, path: path, detail: "the PDF has no pages")
            }
            guard count <= limits.maxPagesPerFile else {
                throw PageError(.tooManyPages, path: path, limit: limits.maxPagesPerFile, actual: count,
                                detail: "\(count) pages exceeds the \(limits.maxPagesPerFile)-page limit (raise pages.max_pages)")
            }
            return SourceFile(path: path, format: .pdf, pageCount: count, limits: limits, backing: .pdf(document))
        case .rejected(let error):
            throw error
        }
    }

    /// Decodes page `number` (1-based).
    public func decodePage(_ number: Int) throws(PageError) -> DecodedPage {
        guard (1...pageCount).contains(number) else {
            throw PageError(.pageOutOfRange, path: path, page: number, detail: "the file has \(pageCount) pages")
        }
        switch backing {
        case .tiff(let tiff): return .raster(try decodeTIFF(tiff, page: number))
        case .pdf(let document):
            return try decodePDF(document, page: number, textLayerAllowed: true, renderDPI: limits.pdfRenderDPI)
        }
    }

    /// Page `number` as a raster whatever it holds: a PDF page without a full-page image (a text-layer
    /// page too) is rendered at `dpi`. For filing a document as a PDF of page images.
    public func rasterPage(_ number: Int, dpi: Double = 150) throws(PageError) -> PageImage {
        guard (1...pageCount).contains(number) else {
            throw PageError(.pageOutOfRange, path: path, page: number, detail: "the file has \(pageCount) pages")
        }
        switch backing {
        case .tiff(let tiff):
            return try decodeTIFF(tiff, page: number)
        case .pdf(let document):
            switch try decodePDF(document, page: number, textLayerAllowed: false, renderDPI: dpi) {
            case .raster(let image): return image
            case .textLayer: throw PageError(.truncatedOrCorrupt, path: path, page: number, detail: "no raster for the page")
            }
        }
    }

    /// Page `number` as it is filed, turned as OCR turned it (`text.rotation`): a fax or scanned page as its own
    /// image at its own resolution, any other PDF page carried over as vectors (text kept as text), and the page's
    /// OCR words laid over it as invisible text. `text` is the page as the page stage read it; without it the page
    /// is judged as decoding judges it.
    public func filingPage(_ number: Int, text: PageText?) throws(PageError) -> FilingPage {
        guard (1...pageCount).contains(number) else {
            throw PageError(.pageOutOfRange, path: path, page: number, detail: "the file has \(pageCount) pages")
        }
        let turns = (text?.rotation ?? 0) / 90
        switch backing {
        case .tiff(let tiff):
            // A fax page stays 1-bit (its own G4 code when upright): the daemon never widens it to grey to file it.
            let upright = turns % 4 == 0
            if turns % 2 == 0, let bilevel = try bilevelTIFF(tiff, page: number, keepCode: upright) {
                if upright { return .bilevel(bilevel, text: text) }
                if let turned = bilevel.turnedHalf() { return .bilevel(turned, text: text) }
            }
            return .raster(try decodeTIFF(tiff, page: number).rotated(quarterTurns: turns), text: text)
        case .pdf(let document):
            let page = try document.page(number)
            let size = page.size
            let ownText = text.map { $0.source == .textLayer } ?? (page.textLetterCount() >= limits.minimumTextLayerLetters)
            if !ownText, let image = try fullPageImage(page, size: size, number: number) {
                return .raster(image.rotated(quarterTurns: turns), text: text)
            }
            if let rendered = page.renderedAsPDF(), let vector = try? VectorPage(cairoPDF: rendered) {
                var filing = FilingPage(content: .vector(vector, quarterTurns: turns))
                if !ownText, let text {
                    let filed = filing.size
                    filing.words = InvisibleTextLayer.place(text, pageWidth: filed.width, pageHeight: filed.height)
                }
                return filing
            }
            // Cairo could not draw the page or wrote what the importer does not take: file it as an image at the
            // resolution OCR read it, with the words (OCR's or the text layer's) over it.
            let dpi = limits.pdfRenderDPI
            let width = Int((size.width * dpi / 72).rounded()), height = Int((size.height * dpi / 72).rounded())
            try limits.checkRaster(width: width, height: height, path: path, page: number)
            guard let pixels = page.render(width: width, height: height, dpi: dpi) else {
                throw PageError(.truncatedOrCorrupt, path: path, page: number, detail: "poppler could not render the page")
            }
            let image = PageImage(width: width, height: height, dpiX: dpi, dpiY: dpi, pixels: pixels)
            return .raster(image.rotated(quarterTurns: turns), text: text)
        }
    }

    // MARK: TIFF

    private func decodeTIFF(_ tiff: TIFFFile, page number: Int) throws(PageError) -> PageImage {
        try tiff.select(page: number)
        let info = tiff.currentInfo()
        try limits.checkRaster(width: info.width, height: info.height, path: path, page: number)
        let pixels = try tiff.decodeCurrent(page: number, info: info)
        let dpi = info.dpi ?? Self.assumedResolution(width: info.width)
        return PageImage(width: info.width, height: info.height, dpiX: dpi.x, dpiY: dpi.y, pixels: pixels)
    }

    private func bilevelTIFF(_ tiff: TIFFFile, page number: Int, keepCode: Bool) throws(PageError) -> BilevelImage? {
        try tiff.select(page: number)
        let info = tiff.currentInfo()
        try limits.checkRaster(width: info.width, height: info.height, path: path, page: number)
        return try tiff.bilevelPage(
            page: number, info: info, dpi: info.dpi ?? Self.assumedResolution(width: info.width), keepCode: keepCode
        )
    }

    /// Without resolution tags: a fax-width page (1728, B4 2048, A3 2432 pixels) is fax fine mode, the
    /// usual case for servers that drop the tags; anything else is taken as a 200 dpi scan.
    static func assumedResolution(width: Int) -> (x: Double, y: Double) {
        [1728, 2048, 2432].contains(width) ? (204, 196) : (200, 200)
    }

    // MARK: PDF

    private func decodePDF(
        _ document: PDFDocument, page number: Int, textLayerAllowed: Bool, renderDPI dpi: Double
    ) throws(PageError) -> DecodedPage {
        let page = try document.page(number)
        let size = page.size
        guard size.width > 0, size.height > 0, size.width.isFinite, size.height.isFinite else {
            throw PageError(.truncatedOrCorrupt, path: path, page: number, detail: "the page has no size")
        }
        let nominalWidth = Int((size.width * dpi / 72).rounded())
        let nominalHeight = Int((size.height * dpi / 72).rounded())

        if textLayerAllowed, page.textLetterCount() >= limits.minimumTextLayerLetters, let layout = page.textWithLayout() {
            let boxes = layout.boxes.map { ($0.x1, $0.y1, $0.x2, $0.y2) }
            let lines = TextLayout.lines(text: layout.text, boxes: boxes, scale: dpi / 72)
            return .textLayer(lines: lines, width: nominalWidth, height: nominalHeight, dpi: dpi)
        }
        if let image = try fullPageImage(page, size: size, number: number) {
            return .raster(image)
        }
        try limits.checkRaster(width: nominalWidth, height: nominalHeight, path: path, page: number)
        guard let pixels = page.render(width: nominalWidth, height: nominalHeight, dpi: dpi) else {
            throw PageError(.truncatedOrCorrupt, path: path, page: number, detail: "poppler could not render the page")
        }
        return .raster(PageImage(width: nominalWidth, height: nominalHeight, dpiX: dpi, dpiY: dpi, pixels: pixels))
    }

    /// The page's only image when it covers the page upright (a scanned or faxed page), decoded at its
    /// own resolution: better for OCR and much cheaper than rendering at 300 dpi.
    private func fullPageImage(
        _ page: PDFPage, size: (width: Double, height: Double), number: Int
    ) throws(PageError) -> PageImage? {
        let mappings = page.imageMappings()
        guard mappings.count == 1, let mapping = mappings.first else { return nil }
        let areaWidth = abs(mapping.area.x2 - mapping.area.x1)
        let areaHeight = abs(mapping.area.y2 - mapping.area.y1)
        // Poppler rounds the area to whole points and reports it with width and height swapped for an
        // image drawn with unequal scales (fax normal mode), so test coverage both ways and take the
        // resolution from the exact page size.
        func covers(_ w: Double, _ h: Double) -> Bool { w >= 0.85 * size.width && h >= 0.85 * size.height }
        guard covers(areaWidth, areaHeight) || covers(areaHeight, areaWidth) else { return nil }
        guard let image = page.image(id: mapping.id) else { return nil }
        let dpiX = Double(image.width) / (size.width / 72)
        let dpiY = Double(image.height) / (size.height / 72)
        // Square pixels or fax normal mode (204x98) are an upright image; any other ratio means the image
        // is drawn turned (a landscape scan on a portrait page): let the renderer place it.
        let ratio = dpiX / dpiY
        guard dpiX > 20, dpiY > 20, dpiX < 2000, dpiY < 2000, abs(ratio - 1) < 0.1 || abs(ratio - 2.08) < 0.15
        else { return nil }
        try limits.checkRaster(width: image.width, height: image.height, path: path, page: number)
        return PageImage(width: image.width, height: image.height,
                         dpiX: Self.tidy(dpiX), dpiY: Self.tidy(dpiY), pixels: image.pixels)
    }

    /// A resolution from a page size in points, rounded to the whole dpi it almost always is.
    static func tidy(_ dpi: Double) -> Double {
        abs(dpi - dpi.rounded()) < 0.2 ? dpi.rounded() : (dpi * 10).rounded() / 10
    }
}
