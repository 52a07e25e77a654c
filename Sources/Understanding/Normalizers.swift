import Foundation
import FileroomModel

/// Turns OCR look-alikes into digits. Only for fields that must be numeric: a name keeps its letters.
public enum DigitRepair {
    static let lookalikes: [Character: Character] = [
        "O": "0", "o": "0", "Q": "0", "D": "0", "@": "0", "©": "0", "€": "0",
        "l": "1", "I": "1", "i": "1", "|": "1", "!": "1", "L": "1",
        "S": "5", "s": "5", "$": "5",
        "B": "8", "Z": "2", "z": "2", "G": "6", "b": "6", "g": "9", "q": "9", "T": "7",
    ]

    /// Each look-alike replaced by its digit; other characters unchanged.
    public static func repair(_ text: String) -> String {
        String(text.map { lookalikes[$0] ?? $0 })
    }

    /// A token that is mostly digits already, so repairing it is safe.
    static func isMostlyDigits(_ token: String) -> Bool {
        let digits = token.filter(\.isNumber).count
        return digits >= 2 && Double(digits) >= Double(token.count) * 0.6
    }
}

/// Phone and fax numbers: exactly 10 digits (a leading country code 1 dropped).
public enum PhoneNumber {
    public static func normalize(_ text: String) -> String? {
        var digits = DigitRepair.repair(text).filter(\.isASCII).filter(\.isNumber)
        if digits.count == 11, digits.first == "1" { digits.removeFirst() }
        guard digits.count == 10, let first = digits.first, first != "0", first != "1" else { return nil }
        return String(digits)
    }

    /// Every phone-shaped number in a line of text, in order, with the character offset it starts at.
    static func find(in text: String) -> [(digits: String, offset: Int)] {
        let chars = Array(text)
        var results: [(String, Int)] = []
        var i = 0
        let allowed: Set<Character> = ["(", ")", "-", ".", " ", "/"]
        while i < chars.count {
            let c = chars[i]
            let startsNumber = c.isNumber || (c == "(" && i + 1 < chars.count && chars[i + 1].isNumber)
                || (DigitRepair.lookalikes[c] != nil && i + 1 < chars.count && chars[i + 1].isNumber
                    && (i == 0 || !chars[i - 1].isLetter))
            guard startsNumber else {
                i += 1
                continue
            }
            var j = i
            var digits = 0
            var span = ""
            while j < chars.count {
                let d = chars[j]
                if d.isNumber || (DigitRepair.lookalikes[d] != nil && digits > 0 && digits < 10
                    && j + 1 < chars.count && (chars[j + 1].isNumber || allowed.contains(chars[j + 1])))
                {
                    digits += 1
                } else if allowed.contains(d) {
                    // A space may split groups, but two spaces or a letter after it ends the number.
                    if d == " ", j + 1 < chars.count, !(chars[j + 1].isNumber || chars[j + 1] == "(") { break }
                } else {
                    break
                }
                span.append(d)
                j += 1
                if digits >= 11 { break }
            }
            // Eleven digits are a number with its country code only when the 1 stands alone ("1-608-555-0142") or
            // all eleven run together: "16:16 5635550119" is a time's minutes before a fax number.
            let firstGroup = span.prefix { !allowed.contains($0) }.count
            let countryCodeShape = digits < 11 || firstGroup == 1 || firstGroup >= 11
            if countryCodeShape, let normalized = normalize(span), digits <= 11 {
                results.append((normalized, i))
                i = max(j, i + 1)
            } else {
                // Not a number from here: try again at the next digit group inside the span.
                var next = i + 1
                while next < chars.count, !(chars[next].isNumber || chars[next] == "(") || chars[next - 1].isNumber {
                    next += 1
                }
                i = next
            }
        }
        return results
    }
}

