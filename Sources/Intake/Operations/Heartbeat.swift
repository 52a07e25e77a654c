import Foundation
import Logging
import ServiceLifecycle
import Settings
import Store

/// A log line a minute for ops: spool backlog, sources in flight, totals, the age of the oldest unfinished source.
public struct Heartbeat: Service {
    let engine: IntakeEngine
    let interval: Duration

    public init(engine: IntakeEngine, interval: Duration) {
        self.engine = engine
        self.interval = interval
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
        let backlog = DurableFiles.listDirectory(engine.settings.spool).filter { !SpoolScanner.isIgnored(name: $0) }
        var metadata: Logger.Metadata = [
            "spool.backlog": "\(backlog.count)", "in_flight": "\(totals.inFlight)", "claimed": "\(totals.claimed)",
            "filed": "\(totals.filed)", "review": "\(totals.review)", "unmatched": "\(totals.unmatched)",
            "rejected": "\(totals.rejected)", "duplicate": "\(totals.duplicate)",
        ]
        if let counts = try? await engine.store.counts(), let oldest = counts.oldestUnfinished {
            metadata["oldest.source.id"] = "\(oldest.id)"
            if let received = Timestamp.date(oldest.receivedAt) {
                metadata["oldest.age.s"] = "\(Int(Date().timeIntervalSince(received)))"
            }
        }
        engine.logger.info("heartbeat", metadata: metadata)
    }
}

extension Task where Success == Never, Failure == Never {
    static var isCancelledOrShuttingDown: Bool { isCancelled || isShuttingDownGracefully }
}
