import FileroomCommands
import FileroomModel
import Foundation
import GRDB
import Intake
import Review
import Settings
import Pages
import Store
import TestSupport
import Testing

/// The standard scene's items (see `ReviewInstallation.scene`).
struct SceneItems {
    /// Jane's pathology report, pages 1-2, in review, proposed SO-T-001.
    var pathology: QueueItem
    /// Jane's radiology report, page 3, in review, proposed SO-T-001.
    var radiology: QueueItem
    /// The stranger's report, unmatched, no candidates.
    var stranger: QueueItem
    /// Omar's report, filed to SO-T-002, in the radiology queue.
    var omar: QueueItem

    init(_ installation: ReviewInstallation) async throws {
        let review = try await installation.openItems(.review)
        pathology = try #require(review.first { $0.type == .pathologyReport })
        radiology = try #require(review.first { $0.type == .radiologyReport })
        stranger = try #require(try await installation.openItems(.unmatched).first)
        omar = try #require(try await installation.openItems(.radiology).first)
    }
}

/// A snapshot of everything a review action may change, to prove a refused one changed nothing.
struct StateSnapshot: Equatable {
    var files: [String]
    var items: [QueueItem]
    var documents: [DocumentRecord]
    var auditCount: Int

    init(_ installation: ReviewInstallation) async throws {
        files = installation.documentFiles()
        items = try await installation.store.queueItems(kind: nil, state: nil, caseID: nil)
        var documents: [DocumentRecord] = []
        for source in try await installation.store.sources(in: Set(SourceState.allCases)).sorted(by: { $0.id < $1.id }) {
            documents += try await installation.store.documents(of: source.id)
        }
        self.documents = documents
        auditCount = try await installation.store.auditEntries(item: nil, caseID: nil).count
    }
}