/// National Provider Identifier: 10 digits whose last is a Luhn check digit over "80840" + the first nine.
public enum NPI {
    public static func isValid(_ npi: String) -> Bool {
        let digits = npi.compactMap(\.wholeNumberValue)
        guard digits.count == 10, npi.count == 10 else { return false }
        let payload = [8, 0, 8, 4, 0] + digits.prefix(9)
        var sum = 0
        for (index, digit) in payload.reversed().enumerated() {
            if index % 2 == 0 {
                let doubled = digit * 2
                sum += doubled > 9 ? doubled - 9 : doubled
            } else {
                sum += digit
            }
        }
        return (10 - sum % 10) % 10 == digits[9]
    }

    /// The first valid NPI in the text, OCR look-alikes repaired.
    public static func find(in text: String) -> String? {
        for token in text.split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "$" && $0 != "|" }) {
            let repaired = DigitRepair.repair(String(token))
            if repaired.count == 10, repaired.allSatisfy(\.isNumber), isValid(repaired) { return repaired }
        }
        return nil
    }
}

/// Dates as faxes print them, to calendar dates.
public struct DateReader: Sendable {
    /// What a date is, which decides how a two-digit year is read.
    public enum Kind: Sendable {
        /// Never in the future.
        case birth
        /// Visits, exams, signatures: near today.
        case event
    }

    public var today: CalendarDate?

    public init(today: CalendarDate?) { self.today = today }

    static let months: [String: Int] = [
        "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4, "may": 5,
        "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
        "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
    ]

    static func month(_ word: String) -> Int? {
        let w = word.lowercased().filter(\.isLetter)
        if let m = months[w] { return m }
        guard w.count >= 3 else { return nil }
        // OCR damage to a month name: accept one edit on the full name.
        for (name, number) in months where name.count >= 5 && TextMatching.fuzzyEqual(w, name) { return number }
        return nil
    }

    /// A date from parts; a two-digit year is put in the century that makes it plausible for its kind.
    func resolve(year raw: Int, digits: Int, month: Int, day: Int, kind: Kind) -> CalendarDate? {
        guard digits <= 2 else { return make(raw, month, day, kind: kind) }
        let currentYear = today?.year ?? 2030
        let century = currentYear / 100 * 100
        switch kind {
        case .birth:
            // Never in the future: this century if that is already past, else the one before.
            return make(century + raw, month, day, kind: kind) ?? make(century - 100 + raw, month, day, kind: kind)
        case .event:
            let year = century + raw
            return make(year > currentYear + 1 ? year - 100 : year, month, day, kind: kind)
        }
    }

    func make(_ year: Int, _ month: Int, _ day: Int, kind: Kind) -> CalendarDate? {
        guard let date = CalendarDate(year: year, month: month, day: day) else { return nil }
        if kind == .birth {
            if let today, date > today { return nil }
            // Without today's date, a birth year from 2030 on is taken as the previous century's.
            if today == nil, date.year >= 2030 { return nil }
            if date.year < 1900 { return nil }
        }
        return date
    }

    /// Every date found in the text, in order.
    public func dates(in text: String, kind: Kind) -> [CalendarDate] {
        findAll(in: text, kind: kind).map(\.date)
    }

    public func firstDate(in text: String, kind: Kind) -> CalendarDate? {
        findAll(in: text, kind: kind).first?.date
    }

    /// "69" -> 9: a two-digit month whose first digit OCR made of a 0.
    static func leadingZeroRepaired(_ digits: String) -> Int? {
        guard digits.count == 2, let first = digits.first, "689".contains(first) else { return nil }
        return Int(digits.dropFirst())
    }

