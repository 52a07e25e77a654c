import FileroomModel
import Foundation
import Settings
import Store
import TestSupport
import Testing

@Suite("unique id prefixes in the cases, queue and audit commands, as git takes them")
struct IdentifierPrefixTests {
    @Test func aUniquePrefixNamesTheCaseItemOrSourceAndAnAmbiguousOneIsRefusedChangingNothing() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await ReviewInstallation.scene(home: home)
            let items = try await SceneItems(installation)
            _ = try await installation.store.upsertCases(
                [CaseRecord(
                    caseID: CaseID(rawValue: "ZX-42")!, status: .open, patientLast: "Ardent", patientFirst: "Lia",
                    dateOfBirth: CalendarDate(year: 1970, month: 1, day: 1)!
                )],
                actor: "test"
            )

            // Ambiguous prefixes: exit 1, one line naming the matches, nothing changed.
            let before = try await StateSnapshot(installation)
            let cases = "SO-T-001, SO-T-002, SO-T-003, SO-T-009"
            let refusals: [([String], String)] = [
                (["cases", "show", "SO-T-00"], "fileroom: 'SO-T-00' is ambiguous: it starts case ids \(cases)"),
                (["cases", "close", "SO-T-00", "--reason", "x"], "fileroom: 'SO-T-00' is ambiguous: it starts case ids \(cases)"),
                (["cases", "reopen", "SO-T-00", "--reason", "x"], "fileroom: 'SO-T-00' is ambiguous: it starts case ids \(cases)"),
                (["queue", "list", "radiology", "--case", "SO-T"], "fileroom: 'SO-T' is ambiguous: it starts case ids \(cases)"),
                (["audit", "list", "--case", "SO-T-00"], "fileroom: 'SO-T-00' is ambiguous: it starts case ids \(cases)"),
            ]
            for (arguments, message) in refusals {
                let run = try installation.fileroom(arguments)
                #expect(run.status == 1, "\(arguments)")
                #expect(run.stderr == message + "\n", "\(arguments)")
                #expect(run.stdout.isEmpty, "\(arguments)")
            }
            let itemsAmbiguous = try installation.fileroom(["audit", "list", "--item", "q_"])
            #expect(itemsAmbiguous.status == 1)
            #expect(itemsAmbiguous.stderr.hasPrefix("fileroom: 'q_' is ambiguous: it starts ids q_"))
            #expect(itemsAmbiguous.stderr.contains(items.omar.id))
            #expect(try await StateSnapshot(installation) == before)

            // Unique prefixes act on the one id they start.
            let show = try installation.fileroom(["cases", "show", "ZX"])
            #expect(show.status == 0, "\(show.stderr)")
            #expect(show.stdout.contains("ZX-42"))
            #expect(try installation.fileroom(["cases", "close", "ZX", "--reason", "done"]).stdout == "closed ZX-42\n")
            #expect(try await installation.store.case(CaseID(rawValue: "ZX-42")!)?.status == .closed)
            #expect(try installation.fileroom(["cases", "reopen", "ZX-4", "--reason", "more"]).stdout == "reopened ZX-42\n")
            let queue = try installation.fileroom(["queue", "list", "radiology", "--case", "SO-T-002", "--json"])
            #expect(queue.status == 0)
            #expect(queue.stdout.contains(items.omar.id))
            // The automatic filing of Omar's report is audited on its document: the shortest prefix no other id shares.
            var others = try await installation.store.queueItems(kind: nil, state: nil, caseID: nil).map(\.id)
            for source in try await installation.store.sources(in: Set(SourceState.allCases)) {
                others.append(source.id)
                others += try await installation.store.documents(of: source.id).map(\.id)
            }
            let document = items.omar.documentID
            others.removeAll { $0 == document }
            let length = (3...document.count).first { n in !others.contains { $0.hasPrefix(document.prefix(n)) } }
                ?? document.count
            let audit = try installation.fileroom(["audit", "list", "--item", String(document.prefix(length)), "--json"])
            #expect(audit.status == 0, "\(audit.stderr)")
            let entries = try jsonLines(audit.stdout)
            #expect(!entries.isEmpty, "the automatic filing of Omar's report is audited")
            #expect(entries.allSatisfy { ($0["item"] as? String) == document })
            let zx = try installation.fileroom(["audit", "list", "--case", "ZX", "--json"])
            #expect(try jsonLines(zx.stdout).map { $0["action"] as? String }.contains("case.close"), "\(zx.stdout)")
        }
    }
}
