#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks a PDF's raw bytes before poppler opens it: that it ends like a whole PDF, and that no image
/// declares more pixels than the limits.
///
/// Poppler quietly reconstructs a PDF cut short in transfer and shows whatever pages survive, so a
/// truncated fax would pass as a shorter one: a file whose last 2 KB hold no `%%EOF` is rejected.
/// poppler-glib decodes an image in full before it says how big it is, and a few hundred bytes of
/// PDF can declare a 100000x100000 image. Image XObjects are streams, and streams never sit inside
/// compressed object streams, so their dictionaries (`/Subtype /Image ... /Width N /Height N`) can be
/// read from the raw bytes. A size may also be given through an indirect object (`/Width 7 0 R`): that
/// object is looked up in the raw bytes too, and a size that cannot be found there (an object inside a
/// compressed object stream) rejects the file, since poppler would decode the image before anyone could
/// check it (issue 12: a 49 KB PDF made the daemon use 1.93 GB that way).
enum PDFPreflight {
    static func check(path: String, limits: PageLimits) throws(PageError) {
        guard let bytes = readAll(path: path, limit: limits.maxFileBytes) else {
            throw PageError(.unreadable, path: path, detail: "cannot read the file")
        }
        let tail = Array(bytes.suffix(2048))
        if find(Array("%%EOF".utf8), in: tail, from: 0) == nil {
            throw PageError(.truncatedOrCorrupt, path: path,
                            detail: "the PDF is cut short (no end-of-file marker): ask the sender to resend")
        }
        let sizes: [(Int, Int)]
        do {
            sizes = try imageSizes(in: bytes)
        } catch {
            throw PageError(
                .truncatedOrCorrupt, path: path,
                detail: "an embedded image gives its \(error.key) through an object that cannot be checked before decoding"
            )
        }
        for (width, height) in sizes {
            do {
                try limits.checkRaster(width: width, height: height, path: path, page: 0)
            } catch {
                var error = error
                error.page = nil
                if error.reason != .imageTooLarge { continue }  // an odd 0-size image is poppler's business
                error.detail = "an embedded image of " + error.detail
                throw error
            }
        }
    }

    /// A `/Width` or `/Height` given by reference to an object the raw bytes do not hold.
    struct UnresolvedSize: Error {
        var key: String
    }

    static func imageSizes(in bytes: [UInt8]) throws(UnresolvedSize) -> [(Int, Int)] {
        let marker = Array("/Image".utf8)
        var sizes: [(Int, Int)] = []
        var index = 0
        while let found = find(marker, in: bytes, from: index) {
            index = found + marker.count
            // Skip /ImageB, /ImageC, /ImageI, /ImageMask: only the name /Image itself marks an image.
            if index < bytes.count, isNameCharacter(bytes[index]) { continue }
            let lower = max(0, found - 1024), upper = min(bytes.count, found + 1024)
            let window = Array(bytes[lower..<upper])
            let width = try dimension("/Width", in: window, file: bytes)
            let height = try dimension("/Height", in: window, file: bytes)
            if let width, let height { sizes.append((width, height)) }
        }
        return sizes
    }

    /// The value of `key` in `window`, following an indirect reference to the object that holds it.
    private static func dimension(_ key: String, in window: [UInt8], file: [UInt8]) throws(UnresolvedSize) -> Int? {
        switch value(after: key, in: window) {
        case nil: return nil
        case .integer(let value): return value
        case .reference(let object, let generation):
            let header = Array("\(object) \(generation) obj".utf8)
            var from = 0
            while let found = find(header, in: file, from: from) {
                from = found + header.count
                // "17 0 obj" must not be the tail of "117 0 obj".
                if found > 0, (0x30...0x39).contains(file[found - 1]) { continue }
                let upper = min(file.count, from + 64)
                if case .integer(let value)? = value(at: 0, in: Array(file[from..<upper])) { return value }
            }
            throw UnresolvedSize(key: key == "/Width" ? "width" : "height")
        }
    }

    private static func isNameCharacter(_ byte: UInt8) -> Bool {
        (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
    }

    enum Value {
        case integer(Int)
        case reference(object: Int, generation: Int)
    }

    /// The integer or `N G R` reference after a key.
    private static func value(after key: String, in window: [UInt8]) -> Value? {
        guard let start = find(Array(key.utf8), in: window, from: 0) else { return nil }
        let i = start + key.utf8.count
        if i < window.count, isNameCharacter(window[i]) { return nil }
        return value(at: i, in: window)
    }

    /// The integer or `N G R` reference at `start` (after white space).
    private static func value(at start: Int, in window: [UInt8]) -> Value? {
        var i = start
        func skipSpace() {
            while i < window.count, [0x20, 0x0A, 0x0D, 0x09, 0x0C, 0x00].contains(window[i]) { i += 1 }
        }
        func number() -> Int? {
            var value = 0, digits = 0
            while i < window.count, (0x30...0x39).contains(window[i]), digits < 12 {
                value = value * 10 + Int(window[i] - 0x30)
                digits += 1
                i += 1
            }
            return digits > 0 ? value : nil
        }
        skipSpace()
        guard let first = number() else { return nil }
        let afterFirst = i
        skipSpace()
        if let generation = number() {
            skipSpace()
            if i < window.count, window[i] == UInt8(ascii: "R") { return .reference(object: first, generation: generation) }
        }
        i = afterFirst
        return .integer(first)
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count, start <= haystack.count - needle.count else {
            return nil
        }
        return haystack.withUnsafeBufferPointer { hay -> Int? in
            var i = start
            let last = hay.count - needle.count
            while i <= last {
                if hay[i] == first {
                    var matched = true
                    for k in 1..<needle.count where hay[i + k] != needle[k] {
                        matched = false
                        break
                    }
                    if matched { return i }
                }
                i += 1
            }
            return nil
        }
    }

    private static func readAll(path: String, limit: Int) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while bytes.count <= limit {
            let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
    }
}
