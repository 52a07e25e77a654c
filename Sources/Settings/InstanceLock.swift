import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One daemon per home with the embedded SQLite store: an exclusive `flock` on `<home>/fileroom.lock`, held
/// for the life of this object (the daemon's life). Two daemons on one home re-read each other's faxes and move
/// filed sources backwards; the lock makes the second refuse to start instead.
///
/// The lock is the kernel's, not the file's: it ends with the process however it ends (kill -9 included), so a
/// stale lock file never blocks a restart. The file holds the holder's pid for the refusal message only.
public final class InstanceLock: Sendable {
    public let path: String
    private let descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// The lock file of a home.
    public static func path(home: String) -> String { "\(home)/fileroom.lock" }

    /// Takes the home's lock without waiting, or throws `instanceLocked` naming the lock and the holder's pid.
    public static func acquire(home: String) throws(SettingsError) -> InstanceLock {
        let path = path(home: home)
        // O_NOFOLLOW: the home is ours; a symlink planted there must not redirect our writes.
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else {
            throw SettingsError.cannotCreateFolder(path: path, reason: String(cString: strerror(errno)))
        }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            let holder = readPID(descriptor)
            close(descriptor)
            if code == EWOULDBLOCK { throw SettingsError.instanceLocked(lock: path, pid: holder) }
            throw SettingsError.cannotCreateFolder(path: path, reason: String(cString: strerror(code)))
        }
        let text = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = text.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        return InstanceLock(path: path, descriptor: descriptor)
    }

    /// The daemon holding a home's lock, as `status` shows it.
    public struct Holder: Sendable, Hashable {
        public var pid: Int32?
        /// When the holder took the lock (the lock file's modification time: the holder writes its pid then).
        public var since: Date
    }

    /// Who holds the home's lock now, or nil when no daemon runs on it. Only tests the lock (a shared, non-blocking
    /// `flock` that is released at once), so it works beside a running daemon and never blocks one from starting.
    public static func holder(home: String) -> Holder? {
        let path = path(home: home)
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        if flock(descriptor, LOCK_SH | LOCK_NB) == 0 {
            flock(descriptor, LOCK_UN)
            return nil
        }
        guard errno == EWOULDBLOCK else { return nil }
        var info = stat()
        let since = fstat(descriptor, &info) == 0 ? Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec)) : Date()
        return Holder(pid: readPID(descriptor), since: since)
    }

    /// The pid a holder wrote into the lock file, if readable.
    static func readPID(_ descriptor: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[0..<count], as: UTF8.self)
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