    /// Dates with the character offset where each starts, so callers can tell what label precedes it.
    func findAll(in text: String, kind: Kind) -> [(date: CalendarDate, offset: Int)] {
        // Tokens: runs of letters or digits (look-alikes inside digit runs repaired), and separators.
        struct Token {
            var text: String
            var isNumber: Bool
            var offset: Int
            var separatorAfter: String
        }
        var tokens: [Token] = []
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c.isNumber || (DigitRepair.lookalikes[c] != nil && !c.isLetter) {
                var j = i
                var s = ""
                while j < chars.count, chars[j].isNumber || (DigitRepair.lookalikes[chars[j]] != nil
                    && (j > i || chars[j].isNumber) && (j + 1 < chars.count && chars[j + 1].isNumber
                        || (j > i && chars[j - 1].isNumber && !(j + 1 < chars.count && chars[j + 1].isLetter))))
                {
                    s.append(DigitRepair.lookalikes[chars[j]] ?? chars[j])
                    j += 1
                }
                if s.isEmpty {
                    i += 1
                    continue
                }
                tokens.append(Token(text: s, isNumber: s.allSatisfy(\.isNumber), offset: i, separatorAfter: ""))
                i = j
            } else if c.isLetter {
                var j = i
                var s = ""
                while j < chars.count, chars[j].isLetter {
                    s.append(chars[j])
                    j += 1
                }
                // "March 4th, 1961": an ordinal suffix right after a day number is part of it.
                let isOrdinal = ["st", "nd", "rd", "th"].contains(s.lowercased()) && i > 0 && chars[i - 1].isNumber
                    && (tokens.last?.isNumber ?? false) && (tokens.last?.text.count ?? 3) <= 2
                if isOrdinal {
                    i = j
                    continue
                }
                tokens.append(Token(text: s, isNumber: false, offset: i, separatorAfter: ""))
                i = j
            } else {
                if !tokens.isEmpty { tokens[tokens.count - 1].separatorAfter.append(c) }
                i += 1
            }
        }
        var results: [(CalendarDate, Int)] = []
        var k = 0
        func sep(_ index: Int) -> String { tokens[index].separatorAfter.filter { $0 != " " } }
        while k < tokens.count {
            let t = tokens[k]
            var consumed = 0
            var found: CalendarDate?
            if t.isNumber, k + 2 < tokens.count, tokens[k + 1].isNumber, tokens[k + 2].isNumber {
                let a = t.text, b = tokens[k + 1].text, c = tokens[k + 2].text
                let s1 = sep(k), s2 = sep(k + 1)
                let separatorsAgree = !s1.isEmpty && s1 == s2 && ["/", "-", "."].contains(s1)
                if separatorsAgree, let x = Int(a), let y = Int(b), let z = Int(c) {
                    if a.count == 4, b.count <= 2, c.count <= 2 {
                        found = make(x, y, z, kind: kind)
                    } else if a.count <= 2, b.count <= 2, c.count == 4 || c.count == 2 {
                        found = resolve(year: z, digits: c.count, month: x, day: y, kind: kind)
                    }
                    if found == nil, a.count <= 2, b.count <= 2, c.count == 4 {
                        // "69-23-1977": OCR reads a leading 0 as 6, 8 or 9. A month out of range is read with its 0:
                        // a month's first digit is 0 or 1, so no other reading is valid. (A day's could be 1, 2 or 3.)
                        if x > 12, let month = Self.leadingZeroRepaired(a) {
                            found = resolve(year: z, digits: 4, month: month, day: y, kind: kind)
                        }
                    }
                    if found != nil { consumed = 3 }
                }
            }
            if found == nil, t.isNumber, t.text.count <= 2, k + 2 < tokens.count, let m = DateReader.month(tokens[k + 1].text),
                tokens[k + 2].isNumber, let d = Int(t.text), let y = Int(tokens[k + 2].text),
                tokens[k + 2].text.count == 4 || tokens[k + 2].text.count == 2
            {
                // 04-MAR-1961, 16 Nov 2026
                found = resolve(year: y, digits: tokens[k + 2].text.count, month: m, day: d, kind: kind)
                if found != nil { consumed = 3 }
            }
            if found == nil, !t.isNumber, let m = DateReader.month(t.text), t.text.count >= 3, k + 2 < tokens.count,
                tokens[k + 1].isNumber, tokens[k + 1].text.count <= 2, tokens[k + 2].isNumber,
                tokens[k + 2].text.count == 4, let d = Int(tokens[k + 1].text), let y = Int(tokens[k + 2].text)
            {
                // March 4, 1961; Nov 16 2026
                found = make(y, m, d, kind: kind)
                if found != nil { consumed = 3 }
            }
            if let found {
                results.append((found, t.offset))
                k += consumed
            } else {
                k += 1
            }
        }
        return results
    }
}

