import FileroomModel
import Foundation
import Settings
import Store
import TestSupport
import Testing

@Suite("a fax about several patients is never one case's without a person's confirmation")
struct SeveralPatientsCommandTests {
    /// A cover sheet for a batch of records: "Re: Multiple patients".
    static let batchCover = TextPDFPage(
        lines: MedicalFaxFixtures.letterhead("NORTHFIELD PATHOLOGY ASSOCIATES", fax: "(608) 555-0141") + FixtureLine.column([
            "FAX COVER SHEET",
            "",
            "To: Second Opinion Program          Fax: (608) 555-0101",
            "From: Rita Holm, Medical Records          Fax: (608) 555-0141",
            "Date: 11/20/2026",
            "Re: Multiple patients, records enclosed",
            "Number of pages (including cover): 2",
        ], top: 130)
    )

    @Test func theCoverWaitsWithNoProposalAndAnAcceptNeedsConfirmation() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await ReviewInstallation.make(home: home)
            try installation.drop(
                [Self.batchCover, MedicalFaxFixtures.pathologyPage(ReviewInstallation.jane)], as: "fax_batch.pdf"
            )
            try await installation.runOnce()
            let source = try #require(try await installation.sourcesByName()["fax_batch.pdf"])
            let documents = try await installation.store.documents(of: source.id)
            let cover = try #require(documents.first { $0.type == .coverSheet })
            #expect(cover.status == .review)
            #expect(cover.caseID == nil)
            #expect((cover.decision?.candidates ?? []).allSatisfy { $0.probability <= 0.5 })
            // Jane's own report still files: the rule is about the cover, not the fax.
            #expect(documents.first { $0.type == .pathologyReport }?.status == .filed)

            let item = try #require(try await installation.openItems(.review).first { $0.documentID == cover.id })
            let before = try await StateSnapshot(installation)
            let refused = try installation.fileroom(["review", "assign", item.id, "SO-T-001"])
            #expect(refused.status == 1)
            #expect(refused.stderr.hasPrefix("fileroom: filing to SO-T-001 needs confirmation: "), "\(refused.stderr)")
            #expect(refused.stderr.contains("the document names several patients") || refused.stderr.contains("not among the candidates"))
            #expect(try await StateSnapshot(installation) == before)

            let accepted = try installation.fileroom(["review", "assign", item.id, "SO-T-001", "--confirm"])
            #expect(accepted.status == 0, "\(accepted.stderr)")
            #expect(try await installation.store.document(cover.id)?.caseID?.rawValue == "SO-T-001")
        }
    }
}
