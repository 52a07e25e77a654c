import FileroomModel
import Foundation
import PostgresNIO
import Store

/// Staff corrections of a document in any state (issue 13): refile to another case, unfile back to review. Each is one
/// transaction holding the change, its audit entry, the withdrawal of the fax learning the old filing taught, and a
/// pending placement that the filing door clears once the document's files are where the record says.
extension PostgresStore {
    public func refileDocument(_ id: String, to caseID: CaseID, actor: String, reason: String, filedPath: String?)
        async throws(StoreError) -> (document: DocumentRecord, changed: Bool)
    {
        let at = timestamp()
        return try await write { db in
            guard let document = try await PostgresStore.fetchDocument(db, id) else {
                throw StoreError.notFound(kind: "document", id: id)
            }
            if document.status == .filed, document.caseID == caseID { return (document, false) }
            try StoredRecords.requireCorrectable(document)
            try await PostgresStore.requireOpenCase(db, caseID)
            let oldCase = document.status == .filed ? document.caseID : nil
            try await db.execute(
                sql: "UPDATE documents SET status = 'filed', case_id = ?, filed_path = ?, updated_at = ? WHERE id = ?",
                arguments: [caseID.rawValue, StoredPath.stored(filedPath), at, id]
            )
            try await PostgresStore.closeItems(db, document: id, kinds: [.review, .unmatched], actor: actor, at: at)
            // An open reader item follows the document (its case is the document's); none open: open one.
            if let reader = QueueKind.reader(for: document.queue) {
                _ = try await PostgresStore.openItem(db, document: id, kind: reader, at: at)
            }
            let updated = try await PostgresStore.recordCorrection(
                db, of: document, action: "review.refile", caseID: caseID, actor: actor, reason: reason, at: at
            )
            if let oldCase { try await PostgresStore.withdrawFaxLearning(db, document: document, oldCase: oldCase, actor: actor, at: at) }
            return (updated, true)
        }
    }

    public func unfileDocument(_ id: String, actor: String, reason: String, reviewPath: String)
        async throws(StoreError) -> (document: DocumentRecord, item: QueueItem, changed: Bool)
    {
        let at = timestamp()
        return try await write { db in
            guard let document = try await PostgresStore.fetchDocument(db, id) else {
                throw StoreError.notFound(kind: "document", id: id)
            }
            if document.status == .review,
                let open = try await PGRow.fetchOne(
                    db, sql: SQLiteStore.queueItemSelect + " WHERE q.document_id = ? AND q.kind = 'review' AND q.state = 'open'",
                    arguments: [id]
                ),
                try await PostgresStore.wasUnfiled(db, id)
            {
                return (document, try PostgresStore.queueItem(open), false)
            }
            guard document.status == .filed, let oldCase = document.caseID else {
                throw StoreError.conflict(
                    "document \(id) is \(document.status.rawValue), not filed: only a filed document is unfiled"
                )
            }
            try await db.execute(
                sql: "UPDATE documents SET status = 'review', case_id = NULL, filed_path = ?, updated_at = ? WHERE id = ?",
                arguments: [StoredPath.stored(reviewPath), at, id]
            )
            try await PostgresStore.closeItems(
                db, document: id, kinds: [.pathology, .radiology, .records, .unmatched], actor: actor, at: at
            )
            let item = try await PostgresStore.openItem(db, document: id, kind: .review, at: at)
            let updated = try await PostgresStore.recordCorrection(
                db, of: document, action: "review.unfile", caseID: oldCase, actor: actor, reason: reason, at: at
            )
            try await PostgresStore.withdrawFaxLearning(db, document: document, oldCase: oldCase, actor: actor, at: at)
            return (updated, item, true)
        }
    }

    public func ids(of kind: IdentifiedKind, matching prefix: String, limit: Int) async throws(StoreError) -> [String] {
        let (table, column) = kind.table
        return try await read { db in
            if try await String.fetchOne(db, sql: "SELECT \(column) FROM \(table) WHERE \(column) = ?", arguments: [prefix]) != nil {
                return [prefix]
            }
            // substr, not LIKE: ids may hold '_' and '%' would need escaping; the compare stays exact.
            return try await String.fetchAll(
                db,
                sql: "SELECT \(column) FROM \(table) WHERE substr(\(column), 1, ?) = ? ORDER BY \(column) LIMIT ?",
                arguments: [prefix.count, prefix, limit]
            )
        }
    }

    public func requeueRejected(source id: String, actor: String) async throws(StoreError) -> Bool {
        let at = timestamp()
        return try await write { db in
            let source = try await PostgresStore.requireSource(db, id)
            guard source.state == .rejected else { return false }
            for table in ["worker_deaths", "pages", "documents"] {
                try await db.execute(sql: "DELETE FROM \(table) WHERE source_id = ?", arguments: [id])
            }
            try await db.execute(
                sql: """
                    UPDATE sources SET state = 'claimed', reject_reason = NULL, error_message = NULL, deaths = 0,
                      retry_count = 0, retry_since = NULL, retry_reason = NULL, updated_at = ? WHERE id = ?
                    """,
                arguments: [at, id]
            )
            _ = try await PostgresStore.appendAudit(
                db, at: at,
                AuditInput(
                    actor: actor, action: "review.reprocess", item: id,
                    before: try JSONColumn.encode(["state": "rejected", "reason": source.rejectReason ?? ""]),
                    after: #"{"state":"claimed"}"#
                )
            )
            return true
        }
    }

