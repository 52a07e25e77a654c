import FileroomModel
import Foundation
internal import GRDB

extension SQLiteStore {
    static func sourceRecord(_ row: Row) throws -> SourceRecord {
        try StoredRecords.sourceRecord(SQLiteRow(row))
    }

    static func fetchSource(_ db: Database, _ id: String) throws -> SourceRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM sources WHERE id = ?", arguments: [id]).map(sourceRecord)
    }

    static func requireSource(_ db: Database, _ id: String) throws -> SourceRecord {
        guard let source = try fetchSource(db, id) else { throw StoreError.notFound(kind: "source", id: id) }
        return source
    }

    public func recordClaim(_ source: NewSource) async throws(StoreError) -> ClaimOutcome {
        guard !source.id.isEmpty, source.sha256.count == 64 else {
            throw StoreError.invalid("a source needs an id and a 64-character sha256")
        }
        let at = timestamp()
        let receivedAt = Timestamp.rfc3339(source.receivedAt)
        let sidecar: String?
        do {
            sidecar = try source.sidecar.map { try JSONColumn.encode($0) }
        } catch {
            throw StoreError.invalid("sidecar metadata does not encode")
        }
        let host = hostID
        let lease = leaseDuration
        let clock = now()
        return try await write { db in
            if let existing = try SQLiteStore.fetchSource(db, source.id) { return .alreadyRecorded(existing) }
            // An empty file is rejected as `empty_file` each time it comes: calling the second one a duplicate
            // of the first would hide that a sender keeps failing.
            let original =
                source.size == 0
                ? nil
                : try Row.fetchOne(
                    db, sql: "SELECT * FROM sources WHERE sha256 = ? AND state <> 'duplicate'",
                    arguments: [source.sha256]
                ).map(SQLiteStore.sourceRecord)
            try db.execute(
                sql: """
                    INSERT INTO sources (id, sha256, size, original_name, received_at, claimed_path, state, duplicate_of,
                      sender_fax, sidecar, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    source.id, source.sha256, source.size, source.originalName, receivedAt, StoredPath.stored(source.claimedPath),
                    original == nil ? SourceState.claimed.rawValue : SourceState.duplicate.rawValue, original?.id,
                    source.senderFax, sidecar, at, at,
                ]
            )
            let recorded = try SQLiteStore.requireSource(db, source.id)
            if let original { return .duplicate(recorded, of: original) }
            // Leased to its claimer in the same transaction, as on PostgreSQL.
            _ = try SQLiteStore.grantLease(db, source: source.id, host: host, now: clock, duration: lease)
            return .recorded(recorded)
        }
    }

    public func source(_ id: String) async throws(StoreError) -> SourceRecord? {
        try await read { db in try SQLiteStore.fetchSource(db, id) }
    }

    public func findBySHA256(_ sha256: String) async throws(StoreError) -> SourceRecord? {
        try await read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM sources WHERE sha256 = ? AND state <> 'duplicate'", arguments: [sha256.lowercased()]
            ).map(SQLiteStore.sourceRecord)
        }
    }

    public func markDuplicate(_ id: String, of original: String) async throws(StoreError) {
        let at = timestamp()
        try await write { db in
            _ = try SQLiteStore.requireSource(db, id)
            _ = try SQLiteStore.requireSource(db, original)
            try db.execute(
                sql: "UPDATE sources SET state = 'duplicate', duplicate_of = ?, updated_at = ? WHERE id = ?",
                arguments: [original, at, id]
            )
        }
    }

    public func setState(
        _ id: String, to state: SourceState, pageCount: Int? = nil, declaredPages: Int? = nil, senderFax: String? = nil,
        archivePath: String? = nil, claimedPath: String? = nil
    ) async throws(StoreError) {
        let at = timestamp()
        try await write { db in
            _ = try SQLiteStore.requireSource(db, id)
            try db.execute(
                sql: """
                    UPDATE sources SET state = ?, page_count = COALESCE(?, page_count),
                      declared_pages = COALESCE(?, declared_pages), sender_fax = COALESCE(?, sender_fax),
                      archive_path = COALESCE(?, archive_path), claimed_path = COALESCE(?, claimed_path), updated_at = ?
                    WHERE id = ?
                    """,
                arguments: [
                    state.rawValue, pageCount, declaredPages, senderFax, StoredPath.stored(archivePath),
                    StoredPath.stored(claimedPath), at, id,
                ]
            )
        }
    }

    public func reject(source id: String, reason: String, message: String) async throws(StoreError) {
        let at = timestamp()
        try await write { db in
            _ = try SQLiteStore.requireSource(db, id)
            try db.execute(
                sql: """
                    UPDATE sources SET state = 'rejected', reject_reason = ?, error_message = ?, updated_at = ?
                    WHERE id = ?
                    """,
                arguments: [reason, message, at, id]
            )
        }
    }

    public func recordRetry(source id: String, reason: String) async throws(StoreError) {
        let at = timestamp()
        try await write { db in
            try db.execute(
                sql: """
                    UPDATE sources SET retry_count = retry_count + 1, retry_since = COALESCE(retry_since, ?),
                      retry_reason = ? WHERE id = ?
                    """,
                arguments: [at, reason, id]
            )
        }
    }

    public func clearRetry(source id: String) async throws(StoreError) {
        try await write { db in
            try db.execute(
                sql: "UPDATE sources SET retry_count = 0, retry_since = NULL, retry_reason = NULL WHERE id = ? AND retry_count > 0",
                arguments: [id]
            )
        }
    }

    public func unfinishedSources() async throws(StoreError) -> [SourceRecord] {
        try await sources(in: Set(SourceState.allCases.filter { !$0.isFinal }))
    }

    public func sources(in states: Set<SourceState>) async throws(StoreError) -> [SourceRecord] {
        let names = states.map(\.rawValue).sorted()
        return try await read { db in
            guard !names.isEmpty else { return [] }
            let marks = Array(repeating: "?", count: names.count).joined(separator: ", ")
            return try Row.fetchAll(
                db, sql: "SELECT * FROM sources WHERE state IN (\(marks)) ORDER BY received_at, id",
                arguments: StatementArguments(names)
            ).map(SQLiteStore.sourceRecord)
        }
    }

    // MARK: Worker deaths and poison

    public func recordWorkerDeath(source id: String, page: Int?, cause: String) async throws(StoreError) -> Int {
        let at = timestamp()
        return try await write { db in
            _ = try SQLiteStore.requireSource(db, id)
            try db.execute(
                sql: "INSERT INTO worker_deaths (source_id, page, cause, died_at) VALUES (?, ?, ?, ?)",
                arguments: [id, page, cause, at]
            )
            let deaths = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM worker_deaths WHERE source_id = ?", arguments: [id]
            ) ?? 0
            try db.execute(sql: "UPDATE sources SET deaths = ?, updated_at = ? WHERE id = ?", arguments: [deaths, at, id])
            return deaths
        }
    }

    public func workerDeaths(of id: String) async throws(StoreError) -> [WorkerDeathRecord] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT page, cause, died_at FROM worker_deaths WHERE source_id = ? ORDER BY id", arguments: [id]
            ).map { row in
                WorkerDeathRecord(page: row["page"], cause: try row.required("cause"), diedAt: try row.required("died_at"))
            }
        }
    }

    // MARK: Pages

    public func checkpointPage(source id: String, _ page: PageText) async throws(StoreError) {
        guard page.number >= 1 else { throw StoreError.invalid("page numbers start at 1") }
        let at = timestamp()
        let text: String
        do {
            text = try JSONColumn.encode(page)
        } catch {
            throw StoreError.invalid("page \(page.number) does not encode")
        }
        try await write { db in
            _ = try SQLiteStore.requireSource(db, id)
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO pages (source_id, number, text_source, confidence, page_text, decode_ms,
                      prepare_ms, ocr_ms, finished_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    id, page.number, page.source.rawValue, page.confidence, text, page.timings.decodeMilliseconds,
                    page.timings.prepareMilliseconds, page.timings.ocrMilliseconds, at,
                ]
            )
        }
    }

    public func pages(of id: String) async throws(StoreError) -> [PageText] {
        try await read { db in
            try String.fetchAll(db, sql: "SELECT page_text FROM pages WHERE source_id = ? ORDER BY number", arguments: [id])
                .compactMap { try JSONColumn.decode(PageText.self, $0, column: "pages.page_text") }
        }
    }

    public func pageRotations(of id: String) async throws(StoreError) -> [Int: Int] {
        // The rotation only, read inside SQLite: decoding every page's words to file a document was the filing
        // step's largest cost.
        try await read { db in
            var result: [Int: Int] = [:]
            for row in try Row.fetchAll(
                db,
                sql: "SELECT number, COALESCE(json_extract(page_text, '$.rotation'), 0) AS rotation FROM pages WHERE source_id = ?",
                arguments: [id]
            ) {
                result[row["number"]] = row["rotation"]
            }
            return result
        }
    }

    public func finishedPageNumbers(of id: String) async throws(StoreError) -> Set<Int> {
        try await read { db in
            Set(try Int.fetchAll(db, sql: "SELECT number FROM pages WHERE source_id = ?", arguments: [id]))
        }
    }
}
