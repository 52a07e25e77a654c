import Foundation
import Logging
import ServiceLifecycle
import Settings
import Store

/// A log line a minute for ops: spool backlog, sources in flight, totals, the age of the oldest unfinished source.
public struct Heartbeat: Service {
    let engine: IntakeEngine
    let interval: Duration
    let publisher: OpsPublisher
    let notifier: SystemdNotifier?

    /// - Parameter publisher: the daemon shares one with its end-of-run publish; by default the heartbeat has its own.
    public init(
        engine: IntakeEngine, interval: Duration, publisher: OpsPublisher? = nil, notifier: SystemdNotifier? = nil
    ) {
        self.engine = engine
        self.interval = interval
        self.publisher = publisher ?? OpsPublisher(engine: engine)
        self.notifier = notifier
    }

    public func run() async throws {
        // The sleep ends at once on graceful shutdown: the heartbeat holds nothing that needs finishing.
        while !Task.isCancelledOrShuttingDown {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
            await beat()
        }
    }

    func beat() async {
        let totals = engine.counters.snapshot
        let spool = SpoolScanner.census(spoolPath: engine.settings.spool)
        var metadata: Logger.Metadata = [
            "spool.backlog": "\(spool.waiting)", "in_flight": "\(totals.inFlight)", "claimed": "\(totals.claimed)",
            "filed": "\(totals.filed)", "review": "\(totals.review)", "unmatched": "\(totals.unmatched)",
            "rejected": "\(totals.rejected)", "duplicate": "\(totals.duplicate)",
        ]
        if !spool.ignored.isEmpty {
            // `fifo:1,folder:2`: one logfmt value without quotes.
            metadata["spool.ignored"] = "\(spool.ignoredSummary.replacingOccurrences(of: "=", with: ":").replacingOccurrences(of: " ", with: ","))"
        }
        // "retrying N, oldest since T": sources the daemon keeps trying after transient failures.
        metadata["retrying"] = "\(engine.retries.count)"
        if let since = engine.retries.oldestSince { metadata["retrying.oldest_since"] = "\(Timestamp.rfc3339(since))" }
        let counts = try? await engine.store.counts()
        let status = await publisher.publish(spool: spool, counts: counts)
        notifier?.status(status)
        if let counts, let oldest = counts.oldestUnfinished {
            metadata["oldest.source.id"] = "\(oldest.id)"
            if let received = Timestamp.date(oldest.receivedAt) {
                metadata["oldest.age.s"] = "\(Int(Date().timeIntervalSince(received)))"
            }
        }
        // The audit chain's head in the log too: a record outside the database that a rewrite must also reach.
        if let head = try? await engine.store.auditHead() {
            metadata["audit.entries"] = "\(head.count)"
            metadata["audit.head"] = "\(head.hash.prefix(16))"
        }
        engine.logger.info("heartbeat", metadata: metadata)
    }
}

extension Task where Success == Never, Failure == Never {
    static var isCancelledOrShuttingDown: Bool { isCancelled || isShuttingDownGracefully }
}
