import FileroomModel
import Foundation
internal import GRDB

/// The embedded store: one SQLite file through a GRDB `DatabasePool` (WAL), shared by the daemon and the staff
/// command line, which are separate processes.
public final class SQLiteStore: FileroomStore {
    let pool: DatabasePool
    let now: @Sendable () -> Date
    public let path: String
    /// The installation's home folder: paths under it are stored relative to it, so a copied home (`cp -a`,
    /// `fileroom backup`) is an independent installation. `nil` stores paths as given.
    public let home: String?
    /// This process's name in leases (`host_id`). One daemon per home on SQLite, so it only labels the leases.
    public let hostID: String
    /// How long a lease recorded by `recordClaim` lasts without renewal.
    public let leaseDuration: TimeInterval

    /// How long a write waits for another process's transaction before failing with `StoreError.busy`.
    public static let busyTimeout: TimeInterval = 10

    /// Opens (creating when missing) and migrates the database at `path`.
    /// - Parameters:
    ///   - home: the installation's home folder; paths under it are stored relative to it and given back absolute.
    ///   - busyTimeout: how long a write waits for another process before failing with `StoreError.busy`.
    ///   - now: the clock (tests pin it).
    public init(
        path: String, home: String? = nil, busyTimeout: TimeInterval = SQLiteStore.busyTimeout,
        hostID: String = ProcessInfo.processInfo.hostName, leaseDuration: TimeInterval = 30,
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws(StoreError) {
        self.path = path
        self.hostID = hostID
        self.leaseDuration = leaseDuration
        self.home = home.map(StoredPath.normalisedRoot)
        self.now = now
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.foreignKeysEnabled = true
        configuration.label = "fileroom"
        // Readers are threads: a fixed few, whatever the host's core count (the unit's TasksMax counts them).
        configuration.maximumReaderCount = 3
        configuration.prepareDatabase { db in
            // A ledger: a committed transaction must survive a power cut, not only a process crash.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            // The pool turns WAL on with synchronous = NORMAL on its one writer connection, after prepareDatabase:
            // set FULL again there, where every commit happens.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            var migrator = DatabaseMigrator()
            Migrations.register(in: &migrator)
            try migrator.migrate(pool)
            if let root = self.home { try pool.write { db in try StoredPath.relativiseRows(db, root: root) } }
            // Private whatever the umask that created them (the WAL and shared-memory files take the main file's
            // mode when SQLite creates them).
            for file in [path, path + "-wal", path + "-shm"] { chmod(file, 0o600) }
        } catch {
            throw StoreError.cannotOpen(path: path, reason: SQLiteStore.describe(error))
        }
    }

    // MARK: Plumbing

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        let root = home
        do {
            return try await pool.write { db in try StoredPath.$root.withValue(root) { try body(db) } }
        } catch {
            throw SQLiteStore.map(error)
        }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        let root = home
        do {
            return try await pool.read { db in try StoredPath.$root.withValue(root) { try body(db) } }
        } catch {
            throw SQLiteStore.map(error)
        }
    }

