import FileroomModel
import Foundation
import OCR
import Pages

#if canImport(Glibc)
import Glibc
#endif

/// What the daemon asks a page worker. Only value types cross the pipe.
enum WorkerRequest: Codable, Sendable {
    /// The first message: how to read (engines are loaded, then the sandbox closes).
    case configure(PageWorkerConfiguration)
    /// Open the file and say how many pages it has.
    case open(path: String)
    /// Decode and recognise one page (1-based).
    case page(path: String, number: Int)
}

/// What a page worker answers, one reply per request.
enum WorkerReply: Codable, Sendable {
    /// Configured and sandboxed: ready for files.
    case ready
    /// The engines could not start (missing tessdata, a bad language): a start-up error, not a file's.
    case startFailed(String)
    case opened(pageCount: Int)
    case page(PageText)
    /// The file or the page is rejected (with its reason, page and limit), OCR failures included.
    case rejected(PageError)
}

/// Length-prefixed JSON frames over a pipe: a 4-byte big-endian length, then the JSON.
enum Frames {
    /// Larger frames are a broken or hostile stream: a page of text is a few hundred KB at most.
    static let maxFrameBytes = 64 << 20

    static func encode(_ value: some Encodable) throws -> [UInt8] {
        let payload = try JSONEncoder().encode(value)
        let length = UInt32(payload.count)
        return [UInt8(length >> 24), UInt8((length >> 16) & 0xFF), UInt8((length >> 8) & 0xFF), UInt8(length & 0xFF)]
            + Array(payload)
    }

    /// Writes all of `bytes`, retrying on EINTR. False when the other end is gone.
    static func writeAll(_ bytes: [UInt8], to fd: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                write(fd, raw.baseAddress! + offset, raw.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }

    /// The first complete frame at the front of `buffer`, removed from it; nil when more bytes are needed.
    static func take(from buffer: inout [UInt8]) throws(FrameError) -> [UInt8]? {
        guard buffer.count >= 4 else { return nil }
        let length = Int(buffer[0]) << 24 | Int(buffer[1]) << 16 | Int(buffer[2]) << 8 | Int(buffer[3])
        guard length <= maxFrameBytes else { throw FrameError(reason: "a frame of \(length) bytes") }
        guard buffer.count >= 4 + length else { return nil }
        let frame = Array(buffer[4..<(4 + length)])
        buffer.removeFirst(4 + length)
        return frame
    }
}

struct FrameError: Error {
    var reason: String
}

/// Reads whole frames from a blocking descriptor (the worker's side: it has nothing else to wait for).
struct BlockingFrameReader {
    let fd: Int32
    private var buffer: [UInt8] = []

    init(fd: Int32) { self.fd = fd }

    /// The next frame decoded, or nil at end of input (the daemon closed the pipe or died).
    mutating func next<T: Decodable>(_ type: T.Type) throws -> T? {
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            if let frame = try Frames.take(from: &buffer) { return try JSONDecoder().decode(T.self, from: Data(frame)) }
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            if count <= 0 { return nil }
            buffer.append(contentsOf: chunk[0..<count])
        }
    }
}
