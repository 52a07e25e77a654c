import Foundation

/// A daemon's claim on an unfinished source: which host works on it, until when. A live lease keeps every other
/// daemon off the source; an expired one (its host died or lost the database) is taken over by the next daemon that
/// looks, which resumes the source from its last checkpoint.
public struct SourceLease: Sendable, Hashable, Codable {
    public var sourceID: String
    /// The daemon holding it (`host_id`).
    public var hostID: String
    /// RFC 3339 UTC, by the database's clock on PostgreSQL (hosts' clocks may disagree).
    public var expiresAt: String
    /// Times the lease passed from a host whose lease expired to another one: daemon deaths while holding it. They
    /// never make a source poison (only page worker deaths do); `status` shows them.
    public var takeovers: Int
    /// True when this grant took the source over from an expired lease of another host: the caller resumes it, and
    /// may clean that host's half-done `work/` folder.
    public var tookOver: Bool

    public init(sourceID: String, hostID: String, expiresAt: String, takeovers: Int, tookOver: Bool) {
        self.sourceID = sourceID
        self.hostID = hostID
        self.expiresAt = expiresAt
        self.takeovers = takeovers
        self.tookOver = tookOver
    }
}
