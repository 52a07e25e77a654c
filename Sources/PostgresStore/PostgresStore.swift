import FileroomModel
import Foundation
import Logging
import PostgresNIO
import Settings
import Store

/// The store on PostgreSQL: several daemons on several hosts share one database (and one home on a shared file
/// system), coordinated by leases on sources; the staff commands use it as they use the SQLite store.
///
/// Each method is one transaction. Writes run SERIALIZABLE and are retried on a serialisation failure, so the
/// "read, then write" bodies written for SQLite's single writer stay correct with concurrent writers; the audit
/// chain's append also takes an advisory lock, so the chain stays one chain.
public final class PostgresStore: FileroomStore {
    let client: PostgresClient
    let runner: Task<Void, Never>
    let logger: Logger
    let now: @Sendable () -> Date
    public let url: DatabaseURL
    /// The installation's home folder: paths under it are stored relative to it, as in the SQLite store.
    public let home: String?
    /// This daemon's name in leases (`host_id`).
    public let hostID: String
    /// How long a lease lasts without renewal: a daemon that died is noticed this long after its last renewal.
    public let leaseDuration: TimeInterval

    /// Attempts of a write transaction that keeps meeting serialisation failures before `StoreError.busy`.
    static let writeAttempts = 20
    /// The advisory lock key serialising audit appends (and migrations, with `migrationLock`).
    static let auditLock: Int64 = 0x6669_6c65_6175_6474  // "fileaudt"
    static let migrationLock: Int64 = 0x6669_6c65_6d69_6772  // "filemigr"
    /// The channel `recordClaim` notifies and idle daemons listen on.
    public static let workChannel = "fileroom_work"

    /// The migration, started at init: every transaction waits for it, so a store opened from synchronous code
    /// (the daemon's start-up) is usable at once and reports a failure to connect or migrate at first use.
    let migrated: Task<Void, any Error>

    /// Creates the store and starts connecting and migrating (one host at a time: an advisory lock) in the
    /// background. `open` does the same and waits, so that a bad URL or a server that is down fails there.
    /// - Parameters:
    ///   - home: the installation's home folder; paths under it are stored relative to it.
    ///   - hostID: this process's name in leases.
    ///   - leaseDuration: how long a lease holds without renewal.
    public init(
        url: DatabaseURL, home: String? = nil, hostID: String = ProcessInfo.processInfo.hostName,
        leaseDuration: TimeInterval = 30, maximumConnections: Int = 8, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        // Background connection noise stays out of the daemon's log: the pool's messages are not ours to format.
        let background = PostgresStore.quietLogger
        let client = PostgresStore.makeClient(url: url, maximumConnections: maximumConnections)
        self.client = client
        self.runner = Task { await client.run() }
        self.url = url
        self.home = home.map(StoredPath.normalisedRoot)
        self.hostID = hostID
        self.leaseDuration = leaseDuration
        self.logger = background
        self.now = now
        self.migrated = Task { try await PostgresStore.migrate(client: client, logger: background) }
    }

    deinit {
        migrated.cancel()
        runner.cancel()
    }

    /// Connects, migrates and returns the store; a bad URL, refused credentials or a server that is down fail
    /// here as `cannotOpen`.
    public static func open(
        url: DatabaseURL, home: String? = nil, hostID: String = ProcessInfo.processInfo.hostName,
        leaseDuration: TimeInterval = 30, maximumConnections: Int = 8, now: @escaping @Sendable () -> Date = { Date() }
    ) async throws(StoreError) -> PostgresStore {
        let store = PostgresStore(
            url: url, home: home, hostID: hostID, leaseDuration: leaseDuration, maximumConnections: maximumConnections,
            now: now
        )
        try await store.ready()
        return store
    }

    /// Waits for the connection and the migration; `cannotOpen` when either failed.
    public func ready() async throws(StoreError) {
        do {
            try await migrated.value
        } catch {
            throw StoreError.cannotOpen(path: url.description, reason: PostgresStore.map(error).description)
        }
    }

    static var quietLogger: Logger {
        var logger = Logger(label: "fileroom.postgres")
        logger.logLevel = .critical
        return logger
    }

