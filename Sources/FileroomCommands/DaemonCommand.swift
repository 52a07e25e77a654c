import ArgumentParser
import Foundation
import Intake
import Logging
import ServiceLifecycle
import Settings
import Store
import UnixSignals
import Synchronization
import Telemetry

/// `fileroom daemon`: the product's main job. Watches the spool and walks every fax to a final state.
struct DaemonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "daemon",
        abstract: "Watch the spool and file every fax (the main job).",
        discussion: """
            Runs until SIGTERM or SIGINT: stops claiming, lets the pages in flight finish within \
            shutdown_deadline_seconds, leaves the rest to resume on the next start. With --once it processes \
            what is in the spool (and anything unfinished), prints a summary and exits: 0 when every file \
            reached a final state. Set OMP_THREAD_LIMIT=1 in the environment (tesseract is 4-6x slower without).
            """
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Process what is in the spool, wait for it to finish, print a summary and exit.")
    var once = false

    @Option(help: "OCR workers (default: one per core; FILEROOM_WORKERS, `workers` in the config file).")
    var workers: Int?

    func run() async throws {
        let installation = try Installation.open(
            global, for: .service, flags: workers.map { ["workers": String($0)] } ?? [:]
        )
        let runtime = try installation.runtime()
        let summary = try await IntakeRunner.run(
            runtime: runtime, mode: once ? .once : .daemon, logger: installation.logger
        )
        if once {
            // A fax the daemon's user may not read was never claimed: it did not reach a final state either.
            let unreadable = SpoolScanner.census(spoolPath: runtime.settings.spool).ignored[.unreadable] ?? 0
            print(summary.text)
            if unreadable > 0 { print("unreadable: \(unreadable) file(s) left in the spool (make them group-readable)") }
            if !summary.unfinished.isEmpty || summary.unsettled > 0 || unreadable > 0 {
                throw CommandFailure.quietlyUnfinished
            }
        }
    }
}

/// Runs the intake loop and the heartbeat in a service group with graceful shutdown on SIGTERM/SIGINT.
enum IntakeRunner {
    struct Summary {
        var text: String
        var unfinished: [String]
        /// Spool files that never settled (held locked or still growing) when `--once` gave up waiting.
        var unsettled = 0
    }

    static func run(runtime: IntakeRuntime, mode: IntakeLoop.Mode, logger: Logger) async throws -> Summary {
        let environment = ProcessInfo.processInfo.environment
        let notifier = SystemdNotifier(environment: environment)
        let watchdog = WatchdogPacer(interval: SystemdNotifier.watchdogInterval(environment: environment))
        // The watchdog is fed only while intake progresses or nothing waits: a loop that turns while every source
        // hangs gets restarted by systemd instead of looking healthy.
        let loop = IntakeLoop(engine: runtime.engine, mode: mode, notifier: notifier) { healthy in
            if healthy, watchdog.isDue() { notifier.watchdog() }
        }
        let publisher = OpsPublisher(engine: runtime.engine)
        let heartbeat = Heartbeat(
            engine: runtime.engine, interval: .seconds(runtime.settings.heartbeatSeconds), publisher: publisher,
            notifier: notifier
        )
        // GET /metrics only where ops asked for it; the textfile is written either way.
        let endpoint = try runtime.settings.metrics.listen.map { listen in
            try MetricsEndpoint(listen: listen, metrics: runtime.engine.counters.metrics)
        }
        defer { endpoint?.stop() }
        var configuration = ServiceGroupConfiguration(
            services: [
                .init(service: loop, successTerminationBehavior: .gracefullyShutdownGroup),
                .init(service: heartbeat),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        configuration.maximumGracefulShutdownDuration = .seconds(runtime.settings.shutdownDeadlineSeconds)
        let group = ServiceGroup(configuration: configuration)
        logger.info(
            "started",
            metadata: [
                "mode": "\(mode == .once ? "once" : "daemon")", "workers": "\(runtime.settings.workers)",
                "pid": "\(getpid())", "version": "\(FileroomVersion.current)", "home": "\(runtime.settings.home)",
                "config": "\(runtime.settings.configFile ?? "built-in defaults")",
            ]
        )
        notifier.ready()
        notifier.status(await publisher.publish())
        var unsettled = 0
        do {
            try await group.run()
        } catch let error as IntakeLoopError {
            logger.error("stopped", metadata: ["reason": "unsettled_files"])
            if case .unsettledFiles(let count) = error { unsettled = count }
        }
        // The final figures for node_exporter, also after --once.
        notifier.status(await publisher.publish())
        var summary = try await summarize(
            store: runtime.store, counters: runtime.engine.counters.snapshot, logger: logger
        )
        if unsettled > 0 {
            summary.unsettled = unsettled
            summary.text += "\nunsettled spool files: \(unsettled)"
        }
        return summary
    }

    /// Counts and ids of what this run finished, then ids of anything left unfinished.
    static func summarize(store: any FileroomStore, counters: IntakeCounters.Snapshot, logger: Logger) async throws -> Summary {
        let unfinished = try await store.unfinishedSources().map(\.id)
        let line =
            "summary: filed=\(counters.filed) review=\(counters.review) unmatched=\(counters.unmatched) "
            + "rejected=\(counters.rejected) duplicate=\(counters.duplicate) claimed=\(counters.claimed) "
            + "unfinished=\(unfinished.count)"
        var lines = [line]
        for state in [SourceState.filed, .review, .unmatched, .rejected, .duplicate] {
            let ids = try await store.sources(in: [state]).map(\.id)
            if !ids.isEmpty { lines.append("\(state.rawValue): \(ids.joined(separator: " "))") }
        }
        if !unfinished.isEmpty { lines.append("unfinished: \(unfinished.joined(separator: " "))") }
        logger.info(
            "finished",
            metadata: [
                "filed": "\(counters.filed)", "review": "\(counters.review)", "unmatched": "\(counters.unmatched)",
                "rejected": "\(counters.rejected)", "duplicate": "\(counters.duplicate)",
                "unfinished": "\(unfinished.count)",
            ]
        )
        return Summary(text: lines.joined(separator: "\n"), unfinished: unfinished)
    }
}

/// Sends systemd's watchdog ping at most twice per interval, however often the loop passes.
final class WatchdogPacer: Sendable {
    private let interval: Duration?
    private let last = Mutex<ContinuousClock.Instant?>(nil)

    init(interval: Duration?) { self.interval = interval }

    func isDue() -> Bool {
        guard let interval else { return false }
        let now = ContinuousClock.now
        return last.withLock { last in
            if let previous = last, previous.duration(to: now) < interval / 2 { return false }
            last = now
            return true
        }
    }
}
