internal import CPoppler

/// Writes page rasters as a PDF, one full-page image per page, each page sized so the image sits at
/// its own resolution (a 1728x2200 fax at 204x196 dpi becomes an 8.47x11.2 inch page).
///
/// Cairo stores an all-black-and-white image as 1 bit per pixel and a grey one as 8, both deflated,
/// so a filed fax stays small, and poppler hands the same pixels back when the PDF is read.
public enum PDFWriter {
    public static func write(_ pages: [PageImage], to path: String) throws(PageError) {
        guard let first = pages.first else {
            throw PageError(.writeFailed, path: path, detail: "no pages to write")
        }
        let firstSize = pointSize(of: first)
        guard let surface = cairo_pdf_surface_create(path, firstSize.width, firstSize.height) else {
            throw PageError(.writeFailed, path: path, detail: "cairo could not create the PDF surface")
        }
        defer { cairo_surface_destroy(surface) }
        try check(cairo_surface_status(surface), path: path)
        for page in pages {
            let size = pointSize(of: page)
            cairo_pdf_surface_set_size(surface, size.width, size.height)
            try draw(page, on: surface, path: path)
            cairo_surface_show_page(surface)
        }
        cairo_surface_finish(surface)
        try check(cairo_surface_status(surface), path: path)
    }

    static func pointSize(of page: PageImage) -> (width: Double, height: Double) {
        let dpiX = page.dpiX > 0 ? page.dpiX : 72
        let dpiY = page.dpiY > 0 ? page.dpiY : 72
        return (Double(page.width) * 72 / dpiX, Double(page.height) * 72 / dpiY)
    }

    private static func draw(_ page: PageImage, on surface: OpaquePointer, path: String) throws(PageError) {
        let image = try CairoImage(grey: page, path: path)
        guard let context = cairo_create(surface) else {
            throw PageError(.writeFailed, path: path, detail: "cairo could not create a drawing context")
        }
        defer { cairo_destroy(context) }
        let size = pointSize(of: page)
        cairo_scale(context, size.width / Double(page.width), size.height / Double(page.height))
        cairo_set_source_surface(context, image.surface, 0, 0)
        // Nearest-neighbour keeps PDF viewers from smoothing fax pixels (/Interpolate false).
        cairo_pattern_set_filter(cairo_get_source(context), CAIRO_FILTER_FAST)
        cairo_paint(context)
        try check(cairo_status(context), path: path)
    }

    private static func check(_ status: cairo_status_t, path: String) throws(PageError) {
        guard status == CAIRO_STATUS_SUCCESS else {
            let message = cairo_status_to_string(status).map { String(cString: $0) } ?? "status \(status.rawValue)"
            throw PageError(.writeFailed, path: path, detail: "cairo: \(message)")
        }
    }
}

/// Owns a cairo RGB24 image surface holding a grey page (R = G = B).
final class CairoImage {
    let surface: OpaquePointer

    init(grey page: PageImage, path: String) throws(PageError) {
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(page.width), Int32(page.height)),
              cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS,
              let data = cairo_image_surface_get_data(surface)
        else {
            throw PageError(.writeFailed, path: path, detail: "cairo could not allocate a \(page.width)x\(page.height) image")
        }
        self.surface = surface
        cairo_surface_flush(surface)
        let stride = Int(cairo_image_surface_get_stride(surface))
        page.pixels.withUnsafeBufferPointer { source in
            for y in 0..<page.height {
                let row = UnsafeMutableRawPointer(data + y * stride).assumingMemoryBound(to: UInt32.self)
                let base = y * page.width
                for x in 0..<page.width {
                    let grey = UInt32(source[base + x])
                    row[x] = (grey << 16) | (grey << 8) | grey
                }
            }
        }
        cairo_surface_mark_dirty(surface)
    }

    deinit { cairo_surface_destroy(surface) }
}
