import Foundation
import FileroomModel

/// The patient a page names, for splitting and for fields.
struct PagePatient: Sendable {
    var name: Extracted<PersonName>?
    var dateOfBirth: Extracted<CalendarDate>?
    var mrn: Extracted<String>?
    var mrnIsOurs: Bool = false
    var sex: Extracted<String>?
    /// Open cases whose name and date of birth the page prints.
    var sightedCases: Set<CaseID> = []
    /// Two open patients on the page, or labels naming another person than the case found: never auto-filed.
    var conflict = false
}

/// Reads normalised fields off a document's pages.
struct FieldExtractor: Sendable {
    var dates: DateReader
    /// Folded distinctive words of the receiving center's name ("lakeshore"), to tell our MRN and our form.
    var centerWords: [String]
    var centerFax: String?

    init(today: CalendarDate?, centerName: String?, centerFax: String?) {
        dates = DateReader(today: today)
        let generic: Set<String> = [
            "cancer", "institute", "center", "centre", "health", "hospital", "medical", "clinic", "the", "of", "and",
            "system", "university", "program", "second", "opinion", "group",
        ]
        centerWords = centerName.map { TextMatching.tokens($0).filter { !generic.contains($0) && $0.count >= 3 } } ?? []
        self.centerFax = centerFax.flatMap(PhoneNumber.normalize)
    }

    // MARK: labels

    static func variants(_ list: [(String, Double)]) -> [LabelVariant] { list.map { LabelVariant($0.0, $0.1) } }

    static let patientNameLabels = FieldVocabulary.variants(.patientName)
    static let birthLabels = FieldVocabulary.variants(.dateOfBirth)
    /// Record numbers first; an account number stands in where none is printed (its labels are less certain).
    static let mrnLabels = FieldVocabulary.variants(.recordNumber, .account)
    static let sexLabels = FieldVocabulary.variants(.sex)
    static let lastNameLabels = FieldVocabulary.variants(.lastName)
    static let firstNameLabels = FieldVocabulary.variants(.firstName)

    static func serviceDateLabels(_ type: DocumentType) -> [LabelVariant] {
        FieldVocabulary.variants(.serviceDate, type: type)
    }

    /// A cover's provider is its sender.
    static func providerLabels(_ type: DocumentType) -> [LabelVariant] {
        type == .coverSheet ? FieldVocabulary.variants(.sender) : FieldVocabulary.variants(.provider, type: type)
    }

    /// Phrases a signature line starts with, per type (the value runs to " on <date>").
    static func signaturePhrases(_ type: DocumentType) -> [[String]] {
        let phrases: [String]
        switch type {
        case .pathologyReport:
            phrases = [
                "electronically signed out by", "signed out by", "electronically signed by", "signed by",
                "electronically verified by", "verified by", "dictated by", "signed",
            ]
        case .radiologyReport:
            phrases = [
                "electronically signed by", "interpreted by", "signed by", "read by", "dictated by",
                "electronically verified by", "approved by", "signed",
            ]
        case .clinicNote, .operativeNote:
            phrases = [
                "electronically signed by", "signed by", "authenticated by", "dictated by", "electronically verified by",
                "signed",
            ]
        default:
            phrases = []
        }
        return phrases.map { TextMatching.tokens($0) }
    }

    // MARK: patient

