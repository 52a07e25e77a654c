import FileroomCommands
import FileroomModel
import Foundation
import Intake
import Review
import Settings
import Store
import TestSupport
import Testing

@Suite("the interactive review loop and review alongside the daemon")
struct ReviewLoopTests {
    @Test func theLoopIsDrivenByPipedKeystrokesAndShowsOneItemAtATime() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await ReviewInstallation.scene(home: home)
            let items = try await SceneItems(installation)
            // 9: no such candidate; c + closed case: refused; a: accept, a rule failed: a wrong confirmation files
            // nothing, the case id's last four characters file; t: retype the next; n: skip it.
            let keys = "9\nc\nSO-T-009\na\nT-00\na\n-001\nt\nclinic_note\nn\n"
            let run = try installation.fileroom(["review", "--queue", "review", "--by", "kim"], input: keys)
            #expect(run.status == 0, "\(run.stderr)")
            let screen = run.stdout
            #expect(!screen.contains("\u{1B}["), "no colour or screen clearing on a pipe")
            #expect(screen.components(separatedBy: "Candidates\n").count >= 3)
            #expect(screen.contains("  1. SO-T-001  "))
            #expect(screen.contains("last name exact, first name exact, DOB one digit off"))
            #expect(screen.contains("PDF\n  \(installation.settings.review)/"))
            #expect(screen.contains("> 9\nthere is no candidate 9\n"))
            // The item's identity (a short id the commands take) sits right above the prompt.
            #expect(screen.contains("[\(items.pathology.id.prefix(16))] pathology_report p1-2, proposed SO-T-001\n> ")
                || screen.contains("[\(items.radiology.id.prefix(16))] radiology_report p3, proposed SO-T-001\n> "))
            #expect(screen.contains("> c\nCase id: SO-T-009\nrefused: case SO-T-009 is closed: it takes no documents\n"))
            #expect(screen.contains(
                "> a\nCheck before filing to SO-T-001:\n  - date of birth differs from the case's (one digit)\n"
                    + "Type SO-T-001's last four characters to file anyway: T-00\nnot filed\n"
            ))
            #expect(screen.contains("file anyway: -001\nfiled doc_"))
            #expect(screen.contains(" is now clinic_note\n"))
            #expect(screen.contains("> n\nskipped q_"))
            #expect(screen.contains("No more items to review.\n"))
            #expect(run.lines.last == "1 handled, 1 skipped, 1 refused")
            #expect(run.lines.filter { !$0.contains(home) }.allSatisfy { $0.count <= 80 })

            // The first item shown was accepted, the second retyped and left open.
            let first = screen.contains("Item \(items.pathology.id)  [review, open]\nType      pathology_report")
                && screen.range(of: "Item \(items.pathology.id)")!.lowerBound
                    < screen.range(of: "Item \(items.radiology.id)")!.lowerBound
            let (accepted, skipped) = first ? (items.pathology, items.radiology) : (items.radiology, items.pathology)
            #expect(try await installation.store.document(accepted.documentID)?.status == .filed)
            #expect(try await installation.store.queueItem(accepted.id)?.state == .done)
            #expect(try await installation.store.document(skipped.documentID)?.type == .clinicNote)
            #expect(try await installation.store.queueItem(skipped.id)?.state == .open)
            #expect(try await installation.store.auditEntries(item: accepted.id, caseID: nil).map(\.onBehalfOf) == ["kim"])
            #expect(try await installation.openItems(.unmatched).map(\.id) == [items.stranger.id])
        }
    }

    @Test func theLoopEndsCleanlyAtEndOfInputAndQuitsOnQ() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await ReviewInstallation.scene(home: home)
            let before = try await StateSnapshot(installation)
            let quit = try installation.fileroom(["review"], input: "q")
            #expect(quit.status == 0)
            #expect(quit.stdout.contains("> q\nquit\n"))
            #expect(quit.lines.last == "0 handled, 0 skipped, 0 refused")
            let empty = try installation.fileroom(["review"], input: "")
            #expect(empty.status == 0)
            #expect(try await StateSnapshot(installation) == before)
        }
    }

    @Test func theLoopSplitsAtAPageAndRejectsWithAReason() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await ReviewInstallation.scene(home: home)
            let items = try await SceneItems(installation)
            // Reject the stranger's report from the unmatched queue; it is the only item there.
            let run = try installation.fileroom(["review", "--queue", "unmatched"], input: "r\nnot our patient\n")
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("> r\nReason: not our patient\nrejected \(items.stranger.documentID)"))
            #expect(try await installation.store.document(items.stranger.documentID)?.status == .rejected)
            #expect(try await installation.store.auditEntries(item: items.stranger.id, caseID: nil).first?.reason
                == "not our patient")

            // Split the two-page report wherever it comes in the queue: skip the other one.
            var keys = ""
            let order = try await installation.desk().openItems([.review]).map(\.id)
            for id in order { keys += id == items.pathology.id ? "s\n2\nn\nn\n" : "n\n" }
            let split = try installation.fileroom(["review", "--queue", "review"], input: keys)
            #expect(split.status == 0, "\(split.stderr)")
            #expect(split.stdout.contains("> s\nSplit before page: 2\nsplit \(items.pathology.id): pages 1-1 stay, pages 2-2 are item q_"))
            #expect(try await installation.openItems(.review).count == 3)
        }
    }

    /// The daemon files new faxes while staff act on earlier ones, each in its own process on the one database:
    /// every action and every new fax lands, nothing is lost or done twice.
    @Test func reviewWhileTheDaemonFilesLosesNoUpdate() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await ReviewInstallation.scene(home: home)
            let items = try await SceneItems(installation)
            for index in 0..<4 {
                try installation.drop(
                    [MedicalFaxFixtures.pathologyPage(ReviewInstallation.janeUnsure, accession: "S26-1\(index)"),
                     MedicalFaxFixtures.radiologyPage(ReviewInstallation.omar)],
                    as: "fax_more_\(index).pdf"
                )
            }
            let actions: [[String]] = [
                ["review", "assign", items.pathology.id, "SO-T-001", "--by", "ann", "--confirm"],
                // The same item from a second person at the same moment: one assignment, not two.
                ["review", "assign", items.pathology.id, "SO-T-001", "--by", "ann", "--confirm"],
                ["review", "confirm", items.radiology.id, "--by", "ann", "--confirm"],
                ["review", "reject", items.stranger.id, "--reason", "not ours", "--by", "ann"],
                ["queue", "done", items.omar.id, "--by", "ann"],
            ]
            async let daemon: Void = installation.runOnce()
            let runs = try await withThrowingTaskGroup(of: ReviewInstallation.Run.self) { group in
                for arguments in actions {
                    group.addTask {
                        try await withCheckedThrowingContinuation { continuation in
                            DispatchQueue.global().async {
                                continuation.resume(with: Result { try installation.fileroom(arguments) })
                            }
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            try await daemon
            for run in runs { #expect(run.status == 0, "\(run.stderr)") }

            let sources = try await installation.sourcesByName()
            for index in 0..<4 {
                #expect(sources["fax_more_\(index).pdf"]?.state == .review)
            }
            #expect(try await installation.openItems(.review).count == 4)
            #expect(try await installation.openItems(.radiology).count == 4 + 1)
            #expect(try await installation.openItems(.pathology).map(\.id).count == 1)
            #expect(try await installation.store.queueItem(items.omar.id)?.state == .done)
            #expect(try await installation.store.document(items.stranger.documentID)?.status == .rejected)
            let byAnn = try await installation.store.auditEntries(item: nil, caseID: nil).filter { $0.onBehalfOf == "ann" }
            #expect(byAnn.filter { $0.action == "review.assign" }.count == 2)
            #expect(byAnn.filter { $0.action == "review.reject" }.count == 1)
            #expect(byAnn.filter { $0.action == "queue.done" }.count == 1)
            #expect(try await installation.store.verifyAudit().isIntact)
            #expect(TestFiles.list("\(installation.settings.filed)/SO-T-001/pathology").count == 2)
            #expect(TestFiles.list("\(installation.settings.filed)/SO-T-001/radiology").count == 2)
        }
    }
}