/// A person's name split into parts.
public struct PersonName: Sendable, Hashable, Codable {
    public var first: String
    public var middle: String?
    public var last: String

    public init(first: String, middle: String?, last: String) {
        self.first = first
        self.middle = middle
        self.last = last
    }

    static let credentials: Set<String> = [
        "md", "do", "phd", "np", "aprn", "apnp", "pa", "pac", "pa-c", "rn", "mph", "facs", "ms", "mba", "rnfa", "crna",
        "fcap", "dds", "mbbs", "facp", "frcpc", "dnp", "arnp", "cnp", "fnp", "fnp-c", "fnpc", "np-c", "anp", "agpcnp",
        "bsn", "msn", "lpn", "cma", "rt", "rtr", "facr", "faap", "facog", "dmd", "od", "pharmd", "ma", "bs", "lcsw",
        "jr", "sr", "ii", "iii", "iv", "esq", "mdphd",
    ]
    static let honorifics: Set<String> = ["dr", "mr", "mrs", "ms", "miss", "mx", "prof", "doctor"]
    /// A signer's role printed after the name ("Paul Osei, MD  Radiologist"): dropped like a credential, so the
    /// role never becomes a first name.
    static let roles: Set<String> = [
        "radiologist", "pathologist", "cytopathologist", "surgeon", "oncologist", "physician", "attending",
        "interpreting", "staff", "consultant",
    ]

    /// Words that never belong to a person's name: a value that holds one is not a name.
    static let nonNameWords: Set<String> = FieldExtractor.organisationWords.union(nonNameOnly)
    static let nonNameOnly: Set<String> = [
        "health", "hospital", "clinic", "medical", "center", "centre", "system", "systems", "group", "institute",
        "department", "records", "record", "request", "patients", "patient", "multiple", "program", "services",
        "laboratory", "pathology", "radiology", "imaging", "oncology", "office", "inc", "llc", "university",
        "physicians", "associates", "partners", "care", "of", "the", "and", "for", "information", "release",
        "management", "date", "birth", "dob", "sex", "age", "mrn", "accession", "page", "unknown", "none",
        "pending", "see", "attached", "referral", "referrals", "new", "second", "opinion",
        // Roles and desks on cover sheets and letters: an addressee or a contact, never a patient or a signer.
        "coordinator", "intake", "scheduling", "scheduler", "admissions", "desk", "team", "staff", "clerk",
        "specialist", "manager", "navigator", "nurse", "registration", "correspondence", "him", "dept", "division",
        "unit", "section", "attn", "attention", "to", "from", "sender", "recipient", "contact", "cc", "fax",
        "phone", "transcription", "transcriptionist", "billing", "insurance", "authorization", "requests",
    ]

    /// Cleans one word of a name: strips stray punctuation, keeps hyphens and apostrophes inside.
    static func cleanWord(_ word: Substring) -> String {
        var w = String(word)
        while let f = w.first, !(f.isLetter) { w.removeFirst() }
        while let l = w.last, !(l.isLetter || l == ".") { w.removeLast() }
        if w.hasSuffix(".") { w.removeLast() }
        return w
    }

    static func isInitial(_ word: String) -> Bool { word.count == 1 && word.first?.isLetter == true }

