import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Serves `GET /metrics` over plain HTTP on `metrics.listen` (for example `127.0.0.1:9464`), only when that setting
/// is given: the shipped unit keeps `PrivateNetwork=yes` and ops read the textfile instead.
///
/// A blocking accept loop on a thread of its own: a scrape every few seconds needs no event loop, and the daemon's
/// cooperative pool is never blocked by a slow client (each request has a 5 s socket timeout).
public final class MetricsEndpoint: Sendable {
    private let listener: Int32
    private let isStopped = Atomic<Bool>(false)
    public let port: Int

    public struct StartError: Error, CustomStringConvertible {
        public let listen: String
        public let reason: String
        public var description: String { "metrics.listen \(listen): \(reason)" }
    }

    /// Binds `host:port` (IPv4 literal or `localhost`; port 0 picks a free one) and starts serving `metrics`.
    public init(listen: String, metrics: FileroomMetrics) throws(StartError) {
        let parts = listen.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let port = UInt16(parts[1]) else {
            throw StartError(listen: listen, reason: "expected HOST:PORT")
        }
        let host = parts[0] == "localhost" || parts[0].isEmpty ? "127.0.0.1" : String(parts[0])
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            throw StartError(listen: listen, reason: "not an IPv4 address")
        }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw StartError(listen: listen, reason: String(cString: strerror(errno))) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, Glibc.listen(fd, 16) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw StartError(listen: listen, reason: reason)
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.listener = fd
        self.port = Int(UInt16(bigEndian: actual.sin_port))
        let thread = Thread { [self] in self.serve(metrics) }
        thread.name = "metrics-http"
        thread.start()
    }

    /// Stops accepting; the thread ends at its next wake-up.
    public func stop() {
        guard !isStopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    deinit { stop() }

    private func serve(_ metrics: FileroomMetrics) {
        while !isStopped.load(ordering: .acquiring) {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            // Page workers are started with fork/exec: a scrape's socket must not leak into them.
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            var timeout = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            respond(to: client, metrics: metrics)
            close(client)
        }
    }

    private func respond(to client: Int32, metrics: FileroomMetrics) {
        var request = [UInt8](repeating: 0, count: 2048)
        let n = request.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return }
        let line = String(decoding: request[..<n], as: UTF8.self).split(separator: "\r\n").first ?? ""
        let response: String
        if line.hasPrefix("GET /metrics ") || line.hasPrefix("GET /metrics?") {
            let body = metrics.render()
            response = "HTTP/1.0 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\n"
                + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body
        } else {
            response = "HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        }
        var bytes = Array(response.utf8)
        var sent = 0
        while sent < bytes.count {
            let m = bytes.withUnsafeMutableBytes { send(client, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
            if m <= 0 { return }
            sent += m
        }
    }
}
