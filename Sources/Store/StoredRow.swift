import FileroomModel
import Foundation

/// One result row as either backend reads it (GRDB's `Row`, postgres-nio's row), so that each record is decoded
/// from its columns by one function for both stores: the backends cannot drift apart on what a column means.
///
/// Reads are loose, as GRDB's are: a NULL, a missing column or a value of another kind is nil; `required` turns
/// that into `StoreError.corrupt` naming the column.
package protocol StoredRow {
    func text(_ column: String) -> String?
    func integer(_ column: String) -> Int64?
    func real(_ column: String) -> Double?
}

/// The column types records are made of.
package protocol StoredColumnValue {
    static func read(_ column: String, from row: some StoredRow) -> Self?
}

extension String: StoredColumnValue {
    package static func read(_ column: String, from row: some StoredRow) -> String? { row.text(column) }
}

extension Int64: StoredColumnValue {
    package static func read(_ column: String, from row: some StoredRow) -> Int64? { row.integer(column) }
}

extension Int: StoredColumnValue {
    package static func read(_ column: String, from row: some StoredRow) -> Int? { row.integer(column).map(Int.init) }
}

extension Double: StoredColumnValue {
    package static func read(_ column: String, from row: some StoredRow) -> Double? { row.real(column) }
}

extension StoredRow {
    package subscript<T: StoredColumnValue>(_ column: String) -> T? { T.read(column, from: self) }

    package func required<T: StoredColumnValue>(_ column: String) throws -> T {
        guard let value: T = self[column] else { throw StoreError.corrupt("column \(column) is null") }
        return value
    }
}

