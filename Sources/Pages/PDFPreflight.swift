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
/// read from the raw bytes.
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
        for (width, height) in imageSizes(in: bytes) {
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

    static func imageSizes(in bytes: [UInt8]) -> [(Int, Int)] {
        let marker = Array("/Image".utf8)
        var sizes: [(Int, Int)] = []
        var index = 0
        while let found = find(marker, in: bytes, from: index) {
            index = found + marker.count
            // Skip /ImageB, /ImageC, /ImageI, /ImageMask: only the name /Image itself marks an image.
            if index < bytes.count, isNameCharacter(bytes[index]) { continue }
            let lower = max(0, found - 1024), upper = min(bytes.count, found + 1024)
            let window = Array(bytes[lower..<upper])
            if let width = integer(after: "/Width", in: window), let height = integer(after: "/Height", in: window) {
                sizes.append((width, height))
            }
        }
        return sizes
    }

    private static func isNameCharacter(_ byte: UInt8) -> Bool {
        (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
    }

    /// A direct integer value after a key (not an indirect `N 0 R` reference).
    private static func integer(after key: String, in window: [UInt8]) -> Int? {
        guard let start = find(Array(key.utf8), in: window, from: 0) else { return nil }
        var i = start + key.utf8.count
        if i < window.count, isNameCharacter(window[i]) { return nil }
        while i < window.count, window[i] == 0x20 || window[i] == 0x0A || window[i] == 0x0D { i += 1 }
        var value = 0, digits = 0
        while i < window.count, (0x30...0x39).contains(window[i]), digits < 12 {
            value = value * 10 + Int(window[i] - 0x30)
            digits += 1
            i += 1
        }
        guard digits > 0 else { return nil }
        var j = i
        while j < window.count, window[j] == 0x20 { j += 1 }
        if j < window.count, (0x30...0x39).contains(window[j]) { return nil }  // "12 0 R"
        return value
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
