import Foundation
import Logging
import Settings
import Store
import Synchronization
import Telemetry

/// What ops see between heartbeats besides the log line: the Prometheus textfile (`<home>/metrics/fileroom.prom`)
/// and the one-line status `systemctl status` shows (`STATUS=`).
///
/// Today's counts are the running totals minus those at the first publish of the day (UTC), so a daemon running
/// for a week still shows one day's work.
public final class OpsPublisher: Sendable {
    private let engine: IntakeEngine
    private let textfile: MetricsTextfile
    private let dayStart = Mutex<(day: String, totals: IntakeCounters.Snapshot)?>(nil)

    public init(engine: IntakeEngine) {
        self.engine = engine
        textfile = MetricsTextfile(path: engine.settings.metricsFile)
    }

    /// Records the current levels, rewrites the textfile and returns the status line.
    @discardableResult
    public func publish(spool: SpoolCensus? = nil, counts: StoreCounts? = nil, now: Date = Date()) async -> String {
        let spool = spool ?? SpoolScanner.census(spoolPath: engine.settings.spool)
        let counts: StoreCounts? = if let counts { counts } else { try? await engine.store.counts() }
        let totals = engine.counters.snapshot
        var levels = FileroomMetrics.Levels()
        levels.spoolBacklog = spool.waiting
        levels.inFlight = totals.inFlight
        levels.retrying = engine.retries.count
        if let oldest = counts?.oldestUnfinished, let received = Timestamp.date(oldest.receivedAt) {
            levels.oldestWaitingSeconds = max(0, now.timeIntervalSince(received))
        }
        for (kind, depth) in counts?.openQueueItems ?? [:] { levels.openQueueItems[kind.rawValue] = depth }
        engine.counters.metrics.record(levels, at: now)
        do {
            try textfile.write(engine.counters.metrics.render())
        } catch {
            engine.logger.warning("metrics not written", metadata: ["reason": "\(error.operation)_failed", "errno": "\(error.errno)"])
        }
        let today = todaysTotals(totals, now: now)
        var status = "backlog \(spool.waiting), in flight \(totals.inFlight)"
        if levels.retrying > 0 { status += ", retrying \(levels.retrying)" }
        status += "; today: filed \(today.filed), review \(today.review), unmatched \(today.unmatched)"
        status += ", rejected \(today.rejected), duplicate \(today.duplicate)"
        return status
    }

    private func todaysTotals(_ totals: IntakeCounters.Snapshot, now: Date) -> IntakeCounters.Snapshot {
        let day = String(Timestamp.rfc3339(now).prefix(10))
        let start = dayStart.withLock { start in
            if start?.day != day { start = (day, totals) }
            return start!.totals
        }
        var today = totals
        today.filed -= start.filed
        today.review -= start.review
        today.unmatched -= start.unmatched
        today.rejected -= start.rejected
        today.duplicate -= start.duplicate
        today.claimed -= start.claimed
        return today
    }
}