/// The records both stores read, each decoded once from its columns.
package enum StoredRecords {
    package static func documentRecord(_ row: some StoredRow) throws -> DocumentRecord {
        let id: String = try row.required("id")
        let rawType: String = try row.required("type")
        let rawStatus: String = try row.required("status")
        let rawQueue: String = try row.required("queue")
        guard let type = DocumentType(rawValue: rawType), let status = DocumentStatus(rawValue: rawStatus),
            let queue = FilingQueue(rawValue: rawQueue)
        else { throw StoreError.corrupt("type, status or queue of document \(id)") }
        let rawCase: String? = row["case_id"]
        return DocumentRecord(
            id: id, sourceID: try row.required("source_id"), ordinal: try row.required("ordinal"),
            firstPage: try row.required("first_page"), lastPage: try row.required("last_page"), type: type,
            typeConfidence: try row.required("type_confidence"),
            evidence: try JSONColumn.decode([String].self, row["evidence"], column: "documents.evidence") ?? [],
            fields: try JSONColumn.decode(DocumentFields.self, row["fields"], column: "documents.fields")
                ?? DocumentFields(),
            status: status, caseID: rawCase.flatMap(CaseID.init(rawValue:)), queue: queue,
            confidence: row["confidence"],
            decision: try JSONColumn.decode(MatchDecision.self, row["decision"], column: "documents.decision"),
            filedPath: StoredPath.resolved(row["filed_path"]), createdAt: try row.required("created_at"),
            updatedAt: try row.required("updated_at")
        )
    }

    package static func queueItem(_ row: some StoredRow) throws -> QueueItem {
        let id: String = try row.required("id")
        let rawKind: String = try row.required("kind")
        let rawState: String = try row.required("state")
        let rawType: String = try row.required("type")
        guard let kind = QueueKind(rawValue: rawKind), let state = QueueItemState(rawValue: rawState),
            let type = DocumentType(rawValue: rawType)
        else { throw StoreError.corrupt("kind, state or type of queue item \(id)") }
        let rawCase: String? = row["case_id"]
        let decision = try JSONColumn.decode(MatchDecision.self, row["decision"], column: "documents.decision")
        return QueueItem(
            id: id, documentID: try row.required("document_id"), sourceID: try row.required("source_id"), kind: kind,
            state: state, createdAt: try row.required("created_at"), doneAt: row["done_at"], doneBy: row["done_by"],
            firstPage: try row.required("first_page"), lastPage: try row.required("last_page"), type: type,
            caseID: rawCase.flatMap(CaseID.init(rawValue:)), confidence: row["confidence"],
            candidates: decision?.candidates ?? [], receivedAt: try row.required("received_at"),
            filedPath: StoredPath.resolved(row["filed_path"])
        )
    }

    package static func sourceRecord(_ row: some StoredRow) throws -> SourceRecord {
        let id: String = try row.required("id")
        let rawState: String = try row.required("state")
        guard let state = SourceState(rawValue: rawState) else { throw StoreError.corrupt("state of source \(id)") }
        return SourceRecord(
            id: id, sha256: try row.required("sha256"), size: try row.required("size"),
            originalName: try row.required("original_name"), receivedAt: try row.required("received_at"),
            claimedPath: StoredPath.resolved(row["claimed_path"]), archivePath: StoredPath.resolved(row["archive_path"]), state: state,
            rejectReason: row["reject_reason"], errorMessage: row["error_message"], duplicateOf: row["duplicate_of"],
            pageCount: row["page_count"], declaredPages: row["declared_pages"], senderFax: row["sender_fax"],
            sidecar: try JSONColumn.decode([String: String].self, row["sidecar"], column: "sources.sidecar"),
            attempts: try row.required("attempts"), deaths: try row.required("deaths"),
            createdAt: try row.required("created_at"), updatedAt: try row.required("updated_at"),
            retryCount: row["retry_count"] ?? 0, retrySince: row["retry_since"], retryReason: row["retry_reason"]
        )
    }

    package static func caseRecord(_ row: some StoredRow) throws -> CaseRecord {
        let rawID: String = try row.required("case_id")
        guard let id = CaseID(rawValue: rawID) else { throw StoreError.corrupt("case id \(rawID)") }
        let rawStatus: String = try row.required("status")
        guard let status = CaseStatus(rawValue: rawStatus) else { throw StoreError.corrupt("case status of \(rawID)") }
        let rawDOB: String = try row.required("dob")
        guard let dob = CalendarDate(iso: rawDOB) else { throw StoreError.corrupt("date of birth of case \(rawID)") }
        let opened: String? = row["opened_on"]
        return CaseRecord(
            caseID: id, status: status, patientLast: try row.required("patient_last"),
            patientFirst: try row.required("patient_first"), patientMiddle: row["patient_middle"], dateOfBirth: dob,
            sex: row["sex"], mrn: row["mrn"], phone: row["phone"], address: row["address"], city: row["city"],
            state: row["state"], zip: row["zip"], referringProvider: row["referring_provider"],
            referringFacility: row["referring_facility"], referringFax: row["referring_fax"],
            cancerSite: row["cancer_site"], openedOn: opened.flatMap(CalendarDate.init(iso:))
        )
    }

    package static func lease(_ row: some StoredRow, tookOver: Bool) throws -> SourceLease {
        SourceLease(
            sourceID: try row.required("source_id"), hostID: try row.required("host_id"),
            expiresAt: try row.required("expires_at"), takeovers: try row.required("takeovers"), tookOver: tookOver
        )
    }

    package static func auditEntry(_ row: some StoredRow) throws -> AuditEntry {
        AuditEntry(
            id: try row.required("id"), at: try row.required("at"), actor: try row.required("actor"),
            action: try row.required("action"), item: row["item"], caseID: row["case_id"], before: row["before"],
            after: row["after"], reason: row["reason"], prevHash: try row.required("prev_hash"),
            hash: try row.required("hash"), onBehalfOf: row["on_behalf_of"]
        )
    }

    /// Only a filed, waiting or unmatched document can be moved by a person; why not otherwise, in one place.
    package static func requireCorrectable(_ document: DocumentRecord) throws {
        switch document.status {
        case .filed, .review, .unmatched: return
        case .pending: throw StoreError.conflict("document \(document.id) is still being processed")
        case .rejected:
            throw StoreError.conflict("document \(document.id) was rejected: reprocess its source to file it")
        }
    }

    /// A document as the audit trail records it before and after a change.
    package static func documentJSON(_ document: DocumentRecord) throws -> String {
        try JSONColumn.encode([
            "status": document.status.rawValue, "case_id": document.caseID?.rawValue ?? "",
            "type": document.type.rawValue, "pages": "\(document.firstPage)-\(document.lastPage)",
        ])
    }
}
