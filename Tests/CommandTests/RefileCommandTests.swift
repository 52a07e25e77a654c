import FileroomCommands
import FileroomModel
import Foundation
import Intake
import Review
import Settings
import Store
import TestSupport
import Testing

/// Everything a correction may change, beside `StateSnapshot`: what filings taught and what file moves are owed.
struct CorrectionSnapshot: Equatable {
    var state: StateSnapshot
    var learned: [LearnedFax]
    var pending: [PendingPlacement]

    init(_ installation: ReviewInstallation) async throws {
        state = try await StateSnapshot(installation)
        learned = try await installation.store.learnedFaxNumbers()
        pending = try await installation.store.pendingPlacements()
    }
}

@Suite("refile, unfile, guarded accepts and id prefixes, over a store the daemon filled")
struct RefileCommandTests {
    func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    func sidecar(_ path: String) throws -> [String: Any] {
        try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
        )
    }

    @Test func refileMovesAFiledDocumentItsQueueItemAndWithdrawsWhatTheOldFilingTaught() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await ReviewInstallation.scene(home: home)
            let items = try await SceneItems(installation)
            let document = items.pathology.documentID
            let assign = try installation.fileroom(
                ["review", "assign", items.pathology.id, "SO-T-001", "--by", "ann", "--confirm"]
            )
            #expect(assign.status == 0, "\(assign.stderr)")
            #expect(try await installation.store.learnedFaxNumbers().map(\.caseID?.rawValue) == ["SO-T-001"])
            let oldFolder = "\(installation.settings.filed)/SO-T-001/pathology"
            let newFolder = "\(installation.settings.filed)/SO-T-003/pathology"

            // SO-T-003 is no candidate: without --confirm nothing changes.
            let before = try await CorrectionSnapshot(installation)
            let refused = try installation.fileroom(["review", "refile", document, "SO-T-003", "--reason", "wrong patient"])
            #expect(refused.status == 1)
            #expect(refused.stderr == "fileroom: filing to SO-T-003 needs confirmation: SO-T-003 is not among the candidates (add --confirm)\n")
            #expect(try await CorrectionSnapshot(installation) == before)

            let run = try installation.fileroom(
                ["review", "refile", document, "SO-T-003", "--reason", "wrong patient", "--by", "bo", "--confirm"]
            )
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.lines.first?.hasPrefix("refiled \(document) to SO-T-003 (pathology queue item q_") == true)
            let newBase = try #require(TestFiles.document(document, in: newFolder))
            #expect(try sidecar("\(newBase).json")["case_id"] as? String == "SO-T-003")
            #expect(TestFiles.list(oldFolder).isEmpty, "neither PDF nor sidecar left in the old case")
            #expect(try await installation.store.pendingPlacements().isEmpty)

            // The queue item followed the document.
            let pathology = try await installation.openItems(.pathology)
            #expect(pathology.map(\.documentID) == [document])
            #expect(pathology.map(\.caseID?.rawValue) == ["SO-T-003"])
            let record = try #require(try await installation.store.document(document))
            #expect(record.caseID?.rawValue == "SO-T-003")
            #expect(record.filedPath == "\(newBase).pdf")
            // The EHR's outbox hears of the move through the same door (the hand-off's DocumentReference).
            let announced = try String(contentsOfFile: "\(installation.settings.outbox)/fhir/\(document).json", encoding: .utf8)
            #expect(announced.contains("SO-T-003") && !announced.contains("SO-T-001"))

            // What the old filing taught is withdrawn; the person's refile teaches the new case.
            #expect(try await installation.store.learnedFaxNumbers().map(\.caseID?.rawValue) == ["SO-T-003"])
            let actions = try await installation.store.auditEntries(item: nil, caseID: nil).suffix(3).map(\.action)
            #expect(actions == ["review.refile", "fax.unlearn", "fax.learn"])
            let refile = try #require(try await installation.store.auditEntries(item: document, caseID: nil).first)
            #expect(refile.reason == "wrong patient")

            // The export and both cases agree.
            let export = try #require(
                try JSONSerialization.jsonObject(with: Data(try installation.fileroom(["export", "--json"]).stdout.utf8))
                    as? [String: Any]
            )
            let exported = (export["sources"] as? [[String: Any]] ?? []).flatMap { $0["documents"] as? [[String: Any]] ?? [] }
            let entry = try #require(exported.first { $0["document_id"] as? String == document })
            #expect(entry["case_id"] as? String == "SO-T-003")
            #expect(try installation.fileroom(["cases", "show", "SO-T-003"]).stdout.contains(document))
            #expect(!(try installation.fileroom(["cases", "show", "SO-T-001"]).stdout.contains(document)))

            // A repeat completes nothing new.
            let after = try await CorrectionSnapshot(installation)
            let again = try installation.fileroom(["review", "refile", document, "SO-T-003", "--reason", "wrong patient"])
            #expect(again.status == 0, "\(again.stderr)")
            #expect(again.lines.first?.hasSuffix("(already done)") == true)
            #expect(try await CorrectionSnapshot(installation) == after)
        }
    }

    @Test func refileTakesADocumentStraightFromReviewAndFromUnmatched() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await ReviewInstallation.scene(home: home)
            let items = try await SceneItems(installation)
            for (item, caseID) in [(items.radiology, "SO-T-001"), (items.stranger, "SO-T-003")] {
                let run = try installation.fileroom(
                    ["review", "refile", item.documentID, caseID, "--reason", "read the page", "--confirm"]
                )
                #expect(run.status == 0, "\(run.stderr)")
                #expect(TestFiles.document(item.documentID, in: "\(installation.settings.filed)/\(caseID)/radiology") != nil)
                #expect(try await installation.store.queueItem(item.id)?.state == .done)
            }
            #expect(TestFiles.list(installation.settings.unmatched).isEmpty)
            #expect(TestFiles.document(items.radiology.documentID, in: installation.settings.review) == nil)
            #expect(try await installation.openItems(.radiology).count == 3)
        }
    }

    @Test func unfileSendsAFiledDocumentBackToReviewAndLeavesNothingUnderFiled() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await ReviewInstallation.scene(home: home)
            let items = try await SceneItems(installation)
            let document = items.omar.documentID
            let run = try installation.fileroom(["review", "unfile", document, "--reason", "not Omar's", "--by", "cy"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.lines.first?.hasPrefix("unfiled \(document) (review queue item q_") == true)
            #expect(TestFiles.list("\(installation.settings.filed)/SO-T-002").isEmpty)
            let reviewBase = try #require(TestFiles.document(document, in: installation.settings.review))
            let withdrawn = try String(contentsOfFile: "\(installation.settings.outbox)/fhir/\(document).json", encoding: .utf8)
            #expect(withdrawn.contains("entered-in-error"))
            #expect(try sidecar("\(reviewBase).json")["status"] as? String == "review")
            #expect(try await installation.store.queueItem(items.omar.id)?.state == .done)
            let review = try await installation.openItems(.review)
            #expect(review.contains { $0.documentID == document })
            #expect(try await installation.store.document(document)?.status == .review)
            #expect(try await installation.store.auditEntries(item: document, caseID: nil).map(\.action) == ["intake.file", "review.unfile"])

            let after = try await CorrectionSnapshot(installation)
            let again = try installation.fileroom(["review", "unfile", document, "--reason", "not Omar's"])
            #expect(again.status == 0, "\(again.stderr)")
            #expect(again.lines.first?.hasSuffix("(already done)") == true)
            #expect(try await CorrectionSnapshot(installation) == after)

            // Back in review it takes the ordinary actions.
            let reviewItem = try #require(review.first { $0.documentID == document })
            let assign = try installation.fileroom(["review", "assign", reviewItem.id, "SO-T-002", "--confirm"])
            #expect(assign.status == 0, "\(assign.stderr)")
            #expect(TestFiles.document(document, in: "\(installation.settings.filed)/SO-T-002/radiology") != nil)
        }
    }

    @Test func refusedCorrectionsExit1AndChangeNothing() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await ReviewInstallation.scene(home: home)
            let items = try await SceneItems(installation)
            let before = try await CorrectionSnapshot(installation)
            let refusals: [([String], String)] = [
                (["review", "unfile", items.pathology.documentID, "--reason", "x"],
                 "fileroom: document \(items.pathology.documentID) is review, not filed: only a filed document is unfiled"),
                (["review", "unfile", "doc_nope", "--reason", "x"], "fileroom: no document doc_nope"),
                (["review", "unfile", items.omar.documentID, "--reason", " "], "fileroom: an unfile needs a reason"),
                (["review", "refile", items.omar.documentID, "SO-T-009", "--reason", "x", "--confirm"],
                 "fileroom: case SO-T-009 is closed: it takes no documents"),
                (["review", "refile", items.omar.documentID, "SO-T-404", "--reason", "x", "--confirm"],
                 "fileroom: no case SO-T-404"),
                (["review", "assign", items.pathology.id, "SO-T-001"],
                 "fileroom: filing to SO-T-001 needs confirmation: date of birth differs from the case's (one digit) (add --confirm)"),
                (["review", "confirm", items.pathology.id],
                 "fileroom: filing to SO-T-001 needs confirmation: date of birth differs from the case's (one digit) (add --confirm)"),
                (["review", "assign", items.stranger.id, "SO-T-003"],
                 "fileroom: filing to SO-T-003 needs confirmation: SO-T-003 is not among the candidates (add --confirm)"),
            ]
            for (arguments, message) in refusals {
                let run = try installation.fileroom(arguments)
                #expect(run.status == 1, "\(arguments)")
                #expect(run.stderr == message + "\n", "\(arguments)")
                #expect(run.stdout.isEmpty, "\(arguments)")
            }
            #expect(try await CorrectionSnapshot(installation) == before)
        }
    }

    @Test func anInterruptedRefileIsCompletedByARepeatAndAnInterruptedUnfileByTheDaemonsStart() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await ReviewInstallation.scene(home: home)
            let items = try await SceneItems(installation)
            let omar = items.omar.documentID
            let oldPDF = try #require(TestFiles.document(omar, in: "\(installation.settings.filed)/SO-T-002/radiology")) + ".pdf"
            // Files keep their name wherever the document moves.
            let name = (oldPDF as NSString).lastPathComponent
            let newPDF = "\(installation.settings.filed)/SO-T-003/radiology/\(name)"
            // The transaction committed, then the process died before moving the files.
            _ = try await installation.store.refileDocument(
                omar, to: CaseID(rawValue: "SO-T-003")!, actor: "ann", reason: "wrong patient", filedPath: newPDF
            )
            #expect(exists(oldPDF))
            #expect(try await installation.store.pendingPlacements().map(\.documentID) == [omar])
            let run = try installation.fileroom(["review", "refile", omar, "SO-T-003", "--reason", "wrong patient"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(exists(newPDF))
            #expect(!exists(oldPDF))
            #expect(try await installation.store.pendingPlacements().isEmpty)
            #expect(try await installation.store.auditEntries(item: omar, caseID: nil).map(\.action) == ["intake.file", "review.refile"])

            // Unfile interrupted the same way: the daemon's next start completes it through the same door.
            let reviewPDF = "\(installation.settings.review)/\(name)"
            _ = try await installation.store.unfileDocument(omar, actor: "ann", reason: "not ours", reviewPath: reviewPDF)
            #expect(exists(newPDF))
            try await installation.runOnce()
            #expect(!exists(newPDF))
            #expect(exists(reviewPDF))
            #expect(TestFiles.list(installation.settings.filed + "/SO-T-003").isEmpty)
            #expect(try await installation.store.pendingPlacements().isEmpty)
        }
    }

    @Test func uniqueIdPrefixesAreTakenAndAmbiguousOnesRefusedListingTheMatches() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await ReviewInstallation.scene(home: home)
            let items = try await SceneItems(installation)
            let item = items.pathology.id
            let others = try await installation.store.queueItems(kind: nil, state: nil, caseID: nil).map(\.id)
                .filter { $0 != item }
            // The shortest prefix no other item shares.
            let length = (3...item.count).first { n in !others.contains { $0.hasPrefix(item.prefix(n)) } } ?? item.count
            let show = try installation.fileroom(["review", "show", String(item.prefix(length))])
            #expect(show.status == 0, "\(show.stderr)")
            #expect(show.stdout.contains(item))

            let before = try await CorrectionSnapshot(installation)
            let ambiguous = try installation.fileroom(["review", "assign", "q_", "SO-T-001", "--confirm"])
            #expect(ambiguous.status == 1)
            #expect(ambiguous.stderr.hasPrefix("fileroom: 'q_' is ambiguous: it starts item ids "))
            #expect(ambiguous.stderr.contains(item))
            let ambiguousCase = try installation.fileroom(["review", "assign", item, "SO-T-00", "--confirm"])
            #expect(ambiguousCase.status == 1)
            #expect(ambiguousCase.stderr.hasPrefix("fileroom: 'SO-T-00' is ambiguous: it starts case ids SO-T-001, SO-T-002"))
            #expect(try await CorrectionSnapshot(installation) == before)

            let document = items.omar.documentID
            let unfile = try installation.fileroom(["review", "unfile", String(document.prefix(document.count - 2)), "--reason", "x"])
            #expect(unfile.status == 0, "\(unfile.stderr)")
            #expect(unfile.stdout.contains(document))
        }
    }
}