    func patient(on layout: PageLayout, type: DocumentType?) -> PagePatient {
        var result = PagePatient()
        if type == .coverSheet {
            result = coverPatient(on: layout)
        }
        // On a cover sheet the patient comes from a patient or Re line only: its other names are addressees.
        if result.name == nil, type != .coverSheet {
            for hit in LabelReader.find(Self.patientNameLabels, in: layout) {
                guard let name = PersonName.parse(hit.text) ?? PersonName.parse(Self.leadingName(hit.text)) else { continue }
                if result.name == nil || hit.confidence > (result.name?.confidence ?? 0) + 0.15 {
                    result.name = Extracted(name, confidence: hit.confidence, page: layout.number)
                }
                if hit.certainty >= 0.85 { break }
            }
        }
        if type != .coverSheet, result.name == nil || result.name.map({ $0.confidence < 0.5 }) == true {
            // Forms with separate boxes: "Last Name: Doe | First Name: Jane | MI: Q".
            let last = LabelReader.find(Self.lastNameLabels, in: layout).first
            let first = LabelReader.find(Self.firstNameLabels, in: layout).first
            if let last, let first {
                let lastText = Self.nameWords(last.text), firstText = Self.nameWords(first.text)
                if !lastText.isEmpty, !firstText.isEmpty,
                    let name = PersonName.parse("\(lastText), \(firstText)")
                {
                    result.name = Extracted(name, confidence: min(last.confidence, first.confidence), page: layout.number)
                }
            }
        }
        if result.name == nil, type != .coverSheet {
            // A letter names its patient on the "RE:" line, as a cover sheet does.
            let regarding = coverPatient(on: layout)
            result.name = regarding.name.map { Extracted($0.value, confidence: $0.confidence * 0.9, page: $0.page) }
            if result.dateOfBirth == nil { result.dateOfBirth = regarding.dateOfBirth }
        }
        if result.dateOfBirth == nil {
            for hit in LabelReader.find(Self.birthLabels, in: layout) {
                // "DOB/Age/Sex:01-04-1973": a text layer may glue the value to its label.
                let glued = hit.labelText.split(separator: ":").last.map(String.init) ?? ""
                if let date = dates.firstDate(in: despaceDigits(hit.text), kind: .birth)
                    ?? dates.firstDate(in: despaceDigits(glued), kind: .birth)
                {
                    result.dateOfBirth = Extracted(date, confidence: hit.confidence, page: layout.number)
                    break
                }
            }
        }
        if result.dateOfBirth == nil, let dated = dateWithAge(on: layout) {
            result.dateOfBirth = dated
        }
        if result.name == nil, let name = unlabelledName(on: layout, cover: type == .coverSheet) {
            result.name = name
        }
        for hit in LabelReader.find(Self.mrnLabels, in: layout) {
            guard let mrn = Self.readMRN(hit.text) else { continue }
            result.mrn = Extracted(mrn, confidence: hit.confidence, page: layout.number)
            let labelTokens = TextMatching.tokens(hit.labelText)
            result.mrnIsOurs = centerWords.contains { word in labelTokens.contains { TextMatching.fuzzyEqual($0, word) } }
            break
        }
        for hit in LabelReader.find(Self.sexLabels, in: layout) {
            if let sex = Self.readSex(hit.text) {
                result.sex = Extracted(sex, confidence: hit.confidence, page: layout.number)
                break
            }
        }
        return result
    }

    /// A date printed with the age it gives today ("09/16/1947 | 79Y", "03/04/1961 (65 y)"): a birth date without
    /// a label, as stickers and EHR banners print it.
    func dateWithAge(on layout: PageLayout) -> Extracted<CalendarDate>? {
        guard let today = dates.today else { return nil }
        for r in layout.bodyRowIndices {
            let row = layout.rows[r]
            let text = despaceDigits(row.text)
            for found in dates.findAll(in: text, kind: .birth) {
                let after = text.dropFirst(found.offset).drop { $0 != " " && $0 != "|" }.prefix(24)
                guard let age = Self.printedAge(String(after)) else { continue }
                var years = today.year - found.date.year
                if (today.month, today.day) < (found.date.month, found.date.day) { years -= 1 }
                if abs(years - age) <= 1 {
                    return Extracted(found.date, confidence: row.confidence * 0.85, page: layout.number)
                }
            }
        }
        return nil
    }

    /// "79Y", "(65 y)", "65 y.o.", "65 years", "Age: 57" right after a date.
    static func printedAge(_ text: String) -> Int? {
        let tokens = TextMatching.tokens(text)
        for (i, token) in tokens.prefix(5).enumerated() {
            let digits = token.prefix { $0.isNumber }
            guard !digits.isEmpty, digits.count <= 3, let age = Int(digits) else { continue }
            let unit = token.dropFirst(digits.count)
            let next = i + 1 < tokens.count ? tokens[i + 1] : ""
            let before = i > 0 ? tokens[i - 1] : ""
            if ["y", "yo", "yr", "yrs", "years", "year"].contains(String(unit))
                || unit.isEmpty && (["y", "yo", "yr", "yrs", "years", "year"].contains(next) || before == "age")
            {
                return age
            }
            return nil
        }
        return nil
    }