    /// A connection pool for `url` (not yet running: the caller runs it).
    static func makeClient(url: DatabaseURL, maximumConnections: Int) -> PostgresClient {
        var configuration: PostgresClient.Configuration
        if let socket = url.socketPath {
            configuration = .init(unixSocketPath: socket, username: url.user, password: url.password, database: url.database)
        } else {
            configuration = .init(
                host: url.host ?? "localhost", port: url.port, username: url.user, password: url.password,
                database: url.database, tls: PostgresStore.tls(url.sslMode)
            )
        }
        configuration.options.maximumConnections = max(2, maximumConnections)
        configuration.options.connectTimeout = .seconds(10)
        return PostgresClient(configuration: configuration, backgroundLogger: quietLogger)
    }

    static func tls(_ mode: DatabaseURL.SSLMode) -> PostgresClient.Configuration.TLS {
        var unverified = TLSConfiguration.makeClientConfiguration()
        unverified.certificateVerification = .none
        switch mode {
        case .disable: return .disable
        case .allow, .prefer: return .prefer(unverified)
        case .require: return .require(unverified)
        case .verifyCA, .verifyFull: return .require(TLSConfiguration.makeClientConfiguration())
        }
    }

    /// Stops the connection pool. The store is unusable afterwards.
    public func close() {
        migrated.cancel()
        runner.cancel()
    }

    // MARK: Plumbing

    /// One write transaction, SERIALIZABLE, retried while PostgreSQL reports a serialisation failure or deadlock.
    func write<T: Sendable>(_ body: @escaping @Sendable (PostgresDatabase) async throws -> T) async throws(StoreError) -> T {
        try await transaction("BEGIN ISOLATION LEVEL SERIALIZABLE", attempts: Self.writeAttempts, body)
    }

    /// One read-only snapshot.
    func read<T: Sendable>(_ body: @escaping @Sendable (PostgresDatabase) async throws -> T) async throws(StoreError) -> T {
        try await transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", attempts: 3, body)
    }

