import Foundation
internal import GRDB

/// The audit chain's head, checkpointed outside the database: `audit.checkpoints` beside the database file, one line
/// per committed entry, `<id> <hash> <at>`, appended and synced (never rewritten). `audit verify` holds the table to
/// it, so deleting the last entries (or all of them), or editing an entry and re-hashing the chain after it, no
/// longer verifies. It cannot catch someone who rewrites both the database and this file consistently, or an entry
/// written and removed again before its line was appended (a crash between commit and append loses that line).
package enum AuditCheckpoints {
    package struct Checkpoint: Sendable, Hashable {
        var id: Int64
        var hash: String
        var at: String
    }

    package static func path(forDatabase database: String) -> String {
        (database as NSString).deletingLastPathComponent + "/audit.checkpoints"
    }

    /// Called on commit of a transaction that appended entry `id`. Best effort: a failed append leaves the
    /// checkpoints behind the table, which verify treats as fewer checkpoints, never as a broken chain.
    static func record(_ db: Database, id: Int64, hash: String, at: String) {
        guard let file = try? String.fetchOne(db, sql: "SELECT file FROM pragma_database_list WHERE name = 'main'"),
            !file.isEmpty
        else { return }
        append("\(id) \(hash) \(at)\n", to: path(forDatabase: file))
    }

    package static func append(_ line: String, to path: String) {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let bytes = Array(line.utf8)
        // One write of a short line with O_APPEND: lines from several processes never interleave.
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        _ = fsync(fd)
    }

    /// Every well-formed line; others (a torn last line after a crash) are skipped.
    package static func read(path: String) -> [Checkpoint] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ")
            guard parts.count == 3, let id = Int64(parts[0]), parts[1].count == 64 else { return nil }
            return Checkpoint(id: id, hash: String(parts[1]), at: String(parts[2]))
        }
    }
}

/// `audit verify`'s walk over the chain, entry by entry in id order, then held to the checkpoints: the same on every
/// backend (each reads its rows its own way).
package struct AuditChainCheck {
    private var expectedPrev = SQLiteStore.genesisHash
    private var checked = 0
    private var hashes: [Int64: String] = [:]
    private var chainBreak: Int64? = nil

    package init() {}

    /// Checks the next entry; false once the chain is broken (at this entry or before): stop reading.
    package mutating func check(
        id: Int64, at: String?, actor: String?, action: String?, item: String?, caseID: String?, before: String?,
        after: String?, reason: String?, prevHash: String?, hash: String?, onBehalfOf: String?
    ) -> Bool {
        guard chainBreak == nil else { return false }
        guard let at, let actor, let action, let prevHash, let hash, prevHash == expectedPrev else {
            chainBreak = id
            return false
        }
        let recomputed = SQLiteStore.entryHash(
            id: id, at: at, actor: actor, action: action, item: item, caseID: caseID, before: before, after: after,
            reason: reason, prevHash: prevHash, onBehalfOf: onBehalfOf
        )
        guard recomputed == hash else {
            chainBreak = id
            return false
        }
        hashes[id] = hash
        expectedPrev = hash
        checked += 1
        return true
    }

    /// The result, with the checkpoints written outside the database at each commit: an entry they record must be
    /// there with the same hash. This catches what a chain alone cannot: rows deleted at the end (or all of them),
    /// and a chain edited and re-hashed from the edit on. `total` is the number of rows in the table.
    package func verification(checkpoints: [AuditCheckpoints.Checkpoint], total: Int64) -> AuditVerification {
        var checkpointBreak: (id: Int64, problem: String)? = nil
        for checkpoint in checkpoints {
            let problem: String?
            if let hash = hashes[checkpoint.id] {
                problem = hash == checkpoint.hash ? nil : "its hash differs from the checkpoint of \(checkpoint.at)"
            } else if chainBreak.map({ checkpoint.id >= $0 }) ?? false {
                problem = nil  // beyond the chain's own break: reported as that
            } else {
                problem = "missing: the checkpoints record \(checkpoints.map(\.id).max() ?? 0) entries, the table holds \(total)"
            }
            if let problem, checkpointBreak.map({ checkpoint.id < $0.id }) ?? true {
                checkpointBreak = (checkpoint.id, problem)
            }
        }
        // A re-hashed chain differs from the first checkpoint after the edit: the entries between the last
        // checkpoint that holds and that one are where the edit is; the first of them is named.
        if var found = checkpointBreak, found.problem.hasPrefix("its hash") {
            let holding = checkpoints.filter { $0.id < found.id && hashes[$0.id] == $0.hash }.map(\.id).max() ?? 0
            found.id = holding + 1
            checkpointBreak = found
        }
        if let checkpointBreak, chainBreak.map({ checkpointBreak.id < $0 }) ?? true {
            return AuditVerification(
                checked: Int(min(Int64(checked), checkpointBreak.id - 1)), firstBroken: checkpointBreak.id,
                problem: checkpointBreak.problem
            )
        }
        return AuditVerification(checked: checked, firstBroken: chainBreak)
    }
}
