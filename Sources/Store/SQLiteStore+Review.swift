import FileroomModel
import Foundation
internal import GRDB

/// Staff actions on review and unmatched items (issue 6). Each is one transaction with its audit entry; moving the
/// document's files is the caller's, done idempotently around the call.
extension SQLiteStore {
    static func openReviewItem(_ db: Database, _ itemID: String) throws -> (QueueItem, DocumentRecord) {
        guard let row = try Row.fetchOne(db, sql: queueItemSelect + " WHERE q.id = ?", arguments: [itemID]) else {
            throw StoreError.notFound(kind: "item", id: itemID)
        }
        let item = try queueItem(row)
        guard let document = try fetchDocument(db, item.documentID) else {
            throw StoreError.notFound(kind: "document", id: item.documentID)
        }
        return (item, document)
    }

    static func requireReviewable(_ item: QueueItem) throws {
        guard item.kind == .review || item.kind == .unmatched else {
            throw StoreError.conflict("item \(item.id) is in the \(item.kind.rawValue) queue, not review or unmatched")
        }
        guard item.state == .open else { throw StoreError.conflict("item \(item.id) is already done") }
    }

    static func closeItems(_ db: Database, document id: String, kinds: [QueueKind], actor: String, at: String) throws {
        for kind in kinds {
            try db.execute(
                sql: "UPDATE queue_items SET state = 'done', done_at = ?, done_by = ? WHERE document_id = ? AND kind = ? AND state = 'open'",
                arguments: [at, AuditActor.display(actor), id, kind.rawValue]
            )
        }
    }

