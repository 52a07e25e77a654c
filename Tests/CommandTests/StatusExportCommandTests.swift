import FileroomModel
import Foundation
import TestSupport
import Testing

@Suite("status and export over a store the daemon filled")
struct StatusExportCommandTests {
    @Test func statusCountsAndListsWhatWasFiledByCase() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await ReviewInstallation.scene(home: home)
            let run = try installation.fileroom(["status", "--by-case"])
            #expect(run.status == 0)
            #expect(run.lines.contains { $0.hasPrefix("sources ") && $0.contains("filed=1") && $0.contains("review=1") })
            #expect(run.lines.contains { $0.hasPrefix("open items ") && $0.contains("radiology=1") })
            // Omar's report is the one filed: his case, its type and queue, its document id.
            let caseLine = try #require(run.lines.firstIndex(of: "SO-T-002"))
            let document = run.lines[caseLine + 1]
            #expect(document.contains("radiology_report") && document.contains("radiology") && document.contains("doc_"))
            #expect(!run.stdout.contains("Optional("))
            #expect(run.lines.allSatisfy { $0.count <= 80 })

            let json = try installation.fileroom(["status", "--json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            #expect((object["queues"] as? [String: Int])?["review"] == 2)
        }
    }

    @Test func exportPrintsOneObjectInTheMeasuredShape() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await ReviewInstallation.scene(home: home)
            let run = try installation.fileroom(["export", "--json"])
            #expect(run.status == 0)
            let report = try JSONDecoder().decode(ExportReport.self, from: Data(run.stdout.utf8))
            #expect(report.sources.count == 3)
            let omar = try #require(report.sources.first { $0.file == "fax_omar.pdf" })
            #expect(omar.status == "processed")
            #expect(omar.documents.first?.caseID == "SO-T-002")
            #expect(omar.documents.first?.queue == "radiology")
            #expect(omar.documents.first?.fields.dob == "1958-11-30")
            // Every key of the contract is present, unknown values as null.
            let raw = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            let first = try #require((raw["sources"] as? [[String: Any]])?.first)
            #expect(Set(first.keys).isSuperset(of: ["file", "sha256", "status", "error", "pages", "declared_pages", "documents"]))
        }
    }
}
