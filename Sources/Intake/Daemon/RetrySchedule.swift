import Foundation
import Synchronization

/// Sources waiting to be tried again after a transient failure (disk full, database busy): each with its count of
/// tries, when its run of failures began and when it is due. Backoff doubles from half a second to `maximumDelay`
/// and the daemon goes on retrying for as long as it takes; only `--once` gives up (after `onceBudget` tries).
///
/// Shared by the loop (which schedules and takes due sources), the heartbeat and the watchdog.
public final class RetrySchedule: Sendable {
    public struct Entry: Sendable, Hashable {
        public var attempts: Int
        public var since: Date
        public var reason: String
        /// Nil while the source is being tried again.
        var due: ContinuousClock.Instant?
    }

    public static let firstDelay: Duration = .milliseconds(500)
    public static let maximumDelay: Duration = .seconds(30)
    let firstDelay: Duration
    let maximumDelay: Duration
    /// Tries `daemon --once` makes before it leaves a source unfinished (and exits non-zero).
    static let onceBudget = 8

    private let entries = Mutex<[String: Entry]>([:])

    /// Backoff from `firstDelay`, doubling up to `maximumDelay` (tests shorten both).
    public init(firstDelay: Duration = RetrySchedule.firstDelay, maximumDelay: Duration = RetrySchedule.maximumDelay) {
        self.firstDelay = firstDelay
        self.maximumDelay = maximumDelay
    }

    /// Counts a failed try of `id` and returns the try's number and how long to wait before the next.
    func schedule(_ id: String, reason: String, now: ContinuousClock.Instant = .now) -> (attempt: Int, delay: Duration) {
        entries.withLock { entries in
            var entry = entries[id] ?? Entry(attempts: 0, since: Date(), reason: reason, due: nil)
            entry.attempts += 1
            entry.reason = reason
            var delay = firstDelay
            for _ in 1..<min(entry.attempts, 16) { delay = min(delay * 2, maximumDelay) }
            entry.due = now + delay
            entries[id] = entry
            return (entry.attempts, delay)
        }
    }

    /// Sources whose wait is over, oldest failure first; they count as being tried until `succeeded` or the next
    /// `schedule`.
    func takeDue(now: ContinuousClock.Instant = .now) -> [String] {
        entries.withLock { entries in
            let due = entries.filter { $0.value.due.map { $0 <= now } ?? false }
                .sorted { ($0.value.since, $0.key) < ($1.value.since, $1.key) }.map(\.key)
            for id in due { entries[id]?.due = nil }
            return due
        }
    }

    /// The source got past its failure (or reached a final state).
    func succeeded(_ id: String) {
        _ = entries.withLock { $0.removeValue(forKey: id) }
    }

    /// Drops a source from the schedule (`--once` gave up on it).
    func abandon(_ id: String) { succeeded(id) }

    /// When the next waiting source is due.
    var nextDue: ContinuousClock.Instant? {
        entries.withLock { $0.values.compactMap(\.due).min() }
    }

    /// Sources in a run of retries (waiting or being tried again).
    public var count: Int { entries.withLock { $0.count } }

    /// Sources waiting for their next try (not being tried right now).
    var waiting: Int { entries.withLock { $0.values.filter { $0.due != nil }.count } }

    /// When the oldest run of retries began.
    public var oldestSince: Date? { entries.withLock { $0.values.map(\.since).min() } }

    public func entry(_ id: String) -> Entry? { entries.withLock { $0[id] } }
}
