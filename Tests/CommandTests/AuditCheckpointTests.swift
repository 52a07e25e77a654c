import FileroomModel
import Foundation
import GRDB
import Settings
@testable import Store
import TestSupport
import Testing

@Suite("an audit trail that deletion and re-hashing cannot fool")
struct AuditCheckpointTests {
    /// Works on the database file directly, as someone going around the tool would: triggers dropped first.
    func tamper(_ installation: ReviewInstallation, _ body: @escaping @Sendable (Database) throws -> Void) async throws {
        let raw = try DatabaseQueue(path: installation.settings.database)
        try await raw.write { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS audit_log_no_update")
            try db.execute(sql: "DROP TRIGGER IF EXISTS audit_log_no_delete")
            try body(db)
        }
    }

    /// A scene with a few staff actions on top of the daemon's automatic filings.
    func sceneWithActions(home: String) async throws -> (ReviewInstallation, Int) {
        let installation = try await ReviewInstallation.scene(home: home)
        let items = try await SceneItems(installation)
        #expect(try installation.fileroom(["review", "assign", items.pathology.id, "SO-T-001", "--confirm", "--by", "ann"]).status == 0)
        #expect(try installation.fileroom(["review", "reject", items.stranger.id, "--reason", "not ours"]).status == 0)
        #expect(try installation.fileroom(["queue", "done", items.omar.id]).status == 0)
        let count = try await installation.store.auditEntries(item: nil, caseID: nil).count
        return (installation, count)
    }

    @Test func automaticFilingsAreAuditedAsFileroomAndStaffAsTheOperatingSystemUser() async throws {
        try await withTemporaryDirectory { home in
            let (installation, count) = try await sceneWithActions(home: home)
            let items = try await installation.store.queueItems(kind: .radiology, state: nil, caseID: nil)
            let omar = try #require(items.first { $0.caseID?.rawValue == "SO-T-002" })
            let filing = try #require(try await installation.store.auditEntries(item: omar.documentID, caseID: nil).first)
            #expect(filing.actor == "fileroom")
            #expect(filing.action == "intake.file")
            #expect(filing.caseID == "SO-T-002")
            let assign = try #require(try await installation.store.auditEntries(item: nil, caseID: nil).first { $0.action == "review.assign" })
            #expect(assign.actor == osUser())
            #expect(assign.onBehalfOf == "ann")
            // One checkpoint line per entry, beside the database.
            let lines = try String(contentsOfFile: "\(home)/audit.checkpoints", encoding: .utf8).split(separator: "\n")
            #expect(lines.count == count)
            #expect(try installation.fileroom(["audit", "verify"]).stdout == "audit chain intact: \(count) entries checked\n")
        }
    }

    @Test func deletingTheLastEntriesIsReportedAsTruncation() async throws {
        try await withTemporaryDirectory { home in
            let (installation, count) = try await sceneWithActions(home: home)
            try await tamper(installation) { db in
                try db.execute(sql: "DELETE FROM audit_log WHERE id > ?", arguments: [count - 2])
            }
            let verify = try installation.fileroom(["audit", "verify"])
            #expect(verify.status == 1)
            #expect(verify.stdout == "audit chain broken at entry \(count - 1) (\(count - 2) entries before it hold): "
                + "missing: the checkpoints record \(count) entries, the table holds \(count - 2)\n")
        }
    }

    @Test func deletingEveryEntryIsReported() async throws {
        try await withTemporaryDirectory { home in
            let (installation, count) = try await sceneWithActions(home: home)
            try await tamper(installation) { db in try db.execute(sql: "DELETE FROM audit_log") }
            let verify = try installation.fileroom(["audit", "verify"])
            #expect(verify.status == 1)
            #expect(verify.stdout == "audit chain broken at entry 1 (0 entries before it hold): "
                + "missing: the checkpoints record \(count) entries, the table holds 0\n")
        }
    }

    @Test func anEditedAndReHashedChainIsReportedAtTheEditedEntry() async throws {
        try await withTemporaryDirectory { home in
            let (installation, count) = try await sceneWithActions(home: home)
            let entries = try await installation.store.auditEntries(item: nil, caseID: nil)
            let edited = try #require(entries.first { $0.action == "review.reject" })
            try await tamper(installation) { db in
                try db.execute(sql: "UPDATE audit_log SET reason = 'ours after all' WHERE id = ?", arguments: [edited.id])
                // Re-hash from the edit on, so the chain alone holds again.
                var previous = entries.first { $0.id == edited.id - 1 }?.hash ?? SQLiteStore.genesisHash
                for row in try Row.fetchAll(db, sql: "SELECT * FROM audit_log WHERE id >= ? ORDER BY id", arguments: [edited.id]) {
                    let id: Int64 = row["id"]
                    let hash = SQLiteStore.entryHash(
                        id: id, at: row["at"], actor: row["actor"], action: row["action"], item: row["item"],
                        caseID: row["case_id"], before: row["before"], after: row["after"], reason: row["reason"],
                        prevHash: previous, onBehalfOf: row["on_behalf_of"]
                    )
                    try db.execute(sql: "UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?", arguments: [previous, hash, id])
                    previous = hash
                }
            }
            #expect(try await installation.store.auditEntries(item: nil, caseID: nil).count == count)
            let verify = try installation.fileroom(["audit", "verify"])
            #expect(verify.status == 1)
            #expect(verify.stdout.hasPrefix(
                "audit chain broken at entry \(edited.id) (\(edited.id - 1) entries before it hold): its hash differs from the checkpoint of "
            ))
        }
    }
}

