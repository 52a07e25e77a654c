import FileroomModel
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
    /// Entries of the last scan that are never claimed, by name (kept in memory only: names are never logged).
    public private(set) var ignored: [String: IgnoredSpoolEntry] = [:]
    /// Ignored entries the last scan saw for the first time (the loop logs their kinds, once each).
    public private(set) var newlyIgnored: [IgnoredSpoolEntry] = []

    public init(spoolPath: String, settleSeconds: Double) {
        self.spoolPath = spoolPath
        self.settleNanoseconds = Int64(settleSeconds * 1_000_000_000)
    }

    /// Whether a name is one the scanner never claims.
    public static func isIgnored(name: String) -> Bool {
        if name.hasPrefix(".") { return true }
        let lower = name.lowercased()
        if lower.hasSuffix(".error.json") || lower.hasSuffix(".meta.json") || lower.hasSuffix(".meta") { return true }
        if lower.hasSuffix(".lock") { return true }
        return temporarySuffixes.contains { lower.hasSuffix($0) }
    }

    /// Whether `name` is being written under a convention the scanner honours: a `NAME.part` (or another
    /// temporary name) beside it, or a `NAME.lock` file. The writer renames or removes it when done.
    func isMarkedInProgress(_ name: String, among names: Set<String>) -> Bool {
        names.contains("\(name).lock") || Self.temporarySuffixes.contains { names.contains(name + $0) }
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

    mutating func listRegularFiles() throws(SpoolError) -> [SpoolEntry] {
        let names: [String]
        do {
            names = try DurableFiles.entries(of: spoolPath)
        } catch {
            throw SpoolError(operation: "open spool folder", path: spoolPath, errno: error.errno)
        }
        let nameSet = Set(names)
        var ignoredNow: [String: IgnoredSpoolEntry] = [:]
        let entries: [SpoolEntry] = names.compactMap { name in
            var info = stat()
            guard lstat("\(spoolPath)/\(name)", &info) == 0 else { return nil }
            if let kind = Self.ignoredKind(name: name, mode: info.st_mode) {
                ignoredNow[name] = kind
                return nil
            }
            if isMarkedInProgress(name, among: nameSet) {
                ignoredNow[name] = .inProgress
                return nil
            }
            // A fax this user cannot read (a fax server writing 0600) stays in the spool, shown by `status` and
            // logged, until its mode is fixed: claimed, it would fail at every retry and hold up the faxes behind it.
            if access("\(spoolPath)/\(name)", R_OK) != 0 {
                ignoredNow[name] = .unreadable
                return nil
            }
            return SpoolEntry(
                name: name, size: Int64(info.st_size),
                modifiedNanoseconds: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
            )
        }
        newlyIgnored = ignoredNow.filter { ignored[$0.key] != $0.value }.map(\.value).sorted { $0.rawValue < $1.rawValue }
        ignored = ignoredNow
        return entries
    }

    /// Why an entry is never claimed, or nil for a candidate fax (a regular file with a plain name). Companion files
    /// (`.meta.json` sidecars, `.error.json` reports) are nil too when regular: they are not faxes, nor strays.
    static func ignoredKind(name: String, mode: mode_t) -> IgnoredSpoolEntry? {
        switch mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: return .folder
        case S_IFLNK: return .symlink
        case S_IFIFO: return .fifo
        case S_IFSOCK: return .socket
        case S_IFCHR, S_IFBLK: return .device
        default: return .other
        }
        if name.hasPrefix(".") { return .hidden }
        let lower = name.lowercased()
        if lower.hasSuffix(".meta.json") || lower.hasSuffix(".error.json") || lower.hasSuffix(".meta") { return .companion }
        if lower.hasSuffix(".lock") { return .inProgress }
        if temporarySuffixes.contains(where: { lower.hasSuffix($0) }) { return .inProgress }
        return nil
    }

    /// Counts what the spool holds: files waiting to be claimed and ignored entries by kind (companion files are
    /// not counted as ignored: they travel with their fax). For `status` and the heartbeat; no names.
    public static func census(spoolPath: String) -> SpoolCensus {
        var scanner = SpoolScanner(spoolPath: spoolPath, settleSeconds: 0)
        let waiting = (try? scanner.listRegularFiles().count) ?? 0
        var ignored: [IgnoredSpoolEntry: Int] = [:]
        for kind in scanner.ignored.values where kind != .companion { ignored[kind, default: 0] += 1 }
        return SpoolCensus(waiting: waiting, ignored: ignored)
    }
}

/// Why a spool entry is not claimed.
public enum IgnoredSpoolEntry: String, Sendable, Hashable, CaseIterable {
    /// Not a regular file: never opened, never claimed.
    case fifo, folder, symlink, socket, device, other
    /// A dotfile.
    case hidden
    /// Still being written by convention: a temporary name (`.part`, `.tmp`, ...), or `NAME` beside a `NAME.part` or
    /// `NAME.lock`.
    case inProgress = "in_progress"
    /// A sidecar or report that travels with a fax.
    case companion
    /// A regular file the daemon's user may not read (its mode or group keeps it out): claimed once readable.
    case unreadable
}

/// What the spool holds, by count.
public struct SpoolCensus: Sendable, Hashable {
    /// Regular files that will be claimed once settled.
    public var waiting: Int
    /// Entries never claimed, by kind (companion files excluded).
    public var ignored: [IgnoredSpoolEntry: Int]

    /// `fifo=1 folder=2`, kinds in a fixed order.
    public var ignoredSummary: String {
        IgnoredSpoolEntry.allCases.compactMap { kind in ignored[kind].map { "\(kind.rawValue)=\($0)" } }
            .joined(separator: " ")
    }
}

/// A failed system call on the spool, with its errno.
public struct SpoolError: LogSafe, CustomStringConvertible {
    public var operation: String
    /// The spool folder (configuration, not patient data); not logged all the same.
    public var path: String
    public var errno: Int32

    public var reason: String { ErrnoReason.code(errno, operation: operation) }

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
