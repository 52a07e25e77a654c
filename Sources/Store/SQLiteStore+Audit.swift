import FileroomModel
import Foundation
internal import GRDB

extension SQLiteStore {
    package static let genesisHash = String(repeating: "0", count: 64)

    /// The text an entry's hash covers: every column but the hash, each as `length:value` (`~` for null) so no
    /// two different rows read the same, then the previous entry's hash.
    /// `on_behalf_of` (added later) is covered only when set, so entries written before it keep their hashes.
    package static func canonical(
        id: Int64, at: String, actor: String, action: String, item: String?, caseID: String?, before: String?,
        after: String?, reason: String?, prevHash: String, onBehalfOf: String? = nil
    ) -> String {
        func field(_ value: String?) -> String {
            guard let value else { return "~" }
            return "\(value.utf8.count):\(value)"
        }
        var fields = [String(id), at, actor, action, item, caseID, before, after, reason, prevHash]
        if let onBehalfOf { fields.append("by " + onBehalfOf) }
        return fields.map(field).joined(separator: "|")
    }

    package static func entryHash(
        id: Int64, at: String, actor: String, action: String, item: String?, caseID: String?, before: String?,
        after: String?, reason: String?, prevHash: String, onBehalfOf: String? = nil
    ) -> String {
        SHA256.hex(
            Array(
                canonical(
                    id: id, at: at, actor: actor, action: action, item: item, caseID: caseID, before: before,
                    after: after, reason: reason, prevHash: prevHash, onBehalfOf: onBehalfOf
                ).utf8
            )
        )
    }

    /// Appends inside the caller's write transaction, so an action and its audit entry commit together.
    static func appendAudit(_ db: Database, at: String, _ input: AuditInput) throws -> AuditEntry {
        let last = try Row.fetchOne(db, sql: "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")
        let entry = nextAuditEntry(afterID: last?["id"], hash: last?["hash"], at: at, input)
        try db.execute(
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
        // Once committed, the new head goes to the checkpoint file outside the database (see AuditCheckpoints).
        db.afterNextTransaction(onCommit: { db in
            AuditCheckpoints.record(db, id: entry.id, hash: entry.hash, at: entry.at)
        })
        return entry
    }

    /// The entry that follows the chain's last one (none: the genesis), hashed: the one rule both backends append by.
    package static func nextAuditEntry(afterID lastID: Int64?, hash lastHash: String?, at: String, _ input: AuditInput)
        -> AuditEntry
    {
        let id = (lastID ?? 0) + 1
        let prevHash = lastHash ?? genesisHash
        let (actor, onBehalfOf) = AuditActor.split(input.actor)
        let hash = entryHash(
            id: id, at: at, actor: actor, action: input.action, item: input.item, caseID: input.caseID,
            before: input.before, after: input.after, reason: input.reason, prevHash: prevHash, onBehalfOf: onBehalfOf
        )
        return AuditEntry(
            id: id, at: at, actor: actor, action: input.action, item: input.item, caseID: input.caseID,
            before: input.before, after: input.after, reason: input.reason, prevHash: prevHash, hash: hash,
            onBehalfOf: onBehalfOf
        )
    }

    static func auditEntry(_ row: Row) throws -> AuditEntry {
        try StoredRecords.auditEntry(SQLiteRow(row))
    }

    public func appendAudit(_ entry: AuditInput) async throws(StoreError) -> AuditEntry {
        let at = timestamp()
        return try await write { db in try SQLiteStore.appendAudit(db, at: at, entry) }
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
            return try Row.fetchAll(db, sql: "SELECT * FROM audit_log" + whereClause + " ORDER BY id", arguments: arguments)
                .map(SQLiteStore.auditEntry)
        }
    }

    public func verifyAudit() async throws(StoreError) -> AuditVerification {
        let checkpoints = AuditCheckpoints.read(path: AuditCheckpoints.path(forDatabase: path))
        return try await read { db in
            var chain = AuditChainCheck()
            let cursor = try Row.fetchCursor(
                db,
                sql: """
                    SELECT id, at, actor, action, item, case_id, before, after, reason, prev_hash, hash, on_behalf_of
                    FROM audit_log ORDER BY id
                    """
            )
            // Read loosely: a value changed to another type by hand is a broken entry, not a crash.
            while let row = try cursor.next(),
                chain.check(
                    id: row["id"] ?? -1, at: row["at"], actor: row["actor"], action: row["action"], item: row["item"],
                    caseID: row["case_id"], before: row["before"], after: row["after"], reason: row["reason"],
                    prevHash: row["prev_hash"], hash: row["hash"], onBehalfOf: row["on_behalf_of"]
                )
            {}
            let total = try Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_log") ?? 0
            return chain.verification(checkpoints: checkpoints, total: total)
        }
    }

