import FileroomModel
import Foundation
import PostgresNIO
import Store

extension PostgresStore {
    /// Appends inside the caller's write transaction, so an action and its audit entry commit together.
    static func appendAudit(_ db: PostgresDatabase, at: String, _ input: AuditInput) async throws -> AuditEntry {
        // One chain under concurrent writers: appends queue on this lock until the transaction ends. A writer whose
        // snapshot predates the last append collides on the id and is retried with a fresh snapshot.
        try await db.execute(sql: "SELECT pg_advisory_xact_lock(?)", arguments: [PostgresStore.auditLock])
        let last = try await PGRow.fetchOne(db, sql: "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")
        let entry = SQLiteStore.nextAuditEntry(afterID: last?["id"], hash: last?["hash"], at: at, input)
        try await db.execute(
            sql: """
                INSERT INTO audit_log (id, at, actor, action, item, case_id, before, after, reason, prev_hash, hash,
                  on_behalf_of)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                entry.id, entry.at, entry.actor, entry.action, entry.item, entry.caseID, entry.before, entry.after,
                entry.reason, entry.prevHash, entry.hash, entry.onBehalfOf,
            ]
        )
        return entry
    }

    static func auditEntry(_ row: PGRow) throws -> AuditEntry {
        try StoredRecords.auditEntry(PostgresStoredRow(row))
    }

    public func appendAudit(_ entry: AuditInput) async throws(StoreError) -> AuditEntry {
        let at = timestamp()
        return try await write { db in try await PostgresStore.appendAudit(db, at: at, entry) }
    }

    public func auditEntries(item: String? = nil, caseID: String? = nil) async throws(StoreError) -> [AuditEntry] {
        try await read { db in
            var clauses: [String] = []
            var arguments: StatementArguments = []
            if let item {
                clauses.append("item = ?")
                arguments += [item]
            }
            if let caseID {
                clauses.append("case_id = ?")
                arguments += [caseID]
            }
            let whereClause = clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")
            return try await PGRow.fetchAll(db, sql: "SELECT * FROM audit_log" + whereClause + " ORDER BY id", arguments: arguments)
                .map(PostgresStore.auditEntry)
        }
    }

    /// The chain alone: no checkpoint file here. Several hosts append to one chain, and a file appended from
    /// several hosts on a network share would tear; the database's own backups and WAL archive play that part.
    public func verifyAudit() async throws(StoreError) -> AuditVerification {
        try await read { db in
            var chain = AuditChainCheck()
            for row in try await PGRow.fetchAll(
                db,
                sql: """
                    SELECT id, at, actor, action, item, case_id, before, after, reason, prev_hash, hash, on_behalf_of
                    FROM audit_log ORDER BY id
                    """
            ) {
                guard
                    chain.check(
                        id: row["id"] ?? -1, at: row["at"], actor: row["actor"], action: row["action"], item: row["item"],
                        caseID: row["case_id"], before: row["before"], after: row["after"], reason: row["reason"],
                        prevHash: row["prev_hash"], hash: row["hash"], onBehalfOf: row["on_behalf_of"]
                    )
                else { break }
            }
            let total = try await Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_log") ?? 0
            return chain.verification(checkpoints: [], total: total)
        }
    }

    /// The chain's head (entry count and last hash), for the heartbeat's log line.
    public func auditHead() async throws(StoreError) -> (count: Int64, hash: String) {
        try await read { db in
            let row = try await PGRow.fetchOne(db, sql: "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")
            return (row?["id"] ?? 0, row?["hash"] ?? SQLiteStore.genesisHash)
        }
    }

    // MARK: Reporting

    public func export() async throws(StoreError) -> [ExportSource] {
        try await read { db in
            let sources = try await PGRow.fetchAll(db, sql: "SELECT * FROM sources ORDER BY received_at, id")
                .map(PostgresStore.sourceRecord)
            let documents = try await PGRow.fetchAll(db, sql: "SELECT * FROM documents ORDER BY source_id, ordinal")
                .map(PostgresStore.documentRecord)
            return SQLiteStore.exportSources(sources, documents: documents)
        }
    }

    public func counts() async throws(StoreError) -> StoreCounts {
        try await read { db in
            var byState = Dictionary(uniqueKeysWithValues: SourceState.allCases.map { ($0, 0) })
            for row in try await PGRow.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM sources GROUP BY state") {
                if let state = (row["state"] as String?).flatMap(SourceState.init(rawValue:)) { byState[state] = row["n"] }
            }
            var byStatus = Dictionary(uniqueKeysWithValues: DocumentStatus.allCases.map { ($0, 0) })
            for row in try await PGRow.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM documents GROUP BY status") {
                if let status = (row["status"] as String?).flatMap(DocumentStatus.init(rawValue:)) { byStatus[status] = row["n"] }
            }
            var queues = Dictionary(uniqueKeysWithValues: QueueKind.allCases.map { ($0, 0) })
            for row in try await PGRow.fetchAll(db, sql: "SELECT kind, COUNT(*) AS n FROM queue_items WHERE state = 'open' GROUP BY kind") {
                if let kind = (row["kind"] as String?).flatMap(QueueKind.init(rawValue:)) { queues[kind] = row["n"] }
            }
            let poison = try await Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM sources WHERE state = 'rejected' AND reject_reason = 'poison'"
            ) ?? 0
            let oldest = try await PGRow.fetchOne(
                db,
                sql: """
                    SELECT id, received_at FROM sources WHERE state IN ('claimed', 'decoded', 'understood', 'matched')
                    ORDER BY received_at, id LIMIT 1
                    """
            ).map { (id: $0["id"] as String? ?? "", receivedAt: $0["received_at"] as String? ?? "") }
            let oldestReview = try await PGRow.fetchOne(
                db,
                sql: "SELECT id, created_at FROM queue_items WHERE kind = 'review' AND state = 'open' ORDER BY created_at, id LIMIT 1"
            ).map { (id: $0["id"] as String? ?? "", createdAt: $0["created_at"] as String? ?? "") }
            let errors = try await PGRow.fetchAll(
                db,
                sql: """
                    SELECT id, reject_reason, updated_at FROM sources WHERE state = 'rejected'
                    ORDER BY updated_at DESC, id DESC LIMIT 5
                    """
            ).map {
                (sourceID: $0["id"] as String? ?? "", reason: $0["reject_reason"] as String? ?? "", at: $0["updated_at"] as String? ?? "")
            }
            let retries = try await PGRow.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) AS n, MIN(retry_since) AS since FROM sources
                    WHERE retry_count > 0 AND state IN ('claimed', 'decoded', 'understood', 'matched')
                    """
            )
            return StoreCounts(
                sourcesByState: byState, poison: poison, documentsByStatus: byStatus, openQueueItems: queues,
                oldestUnfinished: oldest, oldestOpenReview: oldestReview, lastErrors: errors,
                retrying: retries?["n"] ?? 0, oldestRetrySince: retries?["since"]
            )
        }
    }
}
