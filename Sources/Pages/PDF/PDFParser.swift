/// Why a PDF that cairo wrote could not be taken apart (the page is then filed as an image instead).
struct PDFImportError: Error, Sendable, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// An indirect object read from a file: a value, or a stream dictionary with its still-encoded data.
enum PDFObject: Sendable, Equatable {
    case value(PDFValue)
    case stream(PDFDictionary, [UInt8])
}

/// Reads the objects of a PDF with a classic cross-reference table, as cairo writes them.
///
/// Not a general PDF reader: no cross-reference streams, object streams or encryption (cairo 1.16 writes none of
/// them). Anything else is refused with `PDFImportError`, never guessed at.
struct PDFObjectTable {
    let bytes: [UInt8]
    private(set) var offsets: [Int: Int] = [:]
    private(set) var trailer = PDFDictionary()

    init(_ bytes: [UInt8]) throws(PDFImportError) {
        self.bytes = bytes
        guard let start = Self.lastIndex(of: Array("startxref".utf8), in: bytes) else {
            throw PDFImportError("no startxref")
        }
        var lexer = PDFLexer(bytes: bytes, position: start + 9)
        guard case .int(let xref) = try lexer.value(), xref > 0, xref < bytes.count else {
            throw PDFImportError("bad startxref")
        }
        lexer.position = xref
        guard lexer.keyword() == "xref" else { throw PDFImportError("a cross-reference stream (not supported)") }
        while true {
            let mark = lexer.position
            if lexer.keyword() == "trailer" { break }
            lexer.position = mark
            guard case .int(let first) = try lexer.value(), case .int(let count) = try lexer.value(),
                  first >= 0, count >= 0, count < 10_000_000
            else { throw PDFImportError("bad cross-reference subsection") }
            for index in 0..<count {
                guard case .int(let offset) = try lexer.value(), case .int = try lexer.value() else {
                    throw PDFImportError("bad cross-reference entry")
                }
                let kind = lexer.keyword()
                if kind == "n" { offsets[first + index] = offset }
            }
        }
        guard case .dictionary(let trailer) = try lexer.value() else { throw PDFImportError("no trailer dictionary") }
        guard trailer["Encrypt"] == nil, trailer["Prev"] == nil else {
            throw PDFImportError("an encrypted or incrementally updated file (not supported)")
        }
        self.trailer = trailer
    }

    /// Object `number`, parsed from its offset.
    func object(_ number: Int) throws(PDFImportError) -> PDFObject {
        guard let offset = offsets[number], offset < bytes.count else { throw PDFImportError("no object \(number)") }
        var lexer = PDFLexer(bytes: bytes, position: offset)
        guard case .int(let found) = try lexer.value(), found == number, case .int = try lexer.value(),
              lexer.keyword() == "obj"
        else { throw PDFImportError("object \(number) is not where the table says") }
        let value = try lexer.value()
        let mark = lexer.position
        guard lexer.keyword() == "stream" else {
            lexer.position = mark
            return .value(value)
        }
        guard case .dictionary(let dictionary) = value else { throw PDFImportError("a stream without a dictionary") }
        // The data starts after CRLF or LF following the keyword.
        if lexer.position < bytes.count, bytes[lexer.position] == 0x0D { lexer.position += 1 }
        if lexer.position < bytes.count, bytes[lexer.position] == 0x0A { lexer.position += 1 }
        let length: Int
        switch dictionary["Length"] {
        case .int(let direct)?: length = direct
        case .reference(let indirect)?:
            guard case .value(.int(let resolved)) = try object(indirect) else {
                throw PDFImportError("the length of stream \(number) is not a number")
            }
            length = resolved
        default: throw PDFImportError("stream \(number) has no length")
        }
        let start = lexer.position
        guard length >= 0, start + length <= bytes.count else { throw PDFImportError("stream \(number) runs past the end") }
        lexer.position = start + length
        guard lexer.keyword() == "endstream" else { throw PDFImportError("stream \(number) has a wrong length") }
        return .stream(dictionary, Array(bytes[start..<start + length]))
    }

    /// `value`, or the object it refers to.
    func resolve(_ value: PDFValue?) throws(PDFImportError) -> PDFValue? {
        guard case .reference(let number)? = value else { return value }
        switch try object(number) {
        case .value(let resolved): return resolved
        case .stream(let dictionary, _): return .dictionary(dictionary)
        }
    }

    private static func lastIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var index = haystack.count - needle.count
        let lowest = max(0, haystack.count - 4096 - needle.count)
        while index >= lowest {
            if haystack[index] == needle[0], Array(haystack[index..<index + needle.count]) == needle { return index }
            index -= 1
        }
        return nil
    }
}

/// Tokens and values of PDF syntax (ISO 32000-1, 7.2 and 7.3).
struct PDFLexer {
    let bytes: [UInt8]
    var position: Int
    /// Nesting of arrays and dictionaries allowed: deeper input is refused rather than recursed into.
    static let maximumDepth = 64