    /// The chain's head (entry count and last hash), for the heartbeat's log line.
    public func auditHead() async throws(StoreError) -> (count: Int64, hash: String) {
        try await read { db in
            let row = try Row.fetchOne(db, sql: "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")
            return (row?["id"] ?? 0, row?["hash"] ?? SQLiteStore.genesisHash)
        }
    }

    // MARK: Reporting

    public func export() async throws(StoreError) -> [ExportSource] {
        try await read { db in
            let sources = try Row.fetchAll(db, sql: "SELECT * FROM sources ORDER BY received_at, id").map(SQLiteStore.sourceRecord)
            let documents = try Row.fetchAll(db, sql: "SELECT * FROM documents ORDER BY source_id, ordinal")
                .map(SQLiteStore.documentRecord)
            return SQLiteStore.exportSources(sources, documents: documents)
        }
    }

    /// The export's view of sources and their documents (documents in source and ordinal order): the same on every
    /// backend.
    package static func exportSources(_ sources: [SourceRecord], documents: [DocumentRecord]) -> [ExportSource] {
        var documentsBySource: [String: [DocumentRecord]] = [:]
        for document in documents { documentsBySource[document.sourceID, default: []].append(document) }
        return sources.map { source in
            let error: String? =
                source.state == .rejected
                ? (source.errorMessage ?? source.rejectReason ?? "rejected")
                : nil
            let documents = documentsBySource[source.id] ?? []
            return ExportSource(
                file: source.originalName, sha256: source.sha256, status: source.state.exportStatus, error: error,
                pages: source.pageCount ?? 0, declaredPages: source.declaredPages,
                documents: source.state == .rejected || source.state == .duplicate
                    ? []
                    : documents.map { document in
                        let status: String =
                            switch document.status {
                            case .filed: "filed"
                            case .unmatched: "unmatched"
                            case .review, .pending, .rejected: "review"
                            }
                        return ExportDocument(
                            pages: [document.firstPage, document.lastPage], type: document.type.rawValue,
                            caseID: document.caseID?.rawValue, queue: document.queue.rawValue, status: status,
                            confidence: document.confidence ?? 0, fields: ExportFields(document.fields),
                            documentID: document.id
                        )
                    },
                sourceID: source.id, duplicateOf: source.duplicateOf
            )
        }
    }

    public func counts() async throws(StoreError) -> StoreCounts {
        try await read { db in
            var byState = Dictionary(uniqueKeysWithValues: SourceState.allCases.map { ($0, 0) })
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM sources GROUP BY state") {
                if let state = (row["state"] as String?).flatMap(SourceState.init(rawValue:)) { byState[state] = row["n"] }
            }
            var byStatus = Dictionary(uniqueKeysWithValues: DocumentStatus.allCases.map { ($0, 0) })
            for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM documents GROUP BY status") {
                if let status = (row["status"] as String?).flatMap(DocumentStatus.init(rawValue:)) { byStatus[status] = row["n"] }
            }
            var queues = Dictionary(uniqueKeysWithValues: QueueKind.allCases.map { ($0, 0) })
            for row in try Row.fetchAll(db, sql: "SELECT kind, COUNT(*) AS n FROM queue_items WHERE state = 'open' GROUP BY kind") {
                if let kind = (row["kind"] as String?).flatMap(QueueKind.init(rawValue:)) { queues[kind] = row["n"] }
            }
            let poison = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM sources WHERE state = 'rejected' AND reject_reason = 'poison'"
            ) ?? 0
            let oldest = try Row.fetchOne(
                db,
                sql: """
                    SELECT id, received_at FROM sources WHERE state IN ('claimed', 'decoded', 'understood', 'matched')
                    ORDER BY received_at, id LIMIT 1
                    """
            ).map { (id: $0["id"] as String? ?? "", receivedAt: $0["received_at"] as String? ?? "") }
            let oldestReview = try Row.fetchOne(
                db,
                sql: "SELECT id, created_at FROM queue_items WHERE kind = 'review' AND state = 'open' ORDER BY created_at, id LIMIT 1"
            ).map { (id: $0["id"] as String? ?? "", createdAt: $0["created_at"] as String? ?? "") }
            let errors = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, reject_reason, updated_at FROM sources WHERE state = 'rejected'
                    ORDER BY updated_at DESC, id DESC LIMIT 5
                    """
            ).map {
                (sourceID: $0["id"] as String? ?? "", reason: $0["reject_reason"] as String? ?? "", at: $0["updated_at"] as String? ?? "")
            }
            let retries = try Row.fetchOne(
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
