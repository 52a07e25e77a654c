import FileroomModel
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A failed file-system step of the intake state machine, with its errno.
public struct FileStepError: LogSafe, CustomStringConvertible {
    public var operation: String
    /// The path, which may hold PHI: shown to staff, never logged (the log gets `reason`).
    public var path: String
    public var errno: Int32

    public init(operation: String, path: String, errno: Int32) {
        self.operation = operation
        self.path = path
        self.errno = errno
    }

    /// `disk_full`, `cross_device_rename`, `name_too_long`, ...
    public var reason: String { ErrnoReason.code(errno, operation: operation) }

    /// Worth retrying with backoff rather than rejecting the source: everything the system may stop saying (full,
    /// busy, read-only, not permitted) is; a name or a kind of file the call cannot take, or a file gone, is not.
    public var isTransient: Bool { ![ENAMETOOLONG, ELOOP, EISDIR, ENOTDIR, EINVAL, EFBIG, ENOENT].contains(errno) }

    public var description: String { "cannot \(operation) \(path): \(String(cString: strerror(errno)))" }
}

/// The file-system steps of the state machine. Each is idempotent and durable: data is written to a
/// temporary name, fsynced, renamed into place, and the folder fsynced, so a crash leaves either the old
/// state or the new one, never half a file.
public enum DurableFiles {
    private static let temporaryCounter = Atomic<UInt32>(0)