    /// A patient name printed without a label: "BLACKWOOD, WILLIAM K" on a sticker or banner, the name line of an
    /// EHR print, a running footer. Surname first with a comma, no credential, not in a labelled value, and on a
    /// cover sheet only beside a date of birth. Weaker than a labelled name.
    func unlabelledName(on layout: PageLayout, cover: Bool) -> Extracted<PersonName>? {
        let topLimit = Double(layout.height) * 0.35
        let ageRow = dateWithAge(on: layout).flatMap { _ in
            layout.bodyRowIndices.first { r in
                let text = despaceDigits(layout.rows[r].text)
                return dates.findAll(in: text, kind: .birth).contains { found in
                    Self.printedAge(String(text.dropFirst(found.offset).drop { $0 != " " && $0 != "|" }.prefix(24))) != nil
                }
            }
        }
        for r in layout.bodyRowIndices {
            let row = layout.rows[r]
            for start in row.segmentStarts {
                // A value after a label is the label's business.
                if start > 0, row.words[start - 1].text.hasSuffix(":") { continue }
                var words: [LayoutWord] = []
                var endsInLabel = false
                var beforeDOB = false
                for w in row.words[row.segmentRange(containing: start)] {
                    // "Prostate, needle biopsies: ...": words before a label are a heading, not a name.
                    if w.text.contains(":") && w.text.contains(where: \.isLetter) { endsInLabel = true }
                    if w.text.contains(where: \.isNumber) || w.text.contains(":") { break }
                    // "Abernathy, Joseph M | MRN: ...": a separator ends the name as a column gap would.
                    if !w.text.contains(where: { $0.isLetter || $0.isNumber }), w.text != "," { break }
                    if ["dob", "mrn", "mr", "sex", "age", "born", "birth", "dos", "acct", "id"].contains(w.folded) {
                        beforeDOB = ["dob", "born", "birth"].contains(w.folded)
                        break
                    }
                    words.append(w)
                }
                let hasComma = words.prefix(3).contains { $0.text.hasSuffix(",") || $0.text.dropLast().contains(",") }
                // An EHR banner: the name alone on its row ("Joseph M Abernathy"), the row below starting with the
                // birth date's label; it must read as a person (a middle initial or a known given name).
                let bannerAboveDOB = start == 0 && words.count == row.words.count && words.count <= 4
                    && layout.rows.indices.contains(r + 1) && Self.startsWithBirthLabel(layout.rows[r + 1])
                    && Self.looksLikePerson(words.map(\.text).joined(separator: " "))
                // Without a comma only capitals right before a DOB ("YOLANDA ACHTERBERG DOB 04/13/1946") are a name.
                let capitalsBeforeDOB = beforeDOB && words.count <= 3
                    && words.allSatisfy { $0.text == $0.text.uppercased() }
                // Names print capitalised; a lowercase word is prose.
                guard !endsInLabel, words.count >= 2, words.count <= 5,
                    words.allSatisfy({ $0.text.first(where: \.isLetter)?.isUppercase == true }),
                    // A full stop after a word longer than an abbreviation ("Hypertension. Hypothyroidism.") ends
                    // a sentence: prose, not a name ("J.", "Jr.", "St." stay).
                    !words.contains(where: { $0.text.hasSuffix(".") && $0.text.filter(\.isLetter).count >= 4 }),
                    hasComma || capitalsBeforeDOB || bannerAboveDOB,
                    !words.contains(where: { PersonName.credentials.contains($0.folded) || PersonName.honorifics.contains($0.folded) })
                else { continue }
                // What follows the name on its row: a DOB, an MRN or nothing (a footer), not prose.
                let rest = row.words.dropFirst(row.words.firstIndex { $0.box.x == words.last?.box.x }.map { $0 + 1 } ?? row.words.count)
                let nearDOB = (max(0, r - 1)...min(layout.rows.count - 1, r + 1)).contains { n in
                    let t = layout.rows[n].foldedTokens
                    return t.contains("dob") || t.contains("birth") || t.contains("born") || t.contains("birthdate")
                        || (ageRow.map { abs($0 - n) == 0 } ?? false)
                }
                if cover && !nearDOB { continue }
                let onTop = Double(row.top) < topLimit
                let isFooter = Double(row.top) > Double(layout.height) * 0.85
                    && rest.contains { $0.text.contains(where: \.isNumber) }
                guard nearDOB || onTop || isFooter else { continue }
                let text = words.map(\.text).joined(separator: " ")
                guard let name = PersonName.parse(text) else { continue }
                return Extracted(name, confidence: LabelReader.mean(words) * (nearDOB ? 0.75 : 0.65), page: layout.number)
            }
        }
        return nil
    }

