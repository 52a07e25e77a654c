import Foundation
import Pages
import Testing
import TestSupport

@Suite struct FixtureSmokeTests {
    @Test func writesEveryFixtureKind() throws {
        try withTemporaryDirectory { dir in
            let keep = ProcessInfo.processInfo.environment["FILEROOM_KEEP_FIXTURES"]
            let out = keep ?? dir
            let fine = try FaxFixture.page()
            let normal = try FaxFixture.page(geometry: .faxNormal)
            try TIFFFixtureWriter.write([fine, normal], to: "\(out)/g4.tif")
            try TIFFFixtureWriter.write([normal], to: "\(out)/g3.tif", options: .faxG3)
            try TIFFFixtureWriter.write([fine], to: "\(out)/rgb.tif", options: .init(compression: .lzw, pixelFormat: .rgb))
            try PDFFixtureWriter.writeImagePDF([fine, normal], to: "\(out)/image.pdf")
            try PDFFixtureWriter.writeTextPDF([TextPDFPage(lines: FixtureLine.column(FaxFixture.reportLines))], to: "\(out)/text.pdf")
            try BadFileFixtures.writeHugeTIFFHeader(to: "\(out)/huge.tif")
            try BadFileFixtures.writeEncryptedPDF(to: "\(out)/enc.pdf")
            for name in ["g4.tif", "g3.tif", "rgb.tif", "image.pdf", "text.pdf", "huge.tif", "enc.pdf"] {
                let size = try FileManager.default.attributesOfItem(atPath: "\(out)/\(name)")[.size] as? Int ?? 0
                #expect(size > 0, "\(name)")
            }
        }
    }
}