@Suite("cases import keeps a closed case closed; reopening is explicit")
struct CaseStatusImportTests {
    @Test func aCaseClosedByCommandIsNotReopenedByAReImportAndReopenIsAudited() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await ReviewInstallation.make(home: home)
            let header = "case_id,status,patient_last,patient_first,dob"
            let csv = "\(home)/cases.csv"
            try "\(header)\nSO-X-001,open,Arias,Lena,1960-02-03\nSO-X-002,open,Arias,Marco,1958-07-09\n"
                .write(toFile: csv, atomically: true, encoding: .utf8)
            #expect(try installation.fileroom(["cases", "import", csv]).status == 0)
            #expect(try installation.fileroom(["cases", "close", "SO-X-001", "--reason", "done"]).status == 0)

            let again = try installation.fileroom(["cases", "import", csv])
            #expect(again.status == 0, "\(again.stderr)")
            #expect(again.lines.last == "1 closed case(s) listed as open were left closed (cases reopen CASE --reason TEXT, or import with --update-status)")
            #expect(try await installation.store.case(CaseID(rawValue: "SO-X-001")!)?.status == .closed)

            // Without a status column nothing's status changes, and a new case opens.
            let noStatus = "\(home)/no-status.csv"
            try "case_id,patient_last,patient_first,dob\nSO-X-001,Arias,Lena,1960-02-03\nSO-X-003,Bell,Ada,1970-01-01\n"
                .write(toFile: noStatus, atomically: true, encoding: .utf8)
            #expect(try installation.fileroom(["cases", "import", noStatus]).status == 0)
            #expect(try await installation.store.case(CaseID(rawValue: "SO-X-001")!)?.status == .closed)
            #expect(try await installation.store.case(CaseID(rawValue: "SO-X-003")!)?.status == .open)

            // The list may close a case; only --update-status lets it reopen one.
            try "\(header)\nSO-X-002,closed,Arias,Marco,1958-07-09\n".write(toFile: csv, atomically: true, encoding: .utf8)
            #expect(try installation.fileroom(["cases", "import", csv]).status == 0)
            #expect(try await installation.store.case(CaseID(rawValue: "SO-X-002")!)?.status == .closed)
            try "\(header)\nSO-X-002,open,Arias,Marco,1958-07-09\n".write(toFile: csv, atomically: true, encoding: .utf8)
            #expect(try installation.fileroom(["cases", "import", csv, "--update-status"]).status == 0)
            #expect(try await installation.store.case(CaseID(rawValue: "SO-X-002")!)?.status == .open)

            let reopen = try installation.fileroom(["cases", "reopen", "SO-X-001", "--reason", "new referral"])
            #expect(reopen.status == 0, "\(reopen.stderr)")
            #expect(reopen.stdout == "reopened SO-X-001\n")
            #expect(try await installation.store.case(CaseID(rawValue: "SO-X-001")!)?.status == .open)
            let entry = try #require(try await installation.store.auditEntries(item: "SO-X-001", caseID: nil).last)
            #expect(entry.action == "case.reopen")
            #expect(entry.reason == "new referral")
            #expect(try installation.fileroom(["cases", "reopen", "SO-X-001", "--reason", "x"]).stdout == "SO-X-001 was already open\n")
        }
    }
}