    /// Whether a row starts with a date of birth's label ("DOB:", "Date of Birth:").
    static func startsWithBirthLabel(_ row: LayoutRow) -> Bool {
        let tokens = Array(row.foldedTokens.prefix(3))
        return birthLabels.contains { label in
            label.certainty >= 0.85 && tokens.count >= label.tokens.count && Array(tokens.prefix(label.tokens.count)) == label.tokens
        }
    }

    /// The words of a value before anything that cannot be part of a name: "Doe, Jane DOB 01/01/1950" -> "Doe, Jane".
    static func leadingName(_ text: String) -> String {
        var words: [Substring] = []
        let stops: Set<String> = ["dob", "d o b", "mrn", "mr", "sex", "age", "dos", "acct", "born", "birth", "date", "id"]
        for word in text.replacingOccurrences(of: "_", with: " ").split(separator: " ") {
            if word.contains(where: \.isNumber) || word.hasSuffix(":") || word.hasPrefix("(") { break }
            if stops.contains(TextMatching.fold(String(word))) { break }
            words.append(word)
        }
        return words.joined(separator: " ")
    }

    /// The leading words of a value that can be part of a name.
    static func nameWords(_ text: String) -> String {
        var words: [Substring] = []
        for word in text.split(separator: " ") {
            guard word.contains(where: \.isLetter), !word.contains(where: \.isNumber), !word.hasSuffix(":") else { break }
            words.append(word)
        }
        return words.joined(separator: " ")
    }

    /// "1 952-01 -18" -> "1952-01-18": OCR spaces inside a date.
    func despaceDigits(_ text: String) -> String {
        let chars = Array(text)
        var out = ""
        for (i, c) in chars.enumerated() {
            if c == " ", i > 0, i + 1 < chars.count {
                let p = chars[i - 1], n = chars[i + 1]
                let joinable: (Character) -> Bool = { $0.isNumber || $0 == "-" || $0 == "/" }
                if joinable(p), joinable(n), p == "-" || p == "/" || n == "-" || n == "/" || (p.isNumber && n.isNumber) {
                    // Keep a space between two numbers only when both sides are long groups (a date and a time).
                    if p.isNumber && n.isNumber {
                        let before = chars[..<i].reversed().prefix { $0.isNumber }.count
                        if before > 1 { out.append(c) }
                    }
                    continue
                }
            }
            out.append(c)
        }
        return out
    }

    static func readMRN(_ text: String) -> String? {
        for raw in text.split(separator: " ") {
            var token = String(raw)
            // Inside a run of digits, brackets and slashes are how OCR reads a "1".
            if DigitRepair.isMostlyDigits(token) {
                let chars = Array(token)
                token = String(chars.enumerated().map { i, c in
                    let digitNeighbour = (i > 0 && chars[i - 1].isNumber) || (i + 1 < chars.count && chars[i + 1].isNumber)
                    return digitNeighbour && "[]/|!".contains(c) ? "1" : c
                })
            }
            // A currency sign in front of the digits is how OCR reads a letter prefix "E".
            if let f = token.first, f == "£" || f == "€", token.dropFirst().first?.isNumber == true {
                token = "E" + token.dropFirst()
            }
            while let l = token.last, !(l.isLetter || l.isNumber) { token.removeLast() }
            while let f = token.first, !(f.isLetter || f.isNumber) { token.removeFirst() }
            guard token.count >= 4 else { continue }
            // Letters at the front are a prefix as printed; after it, look-alikes are digits.
            var prefix = token.prefix { $0.isLetter }
            // "ES953548": a look-alike at the end of a two-letter prefix is the first digit, when digits follow it
            // directly; "RB-88231" has a separator after its prefix, so the prefix is as printed.
            if prefix.count >= 2, let last = prefix.last, "SOIlBQ".contains(last),
                token.dropFirst(prefix.count).first?.isNumber == true
            {
                prefix = prefix.dropLast()
            }
            let rest = token.dropFirst(prefix.count)
            guard prefix.count <= 3, !rest.isEmpty else { continue }
            let repaired = DigitRepair.repair(String(rest))
            guard repaired.filter(\.isNumber).count >= 4,
                repaired.allSatisfy({ $0.isNumber || $0 == "-" })
            else { continue }
            return String(prefix) + repaired
        }
        return nil
    }

