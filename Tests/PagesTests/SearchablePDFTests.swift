import FileroomModel
import Foundation
@testable import Pages
import Testing
import TestSupport

/// Filed PDFs read back by independent readers (poppler's `pdftotext`, `pdfimages`, `pdffonts`, qpdf): the image kept
/// as received, the text layer where the page shows the words, PDF/A's metadata and output intent present.
@Suite(.enabled(if: PDFToolProbe.has("pdftotext") && PDFToolProbe.has("qpdf"), "needs poppler-utils and qpdf (scripts/install-deps.sh)"))
struct SearchablePDFTests {
    static let info = PDFDocumentInfo(title: "Pathology report, 2026-10-24 (doc_TEST)", created: 1_795_000_000, identifier: "doc_TEST")

    /// A page's words as OCR would give them, at known boxes in the page's own pixels.
    /// Words whose boxes share a top are one line, as OCR groups them.
    static func text(for page: PageImage, words: [(String, BoundingBox)], rotation: Int = 0, skew: Double = 0) -> PageText {
        var lines: [TextLine] = []
        for (text, box) in words {
            let word = RecognizedWord(text: text, box: box, confidence: 0.9)
            if let last = lines.last?.words.last, last.box.y == box.y {
                lines[lines.count - 1].words.append(word)
            } else {
                lines.append(TextLine(words: [word]))
            }
        }
        return PageText(
            number: 1, source: .ocr, width: page.width, height: page.height, dpiX: page.dpiX, dpiY: page.dpiY,
            rotation: rotation, skew: skew, confidence: 0.9, lines: lines
        )
    }

    @Test func aFaxPageIsFiledAsItsOwnG4ImageAndDecodesToTheSamePixels() throws {
        let fine = try FaxFixture.page().thresholded()
        let normal = try FaxFixture.page(geometry: .faxNormal).thresholded()
        try withTemporaryDirectory { dir in
            try TIFFFixtureWriter.write([fine, normal], to: "\(dir)/fax.tif")
            let fax = try SourceFile.open(path: "\(dir)/fax.tif")
            let pages = try [fax.filingPage(1, text: nil), fax.filingPage(2, text: nil)]
            try FilingPDFWriter.write(pages, info: Self.info, to: "\(dir)/filed.pdf")

            let images = try PDFToolProbe.images("\(dir)/filed.pdf")
            #expect(images.map(\.encoding) == ["ccitt", "ccitt"])
            #expect(images.map(\.bpc) == [1, 1])
            #expect(images.map { [$0.width, $0.height, $0.xPPI, $0.yPPI] } == [[1728, 2200, 204, 196], [1728, 1100, 204, 98]])
            // Lossless: poppler decodes the G4 stream back to the fax's own pixels.
            let filed = try SourceFile.open(path: "\(dir)/filed.pdf")
            guard case .raster(let first) = try filed.decodePage(1), case .raster(let second) = try filed.decodePage(2) else {
                Issue.record("expected image pages")
                return
            }
            #expect(pixelMismatch(first, fine) == nil)
            #expect(pixelMismatch(second, normal) == nil)
            #expect(try PDFToolProbe.run("qpdf", ["--check", "\(dir)/filed.pdf"]).status == 0)
        }
    }

