import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Wakes the intake loop when something is written or moved into the spool.
///
/// inotify is a hint only: the loop also rescans on start, on queue overflow and every few seconds, because
/// network shares never send events and a hint may be lost. The watcher reads on a thread of its own
/// (a blocking `read`), never on Swift's cooperative pool.
public final class InotifyWatcher: Sendable {
    /// What the watcher saw.
    public enum Hint: Sendable, Equatable {
        case changed
        /// The kernel dropped events: the caller must rescan.
        case overflow
    }

    private let descriptor: Int32
    private let stopPipe: (read: Int32, write: Int32)

    /// Nil where inotify is unavailable (the caller falls back to polling).
    public init?(path: String) {
        let fd = inotify_init1(Int32(IN_CLOEXEC))
        guard fd >= 0 else { return nil }
        let mask = UInt32(IN_CLOSE_WRITE) | UInt32(IN_MOVED_TO) | UInt32(IN_CREATE)
        guard inotify_add_watch(fd, path, mask) >= 0 else {
            close(fd)
            return nil
        }
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else {
            close(fd)
            return nil
        }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        descriptor = fd
        stopPipe = (fds[0], fds[1])
    }

    deinit {
        close(descriptor)
        close(stopPipe.read)
        close(stopPipe.write)
    }

    /// Hints until `stop()` is called. Call once.
    public func hints() -> AsyncStream<Hint> {
        let (stream, continuation) = AsyncStream.makeStream(of: Hint.self, bufferingPolicy: .bufferingNewest(1))
        let fd = descriptor
        let stopFD = stopPipe.read
        let thread = Thread {
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                var polls = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0),
                             pollfd(fd: stopFD, events: Int16(POLLIN), revents: 0)]
                let ready = poll(&polls, 2, -1)
                if ready < 0 { if errno == EINTR { continue } else { break } }
                if polls[1].revents != 0 { break }
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count <= 0 { if errno == EINTR { continue } else { break } }
                var overflow = false
                var offset = 0
                buffer.withUnsafeBytes { raw in
                    while offset + MemoryLayout<inotify_event>.size <= count {
                        let event = raw.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                        if event.mask & UInt32(IN_Q_OVERFLOW) != 0 { overflow = true }
                        offset += MemoryLayout<inotify_event>.size + Int(event.len)
                    }
                }
                continuation.yield(overflow ? .overflow : .changed)
            }
            continuation.finish()
        }
        thread.name = "fileroom-inotify"
        thread.start()
        return stream
    }

    /// Ends the stream returned by `hints()`.
    public func stop() {
        var byte: UInt8 = 1
        _ = write(stopPipe.write, &byte, 1)
    }
}