    static func readSex(_ text: String) -> String? {
        for token in TextMatching.tokens(text.replacingOccurrences(of: "/", with: " ")) {
            switch token {
            case "m", "male": return "M"
            case "f", "female": return "F"
            case "x", "nonbinary", "other": return "X"
            default: continue
            }
        }
        return nil
    }

    /// A cover sheet names its patient on the "Re:" line: "Records for LAST, FIRST (DOB)".
    func coverPatient(on layout: PageLayout) -> PagePatient {
        var result = PagePatient()
        let labels = FieldVocabulary.variants(.regarding) + Self.variants([("patient", 1), ("patient name", 1)])
        for hit in LabelReader.find(labels, in: layout, allowBelow: false) {
            let value = despaceDigits(hit.text)
            if result.dateOfBirth == nil, let date = dates.firstDate(in: value, kind: .birth) {
                result.dateOfBirth = Extracted(date, confidence: hit.confidence, page: layout.number)
            }
            if result.name == nil, let name = Self.nameInRegardingLine(value) {
                result.name = Extracted(name, confidence: hit.confidence * 0.95, page: layout.number)
            }
        }
        return result
    }

    static func nameInRegardingLine(_ value: String) -> PersonName? {
        // Cut at the DOB or the first digit or bracket.
        var text = ""
        let words = value.replacingOccurrences(of: "_", with: " ").split(separator: " ")
        for word in words {
            let folded = TextMatching.fold(String(word))
            if ["dob", "d o b", "born", "birth", "mrn", "date"].contains(folded) { break }
            if word.contains(where: { $0.isNumber || $0 == "(" || $0 == "#" }) { break }
            text += (text.isEmpty ? "" : " ") + word
        }
        // Drop leading filler ("Records for", "Pt:", "Patient -").
        let filler: Set<String> = ["records", "record", "for", "pt", "patient", "re", "of", "medical", "regarding", "on", "referral"]
        var parts = text.split(separator: " ").map(String.init)
        while let first = parts.first, filler.contains(TextMatching.fold(first)) || TextMatching.fold(first).isEmpty {
            parts.removeFirst()
        }
        while let last = parts.last, TextMatching.fold(last).isEmpty { parts.removeLast() }
        guard parts.count >= 2 else { return nil }
        let joined = parts.joined(separator: " ")
        if let name = PersonName.parse(joined) { return name }
        // "Second opinion referral - Jane Doe": the name is one of the dash-separated parts.
        let pieces = joined.split(whereSeparator: { $0 == "-" || $0 == "–" || $0 == "—" || $0 == ":" })
        guard pieces.count > 1 else { return nil }
        for piece in pieces.reversed() {
            if let name = PersonName.parse(String(piece)) { return name }
        }
        return nil
    }

    // MARK: provider, facility, contact