func jsonLines(_ text: String) throws -> [[String: Any]] {
    try text.split(separator: "\n").map {
        try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
}

@Suite("review, queue and audit commands against a store the daemon prepared")
struct ReviewCommandTests {
    @Test func reviewListPrintsATableThatFits80ColumnsAndJSONLinesWithTheContractKeys() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await ReviewInstallation.scene(home: home)
            let items = try await SceneItems(installation)

            let table = try installation.fileroom(["review", "list"])
            #expect(table.status == 0, "\(table.stderr)")
            #expect(table.lines.first == "ITEM                          RCVD   TYPE              PAGES  CASE")
            #expect(table.lines.count == 4)
            #expect(table.lines.allSatisfy { $0.count <= 80 })
            #expect(!table.stdout.contains("\u{1B}["), "no colour when stdout is not a terminal")
            let pathologyRow = try #require(table.lines.first { $0.hasPrefix(items.pathology.id) })
            #expect(pathologyRow.contains("pathology_report  1-2    SO-T-001 100%"))

            let json = try installation.fileroom(["review", "list", "--json"])
            #expect(json.status == 0)
            let objects = try jsonLines(json.stdout)
            #expect(objects.count == 3)
            for object in objects {
                #expect(object["id"] is String)
                #expect(object["source_id"] is String)
                #expect((object["pages"] as? [Int])?.count == 2)
                #expect(object["type"] is String)
                #expect(object.keys.contains("case_id"))
                #expect(object["candidates"] is [Any])
            }
            let pathology = try #require(objects.first { $0["id"] as? String == items.pathology.id })
            #expect(pathology["pages"] as? [Int] == [1, 2])
            #expect(pathology["type"] as? String == "pathology_report")
            #expect(pathology["case_id"] as? String == "SO-T-001")
            let candidate = try #require((pathology["candidates"] as? [[String: Any]])?.first)
            #expect(candidate["case_id"] as? String == "SO-T-001")
            #expect((candidate["probability"] as? Double ?? 0) > 0.9)
            let stranger = try #require(objects.first { $0["id"] as? String == items.stranger.id })
            #expect(stranger["case_id"] is NSNull)

            let unmatchedOnly = try installation.fileroom(["review", "list", "--queue", "unmatched", "--json"])
            #expect(try jsonLines(unmatchedOnly.stdout).map { $0["id"] as? String } == [items.stranger.id])
        }
    }

    @Test func reviewShowGivesFieldsWithConfidenceCandidatesInPlainWordsAndThePDF() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await ReviewInstallation.scene(home: home)
            let items = try await SceneItems(installation)
            let show = try installation.fileroom(["review", "show", items.pathology.id])
            #expect(show.status == 0, "\(show.stderr)")
            let text = show.stdout
            #expect(text.contains("Type      pathology_report"))
            #expect(text.contains("pages 1-2 of 3"))
            #expect(text.contains("from fax 6085550141"))
            #expect(text.contains("File      fax_unsure.pdf"))
            #expect(text.contains("  Last name        Whitcombe"))
            #expect(text.contains("  DOB              1971-03-04"))
            #expect(text.contains("1. SO-T-001  100%  proposed"))
            #expect(text.contains("last name exact, first name exact, DOB one digit off"))
            #expect(text.contains("fax matches referring facility"))
            let pdf = try #require(TestFiles.document(items.pathology.documentID, in: installation.settings.review)) + ".pdf"
            #expect(pdf.hasSuffix("_pathology_report_\(items.pathology.documentID.suffix(8)).pdf"))
            #expect(text.contains("PDF\n  \(pdf)\n"))
            #expect(FileManager.default.fileExists(atPath: pdf))
            // Paths are printed whole (to be copied); everything else fits 80 columns.
            #expect(show.lines.filter { !$0.contains(home) }.allSatisfy { $0.count <= 80 })

            let json = try installation.fileroom(["review", "show", items.pathology.id, "--json"])
            let object = try #require(try jsonLines(json.stdout).first)
            #expect(object["id"] as? String == items.pathology.id)
            #expect(object["pdf_path"] as? String == pdf)
            #expect(object["file"] as? String == "fax_unsure.pdf")
            let extracted = try #require(object["extracted"] as? [[String: Any]])
            let dob = try #require(extracted.first { $0["field"] as? String == "DOB" })
            #expect(dob["value"] as? String == "1971-03-04")
            #expect(dob["confidence"] is Double)
            let candidate = try #require((object["candidates"] as? [[String: Any]])?.first)
            #expect((candidate["breakdown"] as? String)?.hasPrefix("last name exact") == true)

            let unknown = try installation.fileroom(["review", "show", "q_nope"])
            #expect(unknown.status == 1)
            #expect(unknown.stderr == "fileroom: no item q_nope\n")
        }
    }

    @Test func assignMovesTheFilesOpensTheReaderQueueAuditsAndLearnsTheFax() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await ReviewInstallation.scene(home: home)
            let items = try await SceneItems(installation)
            let before = try await installation.store.auditEntries(item: nil, caseID: nil).count

            let run = try installation.fileroom(
                ["review", "assign", items.pathology.id, "SO-T-001", "--by", "ann", "--reason", "DOB typo on the report", "--confirm"]
            )
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stderr.isEmpty)
            let document = items.pathology.documentID
            let filed = try #require(TestFiles.document(document, in: "\(installation.settings.filed)/SO-T-001/pathology"))
            #expect(run.lines.first?.hasPrefix("filed \(document) to SO-T-001 (pathology queue item q_") == true)
            #expect(run.lines.last == "  \(filed).pdf")
            #expect(FileManager.default.fileExists(atPath: "\(filed).pdf"))
            #expect(FileManager.default.fileExists(atPath: "\(filed).json"))
            #expect(TestFiles.document(document, in: installation.settings.review) == nil)
            #expect(!TestFiles.list(installation.settings.review).contains { $0.hasSuffix("_\(document.suffix(8)).json") })
            let sidecar = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(filed).json")))
                    as? [String: Any]
            )
            #expect(sidecar["status"] as? String == "filed")
            #expect(sidecar["case_id"] as? String == "SO-T-001")

            let record = try #require(try await installation.store.document(document))
            #expect(record.status == .filed)
            #expect(record.filedPath == "\(filed).pdf")
            #expect(try await installation.store.queueItem(items.pathology.id)?.state == .done)
            let pathologyQueue = try await installation.openItems(.pathology)
            #expect(pathologyQueue.map(\.documentID) == [document])

            let audit = try await installation.store.auditEntries(item: items.pathology.id, caseID: nil)
            #expect(audit.map(\.action) == ["review.assign"])
            #expect(audit.first?.onBehalfOf == "ann")
            #expect(audit.first?.actor == osUser())
            #expect(audit.first?.reason == "DOB typo on the report")
            // The confirmed sender fax is learned as supporting evidence, audited.
            let learned = try await installation.store.learnedFaxNumbers()
            #expect(learned.map(\.fax) == ["6085550141"])
            #expect(learned.first?.caseID?.rawValue == "SO-T-001")
            let total = try await installation.store.auditEntries(item: nil, caseID: nil).count
            #expect(total == before + 2)

            // A repeat completes nothing new and says so.
            let again = try installation.fileroom(["review", "assign", items.pathology.id, "SO-T-001", "--by", "ann"])
            #expect(again.status == 0, "\(again.stderr)")
            #expect(again.lines.first?.hasSuffix("(already done)") == true)
            #expect(try await installation.store.auditEntries(item: nil, caseID: nil).count == total)
            #expect(try await installation.store.learnedFaxNumbers().first?.confirmations == learned.first?.confirmations)
        }
    }

    @Test func anInterruptedAssignIsCompletedByARepeat() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await ReviewInstallation.scene(home: home)
            let items = try await SceneItems(installation)
            let document = items.radiology.documentID
            let inReview = try #require(TestFiles.document(document, in: installation.settings.review))
            let name = String(inReview.split(separator: "/").last ?? "")
            let target = "\(installation.settings.filed)/SO-T-001/radiology/\(name).pdf"
            // The database part committed, then the process died before moving the files.
            _ = try await installation.store.assignReviewItem(
                items.radiology.id, to: CaseID(rawValue: "SO-T-001")!, actor: "ann", reason: nil, filedPath: target
            )
            #expect(FileManager.default.fileExists(atPath: "\(inReview).pdf"))
            let run = try installation.fileroom(["review", "assign", items.radiology.id, "SO-T-001", "--by", "ann"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(FileManager.default.fileExists(atPath: target))
            #expect(!FileManager.default.fileExists(atPath: "\(inReview).pdf"))
            #expect(try await installation.store.auditEntries(item: items.radiology.id, caseID: nil).count == 1)
        }
    }

    @Test func anInterruptedSplitIsCompletedByARepeat() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await ReviewInstallation.scene(home: home)
            let items = try await SceneItems(installation)
            // The database part committed; the process died before regenerating the PDFs.
            let (_, second) = try await installation.store.splitReviewItem(items.pathology.id, atPage: 2, actor: "ann")
            let firstPDF = try #require(TestFiles.document(items.pathology.documentID, in: installation.settings.review)) + ".pdf"
            #expect(try SourceFile.open(path: firstPDF).pageCount == 2)
            let run = try installation.fileroom(["review", "split", items.pathology.id, "--at", "2", "--by", "ann"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.lines.first == "split \(items.pathology.id): pages 1-1 stay with it, pages 2-2 are item \(second.id)")
            #expect(try SourceFile.open(path: firstPDF).pageCount == 1)
            let secondPDF = try #require(TestFiles.document(second.documentID, in: installation.settings.review)) + ".pdf"
            #expect(try SourceFile.open(path: secondPDF).pageCount == 1)
            #expect(try await installation.store.document(second.documentID)?.filedPath == secondPDF)
            #expect(try await installation.store.auditEntries(item: items.pathology.id, caseID: nil).count == 1)
            #expect(try await installation.openItems(.review).count == 3)
        }
    }

    @Test func assignOutsideTheCandidatesIsAcceptedWithAWarningAndAuditedAsSuch() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await ReviewInstallation.scene(home: home)
            let items = try await SceneItems(installation)
            let run = try installation.fileroom(["review", "assign", items.stranger.id, "SO-T-003", "--by", "bo", "--json", "--confirm"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stderr == "warning: SO-T-003 is not among the candidates for item \(items.stranger.id) (audited as such)\n")
            let object = try #require(try jsonLines(run.stdout).first)
            #expect(object["case_id"] as? String == "SO-T-003")
            #expect(object["status"] as? String == "filed")
            #expect(object["changed"] as? Bool == true)
            let entry = try #require(try await installation.store.auditEntries(item: items.stranger.id, caseID: nil).first)
            #expect(entry.after?.contains(#""outside_candidates":true"#) == true)
            #expect(TestFiles.document(items.stranger.documentID, in: "\(installation.settings.filed)/SO-T-003/radiology") != nil)
            #expect(TestFiles.list(installation.settings.unmatched).isEmpty)
        }
    }

    @Test func refusedActionsSayWhyInOneLineExit1AndChangeNothing() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await ReviewInstallation.scene(home: home)
            let items = try await SceneItems(installation)
            let before = try await StateSnapshot(installation)
            let refusals: [([String], String)] = [
                (["review", "assign", items.pathology.id, "SO-T-404"], "fileroom: no case SO-T-404"),
                (["review", "assign", items.pathology.id, "SO-T-009"], "fileroom: case SO-T-009 is closed: it takes no documents"),
                (["review", "assign", "q_unknown", "SO-T-001"], "fileroom: no item q_unknown"),
                (["review", "assign", items.pathology.id, "bad/case"], "fileroom: 'bad/case' is not a case id (1 to 64 letters, digits, '-', '_' or '.')"),
                (["review", "assign", items.omar.id, "SO-T-002"], "fileroom: item \(items.omar.id) is in the radiology queue, not review or unmatched"),
                (["review", "confirm", items.stranger.id], "fileroom: item \(items.stranger.id) has no proposed case: use 'review assign \(items.stranger.id) CASE'"),
                (["review", "split", items.pathology.id, "--at", "3"], "fileroom: page 3 is out of range: split needs a page from 2 to 2 (item \(items.pathology.id) has pages 1-2)"),
                (["review", "split", items.pathology.id, "--at", "1"], "fileroom: page 1 is out of range: split needs a page from 2 to 2 (item \(items.pathology.id) has pages 1-2)"),
                (["review", "split", items.radiology.id, "--at", "3"], "fileroom: item \(items.radiology.id) has one page (3): there is nothing to split"),
                (["review", "retype", items.pathology.id, "memo"], "fileroom: unknown type 'memo' (one of cover_sheet, authorization, pathology_report, radiology_report, clinic_note, operative_note, lab_report, other)"),
                (["review", "reject", items.pathology.id, "--reason", "  "], "fileroom: a rejection needs a reason"),
                (["review", "reprocess", "src_unknown"], "fileroom: no source src_unknown"),
                (["queue", "done", items.pathology.id], "fileroom: item \(items.pathology.id) is in the review queue: use the review actions for it"),
                (["queue", "done", "q_unknown"], "fileroom: no item q_unknown"),
            ]
            for (arguments, message) in refusals {
                let run = try installation.fileroom(arguments)
                #expect(run.status == 1, "\(arguments)")
                #expect(run.stderr == message + "\n", "\(arguments)")
                #expect(run.stdout.isEmpty, "\(arguments)")
            }
            #expect(try await StateSnapshot(installation) == before)
        }
    }

    @Test func splitRegeneratesBothPDFsAndRetypeAndRejectActOnTheParts() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await ReviewInstallation.scene(home: home)
            let items = try await SceneItems(installation)
            let split = try installation.fileroom(["review", "split", items.pathology.id, "--at", "2", "--by", "cy", "--json"])
            #expect(split.status == 0, "\(split.stderr)")
            let parts = try jsonLines(split.stdout)
            #expect(parts.map { $0["pages"] as? [Int] } == [[1, 1], [2, 2]])
            let secondID = try #require(parts.last?["id"] as? String)
            let firstPDF = try #require(parts.first?["pdf_path"] as? String)
            let secondPDF = try #require(parts.last?["pdf_path"] as? String)
            #expect(firstPDF.hasPrefix(installation.settings.review + "/"))
            #expect(secondPDF.hasPrefix(installation.settings.review + "/"))
            #expect(try SourceFile.open(path: firstPDF).pageCount == 1)
            #expect(try SourceFile.open(path: secondPDF).pageCount == 1)
            #expect(try await installation.store.queueItem(secondID)?.state == .open)

            // A repeat of the split is recognised as done.
            let again = try installation.fileroom(["review", "split", items.pathology.id, "--at", "2"])
            #expect(again.status == 0, "\(again.stderr)")
            #expect(try await installation.openItems(.review).count == 3)

            let retype = try installation.fileroom(["review", "retype", secondID, "clinic_note", "--by", "cy"])
            #expect(retype.status == 0, "\(retype.stderr)")
            let secondDocument = try #require(parts.last?["document_id"] as? String)
            let secondFiles = try #require(TestFiles.document(secondDocument, in: installation.settings.review))
            let sidecar = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: secondFiles + ".json")))
                    as? [String: Any]
            )
            #expect(sidecar["type"] as? String == "clinic_note")

            let reject = try installation.fileroom(["review", "reject", secondID, "--reason", "another patient's note", "--by", "cy"])
            #expect(reject.status == 0, "\(reject.stderr)")
            #expect(reject.lines.first == "rejected \(secondDocument)")
            #expect(TestFiles.document(secondDocument, in: installation.settings.unmatched) != nil)
            #expect(!FileManager.default.fileExists(atPath: secondPDF))
            #expect(try await installation.store.document(secondDocument)?.status == .rejected)
            #expect(try await installation.store.queueItem(secondID)?.state == .done)

            let confirm = try installation.fileroom(["review", "confirm", items.pathology.id, "--by", "cy", "--confirm"])
            #expect(confirm.status == 0, "\(confirm.stderr)")
            let confirmed = try #require(
                TestFiles.document(items.pathology.documentID, in: "\(installation.settings.filed)/SO-T-001/pathology")
            )
            #expect(try SourceFile.open(path: confirmed + ".pdf").pageCount == 1)
            let actions = try await installation.store.auditEntries(item: nil, caseID: nil).filter { $0.onBehalfOf == "cy" }
                .map(\.action)
            #expect(actions == ["review.split", "review.retype", "review.reject", "review.assign", "fax.learn"])
        }
    }

    @Test func reprocessRunsUnderstandingAndMatchingAgainFromTheStoredPages() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await ReviewInstallation.scene(home: home)
            let items = try await SceneItems(installation)
            // The stranger becomes a patient: her case arrives after her report.
            _ = try await installation.store.upsertCases(
                [
                    CaseRecord(
                        caseID: CaseID(rawValue: "SO-T-004")!, status: .open, patientLast: "Quillfeather",
                        patientFirst: "Nadia", dateOfBirth: CalendarDate(year: 1970, month: 7, day: 7)!, sex: "F",
                        mrn: "10000004"
                    )
                ],
                actor: "test"
            )
            let run = try installation.fileroom(["review", "reprocess", items.stranger.sourceID, "--by", "dee"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.lines.first?.hasPrefix("reprocessed \(items.stranger.sourceID): filed, 1 document(s)") == true)
            let documents = try await installation.store.documents(of: items.stranger.sourceID)
            #expect(documents.map(\.status) == [.filed])
            #expect(documents.first?.caseID?.rawValue == "SO-T-004")
            #expect(TestFiles.list(installation.settings.unmatched).isEmpty)
            #expect(TestFiles.list("\(installation.settings.filed)/SO-T-004/radiology").count == 2)
            #expect(try await installation.store.auditEntries(item: items.stranger.sourceID, caseID: nil).map(\.action)
                == ["review.reprocess"])
            #expect(try await installation.openItems(.unmatched).isEmpty)

            // A source with a filed document is refused, unchanged.
            let refused = try installation.fileroom(["review", "reprocess", items.omar.sourceID])
            #expect(refused.status == 1)
            #expect(refused.stderr.hasPrefix("fileroom: source \(items.omar.sourceID) has filed document"))
        }
    }

    @Test func readerQueuesListOldestFirstWithCaseAndTypeAndItemsAreMarkedDone() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await ReviewInstallation.scene(home: home)
            let items = try await SceneItems(installation)
            let list = try installation.fileroom(["queue", "list", "radiology"])
            #expect(list.status == 0, "\(list.stderr)")
            #expect(list.lines.count == 2)
            #expect(list.lines[1].hasPrefix(items.omar.id))
            #expect(list.lines[1].contains("radiology_report  1      SO-T-002"))
            let json = try jsonLines(try installation.fileroom(["queue", "list", "radiology", "--json", "--case", "SO-T-002"]).stdout)
            #expect(json.map { $0["id"] as? String } == [items.omar.id])
            #expect(json.first?["case_id"] as? String == "SO-T-002")
            #expect(json.first?["pages"] as? [Int] == [1, 1])
            #expect(try installation.fileroom(["queue", "list", "radiology", "--case", "SO-T-001"]).stdout
                == "nothing waiting in the radiology queue for SO-T-001\n")
            #expect(try installation.fileroom(["queue", "list", "pathology", "--json"]).stdout.isEmpty)

            // Oldest first: the assigned pathology report joins after nothing, the radiology one after Omar's.
            _ = try installation.fileroom(["review", "assign", items.radiology.id, "SO-T-001", "--confirm"])
            let both = try jsonLines(try installation.fileroom(["queue", "list", "radiology", "--json"]).stdout)
            #expect(both.map { $0["case_id"] as? String } == ["SO-T-002", "SO-T-001"])

            let done = try installation.fileroom(["queue", "done", items.omar.id, "--by", "rad"])
            #expect(done.status == 0, "\(done.stderr)")
            #expect(done.stdout == "done \(items.omar.id)\n")
            let again = try installation.fileroom(["queue", "done", items.omar.id, "--by", "rad"])
            #expect(again.status == 0)
            #expect(again.stdout == "\(items.omar.id) was already done\n")
            #expect(try await installation.store.auditEntries(item: items.omar.id, caseID: nil).map(\.onBehalfOf) == ["rad"])
            #expect(try await installation.openItems(.radiology).map(\.caseID?.rawValue) == ["SO-T-001"])

            let usage = try installation.fileroom(["queue", "list", "cardiology"])
            #expect(usage.status == 64)
        }
    }

    @Test func auditListFiltersAndVerifyCatchesARowChangedBehindTheToolsBack() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await ReviewInstallation.scene(home: home)
            let items = try await SceneItems(installation)
            #expect(try installation.fileroom(["review", "assign", items.pathology.id, "SO-T-001", "--by", "ann", "--confirm"]).status == 0)
            #expect(try installation.fileroom(["review", "reject", items.stranger.id, "--reason", "not ours", "--by", "ann"]).status == 0)

            let all = try jsonLines(try installation.fileroom(["audit", "list", "--json"]).stdout)
            let count = all.count
            #expect(count >= 4)
            #expect(all.allSatisfy { $0["hash"] is String && $0["prev_hash"] is String && $0["actor"] is String })
            let forItem = try jsonLines(try installation.fileroom(["audit", "list", "--item", items.stranger.id, "--json"]).stdout)
            #expect(forItem.map { $0["action"] as? String } == ["review.reject"])
            #expect(forItem.first?["reason"] as? String == "not ours")
            let forCase = try jsonLines(try installation.fileroom(["audit", "list", "--case", "SO-T-001", "--json"]).stdout)
            #expect(forCase.contains { $0["action"] as? String == "review.assign" })
            let table = try installation.fileroom(["audit", "list"])
            #expect(table.lines.first == "ID     WHEN (UTC)        WHO       ACTION         ITEM")
            #expect(table.lines.contains { $0.hasSuffix("review.reject  \(items.stranger.id)") })
            #expect(table.lines.contains("       on behalf of ann; reason: not ours"))
            #expect(table.lines.allSatisfy { $0.count <= 80 })

            let verify = try installation.fileroom(["audit", "verify"])
            #expect(verify.status == 0)
            #expect(verify.stdout == "audit chain intact: \(count) entries checked\n")

            let entry = try #require(forItem.first?["id"] as? Int)
            // The way someone working around the tool would: straight at the database file, triggers dropped first.
            let raw = try DatabaseQueue(path: installation.settings.database)
            try await raw.write { db in
                try db.execute(sql: "DROP TRIGGER audit_log_no_update")
                try db.execute(sql: "UPDATE audit_log SET reason = 'ours after all' WHERE id = ?", arguments: [entry])
            }
            let broken = try installation.fileroom(["audit", "verify"])
            #expect(broken.status == 1)
            #expect(broken.stdout == "audit chain broken at entry \(entry) (\(entry - 1) entries before it hold)\n")
        }
    }
}

/// The operating-system user the tests run as: the audit's actor for every staff command.
func osUser() -> String {
    guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return "uid \(geteuid())" }
    return String(cString: name)
}

enum TestFiles {
    static func list(_ folder: String) -> [String] { ReviewInstallation.files(under: folder) }

    /// The path of a document's PDF in `folder`, without its extension: files are named
    /// `<date>_<type>_<last 8 characters of the document id>`, so the test finds it by that tail.
    static func document(_ documentID: String, in folder: String) -> String? {
        let tail = "_" + String(documentID.suffix(8))
        return list(folder).first { $0.hasSuffix(tail + ".pdf") }.map { "\(folder)/\($0.dropLast(4))" }
    }
}
