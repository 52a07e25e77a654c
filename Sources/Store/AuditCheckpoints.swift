import Foundation
import GRDB

/// The audit chain's head, checkpointed outside the database: `audit.checkpoints` beside the database file, one line
/// per committed entry, `<id> <hash> <at>`, appended and synced (never rewritten). `audit verify` holds the table to
/// it, so deleting the last entries (or all of them), or editing an entry and re-hashing the chain after it, no
/// longer verifies. It cannot catch someone who rewrites both the database and this file consistently, or an entry
/// written and removed again before its line was appended (a crash between commit and append loses that line).
enum AuditCheckpoints {
    struct Checkpoint: Sendable, Hashable {
        var id: Int64
        var hash: String
        var at: String
    }

    static func path(forDatabase database: String) -> String {
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

    static func append(_ line: String, to path: String) {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let bytes = Array(line.utf8)
        // One write of a short line with O_APPEND: lines from several processes never interleave.
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        _ = fsync(fd)
    }

    /// Every well-formed line; others (a torn last line after a crash) are skipped.
    static func read(path: String) -> [Checkpoint] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ")
            guard parts.count == 3, let id = Int64(parts[0]), parts[1].count == 64 else { return nil }
            return Checkpoint(id: id, hash: String(parts[1]), at: String(parts[2]))
        }
    }
}