    func providerName(type: DocumentType, layouts: [PageLayout]) -> Extracted<String>? {
        var best: Extracted<String>?
        func consider(_ text: String, confidence: Double, page: Int) {
            guard let name = PersonName.parse(text) else { return }
            if best == nil || confidence > (best?.confidence ?? 0) + 0.05 {
                best = Extracted(name.firstLast, confidence: confidence, page: page)
            }
        }
        let phrases = Self.signaturePhrases(type)
        for layout in layouts {
            // Signature lines: "Electronically signed by: Jane Q Doe, MD on 10/19/2026 08:54".
            for r in layout.bodyRowIndices where !phrases.isEmpty {
                let row = layout.rows[r]
                let (tokens, wordIndex) = LabelReader.tokenMap(row)
                for (rank, phrase) in phrases.enumerated() {
                    guard let start = TextMatching.occurrences(of: phrase, in: tokens).first else { continue }
                    let lastWord = wordIndex[start + phrase.count - 1]
                    var words: [LayoutWord] = []
                    for w in row.words[(lastWord + 1)...] {
                        let f = w.folded
                        if f == "on" || f == "at" || dates.firstDate(in: w.text, kind: .event) != nil
                            || w.text.first?.isNumber == true
                        {
                            break
                        }
                        words.append(w)
                    }
                    let cleaned = LabelReader.cleanValueWords(words[...])
                    let certainty = 1.0 - Double(rank) * 0.08
                    consider(
                        cleaned.map(\.text).joined(separator: " "), confidence: LabelReader.mean(cleaned) * certainty,
                        page: layout.number)
                    break
                }
            }
            for hit in LabelReader.find(Self.providerLabels(type), in: layout) {
                var text = hit.text
                if type == .coverSheet {
                    // "Jane Doe / Health Information Management", "Jane Doe, HIM Department".
                    if let cut = text.firstIndex(where: { $0 == "/" || $0 == "," || $0 == "|" || $0 == "(" }) {
                        text = String(text[..<cut])
                    }
                }
                consider(text, confidence: hit.confidence * 0.97, page: layout.number)
                if type == .coverSheet, PersonName.parse(text) == nil {
                    // "Jane Doe Rock River Medical Center": the name is the first two or three words.
                    let words = text.split(separator: " ")
                    for count in [2, 3] where words.count > count {
                        consider(words.prefix(count).joined(separator: " "), confidence: hit.confidence * 0.8, page: layout.number)
                        if best != nil { break }
                    }
                }
            }
            // A name on the line above a role line ("Jane Doe, MD" / "Pathologist").
            if type == .pathologyReport || type == .radiologyReport {
                let roles = type == .pathologyReport ? ["pathologist"] : ["radiologist"]
                for r in layout.bodyRowIndices.dropFirst() {
                    let tokens = layout.rows[r].foldedTokens
                    guard tokens.count <= 8, tokens.contains(where: { t in roles.contains { TextMatching.fuzzyEqual(t, $0) } }),
                        r > 0, !layout.rows[r].text.contains(":")
                    else { continue }
                    // "Jane Doe, MD, Pathologist" on one line.
                    let row = layout.rows[r]
                    if let roleIndex = row.words.firstIndex(where: { w in roles.contains { TextMatching.fuzzyEqual(w.folded, $0) } }),
                        roleIndex >= 2
                    {
                        let before = row.words[..<roleIndex].filter { !["attending", "staff", "consulting"].contains($0.folded) }
                        consider(before.map(\.text).joined(separator: " "), confidence: LabelReader.mean(before) * 0.75, page: layout.number)
                    }
                    guard tokens.count <= 3 else { continue }
                    let above = layout.rows[r - 1]
                    var words: [LayoutWord] = []
                    for w in above.words {
                        if w.folded == "on" || w.text.first?.isNumber == true { break }
                        words.append(w)
                    }
                    let text = words.map(\.text).joined(separator: " ")
                    if !text.contains(":") { consider(text, confidence: LabelReader.mean(words) * 0.8, page: layout.number) }
                }
            }
            if best != nil { break }
        }
        if best == nil, [.clinicNote, .operativeNote, .radiologyReport, .pathologyReport].contains(type) {
            best = signatureBlockName(layouts)
        }
        return best
    }

    /// The signer at the end of a note: a short line that is a name with a credential ("Marcus Lindholm, MD").
    func signatureBlockName(_ layouts: [PageLayout]) -> Extracted<String>? {
        let credentials: Set<String> = ["MD", "DO", "NP", "PA", "PA-C", "APNP", "DNP", "ARNP", "FNP", "CNP", "MBBS", "FACS"]
        for layout in layouts.reversed() {
            for r in layout.bodyRowIndices.reversed().prefix(15) {
                let row = layout.rows[r]
                guard row.words.count <= 7, !row.words.contains(where: { $0.text.contains(":") }) else { continue }
                let hasCredential = row.words.contains { word in
                    credentials.contains(word.text.filter { $0.isLetter || $0 == "-" })
                }
                guard hasCredential, let name = PersonName.parse(row.text) else { continue }
                return Extracted(name.firstLast, confidence: row.confidence * 0.6, page: layout.number)
            }
        }
        return nil
    }

