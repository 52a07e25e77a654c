/// Lays out a PDF file: numbered indirect objects written in order, then a classic cross-reference table and the
/// trailer. Object numbers are handed out before their objects are written, so objects can refer forward.
struct PDFObjectWriter {
    private(set) var bytes: [UInt8]
    private var offsets: [Int: Int] = [:]
    private var count = 0

    /// Starts the file: version 1.7 (what PDF/A-2 is based on) and a comment of four bytes above 127, so
    /// transfer tools treat the file as binary (ISO 32000-1, 7.5.2; PDF/A-2, 6.1.2).
    init() {
        bytes = Array("%PDF-1.7\n%".utf8) + [0xE2, 0xE3, 0xCF, 0xD3, 0x0A]
        bytes.reserveCapacity(256 * 1024)
    }

    /// A new object number.
    mutating func reserve() -> Int {
        count += 1
        return count
    }

    mutating func write(_ number: Int, _ value: PDFValue) {
        begin(number)
        value.write(to: &bytes)
        bytes += Array("\nendobj\n".utf8)
    }

    /// A stream object: `dictionary` gets its `/Length`; `data` is written as given (already encoded by its
    /// `/Filter`). The end-of-line markers around the data are the ones PDF/A-2 (6.1.7.1) asks for.
    mutating func writeStream(_ number: Int, _ dictionary: PDFDictionary, data: [UInt8]) {
        var dictionary = dictionary
        dictionary["Length"] = .int(data.count)
        begin(number)
        dictionary.write(to: &bytes)
        bytes += Array("\nstream\n".utf8)
        bytes += data
        bytes += Array("\nendstream\nendobj\n".utf8)
    }

    /// A stream deflated unless `compress` is false or deflating does not pay.
    mutating func writeStream(_ number: Int, _ dictionary: PDFDictionary, plain: [UInt8], compress: Bool = true) {
        var dictionary = dictionary
        if compress, plain.count > 64, let deflated = Deflate.compress(plain, level: 9), deflated.count < plain.count {
            dictionary["Filter"] = .name("FlateDecode")
            writeStream(number, dictionary, data: deflated)
        } else {
            writeStream(number, dictionary, data: plain)
        }
    }

    private mutating func begin(_ number: Int) {
        offsets[number] = bytes.count
        bytes += Array("\(number) 0 obj\n".utf8)
    }

    /// Ends the file: every reserved object must have been written. `id` is the trailer's file identifier
    /// (16 bytes), written twice as a new file's original and current id.
    mutating func finish(root: Int, info: Int?, id: [UInt8]) throws(PageError) -> [UInt8] {
        let xref = bytes.count
        bytes += Array("xref\n0 \(count + 1)\n0000000000 65535 f \n".utf8)
        for number in 1...max(1, count) where number <= count {
            guard let offset = offsets[number] else {
                throw PageError(.writeFailed, path: "", detail: "PDF object \(number) was reserved but never written")
            }
            let digits = String(offset)
            bytes += Array((String(repeating: "0", count: max(0, 10 - digits.count)) + digits + " 00000 n \n").utf8)
        }
        var trailer = PDFDictionary([("Size", .int(count + 1)), ("Root", .reference(root))])
        if let info { trailer["Info"] = .reference(info) }
        trailer["ID"] = .array([.hexString(id), .hexString(id)])
        bytes += Array("trailer\n".utf8)
        trailer.write(to: &bytes)
        bytes += Array("\nstartxref\n\(xref)\n%%EOF\n".utf8)
        return bytes
    }
}
