import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Writes the metrics as a node_exporter textfile: `<home>/metrics/fileroom.prom`, replaced atomically (a temporary
/// file in the same folder, fsync, rename) so the collector never reads half a file.
public struct MetricsTextfile: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public struct WriteError: Error, CustomStringConvertible {
        public let operation: String
        public let errno: Int32
        public var description: String { "metrics textfile: \(operation) failed: \(String(cString: strerror(errno)))" }
    }

    public func write(_ text: String) throws(WriteError) {
        let folder = (path as NSString).deletingLastPathComponent
        if mkdir(folder, 0o755) != 0 && errno != EEXIST { throw WriteError(operation: "mkdir", errno: errno) }
        let temporary = "\(folder)/.fileroom.prom.\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw WriteError(operation: "open", errno: errno) }
        // Counts and ids only: node_exporter, another user, must read it whatever the daemon's umask (077).
        fchmod(fd, 0o644)
        var bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                let code = errno
                close(fd)
                unlink(temporary)
                throw WriteError(operation: "write", errno: code)
            }
            written += n
        }
        bytes.removeAll()
        if fsync(fd) != 0 {
            let code = errno
            close(fd)
            unlink(temporary)
            throw WriteError(operation: "fsync", errno: code)
        }
        close(fd)
        if rename(temporary, path) != 0 {
            let code = errno
            unlink(temporary)
            throw WriteError(operation: "rename", errno: code)
        }
    }
}