    static let organisationWords: Set<String> = [
        "health", "hospital", "hospitals", "clinic", "clinics", "medical", "center", "centre", "system", "systems",
        "group", "institute", "physicians", "associates", "oncology", "university", "laboratories", "partners",
        "practice", "foundation", "memorial", "regional", "network", "llc", "inc", "specialists", "healthcare",
        "medicine", "imaging", "radiology", "pathology", "cancer", "care", "surgical", "surgery", "diagnostics",
        "hematology", "providers", "pc", "pllc", "ltd", "community", "general", "family", "infirmary", "sanatorium",
        "hospice", "healthsystem", "labs", "lab", "specialty", "health's", "affiliates", "consultants", "corporation",
    ]
    /// Last words of the labels that start a document's fields.
    static let fieldLabelWords: Set<String> = [
        "patient", "name", "pt", "dob", "birth", "birthdate", "mrn", "mr#", "record", "#", "sex", "age", "date", "to",
        "from", "re", "attn", "subject", "exam", "study", "provider", "physician", "accession", "collected", "visit",
        "dos", "gender", "account", "acct#", "id", "procedure", "surgeon",
    ]
    static let disciplineWords: Set<String> = [
        "pathology", "radiology", "imaging", "laboratory", "laboratories", "oncology", "surgery", "surgical", "medicine",
        "hematology", "care", "services", "diagnostics", "lab", "labs", "anatomic", "clinical", "cancer", "specialty",
    ]
    /// A word that names an institution ("hospital", "clinic", "consultants"), not a discipline or a unit in one.
    static func isInstitutionWord(_ folded: String) -> Bool {
        organisationWords.contains(folded) && !disciplineWords.contains(folded) && !placeKindWords.contains(folded)
    }
    /// Organisation words that also name a unit inside one ("Breast Care Center", "Infusion Center").
    static let placeKindWords: Set<String> = ["center", "centre", "unit", "program", "specialists", "providers"]
    static let departmentWords: Set<String> = ["department", "dept", "division", "services", "service", "unit", "section"]
    static let contactWords: Set<String> = ["phone", "ph", "tel", "telephone", "p", "f", "fax", "t", "fx", "www", "email", "e"]

    func isOurs(_ text: String) -> Bool {
        guard !centerWords.isEmpty else { return false }
        let tokens = TextMatching.tokens(text)
        return centerWords.allSatisfy { word in tokens.contains { TextMatching.fuzzyEqual($0, word) } }
    }

    /// The issuing organisation from the letterhead: the first organisation-like line at the top.
    func letterhead(_ layout: PageLayout) -> Extracted<String>? {
        var fallback: Extracted<String>?
        // A line naming a kind of place ("Breast Care Center", "Imaging Center") may be a department under the
        // organisation ("Prairie Women's Health"): it is taken only when no line near the top names an institution.
        var departmentLike: Extracted<String>?
        for r in layout.topRows(fraction: 0.28).prefix(8) {
            let row = layout.rows[r]
            let segment = row.words[row.segmentRange(containing: 0)]
            // The letterhead ends where labelled fields begin ("Patient:", "Date:"); a label in another column of
            // the letterhead's row ("RUN DATE:", "Printed on") does not end it.
            let labelled = segment.contains { word in
                word.text.hasSuffix(":") && Self.fieldLabelWords.contains(word.folded)
            }
            if labelled { break }
            var words: [LayoutWord] = []
            for w in segment {
                let f = w.folded
                if Self.contactWords.contains(f) || w.text.contains(where: { $0.isNumber }) || w.text.contains("@") {
                    break
                }
                if w.text.hasSuffix(":") { words = []; break }
                words.append(w)
            }
            // "St. Agnes Medical Center - Department of Pathology": the organisation is the part before the dash.
            // "St. Monica's Hospital - Galena" keeps its location: only a department, a discipline or a report title
            // after the dash is cut.
            if let dash = words.firstIndex(where: { ["-", "–", "—", "|", "/"].contains($0.text) }), dash >= 2 {
                let after = words[(dash + 1)...].flatMap { $0.folded.split(separator: " ").map(String.init) }
                let isLocation = words[dash].text != "|" && words[dash].text != "/" && !after.isEmpty && after.count <= 3
                    && !after.contains { Self.departmentWords.contains($0) || Self.disciplineWords.contains($0)
                        || Self.organisationWords.contains($0) || $0 == "of" || $0 == "report" }
                if !isLocation { words = Array(words[..<dash]) }
            }
            let kept = LabelReader.cleanValueWords(words[...])
            // A dash kept before a location suffix stays in the name as printed.
            let cleaned = kept.filter { $0.text.contains(where: \.isLetter) }
            let shown = kept.filter { $0.text.contains(where: \.isLetter) || ["-", "–", "—"].contains($0.text) }
            guard cleaned.count >= 2 else { continue }
            // A field label without its colon ("Name ....... DOE JANE") is not a letterhead.
            if let first = cleaned.first, Self.fieldLabelWords.contains(first.folded) { continue }
            let tokens = cleaned.flatMap { $0.folded.split(separator: " ").map(String.init) }
            let text = shown.map(\.text).joined(separator: " ")
            if isOurs(text) { continue }
            if tokens.contains(where: { Self.departmentWords.contains($0) }) || tokens.first == "of" { continue }
            // Report titles are not organisations.
            if tokens.contains(where: { ["report", "note", "results", "authorization", "facsimile", "transmittal"].contains($0) }) {
                continue
            }
            let org = tokens.contains { t in Self.organisationWords.contains(t) }
            let strong = tokens.contains { t in Self.organisationWords.contains(t) && !Self.disciplineWords.contains(t) }
            let cleanedText = Self.trimOrganisation(text)
            let candidate = Extracted(TextMatching.displayCase(cleanedText), confidence: LabelReader.mean(cleaned), page: layout.number)
            if strong {
                if tokens.contains(where: Self.isInstitutionWord) { return candidate }
                if departmentLike == nil { departmentLike = candidate }
                continue
            }
            // The topmost name-like line is the letterhead even when OCR cut its "Center" off; a line naming only
            // a discipline ("Anatomic Pathology") is a department under it.
            // A person's name on top ("Joseph M Castellanos" over an EHR print) is the patient or the author.
            if fallback == nil, cleaned.count <= 6, org || !Self.looksLikePerson(cleanedText) {
                var weaker = candidate
                weaker.confidence *= org ? 0.7 : 0.5
                fallback = weaker
            }
        }
        return departmentLike ?? fallback
    }

