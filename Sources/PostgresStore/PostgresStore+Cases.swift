import FileroomModel
import Foundation
import PostgresNIO
import Store

extension PostgresStore {
    static func caseArguments(_ c: CaseRecord) -> StatementArguments {
        [
            c.caseID.rawValue, c.status.rawValue, c.patientLast, c.patientFirst, c.patientMiddle, c.dateOfBirth.iso,
            c.sex, c.mrn, c.phone, c.address, c.city, c.state, c.zip, c.referringProvider, c.referringFacility,
            c.referringFax, c.cancerSite, c.openedOn?.iso,
        ]
    }

    static func caseRecord(_ row: PGRow) throws -> CaseRecord {
        try StoredRecords.caseRecord(PostgresStoredRow(row))
    }

    public func upsertCases(_ cases: [CaseRecord], actor: String) async throws(StoreError) -> CaseUpsertSummary {
        try await upsertCases(cases, actor: actor, status: .asListed)
    }

    public func upsertCases(_ cases: [CaseRecord], actor: String, status policy: CaseStatusPolicy)
        async throws(StoreError) -> CaseUpsertSummary
    {
        let at = timestamp()
        return try await write { db in
            // One read of what is there, then one statement per changed case.
            var existing: [String: CaseRecord] = [:]
            let rows = try await PGRow.fetchAll(db, sql: "SELECT \(SQLiteStore.caseColumns) FROM cases")
            for row in rows {
                let record = try PostgresStore.caseRecord(row)
                existing[record.caseID.rawValue] = record
            }
            let update = """
                    UPDATE cases SET case_id = ?, status = ?, patient_last = ?, patient_first = ?,
                      patient_middle = ?, dob = ?, sex = ?, mrn = ?, phone = ?, address = ?, city = ?, state = ?,
                      zip = ?, referring_provider = ?, referring_facility = ?, referring_fax = ?, cancer_site = ?,
                      opened_on = ?, last_name_key = ?, updated_at = ?,
                      closed_at = CASE WHEN ? = 'closed' THEN COALESCE(closed_at, ?) ELSE NULL END
                    WHERE case_id = ?
                    """
            let insert = """
                    INSERT INTO cases (\(SQLiteStore.caseColumns), last_name_key, closed_at, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            let plan = CaseImportPlan(cases, existing: existing, policy: policy)
            for change in plan.changes {
                switch change {
                case .update(let record):
                    var arguments = PostgresStore.caseArguments(record)
                    arguments += [SQLiteStore.lastNameKey(record.patientLast), at]
                    arguments += [record.status.rawValue, at, record.caseID.rawValue]
                    try await db.execute(sql: update, arguments: arguments)
                case .insert(let record):
                    var arguments = PostgresStore.caseArguments(record)
                    arguments += [SQLiteStore.lastNameKey(record.patientLast), record.status == .closed ? at : nil, at, at]
                    try await db.execute(sql: insert, arguments: arguments)
                }
            }
            let summary = plan.summary
            if summary.inserted + summary.updated > 0 {
                _ = try await PostgresStore.appendAudit(
                    db, at: at,
                    AuditInput(
                        actor: actor, action: "cases.import",
                        after: try JSONColumn.encode(summary)
                    )
                )
            }
            return summary
        }
    }

    public func cases(status: CaseStatus?) async throws(StoreError) -> [CaseRecord] {
        try await read { db in
            let rows: [PGRow]
            if let status {
                rows = try await PGRow.fetchAll(
                    db, sql: "SELECT \(SQLiteStore.caseColumns) FROM cases WHERE status = ? ORDER BY case_id",
                    arguments: [status.rawValue]
                )
            } else {
                rows = try await PGRow.fetchAll(db, sql: "SELECT \(SQLiteStore.caseColumns) FROM cases ORDER BY case_id")
            }
            return try rows.map(PostgresStore.caseRecord)
        }
    }

    public func `case`(_ id: CaseID) async throws(StoreError) -> CaseRecord? {
        try await read { db in
            try await PGRow.fetchOne(
                db, sql: "SELECT \(SQLiteStore.caseColumns) FROM cases WHERE case_id = ?", arguments: [id.rawValue]
            ).map(PostgresStore.caseRecord)
        }
    }

    public func casesVersion() async throws(StoreError) -> String {
        try await read { db in
            let row = try await PGRow.fetchOne(db, sql: "SELECT COUNT(*) AS n, MAX(updated_at) AS latest FROM cases")
            let count: Int = row?["n"] ?? 0
            let latest: String = row?["latest"] ?? "-"
            return "\(count)|\(latest)"
        }
    }

    public func openAndClosedCases() async throws(StoreError) -> [CaseRecord] {
        try await cases(status: nil)
    }

    public func closeCase(_ id: CaseID, actor: String, reason: String?) async throws(StoreError) -> Bool {
        let at = timestamp()
        return try await write { db in
            guard let status = try await String.fetchOne(db, sql: "SELECT status FROM cases WHERE case_id = ?", arguments: [id.rawValue])
            else { throw StoreError.notFound(kind: "case", id: id.rawValue) }
            guard status != CaseStatus.closed.rawValue else { return false }
            try await db.execute(
                sql: "UPDATE cases SET status = 'closed', closed_at = ?, updated_at = ? WHERE case_id = ?",
                arguments: [at, at, id.rawValue]
            )
            _ = try await PostgresStore.appendAudit(
                db, at: at,
                AuditInput(
                    actor: actor, action: "case.close", item: id.rawValue, caseID: id.rawValue,
                    before: #"{"status":"open"}"#, after: #"{"status":"closed"}"#, reason: reason
                )
            )
            return true
        }
    }

    public func reopenCase(_ id: CaseID, actor: String, reason: String) async throws(StoreError) -> Bool {
        let at = timestamp()
        return try await write { db in
            guard let status = try await String.fetchOne(db, sql: "SELECT status FROM cases WHERE case_id = ?", arguments: [id.rawValue])
            else { throw StoreError.notFound(kind: "case", id: id.rawValue) }
            guard status != CaseStatus.open.rawValue else { return false }
            try await db.execute(
                sql: "UPDATE cases SET status = 'open', closed_at = NULL, updated_at = ? WHERE case_id = ?",
                arguments: [at, id.rawValue]
            )
            _ = try await PostgresStore.appendAudit(
                db, at: at,
                AuditInput(
                    actor: actor, action: "case.reopen", item: id.rawValue, caseID: id.rawValue,
                    before: #"{"status":"closed"}"#, after: #"{"status":"open"}"#, reason: reason
                )
            )
            return true
        }
    }

    public func learnFax(_ fax: String, facility: String?, caseID: CaseID?, actor: String) async throws(StoreError) {
        let digits = fax.filter { $0.isASCII && $0.isNumber }
        guard digits.count == 10 else { throw StoreError.invalid("a fax number must have 10 digits") }
        let at = timestamp()
        try await write { db in
            try await db.execute(
                sql: """
                    INSERT INTO learned_fax_numbers (fax, facility, case_id, confirmations, first_confirmed_at,
                      last_confirmed_at, last_confirmed_by)
                    VALUES (?, ?, ?, 1, ?, ?, ?)
                    ON CONFLICT (fax, facility, case_id) DO UPDATE SET confirmations = learned_fax_numbers.confirmations + 1,
                      last_confirmed_at = excluded.last_confirmed_at, last_confirmed_by = excluded.last_confirmed_by
                    """,
                arguments: [digits, facility ?? "", caseID?.rawValue ?? "", at, at, AuditActor.display(actor)]
            )
            let after = try JSONColumn.encode(["fax": digits, "facility": facility ?? "", "case_id": caseID?.rawValue ?? ""])
            _ = try await PostgresStore.appendAudit(
                db, at: at,
                AuditInput(actor: actor, action: "fax.learn", item: digits, caseID: caseID?.rawValue, after: after)
            )
        }
    }

    public func learnedFaxNumbers() async throws(StoreError) -> [LearnedFax] {
        try await read { db in
            try await PGRow.fetchAll(db, sql: "SELECT * FROM learned_fax_numbers ORDER BY fax, facility, case_id").map { row in
                let facility: String = try row.required("facility")
                let caseID: String = try row.required("case_id")
                return LearnedFax(
                    fax: try row.required("fax"), facility: facility.isEmpty ? nil : facility,
                    caseID: CaseID(rawValue: caseID), confirmations: try row.required("confirmations"),
                    lastConfirmedAt: try row.required("last_confirmed_at"),
                    lastConfirmedBy: try row.required("last_confirmed_by")
                )
            }
        }
    }
}