@Suite("review reprocess reads a rejected source again under the current settings")
struct ReprocessRejectedTests {
    @Test func aSourceRejectedUnderAnOldLimitIsReadAgainAndItsQuarantinedCopyGoes() async throws {
        try await withTemporaryDirectory { home in
            // The daemon ran with a one-page limit: the three-page fax was rejected and quarantined.
            var settings = FileroomSettings(home: home, homeOrigin: .flag)
            settings.settleSeconds = 0
            settings.workers = 1
            settings.pages.maxPages = 1
            let rejectedID: String
            do {
                let runtime = try IntakeRuntime.start(
                    settings: settings, logger: ReviewInstallation.logger,
                    today: CalendarDate(year: 2026, month: 11, day: 27)
                )
                _ = try await runtime.store.upsertCases(FixtureCases.standard, actor: "test")
                let jane = ReviewInstallation.jane
                try MedicalFaxFixtures.write(
                    [MedicalFaxFixtures.pathologyPage(jane), ReviewInstallation.continuationPage(jane),
                     MedicalFaxFixtures.radiologyPage(jane)],
                    to: "\(settings.spool)/fax_long.pdf"
                )
                try await IntakeLoop(engine: runtime.engine, mode: .once).run()
                rejectedID = try #require(try await runtime.store.sources(in: [.rejected]).first).id
            }
            #expect(!ReviewInstallation.files(under: settings.quarantine).isEmpty)

            // Staff raised the limit (the binary runs with the default); reprocess reads it again, now.
            let run = try ReviewInstallation.runBinary(["review", "reprocess", rejectedID, "--by", "dee", "--home", home])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.lines.first?.hasPrefix("reprocessed \(rejectedID): filed, 2 document(s)") == true, "\(run.stdout)")
            let store = try SQLiteStore(path: settings.database)
            #expect(try await store.source(rejectedID)?.state == .filed)
            #expect(ReviewInstallation.files(under: settings.quarantine).isEmpty)
            #expect(try await store.auditEntries(item: rejectedID, caseID: nil).map(\.action) == ["review.reprocess"])
        }
    }
}

