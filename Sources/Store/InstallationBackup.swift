import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `fileroom backup DEST`: a copy of an installation consistent with one database snapshot, taken while a daemon may
/// be running. The database goes first (SQLite online backup); then exactly the files that snapshot accounts for
/// (archived originals, each document's PDF and sidecar, quarantined files of its sources) are hard-linked where DEST
/// shares the file system, else copied. The daemon replaces files by rename, never in place, so a hard link keeps the
/// bytes of the moment. A file the snapshot names but that moved since (a review action) restarts the whole backup.
public enum InstallationBackup {
    public struct Summary: Sendable {
        public var files = 0
        public var linked = 0
        public var attempts = 0
        /// Paths the snapshot names outside the home (a folder configured elsewhere): not copied.
        public var outsideHome: [String] = []
    }

    public static let attempts = 5

    public static func run(
        store: SQLiteStore, folders: InstallationFolders, destination: String
    ) async throws(StoreError) -> Summary {
        let home = StoredPath.normalisedRoot(folders.home)
        let target = StoredPath.normalisedRoot(destination)
        guard target != home, !target.hasPrefix(home + "/") else {
            throw StoreError.invalid("backup destination \(target) is inside the home \(home)")
        }
        try prepareDestination(target)
        var summary = Summary()
        for attempt in 1...attempts {
            summary = Summary()
            summary.attempts = attempt
            let databaseCopy = target + "/" + (StoredPath.relative(folders.database, to: home) ?? "fileroom.db")
            try makeParents(of: databaseCopy, mirroring: folders.database, target: target, home: home)
            try store.backupDatabase(to: databaseCopy)
            let files = try await SQLiteStore(path: databaseCopy, home: home).storedFiles()
            var wanted: [String] = files.sources.compactMap(\.archivePath)
            // Claimed but not yet archived: the work folder holds the only copy, which the restored daemon resumes.
            wanted += files.sources.filter { !$0.isFinished && $0.archivePath == nil }.compactMap(\.claimedPath)
            for document in files.documents where document.isSettled {
                wanted += [document.filedPath, document.sidecarPath].compactMap { $0 }
            }
            let ids = Set(files.sources.map(\.id))
            wanted += InstallationFiles.regularFiles(under: folders.quarantine).filter { path in
                let name = URL(fileURLWithPath: path).lastPathComponent
                return ids.contains(name.split(separator: "-", maxSplits: 1).first.map(String.init) ?? "")
            }
            var moved = false
            var placed = Set<String>()  // duplicates and their original share one archived file
            for source in wanted where placed.insert(source).inserted {
                guard let relative = StoredPath.relative(source, to: home) else {
                    summary.outsideHome.append(source)
                    continue
                }
                let copy = target + "/" + relative
                try makeParents(of: copy, mirroring: source, target: target, home: home)
                switch try place(source, at: copy) {
                case .linked: summary.linked += 1
                case .copied: break
                case .missing: moved = true
                }
                if moved { break }
                summary.files += 1
            }
            if !moved { return summary }
            try emptyFolder(target)
            try? await Task.sleep(nanoseconds: 200_000_000)
        }
        throw StoreError.busy("files kept moving during \(attempts) backup attempts: try again when the daemon is quieter")
    }

    enum Placement { case linked, copied, missing }

    /// Hard link, or a copy keeping the mode when linking is not possible (another file system, protected links).
    static func place(_ source: String, at copy: String) throws(StoreError) -> Placement {
        if link(source, copy) == 0 { return .linked }
        let code = errno
        if code == ENOENT, !InstallationFiles.isFile(source) { return .missing }
        do {
            try FileManager.default.copyItem(atPath: source, toPath: copy)
        } catch {
            if !InstallationFiles.isFile(source) { return .missing }
            throw StoreError.storage("backup copy to \(copy): \(error.localizedDescription)")
        }
        var info = stat()
        if stat(source, &info) == 0 { chmod(copy, info.st_mode & 0o7777) }
        return .copied
    }

    /// DEST must be missing (created 0700: it holds patient data) or an empty folder.
    static func prepareDestination(_ target: String) throws(StoreError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw StoreError.invalid("backup destination \(target) is a file") }
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: target)) ?? []
            guard entries.isEmpty else {
                throw StoreError.invalid("backup destination \(target) is not empty: give a new or empty folder")
            }
        } else if mkdir(target, 0o700) != 0 {
            throw StoreError.storage("cannot create \(target): \(String(cString: strerror(errno)))")
        }
    }

    /// Creates the folders between DEST and `copy`, each with the mode of its counterpart in the home.
    static func makeParents(of copy: String, mirroring source: String, target: String, home: String) throws(StoreError) {
        let folder = URL(fileURLWithPath: copy).deletingLastPathComponent().path
        guard let relative = StoredPath.relative(folder, to: target) else { return }
        var path = target
        for component in relative.split(separator: "/") {
            path += "/" + component
            var info = stat()
            let counterpart = home + String(path.dropFirst(target.count))
            let mode = stat(counterpart, &info) == 0 ? info.st_mode & 0o7777 : 0o700
            if mkdir(path, mode) == 0 {
                chmod(path, mode)  // the umask narrowed it
            } else if errno != EEXIST {
                throw StoreError.storage("cannot create \(path): \(String(cString: strerror(errno)))")
            }
        }
    }

    static func emptyFolder(_ target: String) throws(StoreError) {
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: target)) ?? [] {
            do {
                try FileManager.default.removeItem(atPath: target + "/" + entry)
            } catch {
                throw StoreError.storage("cannot clear \(target) for another attempt: \(error.localizedDescription)")
            }
        }
    }
}
