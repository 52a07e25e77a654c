import ArgumentParser
import FileroomModel
import Foundation
import Intake
import Logging
import PageWorkers
import Settings
import Store

#if canImport(Glibc)
import Glibc
#endif

/// `fileroom bench intake DIR`: the whole daemon pipeline (claim, archive, pages, understanding, matching,
/// filing, the store's fsyncs) against the page stage alone on the same files, side by side.
///
/// Both runs read pages through one page stage, built from the settings as the daemon builds it (the same
/// isolation, worker processes by default, and the same workers), started before any timing. Rounds alternate
/// the two runs, so a machine that gets busier or quieter shifts both; each round's ratio is printed with the
/// median and the spread. Besides wall time, each run reports how busy it kept the page workers and the CPU
/// the daemon process itself used: figures that a shared machine's load disturbs much less than wall time.
struct BenchIntakeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "intake",
        abstract: "End-to-end pages per second against the page stage alone, same files, same workers."
    )

    @Argument(help: "Folder of fax files (e.g. a spool).")
    var directory: String

    @Option(help: "Case list to import first (cases.csv columns), so documents are matched and filed.")
    var cases: String?

    @Option(help: "Workers (default: all cores).")
    var jobs: Int?

    @Option(help: "Rounds of (page stage alone, daemon end to end), alternated.")
    var rounds = 1

    @Option(help: "Where pages are read in both runs: workers (the daemon's default) or in-process.")
    var isolation: BenchPagesCommand.BenchIsolation = .workers

    func validate() throws {
        if rounds < 1 { throw ValidationError("--rounds must be at least 1") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if isolation == .both { throw ValidationError("--isolation is workers or in-process") }
    }

    func run() async throws {
        let workers = jobs ?? ProcessInfo.processInfo.activeProcessorCount
        if ProcessInfo.processInfo.environment["OMP_THREAD_LIMIT"] != "1" {
            print("warning: OMP_THREAD_LIMIT=1 is not set; tesseract will be several times slower")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        let paths = names.map { "\(directory)/\($0)" }.filter {
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: $0, isDirectory: &isFolder) && !isFolder.boolValue
        }
        let caseList = try cases.map { try String(contentsOfFile: $0, encoding: .utf8) }
        let quiet = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }

        var template = FileroomSettings(home: "/nonexistent", homeOrigin: .flag)
        template.workers = workers
        template.settleSeconds = 0
        template.pages.isolation = isolation == .inProcess ? .inProcess : .workers
        let stage = try IntakeRuntime.makePageStage(settings: template, logger: quiet)
        let pool = (stage as? WorkerPageStage)?.pool
        defer { pool?.shutdown() }

        var ratios: [Double] = []
        // The daemon reads a file whose bytes it has seen once (the copy is a `duplicate`): the page stage alone
        // reads each content once too, so both count the same pages.
        var seen = Set<[UInt8]>()
        let distinct = try paths.filter { path in
            var hash = SHA256()
            hash.update(try Data(contentsOf: URL(fileURLWithPath: path)))
            return seen.insert(hash.finalize()).inserted
        }
        for round in 1...rounds {
            let alone = try await Self.timed(pool: pool) {
                let run = try await BenchPagesCommand.measure(paths: distinct, workers: workers, stage: stage)
                return run.pages.count
            }
            let full = try await Self.daemonRun(
                paths: paths, template: template, stage: stage, pool: pool, cases: caseList, logger: quiet
            )
            let ratio = alone.pagesPerSecond > 0 ? full.pagesPerSecond / alone.pagesPerSecond : 0
            ratios.append(ratio)
            print("round \(round) of \(rounds), \(workers) workers, \(template.pages.isolation.rawValue):")
            print("  page stage alone:  \(alone.summary(workers: workers))")
            print("  daemon end to end: \(full.summary(workers: workers))")
            print(String(format: "  daemon/page stage (pages/s): %.3f", ratio))
            // Load on a shared machine moves wall time a lot and CPU time little: the same comparison in CPU per
            // page (the workers' and this process's). With a worker per core kept busy, wall time follows it.
            if let aloneCPU = alone.cpuPerPage, let fullCPU = full.cpuPerPage {
                print(String(format: "  CPU per page: page stage %.3f s, daemon %.3f s (its own %.3f s): ratio %.3f",
                             aloneCPU, fullCPU, full.ownCPUSeconds / Double(max(1, full.pages)), aloneCPU / fullCPU))
            }
        }
        let sorted = ratios.sorted()
        let median = sorted.count % 2 == 1
            ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        print(String(format: "daemon/page stage over %d round(s): median %.3f, min %.3f, max %.3f",
                     ratios.count, median, sorted.first ?? 0, sorted.last ?? 0))
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        print(String(format: "peak RSS of the daemon process: %.0f MB", Double(usage.ru_maxrss) / 1024))
    }

    /// One end-to-end run in a fresh home: cases imported and the files copied into the spool first, then
    /// `daemon --once`'s loop timed. Counts the pages of processed sources (a duplicate's pages are not read).
    static func daemonRun(
        paths: [String], template: FileroomSettings, stage: any PageStage, pool: PageWorkerPool?, cases: String?,
        logger: Logger
    ) async throws -> Measured {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("fileroom-bench-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: home) }
        var settings = FileroomSettings(home: home, homeOrigin: .flag)
        settings.workers = template.workers
        settings.settleSeconds = template.settleSeconds
        settings.pages = template.pages
        let runtime = try IntakeRuntime.start(settings: settings, logger: logger, pageStage: stage)
        if let cases {
            _ = try await runtime.store.importCases(csv: cases, skipInvalid: true, actor: "bench", today: CalendarDate.today())
        }
        for path in paths {
            try FileManager.default.copyItem(atPath: path, toPath: "\(settings.spool)/\(URL(fileURLWithPath: path).lastPathComponent)")
        }
        var measured = try await timed(pool: pool) {
            try await IntakeLoop(engine: runtime.engine, mode: .once).run()
            return 0
        }
        measured.pages = try await runtime.store.export().reduce(0) { $0 + ($1.status == "processed" ? $1.pages : 0) }
        return measured
    }

    /// What one run took: wall time, the page workers' busy time and CPU, and this process's own CPU.
    struct Measured {
        var pages: Int
        var seconds: Double
        var workerBusySeconds: Double?
        var workerCPUSeconds: Double?
        var ownCPUSeconds: Double

        var pagesPerSecond: Double { seconds > 0 ? Double(pages) / seconds : 0 }

        /// Worker and own CPU per page (worker processes only).
        var cpuPerPage: Double? {
            guard let workerCPUSeconds, pages > 0 else { return nil }
            return (workerCPUSeconds + ownCPUSeconds) / Double(pages)
        }

        func summary(workers: Int) -> String {
            var text = String(format: "%.2f pages/s (%d pages, %.1f s)", pagesPerSecond, pages, seconds)
            if let workerBusySeconds {
                text += String(format: "; workers busy %.0f%%", 100 * workerBusySeconds / (seconds * Double(workers)))
            }
            if let workerCPUSeconds { text += String(format: ", worker CPU %.1f s", workerCPUSeconds) }
            text += String(format: "; CPU of this process %.1f s", ownCPUSeconds)
            return text
        }
    }

    /// Times `body` (which returns its page count) with the CPU and busy figures around it.
    static func timed(pool: PageWorkerPool?, _ body: () async throws -> Int) async throws -> Measured {
        let busyBefore = pool?.busySeconds
        let workerCPUBefore = pool.map { workerCPU($0.processIDs) }
        let ownBefore = ownCPU()
        let clock = ContinuousClock()
        let started = clock.now
        let pages = try await body()
        let seconds = Self.seconds(clock.now - started)
        // The same processes as before where none was replaced; a replaced one's CPU is lost (rare: a death).
        let workerCPUAfter = pool.map { workerCPU($0.processIDs) }
        var workerSeconds: Double?
        if let before = workerCPUBefore, let after = workerCPUAfter {
            workerSeconds = after.reduce(0) { $0 + $1.value - (before[$1.key] ?? 0) }
        }
        return Measured(
            pages: pages, seconds: seconds, workerBusySeconds: busyBefore.map { (pool?.busySeconds ?? 0) - $0 },
            workerCPUSeconds: workerSeconds, ownCPUSeconds: ownCPU() - ownBefore
        )
    }

    /// User and system CPU of this process, seconds.
    static func ownCPU() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// User and system CPU of each process, seconds, from `/proc/PID/stat`.
    static func workerCPU(_ processes: [Int32]) -> [Int32: Double] {
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        var result: [Int32: Double] = [:]
        for pid in processes {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")")
            else { continue }
            // After the command in parentheses: state is field 3, utime 14 and stime 15.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { continue }
            result[pid] = (user + system) / ticks
        }
        return result
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