    /// Files the item's document to an open case on a person's word (`review assign`, `review confirm`): closes the
    /// review or unmatched item and opens the reader queue item of its type. A case outside the candidates is accepted
    /// and audited as such (`outsideCandidates` in the result). Refused, changing nothing: unknown or closed case,
    /// item not open. Repeating a done assignment to the same case returns it unchanged.
    public func assignReviewItem(
        _ itemID: String, to caseID: CaseID, actor: String, reason: String?, filedPath: String?
    ) async throws(StoreError) -> (document: DocumentRecord, outsideCandidates: Bool) {
        let at = timestamp()
        return try await write { db in
            let (item, document) = try SQLiteStore.openReviewItem(db, itemID)
            let outside = !item.candidates.contains { $0.caseID == caseID }
            if item.state == .done, document.status == .filed, document.caseID == caseID {
                return (document, outside)
            }
            try SQLiteStore.requireReviewable(item)
            guard let status = try String.fetchOne(
                db, sql: "SELECT status FROM cases WHERE case_id = ?", arguments: [caseID.rawValue])
            else { throw StoreError.notFound(kind: "case", id: caseID.rawValue) }
            guard status == CaseStatus.open.rawValue else {
                throw StoreError.conflict("case \(caseID) is closed: it takes no documents")
            }
            try db.execute(
                sql: """
                    UPDATE documents SET status = 'filed', case_id = ?, filed_path = COALESCE(?, filed_path), updated_at = ?
                    WHERE id = ?
                    """,
                arguments: [caseID.rawValue, StoredPath.stored(filedPath), at, document.id]
            )
            try SQLiteStore.closeItems(db, document: document.id, kinds: [.review, .unmatched], actor: actor, at: at)
            if let reader = QueueKind.reader(for: document.queue) {
                _ = try SQLiteStore.openItem(db, document: document.id, kind: reader, at: at)
            }
            guard let updated = try SQLiteStore.fetchDocument(db, document.id) else {
                throw StoreError.notFound(kind: "document", id: document.id)
            }
            var after = try StoredRecords.documentJSON(updated)
            if outside { after = String(after.dropLast()) + #","outside_candidates":true}"# }
            _ = try SQLiteStore.appendAudit(
                db, at: at,
                AuditInput(
                    actor: actor, action: "review.assign", item: itemID, caseID: caseID.rawValue,
                    before: try StoredRecords.documentJSON(document), after: after, reason: reason
                )
            )
            return (updated, outside)
        }
    }

    /// Changes the type (and so the filing queue) of the item's document (`review retype`).
    public func retypeReviewItem(_ itemID: String, to type: DocumentType, actor: String, reason: String?)
        async throws(StoreError) -> DocumentRecord
    {
        let at = timestamp()
        return try await write { db in
            let (item, document) = try SQLiteStore.openReviewItem(db, itemID)
            try SQLiteStore.requireReviewable(item)
            guard document.type != type else { return document }
            try db.execute(
                sql: "UPDATE documents SET type = ?, queue = ?, updated_at = ? WHERE id = ?",
                arguments: [type.rawValue, type.queue.rawValue, at, document.id]
            )
            guard let updated = try SQLiteStore.fetchDocument(db, document.id) else {
                throw StoreError.notFound(kind: "document", id: document.id)
            }
            _ = try SQLiteStore.appendAudit(
                db, at: at,
                AuditInput(
                    actor: actor, action: "review.retype", item: itemID, caseID: document.caseID?.rawValue,
                    before: try StoredRecords.documentJSON(document), after: try StoredRecords.documentJSON(updated),
                    reason: reason
                )
            )
            return updated
        }
    }

    /// Rejects the item's document (not ours, junk): it is filed nowhere (`review reject`).
    public func rejectReviewItem(_ itemID: String, actor: String, reason: String) async throws(StoreError)
        -> DocumentRecord
    {
        let at = timestamp()
        return try await write { db in
            let (item, document) = try SQLiteStore.openReviewItem(db, itemID)
            if item.state == .done, document.status == .rejected { return document }
            try SQLiteStore.requireReviewable(item)
            try db.execute(
                sql: "UPDATE documents SET status = 'rejected', case_id = NULL, updated_at = ? WHERE id = ?",
                arguments: [at, document.id]
            )
            try SQLiteStore.closeItems(db, document: document.id, kinds: [.review, .unmatched], actor: actor, at: at)
            guard let updated = try SQLiteStore.fetchDocument(db, document.id) else {
                throw StoreError.notFound(kind: "document", id: document.id)
            }
            _ = try SQLiteStore.appendAudit(
                db, at: at,
                AuditInput(
                    actor: actor, action: "review.reject", item: itemID, caseID: document.caseID?.rawValue,
                    before: try StoredRecords.documentJSON(document), after: try StoredRecords.documentJSON(updated),
                    reason: reason
                )
            )
            return updated
        }
    }

    /// Splits the item's document before `page` (`review split --at PAGE`): the item keeps the first part, a new
    /// review item holds the second (same type, fields and candidates until a person says otherwise).
    /// Refused when `page` is not inside the document after its first page.
    public func splitReviewItem(_ itemID: String, atPage page: Int, actor: String) async throws(StoreError)
        -> (first: QueueItem, second: QueueItem)
    {
        let at = timestamp()
        return try await write { db in
            let (item, document) = try SQLiteStore.openReviewItem(db, itemID)
            try SQLiteStore.requireReviewable(item)
            guard page > document.firstPage, page <= document.lastPage else {
                throw StoreError.invalid(
                    "page \(page) is out of range: the document has pages \(document.firstPage)-\(document.lastPage)"
                )
            }
            try db.execute(
                sql: "UPDATE documents SET ordinal = ordinal + 1 WHERE source_id = ? AND ordinal > ?",
                arguments: [document.sourceID, document.ordinal]
            )
            try db.execute(
                sql: "UPDATE documents SET last_page = ?, updated_at = ? WHERE id = ?",
                arguments: [page - 1, at, document.id]
            )
            let secondID = Identifier.make(prefix: "doc_")
            try db.execute(
                sql: """
                    INSERT INTO documents (id, source_id, ordinal, first_page, last_page, type, type_confidence, evidence,
                      fields, status, case_id, queue, confidence, decision, filed_path, created_at, updated_at)
                    SELECT ?, source_id, ordinal + 1, ?, ?, type, type_confidence, evidence, fields, status, case_id,
                      queue, confidence, decision, NULL, ?, ?
                    FROM documents WHERE id = ?
                    """,
                arguments: [secondID, page, document.lastPage, at, at, document.id]
            )
            let second = try SQLiteStore.openItem(db, document: secondID, kind: item.kind, at: at)
            let (first, _) = try SQLiteStore.openReviewItem(db, itemID)
            _ = try SQLiteStore.appendAudit(
                db, at: at,
                AuditInput(
                    actor: actor, action: "review.split", item: itemID, caseID: document.caseID?.rawValue,
                    before: #"{"pages":"\#(document.firstPage)-\#(document.lastPage)"}"#,
                    after: #"{"pages":"\#(document.firstPage)-\#(page - 1)","new_item":"\#(second.id)","new_pages":"\#(page)-\#(document.lastPage)"}"#
                )
            )
            return (first, second)
        }
    }
}