    /// Parses "LAST, FIRST M", "First M Last", "Last, First Middle, MD", "Dr. First Last" and the like.
    /// Nil when the text does not look like a person's name.
    public static func parse(_ raw: String) -> PersonName? {
        // Split on commas (and semicolons OCR makes of them), drop credentials and honorifics.
        var text = raw
        for junk in ["(", ")", "\"", "*", "_", "|", "~", "=", "[", "]", "{", "}"] {
            text = text.replacingOccurrences(of: junk, with: " ")
        }
        // "Saunders: Kimberly" and "Joseph. Dylan": a comma OCR read as a colon or a period after a full word.
        if let firstWord = text.split(separator: " ").first, firstWord.count > 3,
            firstWord.hasSuffix(".") || firstWord.hasSuffix(":"),
            !honorifics.contains(firstWord.dropLast().lowercased()), !text.contains(",")
        {
            text = String(firstWord.dropLast()) + "," + text.dropFirst(firstWord.count)
        }
        let rawParts = text.split(whereSeparator: { $0 == "," || $0 == ";" })
        var parts: [[String]] = []
        for part in rawParts {
            var words = part.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(cleanWord).filter { !$0.isEmpty }
            words.removeAll {
                let word = $0.lowercased().replacingOccurrences(of: ".", with: "")
                return credentials.contains(word) || roles.contains(word)
            }
            while let f = words.first, honorifics.contains(f.lowercased()) { words.removeFirst() }
            if !words.isEmpty { parts.append(words) }
        }
        guard !parts.isEmpty else { return nil }
        let all = parts.flatMap { $0 }
        guard all.count >= 2, all.count <= 5 else { return nil }
        for w in all {
            if nonNameWords.contains(w.lowercased()) { return nil }
            if w.contains(where: { $0.isNumber }) { return nil }
        }
        let name: PersonName
        if parts.count >= 2 {
            let before = parts[0], after = parts[1]
            if before.count >= 2, let lastWord = before.last, isInitial(lastWord), after.count <= 2 {
                // "Jason N, Malone": first and initial, then the surname (a period OCR'd as a comma).
                name = PersonName(first: before[0], middle: lastWord, last: after.joined(separator: " "))
            } else {
                // "Garcia Lopez, Maria C": surname first, as printed.
                let middle = after.count > 1 ? after.dropFirst().joined(separator: " ") : nil
                name = PersonName(first: after[0], middle: middle, last: before.joined(separator: " "))
            }
        } else {
            let words = parts[0]
            if let initialIndex = words.indices.dropFirst().first(where: { isInitial(words[$0]) }),
                initialIndex < words.count - 1
            {
                // "Maria C. Garcia Lopez": the middle initial separates first name and surname.
                name = PersonName(
                    first: words[..<initialIndex].joined(separator: " "), middle: words[initialIndex],
                    last: words[(initialIndex + 1)...].joined(separator: " "))
            } else if words.count == 2 {
                name = PersonName(first: words[0], middle: nil, last: words[1])
            } else if words.count == 3, isInitial(words[2]), !isInitial(words[1]) {
                // "WHITCOMBE JANE A": lab and EHR systems print LAST FIRST MI without the comma; a first name
                // followed by its own middle initial and nothing after it does not occur the other way round.
                name = PersonName(first: words[1], middle: words[2], last: words[0])
            } else if words.count == 3 {
                // "Maria Garcia Lopez" vs "Mary Ann Smith": middle names print as initials far more often than
                // in full, so three plain words are a first name and a two-part surname, kept whole.
                name = PersonName(first: words[0], middle: nil, last: words[1] + " " + words[2])
            } else {
                name = PersonName(first: words[0], middle: words[1..<(words.count - 1)].joined(separator: " "),
                                  last: words[words.count - 1])
            }
        }
        guard name.first.count >= 2 || name.first.count == 1 && name.last.count >= 2, name.last.count >= 2 else {
            return nil
        }
        return PersonName(
            first: TextMatching.displayCase(name.first), middle: name.middle.map(TextMatching.displayCase),
            last: TextMatching.displayCase(name.last))
    }

    /// "First Last", as the export wants a provider.
    public var firstLast: String { "\(first) \(last)" }
}