    public func pendingPlacements() async throws(StoreError) -> [PendingPlacement] {
        try await read { db in
            try await PGRow.fetchAll(db, sql: "SELECT * FROM pending_placements ORDER BY requested_at, document_id").map { row in
                PendingPlacement(
                    documentID: try row.required("document_id"), action: try row.required("action"),
                    previousPaths: try JSONColumn.decode([String].self, row["previous_paths"], column: "previous_paths")
                        ?? [],
                    requestedAt: try row.required("requested_at")
                )
            }
        }
    }

    public func clearPendingPlacement(document id: String) async throws(StoreError) {
        try await write { db in
            try await db.execute(sql: "DELETE FROM pending_placements WHERE document_id = ?", arguments: [id])
        }
    }

    // MARK: Rules

    /// After a correction's update: the document as it now is, its pending placement (the file moves still owed) and
    /// its audit entry, all in the caller's transaction.
    static func recordCorrection(
        _ db: PostgresDatabase, of document: DocumentRecord, action: String, caseID: CaseID, actor: String, reason: String,
        at: String
    ) async throws -> DocumentRecord {
        guard let updated = try await fetchDocument(db, document.id) else {
            throw StoreError.notFound(kind: "document", id: document.id)
        }
        try await recordPendingPlacement(db, document: document, action: action, at: at)
        _ = try await appendAudit(
            db, at: at,
            AuditInput(
                actor: actor, action: action, item: document.id, caseID: caseID.rawValue,
                before: try StoredRecords.documentJSON(document), after: try StoredRecords.documentJSON(updated), reason: reason
            )
        )
        return updated
    }

    static func requireOpenCase(_ db: PostgresDatabase, _ caseID: CaseID) async throws {
        guard let status = try await String.fetchOne(
            db, sql: "SELECT status FROM cases WHERE case_id = ?", arguments: [caseID.rawValue])
        else { throw StoreError.notFound(kind: "case", id: caseID.rawValue) }
        guard status == CaseStatus.open.rawValue else {
            throw StoreError.conflict("case \(caseID) is closed: it takes no documents")
        }
    }

    /// Whether the document's latest audited action is an unfile (so an open review item is that unfile's).
    static func wasUnfiled(_ db: PostgresDatabase, _ id: String) async throws -> Bool {
        try await String.fetchOne(
            db, sql: "SELECT action FROM audit_log WHERE item = ? AND action LIKE 'review.%' ORDER BY id DESC LIMIT 1",
            arguments: [id]
        ) == "review.unfile"
    }

    /// Remembers where the document's files were, merged with an earlier pending placement not yet completed.
    static func recordPendingPlacement(_ db: PostgresDatabase, document: DocumentRecord, action: String, at: String) async throws {
        let earlier = try JSONColumn.decode(
            [String].self,
            try await String.fetchOne(
                db, sql: "SELECT previous_paths FROM pending_placements WHERE document_id = ?", arguments: [document.id]
            ),
            column: "previous_paths"
        ) ?? []
        var paths = earlier
        if let path = document.filedPath, !paths.contains(path) { paths.append(path) }
        try await db.execute(
            sql: """
                INSERT INTO pending_placements (document_id, action, previous_paths, requested_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (document_id) DO UPDATE SET action = excluded.action,
                  previous_paths = excluded.previous_paths, requested_at = excluded.requested_at
                """,
            arguments: [document.id, action, try JSONColumn.encode(paths), at]
        )
    }

    /// Takes back one confirmation of "this sender fax is the old case's" (what filing the document there taught);
    /// the entry goes when none is left. Audited as `fax.unlearn`.
    static func withdrawFaxLearning(
        _ db: PostgresDatabase, document: DocumentRecord, oldCase: CaseID, actor: String, at: String
    ) async throws {
        guard let fax = try await String.fetchOne(
            db, sql: "SELECT sender_fax FROM sources WHERE id = ?", arguments: [document.sourceID]),
            fax.count == 10
        else { return }
        let rows = try await PGRow.fetchAll(
            db, sql: "SELECT id, facility, confirmations FROM learned_fax_numbers WHERE fax = ? AND case_id = ?",
            arguments: [fax, oldCase.rawValue]
        )
        for row in rows {
            let rowID: Int64 = try row.required("id")
            let confirmations: Int = try row.required("confirmations")
            if confirmations > 1 {
                try await db.execute(
                    sql: "UPDATE learned_fax_numbers SET confirmations = confirmations - 1 WHERE id = ?",
                    arguments: [rowID]
                )
            } else {
                try await db.execute(sql: "DELETE FROM learned_fax_numbers WHERE id = ?", arguments: [rowID])
            }
            let facility: String = try row.required("facility")
            _ = try await PostgresStore.appendAudit(
                db, at: at,
                AuditInput(
                    actor: actor, action: "fax.unlearn", item: fax, caseID: oldCase.rawValue,
                    before: try JSONColumn.encode([
                        "fax": fax, "facility": facility, "case_id": oldCase.rawValue,
                        "confirmations": "\(confirmations)",
                    ]),
                    reason: "document \(document.id) no longer filed to \(oldCase)"
                )
            )
        }
    }
}
