import Foundation
import TestSupport
import Testing

/// Every command the README documents, run as the built binary on the committed samples, with the output and
/// exit status CONTRACTS.md gives. Text-layer PDFs only (no OCR), so the whole walk takes seconds.
///
/// Some faults show only in release builds (issue 11: `extract FILE` printed nothing there): run this suite
/// against one with `FILEROOM_BIN=$(swift build -c release --show-bin-path)/fileroom swift test --filter ReadmeCommands`.
@Suite("README commands on the built binary", .serialized)
struct ReadmeCommandsTests {
    typealias Run = ReviewInstallation.Run

    /// The repository's `samples/` folder (Tests/CommandTests/<this file> -> package root).
    static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("samples").path
    /// The text-layer lab report for Teodoro Vance, whose case SO-2026-00104 is open.
    static var labFax: String { "\(samples)/fax_20261121_1105_0004.pdf" }
    static var casesCSV: String { "\(samples)/cases.csv" }

    /// Margaret Quillby's name with a birth date of neither of her cases: a person decides (review).
    static let unsure = TestPatient(last: "Quillby", first: "Margaret", dob: "03/04/1971", mrn: "KM4410072")
    /// Nobody the center knows: unmatched.
    static let stranger = TestPatient.stranger

    static func run(_ arguments: [String], home: String? = nil, input: String = "") throws -> Run {
        try ReviewInstallation.runBinary(arguments + (home.map { ["--home", $0] } ?? []), input: input)
    }

    static func jsonObject(_ text: some StringProtocol) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// Output for staff names patients; the daemon's and ingest's output never does.
    static func expectNoPHI(_ run: Run, _ command: String) {
        for word in ["Vance", "Teodoro", "1955", "SC-5520318", "Quillby", "Quillfeather", ".pdf"] {
            #expect(!run.stdout.contains(word) && !run.stderr.contains(word), "\(command) printed \(word)")
        }
    }