    func transaction<T: Sendable>(
        _ begin: String, attempts: Int, _ body: @escaping @Sendable (PostgresDatabase) async throws -> T
    ) async throws(StoreError) -> T {
        try await ready()
        let root = home
        let logger = logger
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await client.withConnection { connection in
                    let db = PostgresDatabase(connection: connection, logger: logger)
                    try await db.execute(sql: begin)
                    do {
                        let value = try await StoredPath.$root.withValue(root) { try await body(db) }
                        try await db.execute(sql: "COMMIT")
                        return value
                    } catch {
                        try? await db.execute(sql: "ROLLBACK")
                        throw error
                    }
                }
            } catch {
                let mapped = PostgresStore.map(error)
                if attempt < attempts, PostgresStore.isRetryable(error) {
                    // A short, growing, jittered pause: the competing transaction commits meanwhile.
                    let pause = UInt64(Double(attempt) * Double.random(in: 2...8) * 1_000_000)
                    try? await Task.sleep(nanoseconds: pause)
                    continue
                }
                throw mapped
            }
        }
    }

    static func sqlState(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    /// Serialisation failure, deadlock, and a unique violation between two writers that both read "not there"
    /// (the retry reads what the other committed).
    static func isRetryable(_ error: any Error) -> Bool {
        guard let state = sqlState(error) else { return false }
        return state == "40001" || state == "40P01" || state == "23505"
    }

    static func map(_ error: any Error) -> StoreError {
        if let error = error as? StoreError { return error }
        if let error = error as? PSQLError {
            let message = error.serverInfo?[.message] ?? "\(error.code)"
            switch sqlState(error) {
            case .some(let state) where state.hasPrefix("40"): return .busy(message)
            case .some(let state) where state.hasPrefix("23"): return .conflict("constraint failed: \(message)")
            case .some(let state) where state.hasPrefix("53") || state.hasPrefix("58"): return .storage(message)
            case .some(let state) where state.hasPrefix("57") || state.hasPrefix("08"): return .busy(message)
            case .some(let state) where state.hasPrefix("22"): return .corrupt(message)
            case .some: return .database(message)
            case .none:
                // No server answer: the connection failed or closed. Transient: the daemon retries.
                let underlying = error.underlying.map { String(describing: $0) } ?? "\(error.code)"
                return .busy("connection: \(underlying)")
            }
        }
        if error is PostgresDecodingError { return .corrupt("a column does not decode") }
        if error is DecodingError || error is EncodingError { return .corrupt(String(describing: error)) }
        if error is CancellationError { return .database("cancelled") }
        return .database(String(describing: error))
    }

    func timestamp() -> String { Timestamp.rfc3339(now()) }

    // MARK: Migrations

    static func migrate(client: PostgresClient, logger: Logger) async throws {
        try await client.withConnection { connection in
            let db = PostgresDatabase(connection: connection, logger: logger)
            try await db.execute(sql: "BEGIN")
            do {
                // Several daemons starting at once: one migrates, the others wait and find nothing to do.
                try await db.execute(sql: "SELECT pg_advisory_xact_lock(?)", arguments: [Self.migrationLock])
                try await db.execute(
                    sql: """
                        CREATE TABLE IF NOT EXISTS fileroom_migrations (
                            identifier TEXT PRIMARY KEY NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
                        """
                )
                let applied = Set(try await String.fetchAll(db, sql: "SELECT identifier FROM fileroom_migrations"))
                for (identifier, sql) in PostgresMigrations.all where !applied.contains(identifier) {
                    // The extended protocol takes one statement at a time: each ends a line with ';' (a function
                    // body's own semicolons sit inside its line).
                    for statement in sql.components(separatedBy: ";\n") {
                        let text = statement.trimmingCharacters(in: .whitespacesAndNewlines)
                        guard !text.isEmpty else { continue }
                        try await connection.query(PostgresQuery(unsafeSQL: text), logger: logger).consume()
                    }
                    try await db.execute(sql: "INSERT INTO fileroom_migrations (identifier) VALUES (?)", arguments: [identifier])
                }
                try await db.execute(sql: "COMMIT")
            } catch {
                try? await db.execute(sql: "ROLLBACK")
                throw error
            }
        }
    }

    /// Names of the migrations applied, in order.
    public func appliedMigrations() async throws(StoreError) -> [String] {
        try await read { db in
            try await String.fetchAll(db, sql: "SELECT identifier FROM fileroom_migrations ORDER BY applied_at, identifier")
        }
    }

    // MARK: Waking idle daemons

    /// Waits until another process announces work (`NOTIFY fileroom_work`, sent when a lease is released before
    /// its source is final, or by `announceWork`) or `timeout` passes; true when woken. An idle daemon waits here instead of
    /// polling the database; it still rescans its spool on its own timer.
    public func waitForWork(timeout: Duration) async -> Bool {
        let client = client
        let logger = logger
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                do {
                    return try await client.withConnection { connection in
                        let notifications = try await connection.listen(PostgresStore.workChannel)
                        for try await _ in notifications { return true }
                        return false
                    }
                } catch {
                    _ = logger
                    return false
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    /// Announces work to idle daemons.
    public func announceWork() async throws(StoreError) {
        try await write { db in
            try await db.execute(sql: "SELECT pg_notify(?, '')", arguments: [PostgresStore.workChannel])
        }
    }
}

extension PostgresStore {
    /// Creates an empty database beside the one `url` names (same server and credentials), gives its URL to `body`,
    /// and drops it afterwards: benches and tests that must not touch the installation's own database.
    public static func withScratchDatabase<T: Sendable>(
        on url: DatabaseURL, prefix: String = "fileroom_scratch", _ body: (DatabaseURL) async throws -> T
    ) async throws -> T {
        let name = "\(prefix)_\(getpid())_\(UInt32.random(in: 0...UInt32.max))"
        // A bare pool, no migration: the database `url` names is only where the statements run.
        let admin = makeClient(url: url, maximumConnections: 2)
        let runner = Task { await admin.run() }
        defer { runner.cancel() }
        try await admin.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"))
        var scratch = url
        scratch.database = name
        let result: Result<T, any Error>
        do {
            result = .success(try await body(scratch))
        } catch {
            result = .failure(error)
        }
        _ = try? await admin.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"))
        return try result.get()
    }
}
