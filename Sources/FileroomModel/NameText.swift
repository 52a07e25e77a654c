import Foundation

/// Name spellings reduced to what comparisons need: ASCII lowercase letters, with the ways outside records
/// write the same name (case, accents, hyphens, spaces, apostrophes, suffixes) folded away.
public enum NameText {
    /// Generational suffixes a record may append to a surname; they say nothing about who the patient is.
    public static let suffixes: Set<String> = ["jr", "sr", "ii", "iii", "iv", "md", "phd"]

    /// Lowercase ASCII, accents removed, every character other than a letter or digit turned into a space
    /// so that `Garcia-Lopez`, `Garcia Lopez` and `O'Brien` split where they were joined.
    public static func folded(_ raw: String) -> String {
        if raw.utf8.allSatisfy({ $0 < 0x80 }) {
            // Fast path for the usual ASCII name: no Unicode decomposition needed.
            var bytes: [UInt8] = []
            bytes.reserveCapacity(raw.utf8.count)
            for byte in raw.utf8 {
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): bytes.append(byte)
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): bytes.append(byte + 32)
                case UInt8(ascii: "'"), UInt8(ascii: "`"): continue
                default: bytes.append(UInt8(ascii: " "))
                }
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        let decomposed = raw.decomposedStringWithCanonicalMapping.lowercased()
        var out = String.UnicodeScalarView()
        for scalar in decomposed.unicodeScalars {
            if scalar.properties.generalCategory == .nonspacingMark { continue }
            if scalar.isASCII, (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9") {
                out.append(scalar)
            } else if scalar == "'" || scalar == "\u{2019}" || scalar == "`" {
                // An apostrophe joins (O'Brien is one word, OBrien its variant), it does not split.
                continue
            } else if scalar.isASCII {
                out.append(" ")
            } else {
                // Letters outside ASCII that did not decompose (ß, ø, ł) keep their place as a letter.
                out.append(contentsOf: "?".unicodeScalars)
            }
        }
        return String(out)
    }

    /// The words of a name, suffixes dropped.
    public static func parts(_ raw: String) -> [String] {
        let words = folded(raw).split(separator: " ").map(String.init)
        let kept = words.filter { !suffixes.contains($0) }
        return kept.isEmpty ? words : kept
    }

    /// All words joined: the key under which spelling variants of one surname are equal.
    public static func key(_ raw: String) -> String { parts(raw).joined() }

    /// Digits OCR reads in place of letters, mapped back so `Ho1den` compares with `Holden`.
    public static func lettersForDigits(_ key: String) -> String {
        String(
            key.map { ch -> Character in
                switch ch {
                case "0": "o"
                case "1": "l"
                case "5": "s"
                case "8": "b"
                case "2": "z"
                case "6": "g"
                default: ch
                }
            }
        )
    }
}

/// String similarity measures over byte arrays (names are ASCII once folded).
public enum StringDistance {
    /// Jaro-Winkler similarity 0...1 (prefix scale 0.1, up to 4 characters).
    public static func jaroWinkler(_ a: [UInt8], _ b: [UInt8]) -> Double {
        if a.isEmpty || b.isEmpty { return 0 }
        if a == b { return 1 }
        let window = max(0, max(a.count, b.count) / 2 - 1)
        var aMatched = [Bool](repeating: false, count: a.count)
        var bMatched = [Bool](repeating: false, count: b.count)
        var matches = 0
        for i in 0..<a.count {
            let lo = max(0, i - window), hi = min(b.count - 1, i + window)
            if lo > hi { continue }
            for j in lo...hi where !bMatched[j] && a[i] == b[j] {
                aMatched[i] = true
                bMatched[j] = true
                matches += 1
                break
            }
        }
        if matches == 0 { return 0 }
        var transpositions = 0
        var k = 0
        for i in 0..<a.count where aMatched[i] {
            while !bMatched[k] { k += 1 }
            if a[i] != b[k] { transpositions += 1 }
            k += 1
        }
        let m = Double(matches)
        let jaro = (m / Double(a.count) + m / Double(b.count) + (m - Double(transpositions / 2)) / m) / 3
        var prefix = 0
        while prefix < min(4, a.count, b.count), a[prefix] == b[prefix] { prefix += 1 }
        return jaro + Double(prefix) * 0.1 * (1 - jaro)
    }

