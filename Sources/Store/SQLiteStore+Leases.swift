import FileroomModel
import Foundation
internal import GRDB

/// Leases on SQLite: one writer at a time, so "read, then write" inside one write transaction is already exclusive,
/// and the store's clock is the only clock (one host per home).
extension SQLiteStore {
    static func lease(_ row: Row, tookOver: Bool) throws -> SourceLease {
        try StoredRecords.lease(SQLiteRow(row), tookOver: tookOver)
    }

    /// Grants `host` the lease on `id` inside the caller's write transaction; nil when another host's lease is live.
    static func grantLease(_ db: Database, source id: String, host: String, now: Date, duration: TimeInterval) throws
        -> SourceLease?
    {
        let at = Timestamp.rfc3339(now)
        let expires = Timestamp.rfc3339(now.addingTimeInterval(duration))
        let existing = try Row.fetchOne(db, sql: "SELECT * FROM source_leases WHERE source_id = ?", arguments: [id])
        var tookOver = false
        if let existing {
            let holder: String = try existing.required("host_id")
            let until: String = try existing.required("expires_at")
            // RFC 3339 UTC with a fixed width compares as text.
            if holder != host && until > at { return nil }
            tookOver = holder != host
            try db.execute(
                sql: """
                    UPDATE source_leases SET host_id = ?, expires_at = ?, takeovers = takeovers + ?,
                      acquired_at = CASE WHEN ? THEN ? ELSE acquired_at END
                    WHERE source_id = ?
                    """,
                arguments: [host, expires, tookOver ? 1 : 0, tookOver, at, id]
            )
        } else {
            try db.execute(
                sql: "INSERT INTO source_leases (source_id, host_id, acquired_at, expires_at) VALUES (?, ?, ?, ?)",
                arguments: [id, host, at, expires]
            )
        }
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM source_leases WHERE source_id = ?", arguments: [id]) else {
            return nil
        }
        return try lease(row, tookOver: tookOver)
    }

    public func acquireLease(source id: String, host: String, duration: TimeInterval) async throws(StoreError)
        -> SourceLease?
    {
        let clock = now()
        return try await write { db in
            _ = try SQLiteStore.requireSource(db, id)
            return try SQLiteStore.grantLease(db, source: id, host: host, now: clock, duration: duration)
        }
    }

    public func renewLeases(host: String, duration: TimeInterval) async throws(StoreError) -> Int {
        let expires = Timestamp.rfc3339(now().addingTimeInterval(duration))
        return try await write { db in
            try db.execute(sql: "UPDATE source_leases SET expires_at = ? WHERE host_id = ?", arguments: [expires, host])
            return db.changesCount
        }
    }

    public func releaseLease(source id: String, host: String) async throws(StoreError) {
        try await write { db in
            try db.execute(sql: "DELETE FROM source_leases WHERE source_id = ? AND host_id = ?", arguments: [id, host])
        }
    }

    public func claimOrphans(host: String, duration: TimeInterval, limit: Int) async throws(StoreError) -> [SourceLease] {
        let clock = now()
        let at = Timestamp.rfc3339(clock)
        let finals = SourceState.allCases.filter(\.isFinal).map { "'\($0.rawValue)'" }.joined(separator: ", ")
        return try await write { db in
            let ids = try String.fetchAll(
                db,
                sql: """
                    SELECT s.id FROM sources s LEFT JOIN source_leases l ON l.source_id = s.id
                    WHERE s.state NOT IN (\(finals)) AND (l.source_id IS NULL OR l.expires_at <= ?)
                    ORDER BY s.received_at, s.id LIMIT ?
                    """,
                arguments: [at, max(0, limit)]
            )
            return try ids.compactMap { id in
                try SQLiteStore.grantLease(db, source: id, host: host, now: clock, duration: duration)
            }
        }
    }

    public func leases() async throws(StoreError) -> [SourceLease] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM source_leases ORDER BY source_id").map {
                try SQLiteStore.lease($0, tookOver: false)
            }
        }
    }
}
