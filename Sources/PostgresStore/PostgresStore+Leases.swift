import FileroomModel
import Foundation
import PostgresNIO
import Store

/// Leases on PostgreSQL: expiry by the server's clock; a source row locked `FOR UPDATE` while its lease is decided,
/// so two hosts never both get it, and `SKIP LOCKED` when looking for orphans, so hosts looking at once each take
/// different ones instead of queueing behind each other.
extension PostgresStore {
    static let leaseColumns = """
        source_id, host_id, takeovers,
        to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS expires_at
        """

    static func lease(_ row: PGRow, tookOver: Bool) throws -> SourceLease {
        try StoredRecords.lease(PostgresStoredRow(row), tookOver: tookOver)
    }

    /// Grants `host` the lease on `id` (whose source row the caller has locked); nil when another host's is live.
    static func grantLease(_ db: PostgresDatabase, source id: String, host: String, duration: TimeInterval, at: String)
        async throws -> SourceLease?
    {
        let seconds = max(1, duration)
        let existing = try await PGRow.fetchOne(
            db, sql: "SELECT host_id, expires_at > now() AS live FROM source_leases WHERE source_id = ? FOR UPDATE",
            arguments: [id]
        )
        var tookOver = false
        if let existing {
            let holder: String = try existing.required("host_id")
            let live: Bool = try existing.required("live")
            if holder != host && live { return nil }
            tookOver = holder != host
            try await db.execute(
                sql: """
                    UPDATE source_leases SET host_id = ?, expires_at = now() + make_interval(secs => ?),
                      takeovers = takeovers + ?, acquired_at = CASE WHEN ? THEN ? ELSE acquired_at END
                    WHERE source_id = ?
                    """,
                arguments: [host, seconds, tookOver ? 1 : 0, tookOver, at, id]
            )
        } else {
            try await db.execute(
                sql: """
                    INSERT INTO source_leases (source_id, host_id, acquired_at, expires_at)
                    VALUES (?, ?, ?, now() + make_interval(secs => ?))
                    """,
                arguments: [id, host, at, seconds]
            )
        }
        guard
            let row = try await PGRow.fetchOne(
                db, sql: "SELECT \(leaseColumns) FROM source_leases WHERE source_id = ?", arguments: [id]
            )
        else { return nil }
        return try lease(row, tookOver: tookOver)
    }

    public func acquireLease(source id: String, host: String, duration: TimeInterval) async throws(StoreError)
        -> SourceLease?
    {
        let at = timestamp()
        return try await write { db in
            guard try await String.fetchOne(db, sql: "SELECT id FROM sources WHERE id = ? FOR UPDATE", arguments: [id]) != nil
            else { throw StoreError.notFound(kind: "source", id: id) }
            return try await PostgresStore.grantLease(db, source: id, host: host, duration: duration, at: at)
        }
    }

    public func renewLeases(host: String, duration: TimeInterval) async throws(StoreError) -> Int {
        try await write { db in
            try await db.changes(
                sql: """
                    UPDATE source_leases SET expires_at = now() + make_interval(secs => ?) WHERE host_id = ?
                    RETURNING source_id
                    """,
                arguments: [max(1, duration), host]
            )
        }
    }

    public func releaseLease(source id: String, host: String) async throws(StoreError) {
        try await write { db in
            let released = try await db.changes(
                sql: """
                    DELETE FROM source_leases l USING sources s
                    WHERE l.source_id = ? AND l.host_id = ? AND s.id = l.source_id
                    RETURNING s.state
                    """,
                arguments: [id, host]
            )
            // Released before a final state (a graceful stop): another daemon may take it now.
            if released > 0,
                let state = try await String.fetchOne(db, sql: "SELECT state FROM sources WHERE id = ?", arguments: [id]),
                !(SourceState(rawValue: state)?.isFinal ?? true)
            {
                try await db.execute(sql: "SELECT pg_notify(?, ?)", arguments: [PostgresStore.workChannel, id])
            }
        }
    }

    public func claimOrphans(host: String, duration: TimeInterval, limit: Int) async throws(StoreError) -> [SourceLease] {
        let at = timestamp()
        let finals = SourceState.allCases.filter(\.isFinal).map { "'\($0.rawValue)'" }.joined(separator: ", ")
        return try await write { db in
            let ids = try await String.fetchAll(
                db,
                sql: """
                    SELECT s.id FROM sources s LEFT JOIN source_leases l ON l.source_id = s.id
                    WHERE s.state NOT IN (\(finals)) AND (l.source_id IS NULL OR l.expires_at <= now())
                    ORDER BY s.received_at, s.id LIMIT ?
                    FOR UPDATE OF s SKIP LOCKED
                    """,
                arguments: [max(0, limit)]
            )
            var granted: [SourceLease] = []
            for id in ids {
                if let lease = try await PostgresStore.grantLease(db, source: id, host: host, duration: duration, at: at) {
                    granted.append(lease)
                }
            }
            return granted
        }
    }

    public func leases() async throws(StoreError) -> [SourceLease] {
        try await read { db in
            try await PGRow.fetchAll(db, sql: "SELECT \(PostgresStore.leaseColumns) FROM source_leases ORDER BY source_id")
                .map { try PostgresStore.lease($0, tookOver: false) }
        }
    }
}