    /// A fax page goes from its TIFF to the PDF 1-bit: its own G4 code unchanged when it is one strip of G4 (bits
    /// reversed for an LSB-first file), else its rows decoded to 1 bit and coded as G4; upside down it is turned
    /// half a turn in 1 bit. Whatever the layout, poppler decodes the filed page to the fax's own pixels.
    @Test(arguments: [
        (TIFFFixtureOptions.faxG4, 0, "code"),
        (TIFFFixtureOptions(fillOrder: .lsbToMsb), 0, "code"),
        (TIFFFixtureOptions(rowsPerStrip: 300), 0, "rows"),
        (TIFFFixtureOptions.faxG3, 0, "rows"),
        (TIFFFixtureOptions(compression: .g3TwoD, fillOrder: .lsbToMsb, rowsPerStrip: 128), 0, "rows"),
        (TIFFFixtureOptions(pixelFormat: .bilevelMinIsBlack), 0, "rows"),
        (TIFFFixtureOptions.faxG4, 2, "rows"),
        (TIFFFixtureOptions(compression: .g3TwoD, rowsPerStrip: 300), 2, "rows"),
    ])
    func aFaxPageStaysOneBitFromItsTIFFToThePDF(options: TIFFFixtureOptions, turns: Int, kept: String) throws {
        let fax = try FaxFixture.page().thresholded()
        try withTemporaryDirectory { dir in
            try TIFFFixtureWriter.write([fax], to: "\(dir)/fax.tif", options: options)
            let text = Self.text(for: fax, words: [("Pathology", BoundingBox(x: 100, y: 200, width: 300, height: 40))], rotation: 90 * turns)
            let page = try SourceFile.open(path: "\(dir)/fax.tif").filingPage(1, text: text)
            guard case .bilevel(let image) = page.content else {
                Issue.record("the fax page was widened to grey: \(page.content)")
                return
            }
            switch image.bits {
            case .g4: #expect(kept == "code")
            case .rows: #expect(kept == "rows")
            }
            try FilingPDFWriter.write([page], info: Self.info, to: "\(dir)/filed.pdf")
            let images = try PDFToolProbe.images("\(dir)/filed.pdf")
            #expect(images.map { "\($0.encoding) \($0.bpc) \($0.width)x\($0.height) \($0.xPPI)x\($0.yPPI)" } == ["ccitt 1 1728x2200 204x196"])
            guard case .raster(let filed) = try SourceFile.open(path: "\(dir)/filed.pdf").decodePage(1) else {
                Issue.record("expected an image page")
                return
            }
            #expect(pixelMismatch(filed, fax.rotated(quarterTurns: turns)) == nil)
            #expect(try PDFToolProbe.run("pdftotext", ["\(dir)/filed.pdf", "-"]).output.contains("Pathology"))
            #expect(try PDFToolProbe.run("qpdf", ["--check", "\(dir)/filed.pdf"]).status == 0)
        }
    }

    @Test func aGreyScanIsFiledAsJPEGAtItsOwnResolution() throws {
        var grey = try FaxFixture.page(geometry: .letter200)
        grey.pixels = grey.pixels.map { $0 == 255 ? 235 : $0 / 2 + 20 }
        try withTemporaryDirectory { dir in
            try FilingPDFWriter.write([FilingPage(content: .raster(grey))], info: Self.info, to: "\(dir)/filed.pdf")
            let images = try PDFToolProbe.images("\(dir)/filed.pdf")
            #expect(images.map { "\($0.encoding) \($0.bpc) \($0.width)x\($0.height) \($0.xPPI)" } == ["jpeg 8 1700x2200 200"])
        }
    }

    @Test func theInvisibleWordsLieOnTheirOCRBoxes() throws {
        let page = try FaxFixture.page()
        // Boxes in the page's pixels (204 x 196 dpi); pdftotext reports points (72 per inch).
        let words: [(String, BoundingBox)] = [
            ("WHITCOMBE,", BoundingBox(x: 300, y: 400, width: 260, height: 40)),
            ("Jane", BoundingBox(x: 590, y: 400, width: 110, height: 40)),
            ("carcinoma", BoundingBox(x: 300, y: 900, width: 250, height: 38)),
        ]
        try withTemporaryDirectory { dir in
            try TIFFFixtureWriter.write([page], to: "\(dir)/fax.tif")
            let fax = try SourceFile.open(path: "\(dir)/fax.tif")
            let filing = try fax.filingPage(1, text: Self.text(for: page, words: words))
            try FilingPDFWriter.write([filing], info: Self.info, to: "\(dir)/filed.pdf")
            let extracted = try #require(try PDFToolProbe.words("\(dir)/filed.pdf").first)
            #expect(extracted.map(\.text) == ["WHITCOMBE,", "Jane", "carcinoma"])
            for (word, (_, box)) in zip(extracted, words) {
                let (sx, sy) = (72 / page.dpiX, 72 / page.dpiY)
                #expect(abs(word.xMin - Double(box.x) * sx) < 1, "\(word)")
                #expect(abs(word.xMax - Double(box.maxX) * sx) < 1, "\(word)")
                #expect(abs(word.yMax - Double(box.maxY) * sy) < 1.5, "\(word)")
                #expect(abs(word.yMin - Double(box.y) * sy) < 1.5, "\(word)")
            }
            // Selecting and copying gives the words in reading order, one line.
            #expect(try PDFToolProbe.text("\(dir)/filed.pdf").contains("WHITCOMBE, Jane"))
        }
    }