    static func map(_ error: any Error) -> StoreError {
        if let error = error as? StoreError { return error }
        if let error = error as? DatabaseError {
            let message = error.message ?? "\(error.resultCode)"
            switch error.resultCode {
            case .SQLITE_BUSY, .SQLITE_LOCKED: return .busy(message)
            case .SQLITE_FULL, .SQLITE_IOERR, .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_NOMEM:
                return .storage(message)
            case .SQLITE_CONSTRAINT: return .conflict("constraint failed: \(message)")
            case .SQLITE_CORRUPT, .SQLITE_NOTADB: return .corrupt(message)
            default: return .database(message)
            }
        }
        if error is DecodingError || error is EncodingError { return .corrupt(String(describing: error)) }
        if error is CancellationError { return .database("cancelled") }
        return .database(String(describing: error))
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? "\(error.resultCode)" }
        return String(describing: error)
    }

    func timestamp() -> String { Timestamp.rfc3339(now()) }

    // MARK: Diagnostics

    /// `PRAGMA quick_check`: `["ok"]` when the file is sound. Cheaper than `integrity_check` (no index
    /// cross-checks), run at every daemon start so a damaged file stops the start instead of failing every fax.
    public func quickCheck() throws(StoreError) -> [String] {
        do {
            return try pool.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check") }
        } catch {
            throw SQLiteStore.map(error)
        }
    }

    /// `PRAGMA integrity_check`: `["ok"]` when the file is sound.
    public func integrityCheck() async throws(StoreError) -> [String] {
        try await read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
    }

    /// The journal mode and synchronous level a connection of this store runs with (`wal`, 2 = FULL).
    public func pragmas() async throws(StoreError) -> (journalMode: String, synchronous: Int, foreignKeys: Bool) {
        try await write { db in
            let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? ""
            let sync = try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1
            let fk = try Bool.fetchOne(db, sql: "PRAGMA foreign_keys") ?? false
            return (mode, sync, fk)
        }
    }

    /// Names of the migrations applied, in order.
    public func appliedMigrations() async throws(StoreError) -> [String] {
        try await read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid") }
    }
}

// MARK: - Paths relative to the home

/// How file paths cross the store boundary: callers give and get absolute paths; the database holds paths under the
/// home relative to it (`filed/C-1/x.pdf`), so the database travels with a copied home and never points into the
/// original. Paths outside the home (a folder configured elsewhere) stay absolute.
package enum StoredPath {
    /// The home of the store whose transaction runs on this thread: bound by `SQLiteStore.read`/`write` around each
    /// body, so the row decoders (static, shared by every store) need no extra parameter.
    @TaskLocal package static var root: String?

    package static func normalisedRoot(_ home: String) -> String {
        var root = URL(fileURLWithPath: home).standardizedFileURL.path
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        return root
    }

    /// The form written to the database: relative when under the home.
    package static func stored(_ path: String?) -> String? {
        guard let path, let root else { return path }
        return relative(path, to: root) ?? path
    }

    /// The form given to callers: absolute.
    package static func resolved(_ path: String?) -> String? {
        guard let path, let root, !path.isEmpty, !path.hasPrefix("/") else { return path }
        return root == "/" ? "/" + path : root + "/" + path
    }

    package static func relative(_ path: String, to root: String) -> String? {
        let prefix = root == "/" ? "/" : root + "/"
        guard path.hasPrefix(prefix), path.count > prefix.count else { return nil }
        return String(path.dropFirst(prefix.count))
    }

    /// The path columns, by table.
    static let columns = [("sources", "claimed_path"), ("sources", "archive_path"), ("documents", "filed_path")]

    /// One-time repair at open: rows written before paths were relative (absolute, under this home) become relative.
    /// Idempotent: a relative path does not start with the root.
    static func relativiseRows(_ db: Database, root: String) throws {
        let prefix = root == "/" ? "/" : root + "/"
        let length = prefix.utf8.count
        for (table, column) in columns {
            try db.execute(
                sql: """
                    UPDATE \(table) SET \(column) = substr(\(column), ?)
                    WHERE substr(\(column), 1, ?) = ? AND length(\(column)) > ?
                    """,
                arguments: [length + 1, length, prefix, length]
            )
        }
    }
}

// MARK: - JSON columns

package enum JSONColumn {
    package static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    package static func decode<T: Decodable>(_ type: T.Type, _ text: String?, column: String) throws -> T? {
        guard let text, !text.isEmpty else { return nil }
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw StoreError.corrupt("column \(column) does not decode as \(type)")
        }
    }
}

extension Row {
    func required<T: DatabaseValueConvertible>(_ column: String) throws -> T {
        guard let value: T = self[column] else { throw StoreError.corrupt("column \(column) is null") }
        return value
    }
}

/// A GRDB row as the shared record decoders read it.
struct SQLiteRow: StoredRow {
    let row: Row

    init(_ row: Row) { self.row = row }

    func text(_ column: String) -> String? { row[column] }
    func integer(_ column: String) -> Int64? { row[column] }
    func real(_ column: String) -> Double? { row[column] }
}
