import FileroomModel
import Foundation
import Handoff
@testable import Intake
import Pages
import Review
import Settings
import Store
import TestSupport
import Testing

/// A faxed report through the real pipeline (OCR included): the filed PDF is named for what it is, keeps the fax's
/// own G4 image, carries the OCR words where the image shows them, and the EHR's outbox announces it.
@Suite(.enabled(if: PDFToolProbe.has("pdftotext") && PDFToolProbe.has("pdfimages"), "needs poppler-utils (scripts/install-deps.sh)"))
struct SearchableFilingTests {
    static let reportLines = [
        "NORTHFIELD PATHOLOGY ASSOCIATES",
        "1200 Lake Street, Madison, WI 53703   Fax: (608) 555-0141",
        "",
        "SURGICAL PATHOLOGY REPORT",
        "",
        "Patient Name: WHITCOMBE, JANE A",
        "DOB: 03/04/1961          Sex: F          MRN: E7712345",
        "Accession #: S26-04417          Collected: 10/22/2026",
        "",
        "DIAGNOSIS: Invasive ductal carcinoma, Nottingham grade 2",
        "Immunohistochemistry: ER positive, PR positive, HER2 negative.",
        "",
        "Electronically signed: Alan Prescott, MD, Pathologist  10/24/2026",
    ]

    @Test func anOCRdFaxIsFiledSearchableNamedForWhatItIsAndHandedOff() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await TestInstallation.make(home: home)
            let settings = installation.settings
            let page = try FaxFixture.page(Self.reportLines, header: FaxFixture.headerLine(page: 1, of: 1))
            let fax = "\(settings.spool)/fax_0001.tif"
            try TIFFFixtureWriter.write([page], to: fax)
            let faxBytes = try FileManager.default.attributesOfItem(atPath: fax)[.size] as? Int ?? 0
            try await installation.runOnce()

            let source = try #require(try await installation.sourcesByName()["fax_0001.tif"])
            let document = try #require(try await installation.store.documents(of: source.id).first)
            #expect(document.status == .filed && document.caseID?.rawValue == "SO-T-001")
            let path = try #require(document.filedPath)