    @Test func pagesAndExtractReadAFileWithoutAnInstallation() throws {
        // A home that does not exist: the machine's own installation (/var/lib/fileroom, kept after a purge) must not
        // lend extract its case list.
        let nowhere = FileManager.default.temporaryDirectory.appendingPathComponent("fileroom-none-\(UUID().uuidString)").path
        func run(_ arguments: [String], input: String = "") throws -> ReviewInstallation.Run {
            try Self.run(arguments, home: nowhere, input: input)
        }
        let pages = try run(["pages", Self.labFax])
        #expect(pages.status == 0)
        #expect(pages.lines.first?.hasSuffix("ok, 1 page") == true)
        #expect(pages.stdout.contains("text-layer"))

        let pagesJSON = try run(["pages", "--json", Self.labFax])
        #expect(pagesJSON.status == 0 && pagesJSON.lines.count == 1)
        let pageLine = try Self.jsonObject(pagesJSON.lines[0])
        #expect(pageLine["status"] as? String == "ok")
        #expect((pageLine["pages"] as? [[String: Any]])?.count == 1)

        // Issue 11 item 6: `extract FILE` printed nothing and exited 0 (release builds).
        let extract = try run(["extract", "--today", "2026-11-27", Self.labFax])
        #expect(extract.status == 0)
        #expect(extract.lines.first == "fax_20261121_1105_0004.pdf: 1 page(s)")
        #expect(extract.lines.contains { $0.contains("p1 lab_report") })
        #expect(extract.lines.contains("    patient_last: Vance (100%)"))
        #expect(extract.lines.contains("    dob: 1955-06-22 (100%)"))

        let extractJSON = try run(["extract", "--json", "--today", "2026-11-27", Self.labFax, Self.labFax])
        #expect(extractJSON.status == 0)
        #expect(extractJSON.lines.count == 2, "one line per file, in argument order")
        let source = try Self.jsonObject(try #require(extractJSON.lines.first))
        #expect(source["file"] as? String == "fax_20261121_1105_0004.pdf")
        #expect(source["status"] as? String == "processed")
        let document = try #require((source["documents"] as? [[String: Any]])?.first)
        #expect(document["type"] as? String == "lab_report")
        #expect(document["queue"] as? String == "records")
        let fields = try #require(document["fields"] as? [String: Any])
        #expect(fields["patient_last"] as? String == "Vance")
        #expect(fields["patient_first"] as? String == "Teodoro")
        #expect(fields["mrn"] as? String == "SC-5520318")

        // The page-text form reads what `pages --json --words` printed and gives the same documents.
        let words = try run(["pages", "--json", "--words", Self.labFax])
        let fromText = try run(["extract", "--json", "--today", "2026-11-27", "--page-text", "-"], input: words.stdout)
        #expect(fromText.status == 0)
        #expect(fromText.lines.first == extractJSON.lines.first)

        // `match` reads an extract line and decides against a CSV case list.
        let match = try run(["match", "--json", "--cases", Self.casesCSV], input: extractJSON.lines[0] + "\n")
        #expect(match.status == 0 && match.lines.count == 1)
        let decision = try Self.jsonObject(match.lines[0])
        #expect(decision["case_id"] as? String == "SO-2026-00104")
        #expect(decision["status"] as? String == "filed")
        #expect(decision["file"] as? String == "fax_20261121_1105_0004.pdf")
        #expect(decision["document"] as? Int == 0)
        #expect(!FileManager.default.fileExists(atPath: nowhere), "pages, extract and match create no home")
    }

    @Test func aRejectedFileIsExitOneAndUsageErrorsAre64() throws {
        try withTemporaryDirectory { folder in
            let empty = "\(folder)/empty.pdf"
            try BadFileFixtures.writeEmpty(to: empty)
            let extract = try Self.run(["extract", "--json", empty])
            #expect(extract.status == 1)
            let line = try Self.jsonObject(try #require(extract.lines.first))
            #expect(line["status"] as? String == "rejected")
            #expect((line["error"] as? String)?.isEmpty == false)
            #expect(try Self.run(["pages", empty]).status == 1)
        }
        #expect(try Self.run(["extract"]).status == 64)
        #expect(try Self.run(["pages", "--jobs", "0", Self.labFax]).status == 64)
        #expect(try Self.run(["no-such-command"]).status == 64)
    }

    @Test func anInstallationFromCasesImportToAuditVerify() throws {
        try withTemporaryDirectory { home in
            let imported = try Self.run(["cases", "import", Self.casesCSV], home: home)
            #expect(imported.status == 0)
            #expect(imported.stdout.contains("7 case(s)"))
            let again = try Self.run(["cases", "import", "--json", Self.casesCSV], home: home)
            #expect(again.status == 0)
            #expect(try Self.jsonObject(again.stdout)["unchanged"] as? Int == 7, "importing twice changes nothing")

            let list = try Self.run(["cases", "list", "--json", "--status", "open"], home: home)
            #expect(list.status == 0)
            let open = try list.lines.map { try Self.jsonObject($0) }
            #expect(open.count == 5)
            #expect(open.allSatisfy { $0["status"] as? String == "open" })
            #expect(open.contains { $0["case_id"] as? String == "SO-2026-00104" && $0["dob"] as? String == "1955-06-22" })

            // Two faxes in the spool: Vance's lab report (filed) and a Quillby report whose DOB fits no case (review).
            let spool = "\(home)/spool"
            try FileManager.default.copyItem(atPath: Self.labFax, toPath: "\(spool)/fax_20261121_1105_0004.pdf")
            try MedicalFaxFixtures.write([MedicalFaxFixtures.radiologyPage(Self.unsure)], to: "\(spool)/fax_unsure.pdf")
            let daemon = try Self.run(["daemon", "--once"], home: home)
            #expect(daemon.status == 0)
            #expect(daemon.stdout.contains("summary: filed=1 review=1 unmatched=0 rejected=0 duplicate=0"))
            Self.expectNoPHI(daemon, "daemon --once")
            // The node_exporter textfile, written at the end of --once: what was read and how it ended.
            let metrics = try String(contentsOfFile: "\(home)/metrics/fileroom.prom", encoding: .utf8)
            #expect(metrics.contains("# TYPE fileroom_pages_read_total counter"))
            #expect(metrics.split(separator: "\n").contains { $0.hasPrefix("fileroom_documents_total{") && $0.contains("outcome=\"filed\"") })
            #expect(!metrics.contains("SO-2026"), "no case ids or patient data in metric labels")

            let status = try Self.run(["status", "--json"], home: home)
            #expect(status.status == 0)
            let counts = try Self.jsonObject(status.stdout)
            #expect((counts["daemon"] as? [String: Any])?["running"] as? Bool == false)
            #expect((counts["queues"] as? [String: Int])?["records"] == 1)
            #expect((counts["queues"] as? [String: Int])?["review"] == 1)
            let statusText = try Self.run(["status", "--by-case"], home: home)
            #expect(statusText.status == 0 && statusText.lines.contains("SO-2026-00104"))

            let export = try Self.run(["export", "--json"], home: home)
            #expect(export.status == 0)
            let sources = try #require(try Self.jsonObject(export.stdout)["sources"] as? [[String: Any]])
            #expect(sources.count == 2)
            let lab = try #require(sources.first { $0["file"] as? String == "fax_20261121_1105_0004.pdf" })
            #expect((lab["source_id"] as? String)?.isEmpty == false)
            let filed = try #require((lab["documents"] as? [[String: Any]])?.first)
            #expect(filed["case_id"] as? String == "SO-2026-00104")
            #expect(filed["status"] as? String == "filed")
            #expect((filed["document_id"] as? String)?.isEmpty == false)

            let truth = "\(home)/truth.json"
            try Data(Self.truth.utf8).write(to: URL(fileURLWithPath: truth))
            let evaluate = try Self.run(["evaluate", "--truth", truth], home: home)
            #expect(evaluate.status == 0)
            let summary = try #require(evaluate.lines.last)
            #expect(summary.hasPrefix("wrong_filed=0 "))
            #expect(summary.contains("accounted=2/2"))
            let scored = try Self.run(["evaluate", "--json", "--truth", truth], home: home)
            #expect(try Self.jsonObject(scored.stdout)["wrong_filed"] as? Int == 0)

            let cases = try Self.run(["cases", "show", "SO-2026-00104"], home: home)
            #expect(cases.status == 0)
            #expect(cases.stdout.contains("Vance, Teodoro"))
            #expect(cases.stdout.contains("lab_report"))
            #expect(try Self.run(["cases", "show", "SO-NO-SUCH"], home: home).status != 0)

            let review = try Self.run(["review", "list", "--json"], home: home)
            #expect(review.status == 0 && review.lines.count == 1)
            let item = try Self.jsonObject(review.lines[0])
            let itemID = try #require(item["id"] as? String)
            #expect(item["type"] as? String == "radiology_report")
            #expect(item["pages"] as? [Int] == [1, 1])
            #expect(item.keys.contains("candidates") && item.keys.contains("source_id") && item.keys.contains("case_id"))
            let show = try Self.run(["review", "show", itemID], home: home)
            #expect(show.status == 0)
            #expect(show.stdout.contains("Quillby"))
            #expect(try Self.jsonObject(try Self.run(["review", "show", "--json", itemID], home: home).stdout)["id"]
                as? String == itemID)

            let records = try Self.run(["queue", "list", "records", "--json"], home: home)
            #expect(records.status == 0 && records.lines.count == 1)
            #expect(try Self.jsonObject(records.lines[0])["case_id"] as? String == "SO-2026-00104")
            let pathology = try Self.run(["queue", "list", "pathology"], home: home)
            #expect(pathology.status == 0)

            // `ingest` re-feeds a file from anywhere; its output carries ids, never the file name.
            let outside = "\(home)/stranger_report.pdf"
            try MedicalFaxFixtures.write([MedicalFaxFixtures.pathologyPage(Self.stranger)], to: outside)
            let ingest = try Self.run(["ingest", outside], home: home)
            #expect(ingest.status == 0)
            #expect(ingest.stdout.contains("src_") && ingest.stdout.contains("unmatched"))
            Self.expectNoPHI(ingest, "ingest")
            #expect(FileManager.default.fileExists(atPath: outside), "the original stays where it is")

            let audit = try Self.run(["audit", "list", "--json"], home: home)
            #expect(audit.status == 0)
            let actions = try audit.lines.map { try Self.jsonObject($0)["action"] as? String }
            #expect(actions.first == "cases.import")
            let verify = try Self.run(["audit", "verify"], home: home)
            #expect(verify.status == 0)
            #expect(verify.stdout.contains("\(audit.lines.count) entries checked"))
        }
    }

    @Test func benchmarksExplainThemselves() throws {
        for command in [["bench", "--help"], ["bench", "pages", "--help"], ["bench", "match", "--help"],
                        ["bench", "intake", "--help"], ["help", "extract"]] {
            let run = try Self.run(command)
            #expect(run.status == 0, "\(command)")
            #expect(run.stdout.contains("USAGE:"), "\(command)")
        }
        // Running a benchmark is left to the bench commands' own tests: `bench match` also times page finding
        // over a fixed synthetic case list, tens of seconds in a debug build even with --cases 200.
    }

    /// Truth for the two spool faxes of the installation test, in the corpus format.
    static let truth = """
        {"variant": "readme-commands", "seed": 0, "center": {"name": "Lakeshore Cancer Institute", "fax": "6085550101"},
         "sources": [
          {"file": "fax_20261121_1105_0004.pdf", "format": "pdf-text", "pages": 1, "declared_pages": null,
           "expect": "processed", "documents": [{"pages": [1, 1], "type": "lab_report", "queue": "records",
            "case_id": "SO-2026-00104", "safe_outcomes": ["filed", "review"],
            "fields": {"patient_last": "Vance", "patient_first": "Teodoro", "dob": "1955-06-22", "mrn": "SC-5520318",
                       "provider_name": "Alicia Moreau", "facility": "Sugar Creek Health System",
                       "provider_fax": "9205550120", "service_date": "2026-11-19"}}]},
          {"file": "fax_unsure.pdf", "format": "pdf-text", "pages": 1, "declared_pages": null,
           "expect": "processed", "documents": [{"pages": [1, 1], "type": "radiology_report", "queue": "radiology",
            "case_id": null, "safe_outcomes": ["review", "unmatched"],
            "fields": {"patient_last": "Quillby", "patient_first": "Margaret", "dob": "1971-03-04", "mrn": "KM4410072",
                       "provider_name": "Maria Okafor", "facility": "Lakeview Imaging Center",
                       "provider_fax": "6085550151", "service_date": "2026-10-19"}}]}
         ]}
        """
}
