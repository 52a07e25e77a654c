import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The home folder of an installation: creates its folders on first use and checks they are writable.
///
/// Permission model: the home and its private folders (spool, work, archive, quarantine, the database's) are created
/// 0700; `filed/`, `review/` and `unmatched/` 2750, so the group (`fileroom`: staff) reads what the daemon files once
/// the home itself lets the group in (the packaged tmpfiles make it 0750 and the spool 2770). Existing folders keep
/// their mode: the packaged tmpfiles decide them on a real installation.
public enum Home {
    /// Folders the group may read.
    public static func sharedFolders(_ settings: FileroomSettings) -> [String] {
        [settings.filed, settings.review, settings.unmatched]
    }

    /// Run by root on a home owned by another user, becomes that user (supplementary groups, gid, uid) so that
    /// nothing the command writes under the home is owned by root. Returns the uid taken, nil when nothing changed
    /// (not root, the home is root's, or it does not exist yet).
    @discardableResult
    public static func actAsOwner(of home: String) throws(SettingsError) -> UInt32? {
        guard geteuid() == 0 else { return nil }
        var info = stat()
        guard stat(home, &info) == 0, info.st_uid != 0 else { return nil }
        let (uid, gid) = (info.st_uid, info.st_gid)
        var groups = [gid]
        if setgroups(1, &groups) != 0 || setgid(gid) != 0 || setuid(uid) != 0 {
            throw SettingsError.cannotActAsOwner(home: home, uid: uid, reason: String(cString: strerror(errno)))
        }
        // setuid from root drops every capability: a root that kept one could still write as root.
        guard geteuid() == uid, getegid() == gid, setuid(0) != 0 else {
            throw SettingsError.cannotActAsOwner(home: home, uid: uid, reason: "root privileges remain after setuid")
        }
        return uid
    }

    /// Throws `ownedByAnother` when the home exists, belongs to another user and this process cannot write to it:
    /// a staff member in the group reads `filed/` but changes the installation only as its owner (sudo -u).
    public static func checkAccess(_ settings: FileroomSettings) throws(SettingsError) {
        var info = stat()
        guard stat(settings.home, &info) == 0, info.st_uid != geteuid(), access(settings.home, W_OK | X_OK) != 0
        else { return }
        let owner = getpwuid(info.st_uid).flatMap { $0.pointee.pw_name.map { String(cString: $0) } }
        throw SettingsError.ownedByAnother(home: settings.home, owner: owner ?? "uid \(info.st_uid)")
    }

    /// Creates the home folder, every folder of `settings` and the database's folder when missing, with mode 0700,
    /// and checks that this process can write to each. Existing folders keep their mode.
    ///
    /// A missing database where the home already holds archived or filed documents is an error naming the fix, not
    /// a silent fresh start that would forget every case and every document's history.
    public static func prepare(_ settings: FileroomSettings) throws(SettingsError) {
        try checkDatabasePresent(settings)
        let databaseFolder = URL(fileURLWithPath: settings.database).deletingLastPathComponent().path
        let shared = Set(sharedFolders(settings))
        for folder in [settings.home] + settings.folders + [databaseFolder] {
            try ensureFolder(folder, mode: shared.contains(folder) ? 0o2750 : 0o700)
        }
    }

    /// Throws `missingDatabase` when the database file is gone but `archive/` or `filed/` hold files.
    public static func checkDatabasePresent(_ settings: FileroomSettings) throws(SettingsError) {
        // On PostgreSQL the database is not a file of the home.
        guard settings.databaseURL == nil else { return }
        var info = stat()
        guard lstat(settings.database, &info) != 0, errno == ENOENT else { return }
        for folder in [settings.archive, settings.filed] where holdsEntries(folder) {
            throw SettingsError.missingDatabase(path: settings.database, holding: folder)
        }
    }

    /// Throws `crossDevice` unless the folders files are renamed between share a file system: the spool, work
    /// and quarantine (claims and quarantine are renames), and filed, review and unmatched (review moves).
    public static func checkFileSystems(_ settings: FileroomSettings) throws(SettingsError) {
        let groups: [[(key: String, path: String)]] = [
            [("spool", settings.spool), ("work", settings.work), ("quarantine", settings.quarantine)],
            [("filed", settings.filed), ("review", settings.review), ("unmatched", settings.unmatched)],
        ]
        for group in groups {
            guard let first = group.first, let device = device(of: first.path) else { continue }
            for other in group.dropFirst() {
                guard let otherDevice = Self.device(of: other.path), otherDevice != device else { continue }
                throw SettingsError.crossDevice(
                    from: first.path, to: other.path, key: group.map(\.key).joined(separator: ", ")
                )
            }
        }
    }

    static func device(of path: String) -> UInt64? {
        var info = stat()
        return stat(path, &info) == 0 ? UInt64(info.st_dev) : nil
    }

    static func holdsEntries(_ folder: String) -> Bool {
        guard let dir = opendir(folder) else { return false }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != "." && name != ".." { return true }
        }
        return false
    }

    /// Creates `path` (and missing parents, 0700) with `mode` whatever the umask unless it exists, then checks it is
    /// a writable folder.
    public static func ensureFolder(_ path: String, mode: mode_t = 0o700) throws(SettingsError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw SettingsError.cannotCreateFolder(path: path, reason: "a file of that name exists")
            }
        } else {
            try makeFolders(path)
            if mode != 0o700 { chmod(path, mode) }
        }
        guard access(path, W_OK | X_OK) == 0 else { throw SettingsError.notWritable(path: path) }
    }

    /// mkdir -p with mode 0700, reporting the system's reason (FileManager's messages don't name it).
    private static func makeFolders(_ path: String) throws(SettingsError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o700) != 0 {
                let code = errno
                var isDirectory: ObjCBool = false
                if code == EEXIST, FileManager.default.fileExists(atPath: prefix, isDirectory: &isDirectory),
                    isDirectory.boolValue
                {
                    continue
                }
                throw SettingsError.cannotCreateFolder(path: path, reason: String(cString: strerror(code)))
            }
        }
    }
}
