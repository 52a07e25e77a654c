import Foundation
import Logging
import ServiceLifecycle
import Settings
import Store
import Synchronization

/// The daemon's main loop as a `Service`: rescans the spool (on inotify hints, every `rescan_seconds`, or by
/// polling), claims what settled and processes sources with bounded concurrency.
///
/// On graceful shutdown it stops claiming at once, lets the sources in flight finish their current pages within
/// the shutdown deadline, and leaves everything else to resume on the next start.
public struct IntakeLoop: Service {
    public enum Mode: Sendable {
        /// Run until shut down.
        case daemon
        /// Process what is in the spool (and anything unfinished), then return.
        case once
    }

    let engine: IntakeEngine
    let mode: Mode
    let notifier: SystemdNotifier
    /// Called after each pass of the loop (systemd's watchdog, tests).
    let onPass: @Sendable () -> Void

    public init(
        engine: IntakeEngine, mode: Mode, notifier: SystemdNotifier = SystemdNotifier(environment: [:]),
        onPass: @escaping @Sendable () -> Void = {}
    ) {
        self.engine = engine
        self.mode = mode
        self.notifier = notifier
        self.onPass = onPass
    }

    public var counters: IntakeCounters { engine.counters }

    public func run() async throws {
        let settings = engine.settings
        let logger = engine.logger
        let concurrency = max(2, settings.workers)
        var scanner = SpoolScanner(spoolPath: settings.spool, settleSeconds: settings.settleSeconds)
        let watcher = settings.polling ? nil : InotifyWatcher(path: settings.spool)
        let wakeups = Wakeups()

        try await engine.recoverInterruptedClaims()
        var pending = try await engine.store.unfinishedSources().map(\.id)
        if !pending.isEmpty {
            logger.info("resuming unfinished sources", metadata: ["count": "\(pending.count)"])
        }
        let stopClaiming = StopFlag()

        let running = RunningCount()
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                if let watcher {
                    let hints = watcher.hints()
                    group.addTask {
                        for await _ in hints { wakeups.signal() }
                    }
                }
                // Ends the hint child before the group waits for its children.
                defer { watcher?.stop() }
                var lastClaim = ContinuousClock.now
                while true {
                    if !stopClaiming.isSet {
                        do {
                            let ready = try scanner.claimable(now: Self.monotonicNanoseconds())
                            // Claims stay a few sources ahead of the workers: the spool is the queue, so a deep
                            // backlog costs no memory and ops see it where it is.
                            for name in ready where !stopClaiming.isSet && pending.count < concurrency * 2 {
                                scanner.forget(name)
                                if let source = try await engine.claim(spoolName: name) {
                                    pending.append(source.id)
                                }
                                lastClaim = .now
                            }
                        } catch {
                            logger.error("spool scan failed", metadata: ["error": "\(error)"])
                        }
                    }
                    while running.value < concurrency, !pending.isEmpty, !stopClaiming.isSet {
                        let id = pending.removeFirst()
                        running.add(1)
                        engine.counters.adjustInFlight(1)
                        group.addTask {
                            await processWithRetry(id)
                            engine.counters.adjustInFlight(-1)
                            running.add(-1)
                            wakeups.signal()
                        }
                    }
                    onPass()
                    let busy = running.value > 0
                    if stopClaiming.isSet, !busy { return }
                    if mode == .once, !busy, pending.isEmpty {
                        if scanner.backlog == 0 { return }
                        // Files that never settle (held locked, or still growing) would hang a batch job.
                        if lastClaim.duration(to: .now) > .seconds(settings.settleSeconds + 120) {
                            throw IntakeLoopError.unsettledFiles(count: scanner.backlog)
                        }
                    }
                    let tick: Duration =
                        mode == .once || scanner.backlog > 0
                        ? .milliseconds(Int64(max(100, min(1000, settings.settleSeconds * 500))))
                        : .seconds(settings.polling ? min(settings.rescanSeconds, 5) : settings.rescanSeconds)
                    await wakeups.wait(upTo: tick)
                }
            }
        } onGracefulShutdown: {
            stopClaiming.set()
            engine.requestShutdown()
            notifier.stopping()
            logger.info("shutdown requested: finishing pages in flight")
            wakeups.signal()
        }
    }

    /// Processes one source, retrying transient failures (disk full, database busy) with backoff.
    private func processWithRetry(_ id: String) async {
        var delay: Duration = .milliseconds(500)
        for attempt in 1...8 {
            do {
                try await engine.process(sourceID: id)
                return
            } catch is CancellationError {
                return
            } catch {
                if Task.isCancelled { return }
                let transient = Self.isTransient(error)
                engine.logger.warning(
                    transient ? "retry" : "source failed",
                    metadata: [
                        "source.id": "\(id)", "attempt": "\(attempt)", "error.type": "\(type(of: error))",
                        "delay.ms": "\(delay.milliseconds)",
                    ]
                )
                do { try await Task.sleep(for: delay) } catch { return }
                delay = min(delay * 2, .seconds(30))
            }
        }
        engine.logger.error("source left unfinished after retries", metadata: ["source.id": "\(id)"])
    }

    static func isTransient(_ error: any Error) -> Bool {
        if let error = error as? StoreError { return error.isTransient }
        if let error = error as? FileStepError { return error.isTransient }
        return false
    }

    static func monotonicNanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }
}

public enum IntakeLoopError: Error, CustomStringConvertible {
    case unsettledFiles(count: Int)

    public var description: String {
        switch self {
        case .unsettledFiles(let count): "\(count) spool file(s) never settled (locked or still being written)"
        }
    }
}
