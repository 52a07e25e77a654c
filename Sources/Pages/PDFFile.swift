internal import CPoppler
import FileroomModel

/// Owns a PopplerDocument.
final class PDFDocument {
    let handle: OpaquePointer
    let path: String

    init(path: String) throws(PageError) {
        var error: UnsafeMutablePointer<GError>?
        let absolute = path.hasPrefix("/") ? path : Self.currentDirectory() + "/" + path
        guard let uri = g_filename_to_uri(absolute, nil, &error) else {
            let message = error.map { String(cString: $0.pointee.message) } ?? "unknown"
            if let error { g_error_free(error) }
            throw PageError(.unreadable, path: path, detail: "cannot name the file as a URI (\(message))")
        }
        defer { g_free(uri) }
        guard let document = poppler_document_new_from_file(uri, nil, &error) else {
            let message = error.map { String(cString: $0.pointee.message) } ?? "unknown"
            let encrypted = CPoppler_ErrorIsEncrypted(error) != 0
            if let error { g_error_free(error) }
            if encrypted {
                throw PageError(.encrypted, path: path,
                                detail: "the PDF is password-protected (ask the sender for an unprotected copy)")
            }
            throw PageError(.truncatedOrCorrupt, path: path, detail: "poppler cannot read the PDF (\(message))")
        }
        self.handle = document
        self.path = path
    }

    deinit { CPoppler_DocumentUnref(handle) }

    var pageCount: Int { Int(poppler_document_get_n_pages(handle)) }

    func page(_ number: Int) throws(PageError) -> PDFPage {
        guard let page = poppler_document_get_page(handle, Int32(number - 1)) else {
            throw PageError(.truncatedOrCorrupt, path: path, page: number, detail: "poppler cannot load the page")
        }
        return PDFPage(handle: page)
    }

    private static func currentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return "." }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Owns a PopplerPage.
final class PDFPage {
    let handle: OpaquePointer

    init(handle: OpaquePointer) { self.handle = handle }
    deinit { CPoppler_PageUnref(handle) }

    /// Page size in points, as displayed (after /Rotate).
    var size: (width: Double, height: Double) {
        var width = 0.0, height = 0.0
        poppler_page_get_size(handle, &width, &height)
        return (width, height)
    }

    /// The text layer and one box per character of it (points, origin top left).
    func textWithLayout() -> (text: [Unicode.Scalar], boxes: [PopplerRectangle])? {
        guard let raw = poppler_page_get_text(handle) else { return nil }
        defer { g_free(raw) }
        // Poppler gives one rectangle per Unicode character of the text, so count scalars, not graphemes.
        let text = Array(String(cString: raw).unicodeScalars)
        var rectangles: UnsafeMutablePointer<PopplerRectangle>?
        var count: guint = 0
        guard poppler_page_get_text_layout(handle, &rectangles, &count) != 0, let rectangles else {
            return (text, [])
        }
        defer { g_free(rectangles) }
        return (text, Array(UnsafeBufferPointer(start: rectangles, count: Int(count))))
    }

    /// Letters in the text layer (not digits, spaces or punctuation).
    func textLetterCount() -> Int {
        guard let raw = poppler_page_get_text(handle) else { return 0 }
        defer { g_free(raw) }
        return String(cString: raw).unicodeScalars.filter { $0.properties.isAlphabetic }.count
    }

    /// The image ids and areas (points) of the images drawn on the page.
    func imageMappings() -> [(id: Int32, area: PopplerRectangle)] {
        guard let list = poppler_page_get_image_mapping(handle) else { return [] }
        defer { poppler_page_free_image_mapping(list) }
        var result: [(id: Int32, area: PopplerRectangle)] = []
        var node: UnsafeMutablePointer<GList>? = list
        while let current = node {
            if let data = current.pointee.data {
                let mapping = data.assumingMemoryBound(to: PopplerImageMapping.self).pointee
                result.append((mapping.image_id, mapping.area))
            }
            node = current.pointee.next
        }
        return result
    }

    /// The decoded image `id` at its own pixel size, as grey, or nil when poppler cannot hand it over.
    func image(id: Int32) -> (width: Int, height: Int, pixels: [UInt8])? {
        guard let surface = poppler_page_get_image(handle, id) else { return nil }
        defer { cairo_surface_destroy(surface) }
        return CairoGrey.convert(surface)
    }

    /// Renders the page at `dpi` onto white and returns grey pixels.
    func render(width: Int, height: Int, dpi: Double) -> [UInt8]? {
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(width), Int32(height)) else { return nil }
        defer { cairo_surface_destroy(surface) }
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS, let context = cairo_create(surface) else { return nil }
        cairo_set_source_rgb(context, 1, 1, 1)
        cairo_paint(context)
        cairo_scale(context, dpi / 72, dpi / 72)
        poppler_page_render(handle, context)
        cairo_destroy(context)
        return CairoGrey.convert(surface)?.pixels
    }
}

/// Converts a cairo image surface (RGB24, ARGB32, A8, A1) to 8-bit grey, alpha composited over white.
enum CairoGrey {
    static func convert(_ surface: OpaquePointer) -> (width: Int, height: Int, pixels: [UInt8])? {
        cairo_surface_flush(surface)
        let width = Int(cairo_image_surface_get_width(surface))
        let height = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        guard width > 0, height > 0, let data = cairo_image_surface_get_data(surface) else { return nil }
        let format = cairo_image_surface_get_format(surface)
        var out = [UInt8](repeating: 255, count: width * height)
        out.withUnsafeMutableBufferPointer { target in
            for y in 0..<height {
                let row = data + y * stride
                let base = y * width
                switch format {
                case CAIRO_FORMAT_RGB24, CAIRO_FORMAT_ARGB32:
                    let pixels = UnsafeRawPointer(row).assumingMemoryBound(to: UInt32.self)
                    let hasAlpha = format == CAIRO_FORMAT_ARGB32
                    for x in 0..<width {
                        let p = pixels[x]
                        let r = (p >> 16) & 0xFF, g = (p >> 8) & 0xFF, b = p & 0xFF
                        let luma = (77 * r + 150 * g + 29 * b + 128) >> 8
                        // Premultiplied: over white adds the uncovered share of white.
                        let a = hasAlpha ? p >> 24 : 255
                        target[base + x] = UInt8(min(255, luma + (255 - a)))
                    }
                case CAIRO_FORMAT_A8:
                    for x in 0..<width { target[base + x] = 255 - row[x] }
                case CAIRO_FORMAT_A1:
                    for x in 0..<width {
                        let bit = (row[x >> 3] >> UInt8(x & 7)) & 1  // little-endian bit order on x86
                        target[base + x] = bit == 1 ? 0 : 255
                    }
                default:
                    break
                }
            }
        }
        return (width, height, out)
    }
}
