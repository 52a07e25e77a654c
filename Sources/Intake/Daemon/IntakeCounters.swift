import FileroomModel
import Store
import Synchronization
import Telemetry

/// Running totals since start, for the heartbeat and the `--once` summary.
public final class IntakeCounters: Sendable {
    public struct Snapshot: Sendable, Hashable {
        public var claimed = 0
        public var duplicate = 0
        public var rejected = 0
        public var filed = 0
        public var review = 0
        public var unmatched = 0
        public var inFlight = 0
    }

    private let totals = Mutex(Snapshot())
    /// The same events as Prometheus metrics (pages, OCR time, documents by outcome and type, endings, retries).
    public let metrics = FileroomMetrics()

    public var snapshot: Snapshot { totals.withLock { $0 } }

    func add(claimed: Int = 0, duplicate: Int = 0, rejected: Int = 0, reason: String? = nil) {
        if duplicate > 0 { metrics.sourceEnded(state: "duplicate") }
        if rejected > 0 { metrics.sourceEnded(state: "rejected", reason: reason) }
        totals.withLock {
            $0.claimed += claimed
            $0.duplicate += duplicate
            $0.rejected += rejected
        }
    }

    func add(document status: DocumentStatus, type: DocumentType? = nil) {
        if let type { metrics.document(outcome: status.rawValue, type: type.rawValue) }
        totals.withLock {
            switch status {
            case .filed: $0.filed += 1
            case .review: $0.review += 1
            case .unmatched: $0.unmatched += 1
            case .pending, .rejected: break
            }
        }
    }

    func adjustInFlight(_ delta: Int) {
        totals.withLock { $0.inFlight += delta }
    }

    /// A transient failure that will be retried.
    func addRetry() {
        metrics.retried()
    }

    /// One page read and checkpointed; OCR time counts only for pages that were OCR'd.
    func add(page: PageText) {
        metrics.pageRead(ocr: page.source == .ocr ? .milliseconds(page.timings.ocrMilliseconds) : nil)
    }
}