    @Test func wordsOfATurnedAndDeskewedPageAreTurnedBackWithIt() throws {
        // OCR turned the page a quarter clockwise and deskewed it by 2 degrees: the filed page is the turned image,
        // and the words go back by the skew about the page centre.
        let page = try FaxFixture.page().rotated(quarterTurns: 1)
        let words: [(String, BoundingBox)] = [("centre", BoundingBox(x: page.width / 2 - 100, y: page.height / 2 - 20, width: 200, height: 40))]
        let text = Self.text(for: page, words: words, rotation: 90, skew: 2)
        let placed = InvisibleTextLayer.place(text, pageWidth: 800, pageHeight: 600)
        let word = try #require(placed.first)
        #expect(abs(word.angle - 2 * .pi / 180) < 1e-9)
        // The baseline's start, measured from the centre, is the deskewed point turned back by -2 degrees.
        let (dx, dy) = (Double(page.width / 2 - 100) * 800 / Double(page.width) - 400, Double(page.height / 2 + 20) * 600 / Double(page.height) - 300)
        let theta = 2 * Double.pi / 180
        #expect(abs(word.x - (400 + cos(theta) * dx + sin(theta) * dy)) < 1e-6)
        #expect(abs((600 - word.y) - (300 - sin(theta) * dx + cos(theta) * dy)) < 1e-6)
    }

    @Test func aTextLayerOriginalIsCarriedOverAsVectorsWithItsWordsExactly() throws {
        let jane = TestPatient.jane
        try withTemporaryDirectory { dir in
            let original = "\(dir)/ehr.pdf"
            try MedicalFaxFixtures.write([MedicalFaxFixtures.pathologyPage(jane), MedicalFaxFixtures.radiologyPage(jane)], to: original)
            let source = try SourceFile.open(path: original)
            let layer = PageText(number: 1, source: .textLayer, width: 2550, height: 3300, dpiX: 300, dpiY: 300, confidence: 1, lines: [])
            let pages = try [source.filingPage(1, text: layer), source.filingPage(2, text: layer)]
            for page in pages {
                guard case .vector = page.content else {
                    Issue.record("expected a vector page")
                    continue
                }
                #expect(page.words.isEmpty)
            }
            try FilingPDFWriter.write(pages, info: Self.info, to: "\(dir)/filed.pdf")
            #expect(try PDFToolProbe.text("\(dir)/filed.pdf") == (try PDFToolProbe.text(original)))
            #expect(try PDFToolProbe.words("\(dir)/filed.pdf").map { $0.map(\.text) } == (try PDFToolProbe.words(original)).map { $0.map(\.text) })
            // No page image: nothing was rasterised. Every font is embedded.
            #expect(try PDFToolProbe.images("\(dir)/filed.pdf").isEmpty)
            let fonts = try PDFToolProbe.fonts("\(dir)/filed.pdf")
            #expect(!fonts.isEmpty && fonts.allSatisfy(\.embedded))
            #expect(try PDFToolProbe.run("qpdf", ["--check", "\(dir)/filed.pdf"]).status == 0)
        }
    }