            // filed/<case>/<queue>/<service date>_<type>_<short id>.pdf, sidecar beside it, no patient in any name.
            #expect(path == "\(settings.filed)/SO-T-001/pathology/2026-10-22_pathology_report_\(document.id.suffix(8)).pdf")
            #expect(FileManager.default.fileExists(atPath: String(path.dropLast(4)) + ".json"))
            for name in TestInstallation.files(under: home) {
                for phi in ["Whitcombe", "WHITCOMBE", "Jane", "1961", "E7712345"] { #expect(!name.contains(phi), "\(name)") }
            }

            // The fax's own image: 1-bit CCITT at 204 x 196 dpi, not a resampled grey copy.
            let images = try PDFToolProbe.images(path)
            #expect(images.map { "\($0.encoding) \($0.bpc) \($0.width)x\($0.height) \($0.xPPI)x\($0.yPPI)" } == ["ccitt 1 1728x2200 204x196"])
            // The image costs what the fax did; the rest (text layer, ICC profile, font, XMP) is a few kilobytes a
            // file. (This clean synthetic page compresses to 8 KB; received fax pages are 15-30 KB, where the whole
            // file stays near 1.3x: see the closing note of issue 16.)
            let pdfBytes = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
            let imageBytes = images.first?.bytes ?? 0
            #expect(Double(imageBytes) <= 1.05 * Double(faxBytes), "a \(imageBytes)-byte image for a \(faxBytes)-byte fax")
            #expect(pdfBytes - imageBytes <= 7 * 1024, "\(pdfBytes - imageBytes) bytes besides the image")

            // The text layer holds the patient's name and the report's words, each where OCR saw it on the image.
            let extracted = try #require(try PDFToolProbe.words(path).first)
            let texts = Set(extracted.map(\.text))
            for word in ["WHITCOMBE,", "JANE", "carcinoma,", "Nottingham", "Immunohistochemistry:"] {
                #expect(texts.contains(word), "\(word) not in the text layer")
            }
            let ocr = try #require(try await installation.store.pages(of: source.id).first)
            let (sx, sy) = (72 / ocr.dpiX, 72 / ocr.dpiY)
            var checked = 0
            for word in ocr.words where word.confidence >= 0.6 && word.text.count >= 3 {
                let box = word.box
                let found = extracted.contains { candidate in
                    candidate.text == word.text
                        && candidate.centerX > Double(box.x) * sx - 1 && candidate.centerX < Double(box.maxX) * sx + 1
                        && candidate.centerY > Double(box.y) * sy - 2 && candidate.centerY < Double(box.maxY) * sy + 2
                }
                #expect(found, "\(word.text) is not over its OCR box")
                checked += 1
            }
            #expect(checked >= 30)

            // The outbox announces it to the EHR: a current DocumentReference whose hash is the PDF's.
            let outbox = HandoffOutbox(settings: settings)
            let referencePath = "\(settings.outbox)/fhir/\(document.id).json"
            let reference = try DocumentReference.decode(Array(try Data(contentsOf: URL(fileURLWithPath: referencePath))))
            let pdf = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            #expect(reference.status == .current)
            #expect(reference.content.first?.attachment.hash == Data(SHA1.digest(pdf)).base64EncodedString())
            #expect(reference.content.first?.attachment.size == pdf.count)
            #expect(reference.content.first?.attachment.url == outbox.url(of: path))
            #expect(reference.subject?.identifier?.value == "10000001")
            #expect(reference.type.coding?.first?.code == "11526-1")
            // A repeat of the filing changes nothing: same PDF bytes, same announcement.
            let before = try Data(contentsOf: URL(fileURLWithPath: referencePath))
            try await outbox.publish(document, source: source, pdfPath: path, store: installation.store)
            #expect(try Data(contentsOf: URL(fileURLWithPath: referencePath)) == before)
        }
    }

    @Test func refilingAndUnfilingRewriteTheAnnouncementAndTheHL7Message() async throws {
        try await withTemporaryDirectory { home in
            var settings = FileroomSettings(home: home, homeOrigin: .flag)
            settings.handoff.hl7 = true
            settings.center.mrnSystem = "urn:oid:2.16.840.1.113883.3.9999.1"
            let installation = try await TestInstallation.make(home: home)
            try installation.drop([MedicalFaxFixtures.pathologyPage(TestInstallation.jane)], as: "fax_jane.pdf")
            try await installation.runOnce()
            let source = try #require(try await installation.sourcesByName()["fax_jane.pdf"])
            var document = try #require(try await installation.store.documents(of: source.id).first)
            let path = try #require(document.filedPath)
            let outbox = HandoffOutbox(settings: settings)
            let referencePath = "\(settings.outbox)/fhir/\(document.id).json"
            let messagePath = "\(settings.outbox)/hl7/\(document.id).hl7"
            func reference() throws -> DocumentReference {
                try DocumentReference.decode(Array(try Data(contentsOf: URL(fileURLWithPath: referencePath))))
            }
            func message() throws -> String { try String(contentsOfFile: messagePath, encoding: .utf8) }
            // The daemon's installation wrote FHIR only; with HL7 on, the first announcement is a T02.
            try FileManager.default.removeItem(atPath: referencePath)
            try await outbox.publish(document, source: source, pdfPath: path, store: installation.store)
            #expect(try reference().subject?.identifier?.system == "urn:oid:2.16.840.1.113883.3.9999.1")
            #expect(try message().contains("|MDM^T02^MDM_T02|"))

            // Refiled to another case: the announcement names the new patient; the message is a replacement (T10).
            document.caseID = CaseID(rawValue: "SO-T-002")
            try await outbox.publish(document, source: source, pdfPath: path, store: installation.store)
            #expect(try reference().status == .current)
            #expect(try reference().subject?.identifier?.value == "10000002")
            #expect(try message().contains("|MDM^T10^MDM_T02|"))
            #expect(try message().contains("PID|1||10000002^^^&2.16.840.1.113883.3.9999.1&ISO^MR||Fairbanks^Omar||19581130|M"))

            // Unfiled (back to review): entered-in-error, and a cancel (T11) naming the patient it was filed to.
            document.status = .review
            try await outbox.publish(document, source: source, pdfPath: nil, store: installation.store)
            #expect(try reference().status == .enteredInError)
            #expect(try message().contains("|MDM^T11^MDM_T01|") && (try message()).contains("10000002^^^"))
            // A repeat of the unfiling writes nothing new.
            let withdrawn = try Data(contentsOf: URL(fileURLWithPath: referencePath))
            try await outbox.publish(document, source: source, pdfPath: nil, store: installation.store)
            #expect(try Data(contentsOf: URL(fileURLWithPath: referencePath)) == withdrawn)

            // A document that was never filed is never announced.
            var other = document
            other.id = "doc_NEVERFILED00000000000000"
            try await outbox.publish(other, source: source, pdfPath: nil, store: installation.store)
            #expect(!FileManager.default.fileExists(atPath: "\(settings.outbox)/fhir/\(other.id).json"))
        }
    }

    @Test func staffFilingAReviewItemAnnouncesIt() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await TestInstallation.make(home: home)
            // Same name, no date of birth on the page: review, never filed by the daemon.
            var unsure = TestInstallation.jane
            unsure.dob = ""
            try installation.drop([MedicalFaxFixtures.radiologyPage(unsure)], as: "fax_unsure.pdf")
            try await installation.runOnce()
            let source = try #require(try await installation.sourcesByName()["fax_unsure.pdf"])
            let document = try #require(try await installation.store.documents(of: source.id).first)
            #expect(document.status == .review)
            #expect(!FileManager.default.fileExists(atPath: "\(installation.settings.outbox)/fhir/\(document.id).json"))
            let item = try #require(try await installation.store.openQueueItems(.review).first { $0.documentID == document.id })
            let desk = ReviewDesk(settings: installation.settings, store: installation.store, logger: installation.log.logger())
            let outcome = try await desk.assign(item.id, to: CaseID(rawValue: "SO-T-001")!, by: "ann", reason: "checked the DOB by phone", confirmed: true)
            let reference = try DocumentReference.decode(Array(try Data(contentsOf: URL(
                fileURLWithPath: "\(installation.settings.outbox)/fhir/\(document.id).json"))))
            #expect(reference.status == .current)
            let pdf = Array(try Data(contentsOf: URL(fileURLWithPath: try #require(outcome.pdfPath))))
            #expect(reference.content.first?.attachment.hash == Data(SHA1.digest(pdf)).base64EncodedString())
            #expect(reference.type.coding?.first?.code == "18748-4")
        }
    }
}
