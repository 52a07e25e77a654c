import Foundation
import PostgresStore
import Settings
import Store
import Testing

/// The two stores the behaviour tests run against, so neither drifts from the other.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    /// SQLite always; PostgreSQL when a server is given (`FILEROOM_TEST_DATABASE_URL`) or one can be started here.
    static let available: [Backend] = TestPostgres.shared.url == nil ? [.sqlite] : [.sqlite, .postgres]
}

/// One store of `backend` in a fresh folder (and, on PostgreSQL, a fresh database), for one test.
func withStore<T>(_ backend: Backend, now: @escaping @Sendable () -> Date = { Date() },
                  _ body: (any FileroomStore, String) async throws -> T) async throws -> T {
    try await withTemporaryFolder { folder in
        switch backend {
        case .sqlite:
            let store = try SQLiteStore(path: folder + "/fileroom.db", home: folder, hostID: "host-a", now: now)
            return try await body(store, folder)
        case .postgres:
            let url = try TestPostgres.shared.freshDatabase()
            let store = try await PostgresStore.open(url: url, home: folder, hostID: "host-a", now: now)
            defer { store.close() }
            return try await body(store, folder)
        }
    }
}

/// The PostgreSQL server of this test run: `FILEROOM_TEST_DATABASE_URL` (scripts/test.sh starts one cluster for the
/// run), else a throwaway cluster started here once (scripts/pg-cluster.sh) and stopped at exit. Each test gets its
/// own database in it.
final class TestPostgres: Sendable {
    static let shared = TestPostgres()

    let url: DatabaseURL?
    /// Why PostgreSQL tests are skipped, when they are.
    let skipReason: String?
    let counter = Counter()

    private init() {
        if let given = ProcessInfo.processInfo.environment["FILEROOM_TEST_DATABASE_URL"], !given.isEmpty {
            switch DatabaseURL.parse(given) {
            case .success(let url):
                self.url = url
                self.skipReason = nil
            case .failure(let error):
                self.url = nil
                self.skipReason = "FILEROOM_TEST_DATABASE_URL is not \(error)"
            }
        } else {
            let (url, reason) = TestPostgres.startCluster()
            self.url = url
            self.skipReason = reason
        }
        if let skipReason {
            print("PostgreSQL store tests skipped: \(skipReason)")
        }
    }

    /// The repository's scripts/pg-cluster.sh, found from this file's path.
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/pg-cluster.sh").path

    static func startCluster() -> (DatabaseURL?, String?) {
        let installed = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql"))?.contains {
            FileManager.default.isExecutableFile(atPath: "/usr/lib/postgresql/\($0)/bin/initdb")
        } ?? false
        guard installed else { return (nil, "PostgreSQL is not installed (apt-get install postgresql)") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fileroom-pg-" + UUID().uuidString).path
        let (status, output) = run(["/bin/bash", script, "start", dir])
        guard status == 0, let line = output.split(separator: "\n").last, case .success(let url) = DatabaseURL.parse(String(line))
        else {
            return (nil, "scripts/pg-cluster.sh start failed (status \(status)): \(output.suffix(300))")
        }
        clusterDirectory = strdup(dir)
        atexit {
            guard let dir = clusterDirectory.map({ String(cString: $0) }) else { return }
            _ = TestPostgres.run(["/bin/bash", TestPostgres.script, "stop", dir])
            try? FileManager.default.removeItem(atPath: dir)
        }
        return (url, nil)
    }

    /// A new empty database on the server, for one test.
    func freshDatabase() throws -> DatabaseURL {
        guard var url else { throw StoreError.cannotOpen(path: "postgresql", reason: skipReason ?? "no server") }
        let name = "t_\(ProcessInfo.processInfo.processIdentifier)_\(counter.next())"
        var args = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-U", url.user, "-d", url.database, "-p", String(url.port)]
        args += ["-h", url.socketDirectory ?? url.host ?? "localhost", "-c", "CREATE DATABASE \(name)"]
        let (status, output) = TestPostgres.run(["/usr/bin/env"] + args)
        guard status == 0 else { throw StoreError.cannotOpen(path: name, reason: output) }
        url.database = name
        return url
    }

    /// Runs a command with its output in a file, not a pipe (the server pg_ctl starts would hold a pipe open), by
    /// posix_spawn and waitpid: Foundation's Process waits on a run loop that a static initialiser can block.
    static func run(_ arguments: [String]) -> (Int32, String) {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("fileroom-pg-out-" + UUID().uuidString).path
        defer { unlink(output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, arguments[0], &actions, nil, argv, environ)
        guard spawned == 0 else { return (-1, "cannot run \(arguments[0]): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        // WIFEXITED / WEXITSTATUS by hand (macros do not reach Swift).
        let exited = status & 0x7f == 0
        return (exited ? (status >> 8) & 0xff : -1, text)
    }
}

/// The cluster folder the exit handler stops (a C function pointer captures nothing: a global it is).
nonisolated(unsafe) private var clusterDirectory: UnsafeMutablePointer<CChar>?

/// Database names unique within the run.
final class Counter: @unchecked Sendable {
    // @unchecked: the value is only touched under the lock.
    private let lock = NSLock()
    private var value = 0
    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}
