import ArgumentParser
import FileroomModel
import Foundation
import PostgresStore
import Settings
import Store

/// `fileroom bench store`: what the store costs on each backend, and what several daemons on one PostgreSQL
/// database give end to end on text-layer PDFs (no OCR, so the coordination cost is not hidden behind it).
struct BenchStoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Store cost per source and lease claims per second on SQLite and PostgreSQL; end-to-end pages per second with 1, 2 and 3 daemons."
    )

    @Option(help: "A PostgreSQL server to measure on (a scratch database is created and dropped there). Default: FILEROOM_DATABASE_URL; without one only SQLite is measured.")
    var databaseURL: String?

    @Option(help: "Sources per store measurement.")
    var sources = 300

    @Option(help: "Folder of faxes for the end-to-end runs (text-layer PDFs: swift run pages-tool layouts DIR --text-pdf).")
    var spool: String?

    @Option(help: "Case list for the end-to-end runs (cases.csv columns).")
    var cases: String?

    @Option(help: "Largest number of daemons in the end-to-end runs.")
    var daemons = 3

    func run() async throws {
        let postgres: DatabaseURL?
        if let text = databaseURL ?? ProcessInfo.processInfo.environment["FILEROOM_DATABASE_URL"], !text.isEmpty {
            switch DatabaseURL.parse(text) {
            case .success(let url): postgres = url
            case .failure(let error): throw CommandFailure.cannotRun("--database-url: expected \(error)")
            }
        } else {
            postgres = nil
            print("postgresql: not measured (no --database-url or FILEROOM_DATABASE_URL)")
        }

        try await Self.withTemporaryHome { home in
            let store = try SQLiteStore(path: home + "/fileroom.db", home: home, hostID: "bench")
            try await Self.report("sqlite", store: store, sources: sources)
        }
        if let postgres {
            try await PostgresStore.withScratchDatabase(on: postgres, prefix: "fileroom_bench") { url in
                try await Self.withTemporaryHome { home in
                    let store = try await PostgresStore.open(url: url, home: home, hostID: "bench", maximumConnections: 8)
                    defer { store.close() }
                    try await Self.report("postgresql", store: store, sources: sources)
                }
            }
        }

        guard let spool else { return }
        let files = try FileManager.default.contentsOfDirectory(atPath: spool).sorted().map { "\(spool)/\($0)" }
        let caseList = try cases.map { try String(contentsOfFile: $0, encoding: .utf8) }
        let sqlite = try await Self.endToEnd(files: files, cases: caseList, daemons: 1, postgres: nil)
        print(sqlite.line("sqlite", daemons: 1))
        if let postgres {
            for count in 1...max(1, daemons) {
                let result = try await PostgresStore.withScratchDatabase(on: postgres, prefix: "fileroom_bench") { url in
                    try await Self.endToEnd(files: files, cases: caseList, daemons: count, postgres: url)
                }
                print(result.line("postgresql", daemons: count))
            }
        }
    }

    // MARK: Store cost

    static func report(_ name: String, store: any FileroomStore, sources: Int) async throws {
        let perSource = try await perSourceCost(store, sources: sources)
        let claims = try await leaseClaims(store, sources: sources, hosts: 3)
        print(String(format: "%@: store cost per source %.2f ms (claim, 2 page checkpoints, documents, decision, filing, lease release; one writer)",
                     name, perSource * 1000))
        print(String(format: "%@: lease claims %.0f/s (3 hosts taking %d orphaned sources one at a time, concurrently)",
                     name, claims, sources))
    }

    /// Seconds per source for the store calls the daemon makes on a 2-page fax, one source after the other.
    static func perSourceCost(_ store: any FileroomStore, sources: Int) async throws -> Double {
        let clock = ContinuousClock()
        let started = clock.now
        for index in 0..<sources {
            let id = "src_cost\(index)"
            _ = try await store.recordClaim(benchSource(id))
            try await store.setState(
                id, to: .decoded, pageCount: 2, declaredPages: nil, senderFax: nil, archivePath: "/bench/archive/\(id)",
                claimedPath: nil
            )
            for number in 1...2 { try await store.checkpointPage(source: id, benchPage(number)) }
            let documents = try await store.recordUnderstood(
                source: id,
                UnderstoodSource(
                    documents: [
                        ExtractedDocument(firstPage: 1, lastPage: 2, type: .clinicNote, typeConfidence: 0.9, evidence: [],
                                          fields: DocumentFields())
                    ],
                    declaredPages: nil, receivedPages: 2, senderFax: nil
                )
            )
            let decision = MatchDecision(status: .unmatched, caseID: nil, confidence: 0, candidates: [], reason: "bench")
            try await store.recordMatched(source: id, outcomes: documents.map { DocumentFiling(documentID: $0.id, decision: decision) })
            for document in documents { _ = try await store.markFiled(document: document.id, path: "/bench/unmatched/\(document.id).pdf") }
            try await store.setState(id, to: .unmatched)
            try await store.releaseLease(source: id, host: "bench")
        }
        return seconds(clock.now - started) / Double(max(1, sources))
    }

    /// Claims per second when `hosts` daemons at once take orphaned sources (their leases released) one by one.
    static func leaseClaims(_ store: any FileroomStore, sources: Int, hosts: Int) async throws -> Double {
        for index in 0..<sources {
            let id = "src_lease\(index)"
            _ = try await store.recordClaim(benchSource(id))
            try await store.releaseLease(source: id, host: "bench")
        }
        let clock = ContinuousClock()
        let started = clock.now
        let taken = try await withThrowingTaskGroup(of: Int.self) { group in
            for host in 0..<hosts {
                group.addTask {
                    var count = 0
                    while try await !store.claimOrphans(host: "bench-\(host)", duration: 60, limit: 1).isEmpty { count += 1 }
                    return count
                }
            }
            return try await group.reduce(0, +)
        }
        guard taken == sources else {
            throw CommandFailure.failed("lease bench: \(taken) claims for \(sources) sources")
        }
        return Double(taken) / seconds(clock.now - started)
    }

    static func benchSource(_ id: String) -> NewSource {
        NewSource(
            id: id, sha256: SHA256.hex(Array("\(id)-\(UUID().uuidString)".utf8)), size: 1000, originalName: "\(id).pdf",
            receivedAt: Date()
        )
    }

    static func benchPage(_ number: Int) -> PageText {
        let words = (0..<40).map { index in
            RecognizedWord(
                text: "word\(index)", box: BoundingBox(x: 10 + index * 30, y: 10, width: 28, height: 12), confidence: 0.95
            )
        }
        return PageText(
            number: number, source: .textLayer, width: 2550, height: 3300, dpiX: 300, dpiY: 300, confidence: 0.95,
            lines: [TextLine(words: words)]
        )
    }

    // MARK: End to end

    struct EndToEnd {
        var files: Int
        var pages: Int
        var seconds: Double
        var finished: Bool

        func line(_ backend: String, daemons: Int) -> String {
            String(
                format: "%@: %d daemon(s), 1 page worker each: %d files, %d pages in %.1f s = %.2f pages/s%@", backend,
                daemons, files, pages, seconds, Double(pages) / seconds, finished ? "" : " (NOT all final: timed out)"
            )
        }
    }

    /// Starts `daemons` daemon processes on one fresh home (and the given PostgreSQL database, or SQLite), renames
    /// the files into the spool, and times until every source is final.
    static func endToEnd(files: [String], cases: String?, daemons: Int, postgres: DatabaseURL?) async throws -> EndToEnd {
        try await Self.withTemporaryHome { home in
            let store: any FileroomStore
            if let postgres {
                store = try await PostgresStore.open(url: postgres, home: home, hostID: "bench")
            } else {
                store = try SQLiteStore(path: home + "/fileroom.db", home: home, hostID: "bench")
            }
            if let cases { _ = try await store.importCases(csv: cases, skipInvalid: true, actor: "bench") }
            var environment = ProcessInfo.processInfo.environment
            environment["FILEROOM_HOME"] = home
            environment["FILEROOM_WORKERS"] = "1"
            environment["FILEROOM_SETTLE_SECONDS"] = "0.2"
            environment["FILEROOM_RESCAN_SECONDS"] = "1"
            environment["FILEROOM_DATABASE_URL"] = postgres?.secretURL
            // The built-in defaults, not the host's /etc/fileroom/fileroom.toml.
            environment["FILEROOM_CONFIG"] = touch("\(home)/bench.toml")
            let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
            var processes: [Process] = []
            defer {
                for process in processes where process.isRunning { process.terminate() }
                for process in processes { process.waitUntilExit() }
            }
            for index in 1...daemons {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: executable)
                process.arguments = ["daemon"]
                var own = environment
                own["FILEROOM_HOST_ID"] = "bench-\(index)"
                process.environment = own
                process.standardOutput = FileHandle.nullDevice
                process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: touch("\(home)/daemon-\(index).log")))
                try process.run()
                processes.append(process)
            }
            try await Task.sleep(for: .seconds(2))
            let clock = ContinuousClock()
            let started = clock.now
            for file in files {
                let name = URL(fileURLWithPath: file).lastPathComponent
                try FileManager.default.copyItem(atPath: file, toPath: "\(home)/spool/.\(name).part")
                try FileManager.default.moveItem(atPath: "\(home)/spool/.\(name).part", toPath: "\(home)/spool/\(name)")
            }
            let finals = Set(SourceState.allCases.filter(\.isFinal))
            var finished = false
            while clock.now - started < .seconds(900), processes.contains(where: \.isRunning) {
                let spoolLeft = (try? FileManager.default.contentsOfDirectory(atPath: "\(home)/spool").filter { !$0.hasPrefix(".") })?.count ?? 0
                if spoolLeft == 0, try await store.sources(in: finals).count >= files.count,
                    try await store.unfinishedSources().isEmpty
                {
                    finished = true
                    break
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            let elapsed = seconds(clock.now - started)
            let pages = try await store.sources(in: finals).reduce(0) { $0 + ($1.pageCount ?? 0) }
            (store as? PostgresStore)?.close()
            return EndToEnd(files: files.count, pages: pages, seconds: elapsed, finished: finished)
        }
    }

    static func touch(_ path: String) -> String {
        FileManager.default.createFile(atPath: path, contents: nil)
        return path
    }

    static func withTemporaryHome<T>(_ body: (String) async throws -> T) async throws -> T {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("fileroom-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home + "/spool", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        return try await body(home)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
