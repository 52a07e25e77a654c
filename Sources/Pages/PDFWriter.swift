/// Writes page rasters as a PDF, one full-page image per page at its own resolution (a 1728x2200 fax at 204x196
/// dpi becomes an 8.47x11.2 inch page), without a text layer: black-and-white pages as CCITT G4, grey ones as
/// `grey` says. Filing uses `FilingPDFWriter` with text; this is for page images alone (fixtures, tools).
public enum PDFWriter {
    public static func write(
        _ pages: [PageImage], to path: String, grey: GreyImageCompression = .flate
    ) throws(PageError) {
        guard !pages.isEmpty else {
            throw PageError(.writeFailed, path: path, detail: "no pages to write")
        }
        try FilingPDFWriter.write(
            pages.map { FilingPage(content: .raster($0)) },
            info: PDFDocumentInfo(title: "Pages", created: 0, identifier: path),
            options: FilingPDFWriter.Options(grey: grey), to: path
        )
    }
}
