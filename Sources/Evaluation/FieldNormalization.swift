import FileroomModel
import Foundation

/// The eight scored fields, in the order the reports list them.
public enum ScoredField: String, Sendable, CaseIterable, Codable {
    case patientLast = "patient_last"
    case patientFirst = "patient_first"
    case dob
    case mrn
    case providerName = "provider_name"
    case facility
    case providerFax = "provider_fax"
    case serviceDate = "service_date"

    public func value(in fields: ExportFields) -> String? {
        switch self {
        case .patientLast: fields.patientLast
        case .patientFirst: fields.patientFirst
        case .dob: fields.dob
        case .mrn: fields.mrn
        case .providerName: fields.providerName
        case .facility: fields.facility
        case .providerFax: fields.providerFax
        case .serviceDate: fields.serviceDate
        }
    }
}

/// How a printed value is compared with an extracted one. A port of the reference scorer
/// (`tools/score.py`), down to its Unicode handling, so that a center's figures from `fileroom evaluate`
/// are the figures the project is measured by.
public enum FieldNormalization {
    /// Credentials and suffixes dropped from provider names before comparing their words.
    static let credentials: Set<String> = [
        "md", "do", "phd", "np", "aprn", "apnp", "pa", "pac", "c", "rn", "dr", "mph", "facs", "ms", "mba", "rnfa",
        "crna", "fcap", "dds", "mbbs", "facp", "frcpc", "jr", "sr", "ii", "iii", "iv",
    ]

    /// Whether an extracted value counts as the printed one.
    public static func isEqual(_ field: ScoredField, truth: String, got: String?) -> Bool {
        guard let got, !strip(got).isEmpty else { return false }
        switch field {
        case .patientLast, .patientFirst:
            return person(truth) == person(got)
        case .dob, .serviceDate:
            return strip(truth).unicodeScalars.elementsEqual(strip(got).unicodeScalars)
        case .mrn:
            return mrn(truth) == mrn(got)
        case .providerFax:
            return fax(truth) == fax(got)
        case .providerName:
            let truthTokens = nameTokens(truth)
            return truthTokens == nameTokens(got) && !truthTokens.isEmpty
        case .facility:
            let a = facility(truth)
            let b = facility(got)
            if a == b { return true }
            let (short, long) = a.utf8.count <= b.utf8.count ? (a, b) : (b, a)
            let shortLength = Double(short.utf8.count)
            return short.utf8.count >= 8 && long.contains(short) && shortLength >= 0.6 * Double(long.utf8.count)
        }
    }

    /// NFC: how file names are matched.
    static func nfc(_ s: String?) -> String {
        (s ?? "").precomposedStringWithCanonicalMapping
    }

    /// NFKD, combining marks dropped, lower case: "Ñúñez" and "Nunez" fold alike.
    static func fold(_ s: String) -> String {
        var kept = String.UnicodeScalarView()
        for scalar in s.decomposedStringWithCompatibilityMapping.unicodeScalars
        where scalar.properties.canonicalCombiningClass == .notReordered {
            kept.append(scalar)
        }
        return String(kept).lowercased()
    }

    static func person(_ s: String) -> String {
        keepingScalars(of: fold(s), where: isLowerAlphanumeric)
    }

    static func facility(_ s: String) -> String {
        keepingScalars(of: fold(s), where: isLowerAlphanumeric)
    }

    static func mrn(_ s: String) -> String {
        keepingScalars(of: fold(s).uppercased()) { ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }

    /// Digits only (any script's decimal digits, as Python's `\d`), without a leading US country code.
    static func fax(_ s: String) -> String {
        let digits = keepingScalars(of: s) { $0.properties.generalCategory == .decimalNumber }
        if digits.unicodeScalars.count == 11 && digits.hasPrefix("1") {
            return String(digits.unicodeScalars.dropFirst())
        }
        return digits
    }

    /// The words of a name without credentials or initials: "Ana M. O'Neil-Ruiz, MD" gives ana, oneil, ruiz.
    static func nameTokens(_ s: String) -> Set<String> {
        let folded = fold(s).replacingOccurrences(of: "-", with: " ").replacingOccurrences(of: "'", with: "")
        var tokens = Set<String>()
        var current = String.UnicodeScalarView()
        func flush() {
            let token = String(current)
            if current.count > 1 && !credentials.contains(token) { tokens.insert(token) }
            current = String.UnicodeScalarView()
        }
        for scalar in folded.unicodeScalars {
            if isLowerAlphanumeric(scalar) {
                current.append(scalar)
            } else {
                flush()
            }
        }
        flush()
        return tokens
    }

    /// Python's `str.strip()`: its whitespace is Unicode White_Space plus the four separators U+001C-U+001F.
    static func strip(_ s: String) -> String {
        let scalars = Array(s.unicodeScalars)
        guard let first = scalars.firstIndex(where: { !isPythonSpace($0) }),
            let last = scalars.lastIndex(where: { !isPythonSpace($0) })
        else { return "" }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[first...last])
        return String(view)
    }

    private static func isPythonSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || (0x1C...0x1F).contains(scalar.value)
    }

    private static func isLowerAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
    }

    private static func keepingScalars(of s: String, where keep: (Unicode.Scalar) -> Bool) -> String {
        var kept = String.UnicodeScalarView()
        for scalar in s.unicodeScalars where keep(scalar) { kept.append(scalar) }
        return String(kept)
    }
}
