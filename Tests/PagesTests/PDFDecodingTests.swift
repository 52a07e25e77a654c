import FileroomModel
import Pages
import Testing
import TestSupport

@Suite struct PDFDecodingTests {
    @Test func aTextLayerPageGivesItsWordsWithoutOCR() throws {
        let lines = [FixtureLine("SUGAR RIVER HEALTH SYSTEM", x: 54, y: 60, size: 14, bold: true)]
            + [FixtureLine("Patient Name: Quillby, Margaret", x: 54, y: 100), FixtureLine("DOB: 03/04/1961", x: 360, y: 100)]
            + FixtureLine.column(["MRN: 40021877", "FINAL DIAGNOSIS: Invasive ductal carcinoma, grade 2."], top: 130)
        try withTemporaryDirectory { dir in
            let path = "\(dir)/ehr.pdf"
            try PDFFixtureWriter.writeTextPDF([TextPDFPage(lines: lines)], to: path)
            let file = try SourceFile.open(path: path, limits: .default)
            #expect(file.format == .pdf && file.pageCount == 1)
            guard case .textLayer(let textLines, let width, let height, let dpi) = try file.decodePage(1) else {
                Issue.record("expected the text layer")
                return
            }
            #expect(dpi == 300 && width == 2550 && height == 3300)
            let words = textLines.flatMap(\.words).map(\.text)
            for expected in ["SUGAR", "HEALTH", "Quillby,", "Margaret", "03/04/1961", "40021877", "carcinoma,"] {
                #expect(words.contains(expected), "\(expected)")
            }
            // Label and value printed on one baseline stay one line, in reading order.
            let patientLine = textLines.first { $0.text.hasPrefix("Patient Name:") }
            #expect(patientLine?.text == "Patient Name: Quillby, Margaret DOB: 03/04/1961")
            // Boxes are in pixels at 300 dpi: "Patient" starts at x = 54 pt = 225 px, baseline 100 pt.
            if let box = patientLine?.words.first?.box {
                #expect(abs(box.x - 225) <= 3)
                #expect(box.y < 417 && box.maxY > 390)
            }
            #expect(textLines.first?.text == "SUGAR RIVER HEALTH SYSTEM")
        }
    }

    @Test func anImageOnlyPDFGivesTheImageAtItsOwnResolution() throws {
        let fine = try FaxFixture.page()
        let normal = try FaxFixture.page(geometry: .faxNormal)
        try withTemporaryDirectory { dir in
            let path = "\(dir)/scan.pdf"
            try PDFFixtureWriter.writeImagePDF([fine, normal], to: path)
            let file = try SourceFile.open(path: path, limits: .default)
            #expect(file.pageCount == 2)
            guard case .raster(let first) = try file.decodePage(1), case .raster(let second) = try file.decodePage(2)
            else {
                Issue.record("expected rasters")
                return
            }
            #expect(first.width == 1728 && first.height == 2200)
            #expect(abs(first.dpiX - 204) < 0.5 && abs(first.dpiY - 196) < 0.5)
            let firstMismatch = pixelMismatch(first, fine)
            #expect(firstMismatch == nil)
            #expect(second.width == 1728 && second.height == 1100)
            #expect(abs(second.dpiY - 98) < 0.5)
            let secondMismatch = pixelMismatch(second, normal)
            #expect(secondMismatch == nil)
        }
    }

    @Test func aPageWithoutTextOrAFullPageImageIsRenderedAtTheConfiguredResolution() throws {
        try withTemporaryDirectory { dir in
            let path = "\(dir)/short.pdf"
            try PDFFixtureWriter.writeTextPDF([TextPDFPage(lines: [FixtureLine("Page 2", x: 72, y: 72, size: 24)])], to: path)
            var limits = PageLimits()
            limits.pdfRenderDPI = 100
            let file = try SourceFile.open(path: path, limits: limits)
            guard case .raster(let image) = try file.decodePage(1) else {
                Issue.record("expected a rendered raster")
                return
            }
            #expect(image.width == 850 && image.height == 1100 && image.dpiX == 100)
            #expect(!image.isBlank)
            #expect(image.pixels.first == 255)
        }
    }

    @Test func rasterPageRendersATextLayerPageForFiling() throws {
        try withTemporaryDirectory { dir in
            let path = "\(dir)/ehr.pdf"
            try PDFFixtureWriter.writeTextPDF([TextPDFPage(lines: FixtureLine.column(FaxFixture.reportLines))], to: path)
            let file = try SourceFile.open(path: path, limits: .default)
            let image = try file.rasterPage(1, dpi: 100)
            #expect(image.width == 850 && image.height == 1100 && image.dpiX == 100 && image.dpiY == 100)
            #expect(!image.isBlank)
            #expect(throws: PageError.self) { try file.rasterPage(2) }
        }
    }

    @Test func writtenPDFPagesAreSizedByTheirResolution() throws {
        let page = PageImage(width: 408, height: 196, dpiX: 204, dpiY: 98)
        try withTemporaryDirectory { dir in
            try PDFWriter.write([page, page], to: "\(dir)/out.pdf")
            let file = try SourceFile.open(path: "\(dir)/out.pdf", limits: .default)
            #expect(file.pageCount == 2)
        }
        #expect(throws: PageError.self) { try PDFWriter.write([], to: "/nonexistent/out.pdf") }
    }
}
