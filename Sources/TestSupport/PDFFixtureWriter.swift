internal import CPoppler
public import Pages

/// One page of a text-layer PDF: real text drawn with cairo, so poppler reads it back without OCR.
public struct TextPDFPage: Sendable, Hashable {
    public var lines: [FixtureLine]
    public var widthPoints: Double
    public var heightPoints: Double

    /// A US Letter page (612 x 792 points).
    public init(lines: [FixtureLine], widthPoints: Double = 612, heightPoints: Double = 792) {
        self.lines = lines
        self.widthPoints = widthPoints
        self.heightPoints = heightPoints
    }
}

/// Writes fixture PDFs: image-only (a scanned or faxed page), text-layer (an EHR print), or empty pages.
public enum PDFFixtureWriter {
    /// One full-page image per page, at each page's own resolution (the production `PDFWriter`).
    public static func writeImagePDF(_ pages: [PageImage], to path: String) throws {
        try PDFWriter.write(pages, to: path)
    }

    /// Pages of real text in each line's DejaVu family.
    public static func writeTextPDF(_ pages: [TextPDFPage], to path: String) throws {
        try withPDFSurface(path: path, pageCount: pages.count, size: { (pages[$0].widthPoints, pages[$0].heightPoints) }) {
            context, index in
            cairo_set_source_rgb(context, 0, 0, 0)
            for line in pages[index].lines {
                cairo_select_font_face(context, line.font.rawValue, CAIRO_FONT_SLANT_NORMAL,
                                       line.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
                cairo_set_font_size(context, line.size)
                cairo_move_to(context, line.x, line.y)
                cairo_show_text(context, line.text)
            }
        }
    }

    /// `count` empty Letter pages: the cheapest way to exceed a page limit.
    public static func writeEmptyPDF(pageCount count: Int, to path: String) throws {
        try withPDFSurface(path: path, pageCount: count, size: { _ in (612, 792) }) { _, _ in }
    }

    private static func withPDFSurface(
        path: String, pageCount: Int, size: (Int) -> (Double, Double), draw: (OpaquePointer, Int) -> Void
    ) throws {
        guard pageCount > 0 else { throw FixtureError("a PDF needs at least one page") }
        let first = size(0)
        guard let surface = cairo_pdf_surface_create(path, first.0, first.1),
              cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS
        else { throw FixtureError("cairo could not create \(path)") }
        defer { cairo_surface_destroy(surface) }
        for index in 0..<pageCount {
            let pageSize = size(index)
            cairo_pdf_surface_set_size(surface, pageSize.0, pageSize.1)
            guard let context = cairo_create(surface) else { throw FixtureError("cairo_create failed") }
            draw(context, index)
            cairo_destroy(context)
            cairo_surface_show_page(surface)
        }
        cairo_surface_finish(surface)
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else { throw FixtureError("cairo could not write \(path)") }
    }
}
