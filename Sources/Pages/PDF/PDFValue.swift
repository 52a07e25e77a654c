/// A PDF object as written (ISO 32000-1, 7.3): enough of the syntax for the documents we write and the pages we
/// carry over from cairo.
indirect enum PDFValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case real(Double)
    /// Without the leading slash.
    case name(String)
    /// The bytes of a string; written as a literal string with escapes.
    case string([UInt8])
    /// The bytes of a string; written in hex (`<...>`).
    case hexString([UInt8])
    case array([PDFValue])
    case dictionary(PDFDictionary)
    /// An indirect reference `n 0 R`.
    case reference(Int)

    static func text(_ string: String) -> PDFValue { .string(PDFText.encode(string)) }

    var dictionaryValue: PDFDictionary? { if case .dictionary(let d) = self { d } else { nil } }
    var arrayValue: [PDFValue]? { if case .array(let a) = self { a } else { nil } }
    var nameValue: String? { if case .name(let n) = self { n } else { nil } }
    var intValue: Int? {
        switch self {
        case .int(let i): i
        case .real(let r) where r.isFinite && r == r.rounded() && abs(r) < 1e15: Int(r)
        default: nil
        }
    }
    var numberValue: Double? {
        switch self {
        case .int(let i): Double(i)
        case .real(let r): r
        default: nil
        }
    }
    var referenceValue: Int? { if case .reference(let n) = self { n } else { nil } }

    /// Every object number this value refers to, depth first.
    func forEachReference(_ body: (Int) -> Void) {
        switch self {
        case .reference(let n): body(n)
        case .array(let items): for item in items { item.forEachReference(body) }
        case .dictionary(let dictionary): for (_, value) in dictionary.entries { value.forEachReference(body) }
        default: break
        }
    }

    /// The value with every reference renumbered by `map` (references it does not know become null, which a
    /// reader treats as a missing object).
    func renumbered(_ map: [Int: Int]) -> PDFValue {
        switch self {
        case .reference(let n): map[n].map(PDFValue.reference) ?? .null
        case .array(let items): .array(items.map { $0.renumbered(map) })
        case .dictionary(let dictionary):
            .dictionary(PDFDictionary(dictionary.entries.map { ($0.key, $0.value.renumbered(map)) }))
        default: self
        }
    }

    func write(to out: inout [UInt8]) {
        switch self {
        case .null: out += Array("null".utf8)
        case .bool(let b): out += Array((b ? "true" : "false").utf8)
        case .int(let i): out += Array(String(i).utf8)
        case .real(let r): out += Array(PDFValue.format(r).utf8)
        case .name(let n): PDFValue.writeName(n, to: &out)
        case .string(let bytes): PDFValue.writeLiteral(bytes, to: &out)
        case .hexString(let bytes):
            out.append(UInt8(ascii: "<"))
            PDFValue.appendHex(bytes, to: &out)
            out.append(UInt8(ascii: ">"))
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: " ")) }
                item.write(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .dictionary(let dictionary): dictionary.write(to: &out)
        case .reference(let n): out += Array("\(n) 0 R".utf8)
        }
    }

    var serialized: [UInt8] {
        var out: [UInt8] = []
        write(to: &out)
        return out
    }

    /// A number without exponent, at most 4 decimals, no trailing zeros (`0.5`, `612`, `-0.0833`).
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let scaled = (value * 10_000).rounded()
        guard abs(scaled) < 9e15 else { return String(Int(value.rounded())) }
        let negative = scaled < 0
        let magnitude = Int(abs(scaled))
        let whole = magnitude / 10_000
        var fraction = String(magnitude % 10_000)
        if magnitude % 10_000 == 0 { return (negative && whole != 0 ? "-" : "") + String(whole) }
        fraction = String(repeating: "0", count: 4 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return (negative ? "-" : "") + "\(whole).\(fraction)"
    }

    static func appendHex(_ bytes: [UInt8], to out: inout [UInt8]) {
        let digits = Array("0123456789ABCDEF".utf8)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
    }

    /// A name: regular characters as they are, anything else (delimiters, whitespace, `#`, non-ASCII) as `#xx`.
    static func writeName(_ name: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "/"))
        let digits = Array("0123456789ABCDEF".utf8)
        for byte in name.utf8 {
            if byte > 0x20, byte < 0x7F, !PDFSyntax.isDelimiter(byte), byte != UInt8(ascii: "#") {
                out.append(byte)
            } else {
                out += [UInt8(ascii: "#"), digits[Int(byte >> 4)], digits[Int(byte & 15)]]
            }
        }
    }

    static func writeLiteral(_ bytes: [UInt8], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "("))
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "\\"):
                out += [UInt8(ascii: "\\"), byte]
            case 0x0A: out += Array("\\n".utf8)
            case 0x0D: out += Array("\\r".utf8)
            case 0x20..<0x7F: out.append(byte)
            default:
                // Octal, three digits, so a following digit is never read as part of it.
                out += [UInt8(ascii: "\\"), 0x30 + (byte >> 6), 0x30 + ((byte >> 3) & 7), 0x30 + (byte & 7)]
            }
        }
        out.append(UInt8(ascii: ")"))
    }
}

/// A dictionary that keeps its keys in the order they were written (readable output, stable bytes).
struct PDFDictionary: Sendable, Equatable {
    private(set) var entries: [(key: String, value: PDFValue)]

    init(_ entries: [(String, PDFValue)] = []) {
        self.entries = entries.map { (key: $0.0, value: $0.1) }
    }

    static func == (lhs: PDFDictionary, rhs: PDFDictionary) -> Bool {
        lhs.entries.count == rhs.entries.count
            && zip(lhs.entries, rhs.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }

    subscript(key: String) -> PDFValue? {
        get { entries.first { $0.key == key }?.value }
        set {
            if let index = entries.firstIndex(where: { $0.key == key }) {
                if let newValue { entries[index].value = newValue } else { entries.remove(at: index) }
            } else if let newValue {
                entries.append((key: key, value: newValue))
            }
        }
    }

    func write(to out: inout [UInt8]) {
        out += Array("<<".utf8)
        for (key, value) in entries {
            PDFValue.writeName(key, to: &out)
            out.append(UInt8(ascii: " "))
            value.write(to: &out)
            out.append(UInt8(ascii: "\n"))
        }
        out += Array(">>".utf8)
    }
}

/// Character classes of PDF syntax (ISO 32000-1, 7.2.2).
enum PDFSyntax {
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 || byte == 0x0C || byte == 0x00
    }

    static func isDelimiter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "["),
             UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "/"), UInt8(ascii: "%"):
            true
        default: false
        }
    }
}

/// Text strings in the document's Info dictionary and outlines: PDFDocEncoding's ASCII subset as is, anything else
/// as UTF-16BE with a byte order mark (ISO 32000-1, 7.9.2.2).
enum PDFText {
    static func encode(_ string: String) -> [UInt8] {
        if string.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) { return Array(string.utf8) }
        var out: [UInt8] = [0xFE, 0xFF]
        for unit in string.utf16 { out += [UInt8(unit >> 8), UInt8(unit & 0xFF)] }
        return out
    }
}
