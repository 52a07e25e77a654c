import FileroomModel
import Foundation
internal import GRDB

extension SQLiteStore {
    static func documentRecord(_ row: Row) throws -> DocumentRecord {
        try StoredRecords.documentRecord(SQLiteRow(row))
    }

    static func fetchDocument(_ db: Database, _ id: String) throws -> DocumentRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM documents WHERE id = ?", arguments: [id]).map(documentRecord)
    }

    static func insertDocuments(
        _ db: Database, source id: String, _ documents: [ExtractedDocument], at: String
    ) throws -> [DocumentRecord] {
        _ = try requireSource(db, id)
        let filed = try Int.fetchOne(
            db, sql: "SELECT COUNT(*) FROM documents WHERE source_id = ? AND status = 'filed' AND filed_path IS NOT NULL",
            arguments: [id]
        ) ?? 0
        guard filed == 0 else {
            throw StoreError.conflict("source \(id) already has filed documents: its documents can't be replaced")
        }
        let pageCount = try Int.fetchOne(db, sql: "SELECT page_count FROM sources WHERE id = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM documents WHERE source_id = ?", arguments: [id])
        var records: [DocumentRecord] = []
        for (ordinal, document) in documents.enumerated() {
            guard document.firstPage >= 1, document.lastPage >= document.firstPage,
                pageCount.map({ document.lastPage <= $0 }) ?? true
            else {
                throw StoreError.invalid("document \(ordinal) of source \(id) has pages out of range")
            }
            let documentID = Identifier.make(prefix: "doc_")
            try db.execute(
                sql: """
                    INSERT INTO documents (id, source_id, ordinal, first_page, last_page, type, type_confidence, evidence,
                      fields, status, queue, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)
                    """,
                arguments: [
                    documentID, id, ordinal, document.firstPage, document.lastPage, document.type.rawValue,
                    document.typeConfidence, try JSONColumn.encode(document.evidence),
                    try JSONColumn.encode(document.fields), document.type.queue.rawValue, at, at,
                ]
            )
            if let record = try fetchDocument(db, documentID) { records.append(record) }
        }
        return records
    }

    public func recordUnderstood(source id: String, _ understood: UnderstoodSource) async throws(StoreError)
        -> [DocumentRecord]
    {
        let at = timestamp()
        return try await write { db in
            let records = try SQLiteStore.insertDocuments(db, source: id, understood.documents, at: at)
            try db.execute(
                sql: """
                    UPDATE sources SET state = 'understood', declared_pages = ?, page_count = COALESCE(page_count, ?),
                      sender_fax = COALESCE(sender_fax, ?), updated_at = ?
                    WHERE id = ?
                    """,
                arguments: [understood.declaredPages, understood.receivedPages, understood.senderFax, at, id]
            )
            return records
        }
    }

    public func replaceDocuments(source id: String, _ documents: [ExtractedDocument]) async throws(StoreError)
        -> [DocumentRecord]
    {
        let at = timestamp()
        return try await write { db in try SQLiteStore.insertDocuments(db, source: id, documents, at: at) }
    }

    public func documents(of sourceID: String) async throws(StoreError) -> [DocumentRecord] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM documents WHERE source_id = ? ORDER BY ordinal", arguments: [sourceID])
                .map(SQLiteStore.documentRecord)
        }
    }

    public func document(_ id: String) async throws(StoreError) -> DocumentRecord? {
        try await read { db in try SQLiteStore.fetchDocument(db, id) }
    }

    public func documents(forCase caseID: CaseID) async throws(StoreError) -> [DocumentRecord] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT d.* FROM documents d JOIN sources s ON s.id = d.source_id
                    WHERE d.case_id = ? ORDER BY s.received_at, s.id, d.ordinal
                    """,
                arguments: [caseID.rawValue]
            ).map(SQLiteStore.documentRecord)
        }
    }

    static func storeDecision(_ db: Database, _ outcome: DocumentFiling, at: String) throws {
        guard try fetchDocument(db, outcome.documentID) != nil else {
            throw StoreError.notFound(kind: "document", id: outcome.documentID)
        }
        if let caseID = outcome.filing.caseID,
            try Int.fetchOne(db, sql: "SELECT 1 FROM cases WHERE case_id = ?", arguments: [caseID.rawValue]) == nil
        {
            throw StoreError.notFound(kind: "case", id: caseID.rawValue)
        }
        try db.execute(
            sql: """
                UPDATE documents SET status = ?, case_id = ?, confidence = ?, decision = ?, updated_at = ? WHERE id = ?
                """,
            arguments: [
                outcome.filing.documentStatus.rawValue, outcome.filing.caseID?.rawValue, outcome.filing.confidence,
                try JSONColumn.encode(outcome.decision), at, outcome.documentID,
            ]
        )
    }

    public func recordDecision(_ outcome: DocumentFiling) async throws(StoreError) {
        let at = timestamp()
        try await write { db in try SQLiteStore.storeDecision(db, outcome, at: at) }
    }

    public func recordMatched(source id: String, outcomes: [DocumentFiling]) async throws(StoreError) {
        let at = timestamp()
        try await write { db in
            _ = try SQLiteStore.requireSource(db, id)
            for outcome in outcomes {
                try SQLiteStore.storeDecision(db, outcome, at: at)
                // Automatic filings are audited like a person's, with the actor `fileroom` (issue 13).
                if outcome.filing.destination == .filed, let caseID = outcome.filing.caseID {
                    _ = try SQLiteStore.appendAudit(
                        db, at: at,
                        AuditInput(
                            actor: "fileroom", action: "intake.file", item: outcome.documentID, caseID: caseID.rawValue,
                            after: try JSONColumn.encode([
                                "status": "filed", "case_id": caseID.rawValue,
                                "confidence": String(format: "%.4f", outcome.filing.confidence),
                            ]),
                            reason: outcome.filing.reason
                        )
                    )
                }
            }
            try db.execute(sql: "UPDATE sources SET state = 'matched', updated_at = ? WHERE id = ?", arguments: [at, id])
        }
    }

    public func markFiled(document id: String, path: String?) async throws(StoreError) -> QueueItem? {
        let at = timestamp()
        return try await write { db in
            guard let document = try SQLiteStore.fetchDocument(db, id) else {
                throw StoreError.notFound(kind: "document", id: id)
            }
            try db.execute(
                sql: "UPDATE documents SET filed_path = COALESCE(?, filed_path), updated_at = ? WHERE id = ?",
                arguments: [StoredPath.stored(path), at, id]
            )
            let kind: QueueKind?
            switch document.status {
            case .filed: kind = QueueKind.reader(for: document.queue)
            case .review: kind = .review
            case .unmatched: kind = .unmatched
            case .pending, .rejected: kind = nil
            }
            guard let kind else { return nil }
            return try SQLiteStore.openItem(db, document: id, kind: kind, at: at)
        }
    }

    // MARK: Queue items

    package static let queueItemSelect = """
        SELECT q.id, q.document_id, q.kind, q.state, q.created_at, q.done_at, q.done_by,
          d.source_id, d.first_page, d.last_page, d.type, d.case_id, d.confidence, d.decision, d.filed_path,
          s.received_at
        FROM queue_items q JOIN documents d ON d.id = q.document_id JOIN sources s ON s.id = d.source_id
        """

    static func queueItem(_ row: Row) throws -> QueueItem {
        try StoredRecords.queueItem(SQLiteRow(row))
    }

    static func openItem(_ db: Database, document id: String, kind: QueueKind, at: String) throws -> QueueItem {
        if let existing = try Row.fetchOne(
            db, sql: queueItemSelect + " WHERE q.document_id = ? AND q.kind = ? AND q.state = 'open'",
            arguments: [id, kind.rawValue]
        ) {
            return try queueItem(existing)
        }
        guard try fetchDocument(db, id) != nil else { throw StoreError.notFound(kind: "document", id: id) }
        let itemID = Identifier.make(prefix: "q_")
        try db.execute(
            sql: "INSERT INTO queue_items (id, document_id, kind, state, created_at) VALUES (?, ?, ?, 'open', ?)",
            arguments: [itemID, id, kind.rawValue, at]
        )
        guard let row = try Row.fetchOne(db, sql: queueItemSelect + " WHERE q.id = ?", arguments: [itemID]) else {
            throw StoreError.notFound(kind: "queue item", id: itemID)
        }
        return try queueItem(row)
    }

    public func openQueueItem(document id: String, kind: QueueKind) async throws(StoreError) -> QueueItem {
        let at = timestamp()
        return try await write { db in try SQLiteStore.openItem(db, document: id, kind: kind, at: at) }
    }

    public func queueItems(kind: QueueKind?, state: QueueItemState? = .open, caseID: CaseID? = nil)
        async throws(StoreError) -> [QueueItem]
    {
        try await read { db in
            var clauses: [String] = []
            var arguments: StatementArguments = []
            if let kind {
                clauses.append("q.kind = ?")
                arguments += [kind.rawValue]
            }
            if let state {
                clauses.append("q.state = ?")
                arguments += [state.rawValue]
            }
            if let caseID {
                clauses.append("d.case_id = ?")
                arguments += [caseID.rawValue]
            }
            let whereClause = clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")
            return try Row.fetchAll(
                db, sql: SQLiteStore.queueItemSelect + whereClause + " ORDER BY q.created_at, q.id", arguments: arguments
            ).map(SQLiteStore.queueItem)
        }
    }

    public func queueItem(_ id: String) async throws(StoreError) -> QueueItem? {
        try await read { db in
            try Row.fetchOne(db, sql: SQLiteStore.queueItemSelect + " WHERE q.id = ?", arguments: [id]).map(SQLiteStore.queueItem)
        }
    }

    public func markQueueItemDone(_ id: String, by actor: String, reason: String?) async throws(StoreError) -> Bool {
        let at = timestamp()
        return try await write { db in
            guard let row = try Row.fetchOne(db, sql: SQLiteStore.queueItemSelect + " WHERE q.id = ?", arguments: [id]) else {
                throw StoreError.notFound(kind: "queue item", id: id)
            }
            let item = try SQLiteStore.queueItem(row)
            guard item.state == .open else { return false }
            try db.execute(
                sql: "UPDATE queue_items SET state = 'done', done_at = ?, done_by = ?, note = ? WHERE id = ?",
                arguments: [at, AuditActor.display(actor), reason, id]
            )
            _ = try SQLiteStore.appendAudit(
                db, at: at,
                AuditInput(
                    actor: actor, action: "queue.done", item: id, caseID: item.caseID?.rawValue,
                    before: #"{"state":"open"}"#, after: #"{"state":"done"}"#, reason: reason
                )
            )
            return true
        }
    }
}