    @Test func thePDFDeclaresPDFA2bWithMatchingMetadataAndAnSRGBOutputIntent() throws {
        let profile = try #require(ColorProfile.sRGB, "icc-profiles-free installs /usr/share/color/icc/sRGB.icc")
        let page = try FaxFixture.page()
        let words: [(String, BoundingBox)] = [("Pathology", BoundingBox(x: 200, y: 200, width: 300, height: 40))]
        try withTemporaryDirectory { dir in
            try TIFFFixtureWriter.write([page], to: "\(dir)/fax.tif")
            let filing = try SourceFile.open(path: "\(dir)/fax.tif").filingPage(1, text: Self.text(for: page, words: words))
            try FilingPDFWriter.write([filing], info: Self.info, to: "\(dir)/filed.pdf")
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: "\(dir)/filed.pdf")))
            #expect(bytes.starts(with: Array("%PDF-1.7\n%".utf8)) && bytes[10...13].allSatisfy { $0 > 127 })

            // qpdf rewrites the file with a classic cross-reference table and plain streams, which our own small
            // reader takes apart: the objects are the same.
            #expect(try PDFToolProbe.run("qpdf", ["--qdf", "--object-streams=disable", "\(dir)/filed.pdf", "\(dir)/plain.pdf"]).status == 0)
            let table = try PDFObjectTable(Array(try Data(contentsOf: URL(fileURLWithPath: "\(dir)/plain.pdf"))))
            #expect(table.trailer["Encrypt"] == nil)
            let id = try #require(table.trailer["ID"]?.arrayValue)
            #expect(id.count == 2)
            for part in id { if case .hexString(let bytes) = part { #expect(bytes.count == 16) } else { Issue.record("ID \(part)") } }
            let catalog = try #require(try table.resolve(table.trailer["Root"])?.dictionaryValue)
            let info = try #require(try table.resolve(table.trailer["Info"])?.dictionaryValue)

            // XMP: PDF/A-2b identification, and the same title, dates and producer as the Info dictionary.
            guard case .stream(let metadataDictionary, let xmpBytes) = try table.object(try #require(catalog["Metadata"]?.referenceValue))
            else { Issue.record("no metadata stream"); return }
            #expect(metadataDictionary["Filter"] == nil)
            let xmp = String(decoding: xmpBytes, as: UTF8.self)
            #expect(xmp.contains("pdfaid:part=\"2\"") && xmp.contains("pdfaid:conformance=\"B\""))
            #expect(xmp.contains("<rdf:li xml:lang=\"x-default\">Pathology report, 2026-10-24 (doc_TEST)</rdf:li>"))
            #expect(info["Title"] == .string(Array("Pathology report, 2026-10-24 (doc_TEST)".utf8)))
            #expect(info["CreationDate"] == .string(Array("D:20261118110640+00'00'".utf8)))
            #expect(xmp.contains("xmp:CreateDate=\"2026-11-18T11:06:40+00:00\"") && xmp.contains("xmp:ModifyDate=\"2026-11-18T11:06:40+00:00\""))
            #expect(info["ModDate"] == info["CreationDate"])
            #expect(xmp.contains("pdf:Producer=\"Fileroom\"") && info["Producer"] == .string(Array("Fileroom".utf8)))
            #expect(xmp.contains("xmp:CreatorTool=\"Fileroom\"") && info["Creator"] == .string(Array("Fileroom".utf8)))
            #expect(xmp.hasPrefix("<?xpacket begin=\"\u{FEFF}\"") && xmp.hasSuffix("<?xpacket end=\"w\"?>"))

            // The output intent carries the sRGB profile itself.
            let intents = try #require(catalog["OutputIntents"]?.arrayValue)
            let intent = try #require(intents.first?.dictionaryValue)
            #expect(intent["S"] == .name("GTS_PDFA1"))
            guard case .stream(let iccDictionary, let iccData) = try table.object(try #require(intent["DestOutputProfile"]?.referenceValue))
            else { Issue.record("no ICC stream"); return }
            #expect(iccDictionary["N"] == .int(3))
            #expect(iccData == profile)

            // Every font embedded, the text layer's too, and its widths those of the font program.
            let fonts = try PDFToolProbe.fonts("\(dir)/filed.pdf")
            #expect(fonts.map(\.name) == ["GlyphLessFont"] && fonts.allSatisfy(\.embedded))
            #expect(!String(decoding: bytes, as: UTF8.self).contains("/Group"))
            #expect(try PDFToolProbe.run("qpdf", ["--check", "\(dir)/filed.pdf"]).status == 0)
        }
    }

    @Test func theGlyphlessFontIsAValidTrueTypeWhoseWidthsMatchTheFontDictionary() {
        let font = GlyphlessFont.program
        func u16(_ at: Int) -> Int { Int(font[at]) << 8 | Int(font[at + 1]) }
        func u32(_ at: Int) -> UInt32 { UInt32(u16(at)) << 16 | UInt32(u16(at + 2)) }
        var tables: [String: (offset: Int, length: Int)] = [:]
        for index in 0..<u16(4) {
            let entry = 12 + 16 * index
            let tag = String(decoding: font[entry..<entry + 4], as: UTF8.self)
            let (offset, length) = (Int(u32(entry + 8)), Int(u32(entry + 12)))
            tables[tag] = (offset, length)
            // Each table's checksum is right (head's is taken with checkSumAdjustment zeroed).
            var data = Array(font[offset..<offset + length])
            if tag == "head" { data.replaceSubrange(8..<12, with: [0, 0, 0, 0]) }
            #expect(GlyphlessFont.checksum(data) == u32(entry + 4), "\(tag)")
        }
        #expect(Set(tables.keys) == ["OS/2", "cmap", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "name", "post"])
        #expect(GlyphlessFont.checksum(font) == 0xB1B0_AFBA)
        let head = tables["head"]!.offset, hmtx = tables["hmtx"]!.offset, maxp = tables["maxp"]!.offset
        #expect(u16(head + 18) == 1000)  // unitsPerEm
        #expect(u16(maxp + 4) == 2)  // numGlyphs
        #expect(u16(hmtx) == 500 && u16(hmtx + 4) == 500)  // both advances: /DW 500 on a 1000-unit em
        #expect(u16(tables["OS/2"]!.offset + 8) == 0)  // fsType: embedding allowed
    }

    @Test func aPDFTheImporterCannotReadIsRefusedNotGuessedAt() {
        #expect(throws: PDFImportError.self) { try VectorPage(cairoPDF: Array("%PDF-1.5\nnot really".utf8)) }
        #expect(throws: PDFImportError.self) { try VectorPage(cairoPDF: Array("%PDF-1.5\n1 0 obj << /Length 99 >>\nstream\nxx\nendstream\nendobj\nxref\n0 2\n0000000000 65535 f \n0000000009 00000 n \ntrailer << /Root 1 0 R /Size 2 >>\nstartxref\n60\n%%EOF\n".utf8)) }
        var deep = Array("%PDF-1.5\n".utf8)
        deep += Array(repeating: UInt8(ascii: "["), count: 500)
        var lexer = PDFLexer(bytes: deep, position: 9)
        #expect(throws: PDFImportError.self) { try lexer.value() }
    }

    @Test func wordsOutsideTheFontsBlocksBecomeQuestionMarksOneGlyphEach() {
        #expect(InvisibleTextLayer.utf16Codes("Peña µg ≤5") == [0, 0x50, 0, 0x65, 0, 0xF1, 0, 0x61, 0, 0x20, 0, 0xB5, 0, 0x67, 0, 0x20, 0x22, 0x64, 0, 0x35])
        #expect(InvisibleTextLayer.utf16Codes("漢😀") == [0, 0x3F, 0, 0x3F])
    }
}
