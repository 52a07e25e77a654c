import FileroomModel
import Foundation
import Settings
import Store
import TestSupport
import Testing

@Suite("a fax that arrived short files nothing on its own but documents complete in themselves")
struct IncompleteFaxFilingTests {
    /// Omar's report with its own footer: one page of one, so it arrived whole whatever the fax lost.
    static func wholeRadiologyPage(_ patient: TestPatient) -> TextPDFPage {
        var page = MedicalFaxFixtures.radiologyPage(patient)
        page.lines.append(FixtureLine("Page 1 of 1", x: 280, y: 740, size: 9))
        return page
    }

    @Test func theDaemonSendsTheUnprovenDocumentsToReviewWithTheResendReason() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await ReviewInstallation.make(home: home)
            // The cover declares 6 pages; 3 arrived. Jane's report has no footer of its own, Omar's says "1 of 1".
            try installation.drop(
                [MedicalFaxFixtures.coverPage(ReviewInstallation.jane, pages: 6),
                 MedicalFaxFixtures.pathologyPage(ReviewInstallation.jane), Self.wholeRadiologyPage(ReviewInstallation.omar)],
                as: "fax_short.pdf"
            )
            try Data(#"{"sender_fax": "(608) 555-0141"}"#.utf8).write(
                to: URL(fileURLWithPath: "\(installation.settings.spool)/fax_short.pdf.meta.json")
            )
            try await installation.runOnce()
            let source = try #require(try await installation.sourcesByName()["fax_short.pdf"])
            #expect(source.pageCount == 3)
            #expect(source.declaredPages == 6)
            let documents = try await installation.store.documents(of: source.id)
            let pathology = try #require(documents.first { $0.type == .pathologyReport })
            let radiology = try #require(documents.first { $0.type == .radiologyReport })
            // Jane's report matched her case on name and DOB: only the missing pages keep it from being filed.
            #expect(pathology.status == .review)
            #expect(pathology.decision?.status == .filed)
            #expect(pathology.caseID?.rawValue == "SO-T-001")
            #expect(radiology.status == .filed)
            #expect(radiology.caseID?.rawValue == "SO-T-002")
            #expect(documents.first { $0.type == .coverSheet }?.status == .review)

            let item = try #require(try await installation.openItems(.review).first { $0.documentID == pathology.id })
            let show = try installation.fileroom(["review", "show", item.id])
            let words = show.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            #expect(
                words.contains("- the fax is incomplete: 3 of 6 pages received, request a resend from 6085550141"),
                "\(show.stdout)"
            )
        }
    }
}
