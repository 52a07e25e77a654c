import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// When intake last moved forward (a claim, a page checkpointed, a step done), on the monotonic clock. The
/// systemd watchdog is fed only while this advances or nothing is waiting: a loop that keeps turning while every
/// source hangs (threads exhausted, a decoder stuck) must not look healthy.
public final class ProgressClock: Sendable {
    private let last = Atomic<Int64>(ProgressClock.now())

    public init() {}

    public func mark() { last.store(Self.now(), ordering: .releasing) }

    /// Seconds since the last progress.
    public var idleSeconds: Double { Double(Self.now() - last.load(ordering: .acquiring)) / 1e9 }

    static func now() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }
}