    init(bytes: [UInt8], position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    mutating func skipWhitespace() {
        while position < bytes.count {
            let byte = bytes[position]
            if PDFSyntax.isWhitespace(byte) {
                position += 1
            } else if byte == UInt8(ascii: "%") {
                while position < bytes.count, bytes[position] != 0x0A, bytes[position] != 0x0D { position += 1 }
            } else {
                return
            }
        }
    }

    /// A bare word (`obj`, `R`, `true`, an operator), or "" at a delimiter or the end.
    mutating func keyword() -> String {
        skipWhitespace()
        let start = position
        while position < bytes.count, !PDFSyntax.isWhitespace(bytes[position]), !PDFSyntax.isDelimiter(bytes[position]) {
            position += 1
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    mutating func value(depth: Int = 0) throws(PDFImportError) -> PDFValue {
        guard depth < Self.maximumDepth else { throw PDFImportError("nesting deeper than \(Self.maximumDepth)") }
        skipWhitespace()
        guard position < bytes.count else { throw PDFImportError("unexpected end of data") }
        let byte = bytes[position]
        switch byte {
        case UInt8(ascii: "/"):
            position += 1
            return .name(name())
        case UInt8(ascii: "("):
            position += 1
            return .string(try literalString())
        case UInt8(ascii: "<"):
            if position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "<") {
                position += 2
                var dictionary = PDFDictionary()
                while true {
                    skipWhitespace()
                    guard position < bytes.count else { throw PDFImportError("unterminated dictionary") }
                    if bytes[position] == UInt8(ascii: ">") {
                        guard position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: ">") else {
                            throw PDFImportError("bad dictionary end")
                        }
                        position += 2
                        return .dictionary(dictionary)
                    }
                    guard case .name(let key) = try value(depth: depth + 1) else {
                        throw PDFImportError("a dictionary key that is not a name")
                    }
                    dictionary[key] = try value(depth: depth + 1)
                }
            }
            position += 1
            return .hexString(try hexString())
        case UInt8(ascii: "["):
            position += 1
            var items: [PDFValue] = []
            while true {
                skipWhitespace()
                guard position < bytes.count else { throw PDFImportError("unterminated array") }
                if bytes[position] == UInt8(ascii: "]") {
                    position += 1
                    return .array(items)
                }
                items.append(try value(depth: depth + 1))
            }
        default:
            let word = keyword()
            switch word {
            case "true": return .bool(true)
            case "false": return .bool(false)
            case "null": return .null
            case "": throw PDFImportError("unexpected '\(Character(Unicode.Scalar(byte)))'")
            default:
                guard let number = Self.number(word) else { throw PDFImportError("unexpected word \(word.prefix(20))") }
                // `n g R` is a reference: look ahead without consuming anything else.
                if case .int(let objectNumber) = number {
                    let mark = position
                    if case .int = (try? peekInteger()) ?? .null, keyword() == "R" { return .reference(objectNumber) }
                    position = mark
                }
                return number
            }
        }
    }

    private mutating func peekInteger() throws(PDFImportError) -> PDFValue {
        let word = keyword()
        guard let number = Self.number(word), case .int = number else { return .null }
        return number
    }

    static func number(_ word: String) -> PDFValue? {
        if let integer = Int(word) { return .int(integer) }
        guard !word.isEmpty, word.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2D || $0 == 0x2B })
        else { return nil }
        var text = word
        if text.hasPrefix(".") { text = "0" + text }
        if text.hasPrefix("-.") { text = "-0" + text.dropFirst() }
        return Double(text).map(PDFValue.real)
    }

    private mutating func name() -> String {
        var out: [UInt8] = []
        while position < bytes.count, !PDFSyntax.isWhitespace(bytes[position]), !PDFSyntax.isDelimiter(bytes[position]) {
            let byte = bytes[position]
            if byte == UInt8(ascii: "#"), position + 2 < bytes.count,
               let high = Self.hexValue(bytes[position + 1]), let low = Self.hexValue(bytes[position + 2]) {
                out.append(high << 4 | low)
                position += 3
            } else {
                out.append(byte)
                position += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private mutating func literalString() throws(PDFImportError) -> [UInt8] {
        var out: [UInt8] = []
        var depth = 1
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "("):
                depth += 1
                out.append(byte)
            case UInt8(ascii: ")"):
                depth -= 1
                if depth == 0 { return out }
                out.append(byte)
            case UInt8(ascii: "\\"):
                guard position < bytes.count else { throw PDFImportError("unterminated string") }
                let escaped = bytes[position]
                position += 1
                switch escaped {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case 0x0D:
                    if position < bytes.count, bytes[position] == 0x0A { position += 1 }
                case 0x0A: break
                case 0x30...0x37:
                    var value = Int(escaped - 0x30)
                    for _ in 0..<2 where position < bytes.count && (0x30...0x37).contains(bytes[position]) {
                        value = value * 8 + Int(bytes[position] - 0x30)
                        position += 1
                    }
                    out.append(UInt8(value & 0xFF))
                default: out.append(escaped)
                }
            default:
                out.append(byte)
            }
        }
        throw PDFImportError("unterminated string")
    }

    private mutating func hexString() throws(PDFImportError) -> [UInt8] {
        var out: [UInt8] = []
        var pending: UInt8?
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            if byte == UInt8(ascii: ">") {
                if let high = pending { out.append(high << 4) }
                return out
            }
            if PDFSyntax.isWhitespace(byte) { continue }
            guard let digit = Self.hexValue(byte) else { throw PDFImportError("bad hex string") }
            if let high = pending {
                out.append(high << 4 | digit)
                pending = nil
            } else {
                pending = digit
            }
        }
        throw PDFImportError("unterminated hex string")
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }
}
