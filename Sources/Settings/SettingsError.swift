/// Why the settings could not be loaded or the home folder used. Each description is one line for stderr.
public enum SettingsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The config file named by `--config` or `FILEROOM_CONFIG` (or the system one) could not be read.
    case unreadableFile(path: String, reason: String)
    /// The config file is not valid TOML.
    case badTOML(path: String, line: Int, column: Int, message: String)
    /// A key the config file does not know (most likely a typo that would otherwise be silently ignored).
    case unknownKey(path: String, key: String)
    /// A value that is the wrong type or out of range. `origin` says where it came from (file, variable, flag).
    case badValue(key: String, value: String, origin: String, expected: String)
    /// A folder of the installation could not be created.
    case cannotCreateFolder(path: String, reason: String)
    /// A folder of the installation exists but this process cannot write to it.
    case notWritable(path: String)
    /// The database file is missing although the home holds archived or filed documents.
    case missingDatabase(path: String, holding: String)
    /// Two folders that files are renamed between are on different file systems.
    case crossDevice(from: String, to: String, key: String)
    /// Another process holds the home's instance lock.
    case instanceLocked(lock: String, pid: Int32?)
    /// Run by root on a home another user owns, the process could not become that user.
    case cannotActAsOwner(home: String, uid: UInt32, reason: String)
    /// The home belongs to another user and this one cannot write to it: a staff member in the group, not root.
    case ownedByAnother(home: String, owner: String)

    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason):
            "cannot read config file \(path): \(reason)"
        case .badTOML(let path, let line, let column, let message):
            "config file \(path) is not valid TOML at line \(line), column \(column): \(message)"
        case .unknownKey(let path, let key):
            "config file \(path) has an unknown key '\(key)'"
        case .badValue(let key, let value, let origin, let expected):
            "bad value '\(value)' for \(key) (from \(origin)): expected \(expected)"
        case .cannotCreateFolder(let path, let reason):
            "cannot create folder \(path): \(reason)"
        case .notWritable(let path):
            "folder \(path) is not writable by this user"
        case .missingDatabase(let path, let holding):
            "database \(path) is missing but \(holding) holds documents: restore it from a backup (fileroom backup "
                + "writes one), or move the home's archive and filed folders aside to start a new installation"
        case .crossDevice(let from, let to, let key):
            "\(from) and \(to) are on different file systems: files move between them by atomic rename, so put "
                + "\(key) on the same file system"
        case .cannotActAsOwner(let home, let uid, let reason):
            "cannot act as uid \(uid), the owner of \(home): \(reason); run the command as that user"
        case .ownedByAnother(let home, let owner):
            "\(home) belongs to \(owner), and only \(owner) can change it: run the command as that user "
                + "(sudo -u \(owner) fileroom ...; README: Operations)"
        case .instanceLocked(let lock, let pid):
            "another fileroom daemon holds \(lock) (pid \(pid.map(String.init) ?? "unknown")): one daemon per home"
        }
    }
}
