import ArgumentParser
import FileroomModel
import Foundation
import Intake
import Logging
import Settings
import Store

/// `fileroom bench intake DIR`: the whole daemon pipeline (claim, archive, pages, understanding, matching,
/// filing, the store's fsyncs) against the page stage alone on the same files, side by side in one run.
struct BenchIntakeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "intake",
        abstract: "End-to-end pages per second and peak RSS next to the page stage alone."
    )

    @Argument(help: "Folder of fax files (e.g. a spool).")
    var directory: String

    @Option(help: "Case list to import first (cases.csv columns), so documents are matched and filed.")
    var cases: String?

    @Option(help: "Workers (default: all cores).")
    var jobs: Int?

    func run() async throws {
        let workers = jobs ?? ProcessInfo.processInfo.activeProcessorCount
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        let paths = names.map { "\(directory)/\($0)" }.filter {
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: $0, isDirectory: &isFolder) && !isFolder.boolValue
        }

        let stage = try await BenchPagesCommand.measure(paths: paths, workers: workers)

        let home = FileManager.default.temporaryDirectory.appendingPathComponent("fileroom-bench-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: home) }
        var settings = FileroomSettings(home: home, homeOrigin: .flag)
        settings.workers = workers
        settings.settleSeconds = 0
        let runtime = try IntakeRuntime.start(settings: settings, logger: Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() })
        if let cases {
            let text = try String(contentsOfFile: cases, encoding: .utf8)
            _ = try await runtime.store.importCases(csv: text, skipInvalid: true, actor: "bench", today: CalendarDate.today())
        }
        for path in paths {
            try FileManager.default.copyItem(atPath: path, toPath: "\(settings.spool)/\(URL(fileURLWithPath: path).lastPathComponent)")
        }
        let clock = ContinuousClock()
        let started = clock.now
        try await IntakeLoop(engine: runtime.engine, mode: .once).run()
        let seconds = Self.seconds(clock.now - started)
        let pages = try await runtime.store.export().reduce(0) { $0 + ($1.status == "processed" ? $1.pages : 0) }

        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let stagePerSecond = Double(stage.pages.count) / stage.seconds
        let fullPerSecond = Double(pages) / seconds
        print(String(format: "page stage alone: %d pages in %.1f s = %.2f pages/s (%d workers)",
                     stage.pages.count, stage.seconds, stagePerSecond, workers))
        print(String(format: "daemon end to end: %d pages in %.1f s = %.2f pages/s (%d workers)",
                     pages, seconds, fullPerSecond, workers))
        // Per page, not per run: the daemon skips a duplicate's pages that the page stage alone reads again.
        print(String(format: "daemon overhead over the page stage, per page: %.1f%%",
                     100 * (fullPerSecond > 0 ? stagePerSecond / fullPerSecond - 1 : 0)))
        print(String(format: "peak RSS: %.0f MB", Double(usage.ru_maxrss) / 1024))
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
