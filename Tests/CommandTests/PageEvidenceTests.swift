import FileroomCommands
import FileroomModel
import Foundation
import Pages
import Store
import TestSupport
import Testing

@Suite("the page beside the decision: text with the fields marked, crops drawn with chafa")
struct PageEvidenceTests {
    @Test func reviewShowMarksTheFieldsInThePageTextAndDrawsWhereTheyWereRead() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await ReviewInstallation.scene(home: home)
            let items = try await SceneItems(installation)
            let show = try installation.fileroom(["review", "show", items.radiology.id])
            #expect(show.status == 0, "\(show.stderr)")
            let out = show.stdout
            // Not a terminal: brackets for the fields, symbols without escape sequences for the crops.
            #expect(!out.contains("\u{1B}"))
            #expect(out.contains("Text (fields read in [brackets])\nPage 3 as read\n"), "\(out)")
            #expect(out.contains("[Jane] [Whitcombe]"), "\(out)")
            #expect(out.contains("[03/04/1971]"), "\(out)")
            #expect(out.contains("[E7712399]"), "\(out)")
            let lines = out.components(separatedBy: "\n")
            let where_ = try #require(lines.firstIndex(of: "Where the fields were read"), "\(out)")
            let dob = try #require(lines[where_...].firstIndex(of: "DOB (page 3):"), "\(out)")
            // The crop: rows of block symbols with ink in them, 80 columns at most.
            let picture = lines[(dob + 1)...].prefix { $0.hasPrefix("  ") }
            #expect(!picture.isEmpty)
            #expect(picture.allSatisfy { $0.count <= 80 })
            #expect(picture.contains { $0.contains(where: { $0 != " " }) })
            // Every line fits 80 columns but the PDF's path, printed whole so it can be copied.
            let pdf = try #require(lines.firstIndex(of: "PDF"))
            #expect(lines.enumerated().allSatisfy { $0.offset == pdf + 1 || $0.element.count <= 80 })
            if let dump = ProcessInfo.processInfo.environment["FILEROOM_TEST_DUMP"] { try out.write(toFile: dump, atomically: true, encoding: .utf8) }
        }
    }

    @Test func aFieldIsFoundByItsDigitsOrLettersWhateverThePrintedForm() {
        let words = ["DOB:", "3/4/1961", "MRN:", "E77-12345", "Name:", "WHITCOMBE,", "JANE"]
        let line = TextLine(words: words.enumerated().map { index, text in
            RecognizedWord(text: text, box: BoundingBox(x: index * 100, y: 10, width: 90, height: 20), confidence: 0.9)
        })
        let page = PageText(number: 1, source: .ocr, width: 800, height: 100, dpiX: 200, dpiY: 200, confidence: 0.9, lines: [line])
        let fields = DocumentFields(
            patientLast: Extracted("Whitcombe", confidence: 0.9, page: 1),
            dateOfBirth: Extracted(CalendarDate(iso: "1961-03-04")!, confidence: 0.9, page: 1),
            mrn: Extracted("E7712345", confidence: 0.9, page: 1)
        )
        let found = Dictionary(uniqueKeysWithValues: PageEvidence.sightings(fields, pages: [page]).map { ($0.label, $0.words.map(\.word)) })
        #expect(found == ["Last name": [5], "DOB": [1], "MRN": [3]])
        let marked = PageEvidence.markedText(pages: [page], sightings: PageEvidence.sightings(fields, pages: [page]), marking: .brackets)
        #expect(marked == ["Page 1 as read (OCR)", "  DOB: [3/4/1961] MRN: [E77-12345] Name: [WHITCOMBE,] JANE"])
    }

    @Test func chafaDrawsAnInkedCropAsPlainSymbols() {
        var image = PageImage(width: 120, height: 40, dpiX: 200, dpiY: 200)
        for y in 10..<30 { for x in 20..<100 { image.pixels[y * 120 + x] = 0 } }
        let lines = TerminalPicture.lines(image, columns: 30, rows: 4, style: .symbols)
        #expect(!lines.isEmpty && lines.count <= 4)
        #expect(lines.allSatisfy { !$0.contains("\u{1B}") && $0.count <= 30 })
        #expect(lines.joined().contains { $0 != " " })
    }
}
