import FileroomModel
import Foundation
internal import GRDB

#if canImport(Glibc)
import Glibc
#endif

/// The folders of an installation that `backup` copies and `check` verifies (the Store does not read settings).
public struct InstallationFolders: Sendable {
    public var home: String
    public var database: String
    public var archive: String
    public var filed: String
    public var review: String
    public var unmatched: String
    public var quarantine: String

    public init(
        home: String, database: String, archive: String, filed: String, review: String, unmatched: String,
        quarantine: String
    ) {
        (self.home, self.database, self.archive, self.filed) = (home, database, archive, filed)
        (self.review, self.unmatched, self.quarantine) = (review, unmatched, quarantine)
    }

    /// Folders whose every file the database accounts for.
    var documentFolders: [String] { [archive, filed, review, unmatched] }
}

/// What the database says exists on disk: each source's archived original and each document's PDF (+ JSON sidecar).
public struct StoredFiles: Sendable {
    public struct Source: Sendable {
        public var id: String
        public var sha256: String
        public var size: Int64
        public var state: String
        public var archivePath: String?
        /// The claimed original in the work folder: the only copy of a source claimed but not yet archived.
        public var claimedPath: String?

        /// The daemon is done with it (staff actions may still move its documents).
        public var isFinished: Bool { SourceState(rawValue: state)?.isFinal ?? false }
    }
    public struct Document: Sendable {
        public var id: String
        public var status: String
        /// The reader queue (`none` for a cover sheet, which has no file of its own).
        public var queue: String
        public var filedPath: String?
        /// Its source is finished: its files are written and recorded (until then the daemon may be writing them).
        public var isSettled: Bool

        /// The JSON sidecar written beside the PDF.
        public var sidecarPath: String? {
            guard let filedPath, filedPath.hasSuffix(".pdf") else { return nil }
            return String(filedPath.dropLast(4)) + ".json"
        }
    }
    public var sources: [Source]
    public var documents: [Document]
}

extension SQLiteStore {
    /// A consistent copy of the database at `destination` (new file, mode 0600) while other processes keep writing:
    /// SQLite's online backup API through GRDB, which copies one snapshot.
    public func backupDatabase(to destination: String) throws(StoreError) {
        do {
            let target = try DatabaseQueue(path: destination)
            try pool.backup(to: target)
            try target.close()
            chmod(destination, 0o600)
        } catch {
            throw StoreError.storage("backup to \(destination): \(SQLiteStore.describe(error))")
        }
    }

    /// Every file path the database holds (absolute), with what to verify each against.
    public func storedFiles() async throws(StoreError) -> StoredFiles {
        try await read { db in
            let sources = try Row.fetchAll(db, sql: "SELECT id, sha256, size, state, archive_path, claimed_path FROM sources ORDER BY id")
                .map { row in
                    StoredFiles.Source(
                        id: row["id"], sha256: row["sha256"], size: row["size"], state: row["state"],
                        archivePath: StoredPath.resolved(row["archive_path"]),
                        claimedPath: StoredPath.resolved(row["claimed_path"])
                    )
                }
            let finals = SourceState.allCases.filter(\.isFinal).map { "'\($0.rawValue)'" }.joined(separator: ", ")
            let documents = try Row.fetchAll(
                db,
                sql: """
                    SELECT d.id, d.status, d.queue, d.filed_path, s.state IN (\(finals)) AS settled
                    FROM documents d JOIN sources s ON s.id = d.source_id ORDER BY d.id
                    """
            ).map { row in
                StoredFiles.Document(
                    id: row["id"], status: row["status"], queue: row["queue"],
                    filedPath: StoredPath.resolved(row["filed_path"]), isSettled: row["settled"]
                )
            }
            return StoredFiles(sources: sources, documents: documents)
        }
    }
}
