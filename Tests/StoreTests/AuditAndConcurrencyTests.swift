import FileroomModel
import Foundation
import GRDB
import Store
import Testing

@Suite struct AuditAndConcurrencyTests {
    @Test func theChainHoldsAndCatchesARowChangedBehindTheToolsBack() async throws {
        try await withStore { store, path in
            for index in 1...5 {
                _ = try await store.appendAudit(
                    AuditInput(actor: "ann", action: "review.assign", item: "q_\(index)", caseID: "SO-1",
                               before: #"{"case_id":null}"#, after: #"{"case_id":"SO-1"}"#, reason: "checked")
                )
            }
            #expect(try await store.verifyAudit() == AuditVerification(checked: 5, firstBroken: nil))
            let entries = try await store.auditEntries(item: nil, caseID: nil)
            #expect(entries.count == 5)
            #expect(entries[1].prevHash == entries[0].hash)
            #expect(try await store.auditEntries(item: "q_3", caseID: nil).map(\.id) == [3])

            // The tool refuses edits...
            let raw = try DatabaseQueue(path: path)
            await #expect(throws: (any Error).self) {
                try await raw.write { db in try db.execute(sql: "UPDATE audit_log SET actor = 'mallory' WHERE id = 3") }
            }
            // ...and someone working around it is caught by the chain.
            try await raw.write { db in
                try db.execute(sql: "DROP TRIGGER audit_log_no_update")
                try db.execute(sql: "UPDATE audit_log SET reason = 'nothing to see' WHERE id = 3")
            }
            #expect(try await store.verifyAudit() == AuditVerification(checked: 2, firstBroken: 3))
        }
    }

    @Test func aDeletedRowBreaksTheChain() async throws {
        try await withStore { store, path in
            for index in 1...4 {
                _ = try await store.appendAudit(AuditInput(actor: "ann", action: "queue.done", item: "q_\(index)"))
            }
            let raw = try DatabaseQueue(path: path)
            try await raw.write { db in
                try db.execute(sql: "DROP TRIGGER audit_log_no_delete")
                try db.execute(sql: "DELETE FROM audit_log WHERE id = 2")
            }
            // The chain breaks at 3 (its link no longer holds); the checkpoints outside the database name the
            // deleted entry itself.
            let verification = try await store.verifyAudit()
            #expect(verification.firstBroken == 2)
            #expect(verification.problem?.hasPrefix("missing") == true)
        }
    }

    /// The daemon and the staff command line are two processes on one file: two pools, writing at once.
    @Test func twoPoolsWritingAtOnceLoseNoUpdate() async throws {
        try await withTemporaryFolder { folder in
            let path = folder + "/fileroom.db"
            let daemon = try SQLiteStore(path: path)
            let staff = try SQLiteStore(path: path)
            _ = try await daemon.importCases(csv: sampleCasesCSV, skipInvalid: false, actor: "test")
            let perWriter = 60
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (name, store) in [("daemon", daemon), ("staff", staff)] {
                    group.addTask {
                        for index in 0..<perWriter {
                            // Read-modify-write on one row, and appends to the chain, from both sides.
                            try await store.learnFax("6085550150", facility: "North Clinic", caseID: nil, actor: name)
                            _ = try await store.recordClaim(newSource("src_\(name)_\(index)"))
                        }
                    }
                }
                try await group.waitForAll()
            }
            let learned = try await staff.learnedFaxNumbers()
            #expect(learned.first?.confirmations == 2 * perWriter)
            #expect(try await daemon.unfinishedSources().count == 2 * perWriter)
            #expect(try await staff.verifyAudit() == AuditVerification(checked: 1 + 2 * perWriter, firstBroken: nil))
            #expect(try await daemon.integrityCheck() == ["ok"])
        }
    }
}

@Suite struct BusyTests {
    /// Another process holding the write lock past the timeout is a transient `busy`, never a rejection.
    @Test func aLockHeldPastTheTimeoutIsATransientBusyError() async throws {
        try await withTemporaryFolder { folder in
            let path = folder + "/fileroom.db"
            let store = try SQLiteStore(path: path, busyTimeout: 0.2)
            var configuration = Configuration()
            // The test holds a transaction open across calls on purpose, as another process would.
            configuration.allowsUnsafeTransactions = true
            let other = try DatabaseQueue(path: path, configuration: configuration)
            try await other.writeWithoutTransaction { db in try db.execute(sql: "BEGIN IMMEDIATE") }
            do {
                _ = try await store.recordClaim(newSource("src_busy"))
                Issue.record("a write went through a held lock")
            } catch let error as StoreError {
                #expect(error.isTransient)
                if case .busy = error {} else { Issue.record("expected busy, got \(error)") }
            }
            try await other.writeWithoutTransaction { db in try db.execute(sql: "ROLLBACK") }
            // Once the lock is gone the same write succeeds.
            _ = try await store.recordClaim(newSource("src_busy"))
            #expect(try await store.source("src_busy") != nil)
        }
    }
}
