import CoreMetrics
import Foundation
import Prometheus

/// What the daemon counts for ops, as swift-metrics instruments backed by a Prometheus registry of its own.
///
/// Nothing is bootstrapped globally: the daemon, `--once` and tests each own one `FileroomMetrics`, so two engines in
/// one test process never mix their figures. Every metric name starts with `fileroom_` (CONTRACTS.md); labels carry
/// only types, outcomes, queues and reason codes, never ids or patient data.
public final class FileroomMetrics: Sendable {
    private let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory

    private let pagesRead: CoreMetrics.Counter
    private let ocrTime: CoreMetrics.Timer
    private let retries: CoreMetrics.Counter
    private let backlog: CoreMetrics.Gauge
    private let inFlight: CoreMetrics.Gauge
    private let retrying: CoreMetrics.Gauge
    private let oldestWaiting: CoreMetrics.Gauge
    private let lastBeat: CoreMetrics.Gauge

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // OCR takes about a second a page on a fax; these buckets separate fast text-layer pages from stalls.
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(50), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5),
            .seconds(15), .seconds(60),
        ]
        self.factory = factory
        pagesRead = Counter(label: "fileroom_pages_read_total", factory: factory)
        ocrTime = Timer(label: "fileroom_ocr_seconds", factory: factory)
        retries = Counter(label: "fileroom_retries_total", factory: factory)
        backlog = Gauge(label: "fileroom_spool_backlog", factory: factory)
        inFlight = Gauge(label: "fileroom_sources_in_flight", factory: factory)
        retrying = Gauge(label: "fileroom_sources_retrying", factory: factory)
        oldestWaiting = Gauge(label: "fileroom_oldest_waiting_seconds", factory: factory)
        lastBeat = Gauge(label: "fileroom_last_heartbeat_timestamp_seconds", factory: factory)
    }

    /// One page read; `ocr` is nil for a page taken from a PDF's text layer.
    public func pageRead(ocr: Duration?) {
        pagesRead.increment()
        if let ocr { ocrTime.recordNanoseconds(Int64(ocr.components.seconds) * 1_000_000_000 + ocr.components.attoseconds / 1_000_000_000) }
    }

    /// One document reached an outcome (`filed`, `review`, `unmatched`) with its type (`pathology_report`, ...).
    public func document(outcome: String, type: String) {
        Counter(label: "fileroom_documents_total", dimensions: [("outcome", outcome), ("type", type)], factory: factory)
            .increment()
    }

    /// A source reached a final state that is not a filing: `rejected` with its reason code, or `duplicate`.
    public func sourceEnded(state: String, reason: String? = nil) {
        var dimensions = [("state", state)]
        if let reason { dimensions.append(("reason", reason)) }
        Counter(label: "fileroom_sources_ended_total", dimensions: dimensions, factory: factory).increment()
    }

    /// A transient failure that will be retried.
    public func retried() {
        retries.increment()
    }

    /// The figures read at each heartbeat.
    public struct Levels: Sendable {
        public var spoolBacklog = 0
        public var inFlight = 0
        public var retrying = 0
        /// Age of the oldest source not yet final, in seconds; nil when none waits.
        public var oldestWaitingSeconds: Double?
        /// Open queue items by queue (`review`, `pathology`, `radiology`, `records`).
        public var openQueueItems: [String: Int] = [:]

        public init() {}
    }

    public func record(_ levels: Levels, at now: Date = Date()) {
        backlog.record(levels.spoolBacklog)
        inFlight.record(levels.inFlight)
        retrying.record(levels.retrying)
        oldestWaiting.record(levels.oldestWaitingSeconds ?? 0)
        for (queue, depth) in levels.openQueueItems {
            Gauge(label: "fileroom_queue_depth", dimensions: [("queue", queue)], factory: factory).record(depth)
        }
        lastBeat.record(now.timeIntervalSince1970)
    }

    /// The Prometheus text exposition of every metric.
    public func render() -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
