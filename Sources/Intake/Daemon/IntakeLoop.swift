import FileroomModel
import Foundation
import Logging
import ServiceLifecycle
import Settings
import Store
import Synchronization

/// The daemon's main loop as a `Service`: rescans the spool (on inotify hints, every `rescan_seconds`, or by
/// polling), claims what settled and processes sources with bounded concurrency. A source that fails for a
/// transient reason leaves its slot and waits in the `RetrySchedule`; the daemon retries it for as long as it
/// takes (`--once` gives up after a budget and exits non-zero).
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
    /// How long `--once` waits for spool files that never settle (held locked, still growing) before it stops
    /// with `IntakeLoopError.unsettledFiles`.
    let unsettledGrace: Duration
    /// Called after each pass of the loop with whether intake is healthy: work progressed recently or nothing is
    /// waiting (systemd's watchdog is fed only then; tests).
    let onPass: @Sendable (_ healthy: Bool) -> Void

    public init(
        engine: IntakeEngine, mode: Mode, notifier: SystemdNotifier = SystemdNotifier(environment: [:]),
        unsettledGrace: Duration? = nil, stallAfter: Duration? = nil,
        onPass: @escaping @Sendable (_ healthy: Bool) -> Void = { _ in }
    ) {
        self.engine = engine
        self.mode = mode
        self.notifier = notifier
        self.unsettledGrace = unsettledGrace ?? .seconds(engine.settings.settleSeconds + 120)
        // Twice the OCR page limit (a page always ends within it), at least two minutes.
        let stall = stallAfter ?? .seconds(max(120, engine.settings.pages.ocrPageTimeoutSeconds * 2))
        self.stallSeconds = Double(stall.components.seconds) + Double(stall.components.attoseconds) / 1e18
        self.onPass = onPass
    }

    public var counters: IntakeCounters { engine.counters }

    /// Seconds without progress, while sources are in flight or waiting, after which intake counts as stalled.
    let stallSeconds: Double

    public func run() async throws {
        let settings = engine.settings
        let logger = engine.logger
        // Two sources more than the page workers: while a source is understood, matched and filed (no OCR), the
        // next ones keep every page worker busy. With exactly one source per worker the workers idled through
        // each source's filing, the largest part of the daemon's overhead over the page stage alone.
        let concurrency = settings.workers + 2
        var scanner = SpoolScanner(spoolPath: settings.spool, settleSeconds: settings.settleSeconds)
        let watcher = settings.polling ? nil : InotifyWatcher(path: settings.spool)
        let wakeups = Wakeups()

        // Staff refiles and unfiles whose file moves a crash interrupted finish through the same door first.
        do {
            let settled = try await engine.filingDoor.settlePending()
            if settled > 0 { logger.info("completed pending placements", metadata: ["count": "\(settled)"]) }
        } catch {
            throw IntakeFailure.classify(error, step: .file, sourceID: nil)
        }
        var pending = try await engine.recoverInterruptedClaims().map(\.id)
        for id in try await engine.resumableSources() where !pending.contains(id) {
            pending.append(id)
        }
        if !pending.isEmpty {
            logger.info("resuming unfinished sources", metadata: ["count": "\(pending.count)"])
        }
        let stopClaiming = StopFlag()
        let running = RunningCount()
        var claimsPausedUntil = ContinuousClock.now
        var claimFailures = 0
        var needsRecovery = false
        var stalledReported = false

        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                if let watcher {
                    let hints = watcher.hints()
                    group.addTask {
                        for await _ in hints { wakeups.signal() }
                    }
                }
                // Several daemons on PostgreSQL: another daemon giving a source up wakes this one (LISTEN/NOTIFY).
                let listening = StopFlag()
                if engine.leaseHost != nil {
                    group.addTask {
                        while !listening.isSet {
                            if await engine.store.waitForWork(timeout: .seconds(2)) { wakeups.signal() }
                        }
                    }
                }
                // Ends the hint and listening children before the group waits for its children.
                defer {
                    watcher?.stop()
                    listening.set()
                }
                var lastClaim = ContinuousClock.now
                var leasesCheckedAt = ContinuousClock.now
                while true {
                    // A source claimed into a free slot starts before the next claim: the first pass no longer
                    // claims the whole lookahead (a few fsyncs each) while the page workers wait.
                    var startAtOnce = false
                    if !stopClaiming.isSet, ContinuousClock.now >= claimsPausedUntil {
                        do {
                            if needsRecovery {
                                pending += try await engine.recoverInterruptedClaims().map(\.id)
                                needsRecovery = false
                            }
                            let ready = try scanner.claimable(now: ProgressClock.now())
                            for kind in scanner.newlyIgnored {
                                // An unreadable fax needs a person (the fax server's file mode); the rest is noise.
                                logger.log(
                                    level: kind == .unreadable ? .warning : .notice, "spool entry ignored",
                                    metadata: ["kind": "\(kind.rawValue)"]
                                )
                            }
                            // Claims stay a few sources ahead of the workers: the spool is the queue, so a deep
                            // backlog costs no memory and ops see it where it is.
                            for name in ready where !stopClaiming.isSet && pending.count < concurrency * 2 {
                                scanner.forget(name)
                                lastClaim = .now
                                guard let source = try await engine.claim(spoolName: name) else { continue }
                                pending.append(source.id)
                                if running.value + pending.count <= concurrency {
                                    startAtOnce = true
                                    break
                                }
                            }
                            claimFailures = 0
                        } catch {
                            // The file stays in the spool (or its work folder is recorded by the recovery): try
                            // again after a pause that grows while the failure lasts.
                            claimFailures += 1
                            needsRecovery = true
                            let pause = min(RetrySchedule.firstDelay * (1 << min(claimFailures, 6)), RetrySchedule.maximumDelay)
                            claimsPausedUntil = .now + pause
                            logger.warning(
                                "claim failed",
                                metadata: Self.safeMetadata(error, step: .claim, ["delay.ms": "\(pause.milliseconds)"])
                            )
                        }
                    }
                    for id in engine.retries.takeDue() where !pending.contains(id) { pending.append(id) }
                    if engine.leaseHost != nil, !stopClaiming.isSet,
                        leasesCheckedAt.duration(to: .now) >= IntakeEngine.leaseCheckInterval
                    {
                        // Renew this daemon's leases; adopt sources of daemons that died while there is room.
                        leasesCheckedAt = .now
                        do {
                            for id in try await engine.renewAndAdopt(limit: concurrency - pending.count)
                            where !pending.contains(id) {
                                pending.append(id)
                            }
                            // Work folders a daemon that died left: claims it never recorded, final sources whose
                            // folder work it never finished.
                            for source in try await engine.recoverInterruptedClaims(periodic: true)
                            where !pending.contains(source.id) {
                                pending.append(source.id)
                            }
                        } catch {
                            logger.warning("lease renewal failed", metadata: Self.safeMetadata(error, step: .claim))
                        }
                    }
                    while running.value < concurrency, !pending.isEmpty, !stopClaiming.isSet {
                        let id = pending.removeFirst()
                        running.add(1)
                        engine.counters.adjustInFlight(1)
                        group.addTask {
                            await processOnce(id)
                            engine.counters.adjustInFlight(-1)
                            running.add(-1)
                            wakeups.signal()
                        }
                    }
                    let busy = running.value > 0
                    let idle = !busy && pending.isEmpty
                    let healthy = idle || engine.progress.idleSeconds < stallSeconds
                    if !healthy, !stalledReported {
                        logger.error(
                            "no progress",
                            metadata: [
                                "in_flight": "\(running.value)", "idle.s": "\(Int(engine.progress.idleSeconds))",
                            ]
                        )
                    }
                    stalledReported = !healthy
                    onPass(healthy)
                    if stopClaiming.isSet, !busy { return }
                    if mode == .once, idle, engine.retries.count == 0 {
                        if scanner.backlog == 0 { return }
                        // Files that never settle (held locked, or still growing) would hang a batch job.
                        if lastClaim.duration(to: .now) > unsettledGrace {
                            throw IntakeLoopError.unsettledFiles(count: scanner.backlog)
                        }
                    }
                    var tick: Duration =
                        mode == .once || scanner.backlog > 0
                        ? .milliseconds(Int64(max(100, min(1000, settings.settleSeconds * 500))))
                        : .seconds(settings.polling ? min(settings.rescanSeconds, 5) : settings.rescanSeconds)
                    if busy {
                        // Health is judged on each pass: pass often enough to see a stall within its limit.
                        tick = min(tick, .milliseconds(Int64(max(100, min(5000, stallSeconds * 250)))))
                    }
                    if engine.leaseHost != nil { tick = min(tick, IntakeEngine.leaseCheckInterval) }
                    if let due = engine.retries.nextDue {
                        tick = min(tick, max(.milliseconds(10), ContinuousClock.now.duration(to: due)))
                    }
                    if startAtOnce { continue }
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
        await engine.releaseHeldLeases()
    }

    /// One try of a source. A transient failure schedules the next try with backoff (the daemon never gives up;
    /// `--once` does after `RetrySchedule.onceBudget` tries, leaving the source unfinished).
    private func processOnce(_ id: String) async {
        do {
            try await engine.process(sourceID: id)
            engine.retries.succeeded(id)
        } catch {
            if Task.isCancelled { return }
            let (attempt, delay) = engine.retries.schedule(id, reason: error.reason)
            engine.counters.addRetry()
            engine.logger.warning(
                "source retry",
                metadata: Logger.Metadata(error, ["attempt": "\(attempt)", "delay.ms": "\(delay.milliseconds)"])
            )
            // The step with the reason, for `status`: which file step the system refused, and why (no path).
            try? await engine.store.recordRetry(source: id, reason: "\(error.step.rawValue): \(error.reason)")
            if mode == .once, attempt >= RetrySchedule.onceBudget {
                engine.retries.abandon(id)
                engine.logger.error(
                    "source left unfinished after retries", metadata: Logger.Metadata(error, ["attempt": "\(attempt)"])
                )
            }
        }
    }

    /// Log metadata for any error: a log-safe one's fields; for anything else its type only (never its text,
    /// which may hold a path).
    static func safeMetadata(_ error: any Error, step: IntakeStep, _ extra: Logger.Metadata = [:]) -> Logger.Metadata {
        if let error = error as? any LogSafe { return Logger.Metadata(error, extra) }
        return Logger.Metadata(IntakeFailure.classify(error, step: step, sourceID: nil), extra)
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
