#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file's size and first bytes, and decides what it is from its magic numbers.
enum FileProbe {
    struct Head {
        var size: Int
        var bytes: [UInt8]
    }

    enum Verdict {
        case tiff
        case pdf
        case rejected(PageError)
    }

    static let headLength = 1024

    static func read(path: String, limits: PageLimits) throws(PageError) -> Head {
        let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw PageError(.unreadable, path: path, detail: "cannot open the file (\(String(cString: strerror(errno))))")
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw PageError(.unreadable, path: path, detail: "cannot read the file's size (\(String(cString: strerror(errno))))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw PageError(.unreadable, path: path, detail: "not a regular file")
        }
        let size = Int(info.st_size)
        if size == 0 {
            throw PageError(.emptyFile, path: path, detail: "the file is empty (0 bytes): ask the sender to resend")
        }
        if size > limits.maxFileBytes {
            throw PageError(.fileTooLarge, path: path, limit: limits.maxFileBytes, actual: size,
                            detail: "\(size) bytes exceeds the \(limits.maxFileBytes)-byte file limit (raise pages.max_file_bytes)")
        }
        var bytes = [UInt8](repeating: 0, count: min(size, headLength))
        let count = bytes.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else {
            throw PageError(.unreadable, path: path, detail: "cannot read the file (\(String(cString: strerror(errno))))")
        }
        bytes.removeSubrange(count...)
        return Head(size: size, bytes: bytes)
    }

    static func sniff(_ bytes: [UInt8], path: String) -> Verdict {
        func starts(_ magic: [UInt8]) -> Bool { bytes.count >= magic.count && Array(bytes.prefix(magic.count)) == magic }
        // Classic and BigTIFF, both byte orders.
        if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A])
            || starts([0x49, 0x49, 0x2B, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2B]) {
            return .tiff
        }
        // The PDF header may follow some junk (a mail gateway's preamble) within the first kilobyte.
        if containsPDFHeader(bytes) { return .pdf }

        let known: [(magic: [UInt8], name: String)] = [
            ([0x50, 0x4B, 0x03, 0x04], "a zip archive (Word, Excel or another Office file)"),
            ([0xD0, 0xCF, 0x11, 0xE0], "an old Office document"),
            ([0xFF, 0xD8, 0xFF], "a JPEG image"),
            ([0x89, 0x50, 0x4E, 0x47], "a PNG image"),
            ([0x47, 0x49, 0x46, 0x38], "a GIF image"),
            (Array("{\\rtf".utf8), "an RTF document"),
        ]
        let fileExtension = path.split(separator: "/").last.flatMap { name -> String? in
            guard let dot = name.lastIndex(of: ".") else { return nil }
            return name[name.index(after: dot)...].lowercased()
        }
        if let match = known.first(where: { starts($0.magic) }) {
            return .rejected(PageError(.unsupportedType, path: path,
                                       detail: "the file is \(match.name), not a TIFF or PDF fax: ask for a PDF"))
        }
        switch fileExtension {
        case "tif", "tiff":
            return .rejected(PageError(.notATIFF, path: path,
                                       detail: "named like a TIFF but is not one (\(describe(bytes)))"))
        case "pdf":
            return .rejected(PageError(.notAPDF, path: path,
                                       detail: "named like a PDF but has no PDF header (\(describe(bytes)))"))
        default:
            return .rejected(PageError(.unsupportedType, path: path,
                                       detail: "not a TIFF or PDF (\(describe(bytes))): only fax TIFF and PDF files are read"))
        }
    }

    private static func containsPDFHeader(_ bytes: [UInt8]) -> Bool {
        let magic = Array("%PDF-".utf8)
        guard bytes.count >= magic.count else { return false }
        for start in 0...(bytes.count - magic.count) where bytes[start] == 0x25 {
            if Array(bytes[start..<(start + magic.count)]) == magic { return true }
        }
        return false
    }

    /// "text" or "binary data", so the message says what was found without echoing content.
    private static func describe(_ bytes: [UInt8]) -> String {
        let printable = bytes.prefix(256).filter { (0x20...0x7E).contains($0) || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        return printable.count * 10 >= min(bytes.count, 256) * 9 ? "it holds text" : "it holds unrecognised binary data"
    }
}