    /// A line that is a person's name rather than a cut-off organisation: it parses as a name and has a middle
    /// initial or a first word that is a given name ("Joseph M Castellanos", not "Wolf River Heal").
    static func looksLikePerson(_ text: String) -> Bool {
        guard let name = PersonName.parse(text) else { return false }
        return name.middle.map { $0.count == 1 } == true || !Nicknames.groupIDs(NameText.key(name.first)).isEmpty
    }

    static func trimOrganisation(_ text: String) -> String {
        var t = text
        while let l = t.last, !(l.isLetter || l == ")" ) { t.removeLast() }
        while let f = t.first, !(f.isLetter || f.isNumber) { t.removeFirst() }
        return t
    }

    enum ContactKind { case fax, phone }

    /// Labelled numbers on the given rows: "Fax: (920) 555-0197", "F 920.555.0197".
    /// `columns`: only the words whose left edge falls in this range (the sender's column of a cover whose To and
    /// From blocks stand side by side).
    func contacts(
        _ kind: ContactKind, in layout: PageLayout, rows: [Int], columns: Range<Int>? = nil
    ) -> [Extracted<String>] {
        var found: [Extracted<String>] = []
        let faxLabels = ["fax", "f", "fx", "facsimile", "telefax", "fax#", "fax #", "pax", "fux"]
        let phoneLabels = ["phone", "ph", "tel", "telephone", "p", "t", "ph#", "phone#", "office", "main"]
        for r in rows {
            var row = layout.rows[r]
            if let columns {
                row = LayoutRow(words: row.words.filter { columns.contains($0.box.x) }, segmentStarts: [0])
            }
            let text = row.text
            for number in PhoneNumber.find(in: text) {
                let before = String(Array(text)[..<number.offset])
                let lastWords = TextMatching.tokens(before).suffix(2)
                guard let label = lastWords.last else { continue }
                let isFax = faxLabels.contains(label) || TextMatching.fuzzyEqual(label, "facsimile")
                let isPhone = phoneLabels.contains(label) || TextMatching.fuzzyEqual(label, "telephone")
                guard kind == .fax ? isFax : isPhone else { continue }
                if kind == .fax, number.digits == centerFax { continue }
                found.append(Extracted(number.digits, confidence: row.confidence, page: layout.number))
            }
        }
        return found
    }
}