    /// True when one substitution, insertion, deletion or adjacent transposition turns `a` into `b`.
    public static func isOneEdit(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        if a == b { return false }
        let (short, long) = a.count <= b.count ? (a, b) : (b, a)
        if long.count - short.count > 1 { return false }
        var i = 0
        while i < short.count, short[i] == long[i] { i += 1 }
        if short.count == long.count {
            if short[(i + 1)...].elementsEqual(long[(i + 1)...]) { return true }
            // Adjacent transposition.
            return i + 1 < short.count && short[i] == long[i + 1] && short[i + 1] == long[i]
                && short[(i + 2)...].elementsEqual(long[(i + 2)...])
        }
        return short[i...].elementsEqual(long[(i + 1)...])
    }

    /// Pairs of single characters an OCR engine confuses on fax print, after lowercasing and mapping digits:
    /// lowercase shapes (e/c, u/n, i/l) and uppercase ones that survive lowercasing (O/D/Q, E/F, P/R, C/G/O).
    private static let confusablePairs: Set<UInt16> = {
        let pairs = ["il", "ij", "od", "oq", "dq", "ec", "ef", "un", "uv", "co", "gq", "pr"]
        var set = Set<UInt16>()
        for pair in pairs {
            let bytes = Array(pair.utf8)
            set.insert(UInt16(bytes[0]) << 8 | UInt16(bytes[1]))
            set.insert(UInt16(bytes[1]) << 8 | UInt16(bytes[0]))
        }
        return set
    }()

    /// Letter groups OCR reads as one letter or the other way round (`rn`/`m`, `cl`/`d`, `vv`/`w`, `ri`/`n`, `li`/`h`).
    private static let confusableSpans: [([UInt8], [UInt8])] = [
        ("rn", "m"), ("cl", "d"), ("vv", "w"), ("ri", "n"), ("li", "h"), ("in", "m"), ("ni", "m"), ("iv", "w"),
        ("ii", "u"), ("nn", "m"),
    ].map { (Array($0.0.utf8), Array($0.1.utf8)) }

    /// True when `a` and `b` differ by exactly one OCR-plausible error: one confusable character, one confusable
    /// letter group, or one thin stroke (`i`, `l`, `.`) gained or lost.
    public static func isOCRNearMiss(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        if a == b || a.isEmpty || b.isEmpty { return false }
        var prefix = 0
        while prefix < min(a.count, b.count), a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < min(a.count, b.count) - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] {
            suffix += 1
        }
        let aMidCount = a.count - suffix - prefix
        let bMidCount = b.count - suffix - prefix
        if aMidCount == 1, bMidCount == 1 {
            return confusablePairs.contains(UInt16(a[prefix]) << 8 | UInt16(b[prefix]))
        }
        if (aMidCount == 0) != (bMidCount == 0) {
            let gained = aMidCount == 0 ? b[prefix] : a[prefix]
            return max(aMidCount, bMidCount) == 1 && (gained == UInt8(ascii: "i") || gained == UInt8(ascii: "l"))
        }
        // Every confusable group differs in length by one from its look-alike.
        guard abs(a.count - b.count) == 1 else { return false }
        // The differing span may overlap the shared prefix or suffix by a character (`rn` vs `m` inside `orne`).
        for (x, y) in confusableSpans {
            if spanSwap(a, b, x, y) || spanSwap(a, b, y, x) { return true }
        }
        return false
    }

    /// True when replacing one occurrence of `x` in `a` by `y` gives `b`.
    private static func spanSwap(_ a: [UInt8], _ b: [UInt8], _ x: [UInt8], _ y: [UInt8]) -> Bool {
        guard a.count - x.count + y.count == b.count, a.count >= x.count else { return false }
        var shared = 0
        while shared < min(a.count, b.count), a[shared] == b[shared] { shared += 1 }
        var start = 0
        while start + x.count <= a.count, start <= shared {
            if a[start..<(start + x.count)].elementsEqual(x), b[start..<(start + y.count)].elementsEqual(y),
                a[(start + x.count)...].elementsEqual(b[(start + y.count)...])
            {
                return true
            }
            start += 1
        }
        return false
    }
}
