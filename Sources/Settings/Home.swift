import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The home folder of an installation: creates its folders on first use (0700) and checks they are writable.
public enum Home {
    /// Creates the home folder, every folder of `settings` and the database's folder when missing, with mode 0700,
    /// and checks that this process can write to each. Existing folders keep their mode.
    public static func prepare(_ settings: FileroomSettings) throws(SettingsError) {
        let databaseFolder = URL(fileURLWithPath: settings.database).deletingLastPathComponent().path
        for folder in [settings.home] + settings.folders + [databaseFolder] {
            try ensureFolder(folder)
        }
    }

    /// Creates `path` (and missing parents) with mode 0700 unless it exists, then checks it is a writable folder.
    public static func ensureFolder(_ path: String) throws(SettingsError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw SettingsError.cannotCreateFolder(path: path, reason: "a file of that name exists")
            }
        } else {
            try makeFolders(path)
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
