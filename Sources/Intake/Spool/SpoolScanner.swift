#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file in the spool as last seen: enough to tell whether it is still being written.
public struct SpoolEntry: Sendable, Hashable {
    public var name: String
    public var size: Int64
    /// Modification time in nanoseconds since the epoch.
    public var modifiedNanoseconds: Int64
}

/// Lists the spool and decides which files are complete enough to claim.
///
/// A file is claimable when it is not a dotfile or a temporary name, no other process holds a lock on it
/// (HylaFAX locks a fax while it receives it), and its size and mtime have not changed for the settle time.
/// Each scan updates what was seen; a file that changes starts settling again.
public struct SpoolScanner: Sendable {
    public var spoolPath: String
    public var settleNanoseconds: Int64

    /// Names fax servers and copy tools use while a file is still being written.
    static let temporarySuffixes = [".tmp", ".part", ".filepart", ".partial", ".crdownload", ".swp", "~"]

    private var firstSeen: [String: (entry: SpoolEntry, since: Int64)] = [:]

    public init(spoolPath: String, settleSeconds: Double) {
        self.spoolPath = spoolPath
        self.settleNanoseconds = Int64(settleSeconds * 1_000_000_000)
    }

    /// Whether a name is one the scanner never claims.
    public static func isIgnored(name: String) -> Bool {
        if name.hasPrefix(".") { return true }
        let lower = name.lowercased()
        if lower.hasSuffix(".error.json") || lower.hasSuffix(".meta.json") || lower.hasSuffix(".meta") { return true }
        return temporarySuffixes.contains { lower.hasSuffix($0) }
    }

    /// Scans the spool and returns the names that settled and are not locked, oldest first.
    /// `now` is a monotonic-enough clock in nanoseconds (injected for tests).
    public mutating func claimable(now: Int64) throws(SpoolError) -> [String] {
        let entries = try listRegularFiles()
        var ready: [(String, Int64)] = []
        var stillPresent = Set<String>()
        for entry in entries {
            stillPresent.insert(entry.name)
            if let seen = firstSeen[entry.name], seen.entry == entry {
                if now - seen.since >= settleNanoseconds, !FileLockProbe.isLocked(path: "\(spoolPath)/\(entry.name)") {
                    ready.append((entry.name, entry.modifiedNanoseconds))
                }
            } else {
                firstSeen[entry.name] = (entry, now)
                if settleNanoseconds == 0, !FileLockProbe.isLocked(path: "\(spoolPath)/\(entry.name)") {
                    ready.append((entry.name, entry.modifiedNanoseconds))
                }
            }
        }
        firstSeen = firstSeen.filter { stillPresent.contains($0.key) }
        return ready.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.map(\.0)
    }

    /// Forgets a name once it is claimed, so a new file of the same name settles afresh.
    public mutating func forget(_ name: String) {
        firstSeen[name] = nil
    }

    /// How many files wait in the spool, settled or not (for the heartbeat).
    public var backlog: Int { firstSeen.count }

    /// Age of the oldest file waiting, in nanoseconds, or nil.
    public func oldestWaiting(now: Int64) -> Int64? {
        firstSeen.values.map { now - $0.entry.modifiedNanoseconds }.max()
    }

    func listRegularFiles() throws(SpoolError) -> [SpoolEntry] {
        let names: [String]
        do {
            names = try DurableFiles.entries(of: spoolPath)
        } catch {
            throw SpoolError(operation: "open spool folder", path: spoolPath, errno: error.errno)
        }
        return names.compactMap { name in
            guard !Self.isIgnored(name: name) else { return nil }
            var info = stat()
            guard lstat("\(spoolPath)/\(name)", &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
            return SpoolEntry(
                name: name, size: Int64(info.st_size),
                modifiedNanoseconds: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
            )
        }
    }
}

/// A failed system call on the spool, with its errno.
public struct SpoolError: Error, Sendable, CustomStringConvertible {
    public var operation: String
    public var path: String
    public var errno: Int32

    public var isTransient: Bool { [EAGAIN, EINTR, ENOSPC, EBUSY, EIO, ENOMEM].contains(errno) }

    public var description: String {
        "cannot \(operation) \(path): \(String(cString: strerror(errno)))"
    }
}

/// Tells whether another process holds a lock on a file (flock or POSIX record lock).
enum FileLockProbe {
    static func isLocked(path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        // POSIX record locks (fcntl), which HylaFAX and many fax servers use.
        var query = flock()
        query.l_type = Int16(F_WRLCK)
        query.l_whence = Int16(SEEK_SET)
        query.l_start = 0
        query.l_len = 0
        if fcntl(fd, F_GETLK, &query) == 0, query.l_type != Int16(F_UNLCK) { return true }
        // BSD flock locks: try to take a shared lock without waiting, release at once.
        if flock(fd, LOCK_SH | LOCK_NB) != 0 { return errno == EWOULDBLOCK }
        flock(fd, LOCK_UN)
        return false
    }
}