@Suite("incomplete faxes are flagged where staff look")
struct IncompleteFaxTests {
    @Test func reviewListShowStatusAndCasesShowSayHowManyPagesCameAndWhomToAsk() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await ReviewInstallation.scene(home: home)
            let items = try await SceneItems(installation)
            // Jane's fax declared 5 pages ("Page 1 of 5" in its header) but delivered 3.
            let source = try #require(try await installation.store.source(items.pathology.sourceID))
            try await installation.store.setState(
                source.id, to: source.state, pageCount: nil, declaredPages: 5, senderFax: nil, archivePath: nil,
                claimedPath: nil
            )
            let notice = "3 of 5 pages received, request a resend from 6085550141"
            let list = try installation.fileroom(["review", "list"])
            #expect(list.stdout.contains("incomplete fax \(source.id):\n  \(notice)\n"))
            #expect(list.stdout.components(separatedBy: "incomplete fax").count == 2, "once per fax")
            let show = try installation.fileroom(["review", "show", items.pathology.id])
            #expect(show.stdout.contains("Fax       \(notice)\n"))
            #expect(show.stdout.contains("  - the fax is incomplete: 3 of 5 pages received, request a resend from\n"))
            let status = try installation.fileroom(["status"])
            #expect(status.stdout.contains("incomplete:        \(source.id) \(notice)\n"))
            #expect(try installation.fileroom(["review", "assign", items.pathology.id, "SO-T-001", "--confirm"]).status == 0)
            let caseShow = try installation.fileroom(["cases", "show", "SO-T-001"])
            #expect(caseShow.stdout.contains("Incomplete fax \(source.id):\n  \(notice)\n"))
        }
    }
}