    /// Creates a folder and its parents (no-op when it exists): owner only, plus the group's read and setgid bits
    /// of the folder it is made in, so a case folder under a group-readable `filed/` (2750) is 2750 and one under
    /// a private folder stays 0700, whatever the umask.
    public static func makeDirectory(_ path: String) throws(FileStepError) {
        var built = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            let parentFolder = built.isEmpty ? "/" : built
            built += "/" + part
            if mkdir(built, 0o700) == 0 {
                let inherited = folderMode(parentFolder) & (S_ISGID | 0o050)
                if inherited != 0 { chmod(built, 0o700 | inherited) }
            } else if errno != EEXIST {
                throw FileStepError(operation: "create folder", path: built, errno: errno)
            }
        }
    }

    /// The permission bits of a folder, 0 when it cannot be read.
    static func folderMode(_ path: String) -> mode_t {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode & 0o7777 : 0
    }

    /// A file's mode in `folder`: `mode` (private), plus group read where the folder is group-readable (`filed/`,
    /// `review/`, `unmatched/` in the permission model): staff in the group read what they can list.
    static func fileMode(_ mode: mode_t, in folder: String) -> mode_t {
        folderMode(folder) & S_IRGRP != 0 ? mode | ((mode & S_IRUSR) >> 3) : mode
    }

    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    public static func fileSize(_ path: String) -> Int64? {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : nil
    }

    /// fsync a file or folder by path.
    public static func sync(_ path: String) throws(FileStepError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileStepError(operation: "open for sync", path: path, errno: errno) }
        defer { close(fd) }
        if fsync(fd) != 0 { throw FileStepError(operation: "sync", path: path, errno: errno) }
    }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Atomically renames within one file system, then makes both folders durable.
    public static func move(_ from: String, to destination: String) throws(FileStepError) {
        if rename(from, destination) != 0 {
            throw FileStepError(operation: "move", path: from, errno: errno)
        }
        try sync(parent(of: destination))
        if parent(of: from) != parent(of: destination) { try sync(parent(of: from)) }
    }

    /// Writes bytes to `path` through a temporary name: readers see the whole file or nothing.
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o600) throws(FileStepError) {
        try writeThroughTemporary(path, mode: mode) { fd, temporary throws(FileStepError) in
            try writeAll(bytes[...], to: fd, path: temporary)
        }
    }

    /// Copies a file durably (through a temporary name), optionally making the copy read-only. Streams in
    /// chunks: an archived fax is never held in memory whole.
    public static func copy(_ source: String, to destination: String, mode: mode_t = 0o600) throws(FileStepError) {
        try writeThroughTemporary(destination, mode: mode) { fd, temporary throws(FileStepError) in
            try readChunks(source) { chunk throws(FileStepError) in try writeAll(chunk, to: fd, path: temporary) }
        }
    }

    public static func readAll(_ path: String) throws(FileStepError) -> [UInt8] {
        var result: [UInt8] = []
        try readChunks(path) { chunk in result.append(contentsOf: chunk) }
        return result
    }

    /// The bytes of a small regular file that a stranger may have planted (a sidecar in the spool), or nil when it
    /// is anything else: a symlink (`O_NOFOLLOW`: never `/dev/zero` through a link), a FIFO or a device (opened
    /// `O_NONBLOCK`, refused by `fstat` before any read could block), or larger than `maxBytes`.
    public static func readSmallRegularFile(_ path: String, maxBytes: Int) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) <= maxBytes else {
            return nil
        }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 14)
        while result.count <= maxBytes {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            if count <= 0 { break }
            result.append(contentsOf: chunk[0..<count])
        }
        return result.count <= maxBytes ? result : nil
    }

    /// Copies a file a person named (`fileroom ingest`) when it is a regular file of at most `maxBytes`: a device
    /// (`/dev/zero`), a FIFO or a file that keeps growing past the limit is refused before it can fill the disk.
    public static func copyRegularFile(
        _ source: String, to destination: String, maxBytes: Int64
    ) throws(FileStepError) {
        let fd = open(source, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw FileStepError(operation: "open", path: source, errno: errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw FileStepError(operation: "open", path: source, errno: EINVAL)
        }
        guard Int64(info.st_size) <= maxBytes else { throw FileStepError(operation: "open", path: source, errno: EFBIG) }
        try writeThroughTemporary(destination, mode: 0o600) { out, temporary throws(FileStepError) in
            var copied: Int64 = 0
            try readChunks(descriptor: fd, path: source) { chunk throws(FileStepError) in
                copied += Int64(chunk.count)
                if copied > maxBytes { throw FileStepError(operation: "read", path: source, errno: EFBIG) }
                try writeAll(chunk, to: out, path: temporary)
            }
        }
    }

    /// SHA-256 and size of a file, streamed.
    public static func sha256(of path: String) throws(FileStepError) -> (hex: String, size: Int64) {
        var hasher = SHA256()
        var size: Int64 = 0
        try readChunks(path) { chunk in
            chunk.withUnsafeBytes { hasher.update($0) }
            size += Int64(chunk.count)
        }
        return (hasher.finalize().hexString, size)
    }

    /// Calls `body` with each chunk of the file, in order.
    static func readChunks(
        _ path: String, _ body: (ArraySlice<UInt8>) throws(FileStepError) -> Void
    ) throws(FileStepError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileStepError(operation: "open", path: path, errno: errno) }
        defer { close(fd) }
        try readChunks(descriptor: fd, path: path, body)
    }

    static func readChunks(
        descriptor fd: Int32, path: String, _ body: (ArraySlice<UInt8>) throws(FileStepError) -> Void
    ) throws(FileStepError) {
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileStepError(operation: "read", path: path, errno: errno)
            }
            if count == 0 { return }
            try body(chunk[0..<count])
        }
    }

    /// Opens a temporary name beside `path`, lets `fill` write it, fsyncs it and renames it into place.
    /// On any failure the temporary file is removed and `path` is untouched.
    private static func writeThroughTemporary(
        _ path: String, mode: mode_t, _ fill: (Int32, String) throws(FileStepError) -> Void
    ) throws(FileStepError) {
        // Unique per write, not only per process: two sources with the same bytes (empty files, a duplicate and
        // its original) archive to one path at the same time, and a shared temporary name lost one of them.
        let temporary = "\(path).tmp-\(getpid())-\(temporaryCounter.add(1, ordering: .relaxed).newValue)"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_EXCL, mode)
        guard fd >= 0 else { throw FileStepError(operation: "create", path: temporary, errno: errno) }
        do throws(FileStepError) {
            // Exactly the mode the folder calls for, whatever the umask.
            if fchmod(fd, fileMode(mode, in: parent(of: path))) != 0 {
                throw FileStepError(operation: "set mode of", path: temporary, errno: errno)
            }
            try fill(fd, temporary)
            if fsync(fd) != 0 { throw FileStepError(operation: "sync", path: temporary, errno: errno) }
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        close(fd)
        try move(temporary, to: path)
    }

    private static func writeAll(_ bytes: ArraySlice<UInt8>, to fd: Int32, path: String) throws(FileStepError) {
        var offset = bytes.startIndex
        while offset < bytes.endIndex {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw FileStepError(operation: "write", path: path, errno: errno)
            }
            offset += written
        }
    }

    /// Removes a file if present.
    public static func remove(_ path: String) {
        unlink(path)
    }

    /// Removes a folder and what is in it (work folders only).
    public static func removeTree(_ path: String) {
        guard let names = try? entries(of: path) else {
            unlink(path)
            return
        }
        for name in names {
            let child = "\(path)/\(name)"
            var info = stat()
            if lstat(child, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR { removeTree(child) } else { unlink(child) }
        }
        rmdir(path)
    }

    /// The names in a folder, sorted; empty when it cannot be read.
    public static func listDirectory(_ path: String) -> [String] {
        ((try? entries(of: path)) ?? []).sorted()
    }

    /// The names in a folder (without `.` and `..`), in directory order.
    static func entries(of path: String) throws(FileStepError) -> [String] {
        guard let dir = opendir(path) else { throw FileStepError(operation: "open folder", path: path, errno: errno) }
        defer { closedir(dir) }
        var names: [String] = []
        while let item = readdir(dir) {
            let name = withUnsafePointer(to: item.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}
