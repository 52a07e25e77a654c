import FileroomModel
import Foundation
import Logging
import Settings
import Store

/// Several daemons sharing one PostgreSQL store and one home: each works a source only under its lease. With the
/// embedded SQLite store one daemon holds the home (the instance lock) and none of this applies.
extension IntakeEngine {
    /// How long a lease lasts without renewal: a daemon that died is replaced this long after its last renewal.
    public static let leaseSeconds: TimeInterval = 30
    /// How often a daemon renews its leases and looks for sources whose daemon died.
    public static let leaseCheckInterval: Duration = .seconds(leaseSeconds / 3)

    /// This daemon's host id when sources are worked under leases; nil with SQLite.
    public var leaseHost: String? { settings.databaseURL == nil ? nil : settings.hostID }

    /// Takes (or renews) the lease on a source before working on it. False when another daemon's lease on it is
    /// live: that daemon works on it.
    func holdLease(_ sourceID: String) async throws(IntakeFailure) -> Bool {
        guard let host = leaseHost else { return true }
        do {
            return try await store.acquireLease(source: sourceID, host: host, duration: Self.leaseSeconds) != nil
        } catch {
            throw IntakeFailure.classify(error, step: .claim, sourceID: sourceID)
        }
    }

    /// Gives the lease up once the source is final (best effort: an unreleased lease of a final source is ignored
    /// by everyone and expires).
    func releaseLease(_ sourceID: String) async {
        guard let host = leaseHost else { return }
        try? await store.releaseLease(source: sourceID, host: host)
    }

    /// What a start resumes: with SQLite every unfinished source; with leases, those this host id held when it
    /// stopped (a restart under the same id) and those no live lease covers.
    public func resumableSources() async throws(IntakeFailure) -> [String] {
        do {
            guard let host = leaseHost else { return try await store.unfinishedSources().map(\.id) }
            let unfinished = Set(try await store.unfinishedSources().map(\.id))
            var ids = try await store.leases().filter { $0.hostID == host && unfinished.contains($0.sourceID) }.map(\.sourceID)
            for lease in try await store.claimOrphans(host: host, duration: Self.leaseSeconds, limit: 10_000)
            where !ids.contains(lease.sourceID) {
                ids.append(lease.sourceID)
            }
            return ids
        } catch {
            throw IntakeFailure.classify(error, step: .claim, sourceID: nil)
        }
    }

    /// The periodic lease work of a running daemon: renews its leases, then takes up to `limit` sources whose daemon
    /// died (their leases expired). Returns the ids taken.
    func renewAndAdopt(limit: Int) async throws(IntakeFailure) -> [String] {
        guard let host = leaseHost else { return [] }
        do {
            _ = try await store.renewLeases(host: host, duration: Self.leaseSeconds)
            guard limit > 0 else { return [] }
            let adopted = try await store.claimOrphans(host: host, duration: Self.leaseSeconds, limit: limit)
            for lease in adopted where lease.tookOver {
                logger.notice(
                    "source taken over from an expired lease",
                    metadata: ["source.id": "\(lease.sourceID)", "takeovers": "\(lease.takeovers)"]
                )
            }
            return adopted.map(\.sourceID)
        } catch {
            throw IntakeFailure.classify(error, step: .claim, sourceID: nil)
        }
    }

    /// Whether the start-up recovery may touch a work folder: always with SQLite; with leases, only a folder whose
    /// source this daemon now leases (its daemon died, or it is this host's own), or, for a folder with no source
    /// recorded, one older than a lease (a claim interrupted on a host that died, not one in progress).
    func mayRecover(folder: String, recorded: Bool) async throws -> Bool {
        guard leaseHost != nil else { return true }
        if recorded { return try await holdLease(folder) }
        var info = stat()
        guard stat(workFolder(of: folder), &info) == 0 else { return false }
        let age = Date().timeIntervalSince1970 - TimeInterval(info.st_mtim.tv_sec)
        return age > Self.leaseSeconds
    }

    /// On a graceful stop: gives up every lease this daemon holds, so the others take its unfinished sources at once
    /// (they are woken) instead of after the leases expire.
    public func releaseHeldLeases() async {
        guard let host = leaseHost, let leases = try? await store.leases() else { return }
        for lease in leases where lease.hostID == host {
            try? await store.releaseLease(source: lease.sourceID, host: host)
        }
    }
}
