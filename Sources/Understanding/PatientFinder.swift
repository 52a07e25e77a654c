import FileroomModel

/// An open case whose patient's surname, given name and date of birth all stand on one page.
struct CaseSighting: Sendable {
    var patient: KnownPatients.Patient
    var page: Int
    /// The date as the page prints it (read month first); differs from the case's when found by transposition.
    var printedDOB: CalendarDate
    /// The surname and given name to export: the case's spelling where the page prints it within OCR tolerance,
    /// what the page prints otherwise (a nickname, one part of a two-part surname).
    var last: String
    var first: String
    /// Product of OCR confidence of the words, proximity of name and date, and how exactly they agree.
    var confidence: Double
    var isTransposed: Bool { printedDOB != patient.dateOfBirth }
}

/// Looks for the open cases on a page instead of relying on labels: every date printed is a possible date of birth,
/// the cases born that day (or on its day/month transposition) are looked up, and each is kept when its surname and
/// given name stand together on the same page. Name and date found together do not depend on any layout.
struct PatientFinder: Sendable {
    var known: KnownPatients
    var dates: DateReader

    /// A word part of a row, folded the way case names are.
    struct Token {
        var key: [UInt8]
        var ocrKey: [UInt8]
        var text: String
        var row: Int
        var word: Int
        var confidence: Double
    }

    enum Agreement: Int, Comparable {
        case nickname = 0, part, ocr, exact
        static func < (a: Agreement, b: Agreement) -> Bool { a.rawValue < b.rawValue }
    }

    func sightings(on layout: PageLayout, despace: (String) -> String) -> [CaseSighting] {
        guard !known.isEmpty, !layout.isUnreadable else { return [] }
        // 1. Every date on the page, with the row it stands on.
        var candidates: [(patient: KnownPatients.Patient, printed: CalendarDate, row: Int, confidence: Double)] = []
        for r in layout.bodyRowIndices {
            let row = layout.rows[r]
            guard row.words.contains(where: { $0.text.contains(where: \.isNumber) }) else { continue }
            for found in dates.findAll(in: despace(row.text), kind: .birth) {
                let date = found.date
                for patient in known.born(on: date) {
                    candidates.append((patient, date, r, row.confidence))
                }
                if date.day <= 12, date.day != date.month,
                    let swapped = CalendarDate(year: date.year, month: date.day, day: date.month)
                {
                    for patient in known.born(on: swapped) {
                        candidates.append((patient, date, r, row.confidence * 0.8))
                    }
                }
            }
        }
        guard !candidates.isEmpty else { return [] }
        // 2. The page's words as folded name parts, once.
        let tokens = Self.tokens(layout)
        // 3. Each candidate's name near its date.
        var best: [CaseID: CaseSighting] = [:]
        for candidate in candidates {
            guard let name = findName(candidate.patient, in: tokens, near: candidate.row) else { continue }
            let proximity: Double = switch abs(name.row - candidate.row) {
            case 0...3: 1
            case 4...10: 0.93
            default: 0.85
            }
            let exactness = name.lastAgreement >= .ocr && name.firstAgreement >= .ocr ? 1 : 0.92
            let confidence = min(name.confidence, candidate.confidence) * proximity * exactness
            let sighting = CaseSighting(
                patient: candidate.patient, page: layout.number, printedDOB: candidate.printed,
                last: name.lastAgreement >= .ocr ? candidate.patient.last : name.printedLast,
                first: name.firstAgreement >= .ocr ? candidate.patient.first : name.printedFirst,
                confidence: confidence)
            let id = candidate.patient.caseID
            if let existing = best[id], existing.confidence >= confidence, !(existing.isTransposed && !sighting.isTransposed) {
                continue
            }
            best[id] = sighting
        }
        return best.values.sorted { $0.confidence > $1.confidence }
    }

    static func tokens(_ layout: PageLayout) -> [Token] {
        var tokens: [Token] = []
        for r in layout.bodyRowIndices {
            for (w, word) in layout.rows[r].words.enumerated() {
                guard word.text.contains(where: \.isLetter) else { continue }
                for part in NameText.parts(word.text) where part.count >= 2 {
                    tokens.append(
                        Token(
                            key: Array(part.utf8), ocrKey: Array(NameText.lettersForDigits(part).utf8), text: part,
                            row: r, word: w, confidence: word.confidence))
                }
            }
        }
        return tokens
    }

    struct NameFound {
        var row: Int
        var lastAgreement: Agreement
        var firstAgreement: Agreement
        var printedLast: String
        var printedFirst: String
        var confidence: Double
    }

    /// The surname (whole, run together, or one part of a two-part surname) with the given name within a few words
    /// on the same row or the row above or below; the occurrence closest to the date wins.
    func findName(_ patient: KnownPatients.Patient, in tokens: [Token], near dateRow: Int) -> NameFound? {
        let lastKey = Array(patient.lastKey.utf8)
        let parts = patient.lastParts.map { Array($0.utf8) }
        let firstKey = Array(patient.firstKey.utf8)
        var best: NameFound?
        for (i, token) in tokens.enumerated() {
            var lastSpan = i...i
            var lastAgreement: Agreement?
            if let agreement = Self.agreement(token, lastKey, tolerant: Self.mayBeMisread(token)) {
                lastAgreement = agreement
            } else if parts.count > 1, i + 1 < tokens.count, tokens[i + 1].row == token.row,
                Self.agreement(token, parts[0], tolerant: Self.mayBeMisread(token)) != nil,
                let second = Self.agreement(tokens[i + 1], parts[parts.count - 1], tolerant: Self.mayBeMisread(tokens[i + 1]))
            {
                // "Garcia Lopez" printed for "Garcia-Lopez".
                lastAgreement = min(second, Self.agreement(token, parts[0], tolerant: Self.mayBeMisread(token)) ?? second)
                lastSpan = i...(i + 1)
            } else if parts.count > 1,
                parts.contains(where: { $0.count >= 4 && Self.agreement(token, $0, tolerant: Self.mayBeMisread(token)) != nil })
            {
                // One part of a two-part surname: what the page prints is that part.
                lastAgreement = .part
            }
            guard let lastAgreement else { continue }
            // The given name: within three words on the row, or on the row just above or below (a sticker's
            // "DOE" / "JANE" lines).
            var firstFound: (Token, Agreement)?
            for j in max(0, i - 6)..<min(tokens.count, lastSpan.upperBound + 7) where !lastSpan.contains(j) {
                let other = tokens[j]
                let sameRow = other.row == token.row && abs(other.word - token.word) <= 3
                let nextRow = abs(other.row - token.row) == 1
                guard sameRow || nextRow else { continue }
                var agreement = Self.agreement(other, firstKey, tolerant: Self.mayBeMisread(other))
                if agreement == nil, !patient.firstGroups.isEmpty,
                    Nicknames.areNicknames(patient.firstGroups, Nicknames.groupIDs(other.text))
                {
                    agreement = .nickname
                }
                guard let agreement else { continue }
                if firstFound == nil || agreement > (firstFound?.1 ?? .nickname) { firstFound = (other, agreement) }
            }
            guard let (firstToken, firstAgreement) = firstFound else { continue }
            let lastTokens = tokens[lastSpan]
            // Words that spell the case's surname and given name exactly are that name, however unsure OCR said it
            // was (a bold or monospace name often gets a low score read right): OCR noise does not spell an open
            // case's whole name beside its date of birth. Where either agrees only within OCR tolerance, the words
            // keep OCR's confidence.
            let exact = lastAgreement == .exact && firstAgreement == .exact
            let weights = (Array(lastTokens) + [firstToken]).map { exact ? max($0.confidence, Self.exactWordConfidence) : $0.confidence }
            let confidence = weights.reduce(0, +) / Double(weights.count)
            let found = NameFound(
                row: token.row, lastAgreement: lastAgreement, firstAgreement: firstAgreement,
                printedLast: lastTokens.map { TextMatching.displayCase($0.text) }.joined(separator: " "),
                printedFirst: TextMatching.displayCase(firstToken.text), confidence: confidence)
            if let current = best {
                let closer = abs(found.row - dateRow) < abs(current.row - dateRow)
                let better = (found.lastAgreement, found.firstAgreement) > (current.lastAgreement, current.firstAgreement)
                if !(better || closer && (found.lastAgreement, found.firstAgreement) == (current.lastAgreement, current.firstAgreement)) {
                    continue
                }
            }
            best = found
        }
        return best
    }

    /// The confidence words that spell the case's whole name exactly count with at least.
    static let exactWordConfidence = 0.85

    /// Whether a page word may carry an OCR error: a word the recogniser was sure of (or a text layer's, which has
    /// none) that differs by a letter is another name ("Hill" is not "Hall"), not a misread.
    static func mayBeMisread(_ token: Token) -> Bool { token.confidence < 0.95 }

    /// How a page word agrees with a folded case name: exactly, or (`tolerant`) by one OCR-plausible error.
    static func agreement(_ token: Token, _ key: [UInt8], tolerant: Bool = true) -> Agreement? {
        if token.key == key { return .exact }
        guard abs(token.key.count - key.count) <= 1, key.count >= 3 else { return nil }
        // A digit inside a name is a misread however sure OCR was ("VANDERSL0OT").
        if token.ocrKey == key { return .ocr }
        let hasDigit = token.key != token.ocrKey
        guard tolerant || hasDigit else { return nil }
        if StringDistance.isOCRNearMiss(token.ocrKey, key) { return .ocr }
        // One plain edit only on longer names: short ones are other names one letter away ("Hall", "Hill").
        if key.count >= 6, token.key.first == key.first, StringDistance.isOneEdit(token.ocrKey, key) { return .ocr }
        return nil
    }

    /// Whether a printed name is the case's name: surname within OCR tolerance (or a part of it), given name within
    /// tolerance or a nickname.
    static func nameAgrees(_ name: PersonName, with patient: KnownPatients.Patient) -> (last: Bool, first: Bool)? {
        func token(_ text: String) -> Token? {
            let key = NameText.key(text)
            guard !key.isEmpty else { return nil }
            return Token(
                key: Array(key.utf8), ocrKey: Array(NameText.lettersForDigits(key).utf8), text: key, row: 0, word: 0,
                confidence: 1)
        }
        guard let last = token(name.last), let first = token(name.first.split(separator: " ").first.map(String.init) ?? name.first)
        else { return nil }
        let lastExact = agreement(last, Array(patient.lastKey.utf8)) != nil
        let lastPart = patient.lastParts.contains { agreement(last, Array($0.utf8)) != nil }
        let firstExact = agreement(first, Array(patient.firstKey.utf8)) != nil
        let nickname = !patient.firstGroups.isEmpty && Nicknames.areNicknames(patient.firstGroups, Nicknames.groupIDs(first.text))
        guard lastExact || lastPart, firstExact || nickname else { return nil }
        return (lastExact, firstExact)
    }

    /// A date one digit or a day/month swap away from the other: the same date misread.
    static func isVariant(_ a: CalendarDate, of b: CalendarDate) -> Bool {
        if a == b { return true }
        if a.year == b.year, a.month == b.day, a.day == b.month { return true }
        let x = Array(a.iso.utf8), y = Array(b.iso.utf8)
        return zip(x, y).filter { $0 != $1 }.count == 1
    }
}

extension PatientFinder {
    /// Label reading and case sightings together: agreement raises confidence and gives the case's spelling where
    /// the page prints it within tolerance; a sighting fills what labels missed; two open patients on one page, or
    /// labels naming someone other than the case found, mark the page as conflicting (review, never auto-filed).
    static func combine(_ label: PagePatient, _ sightings: [CaseSighting]) -> PagePatient {
        var result = label
        guard let sighting = sightings.first else { return result }
        result.sightedCases = Set(sightings.map(\.patient.caseID))
        guard result.sightedCases.count == 1 else {
            result.conflict = true
            return result
        }
        let patient = sighting.patient
        // "VANDERSLOOT MARGUERITE" without a comma read first-last: the case's order decides.
        if let name = label.name, nameAgrees(name.value, with: patient) == nil, name.value.middle == nil {
            let swapped = PersonName(first: name.value.last, middle: nil, last: name.value.first)
            if nameAgrees(swapped, with: patient) != nil {
                result.name = Extracted(swapped, confidence: name.confidence, page: name.page)
            }
        }
        let label = result
        let agreement = label.name.flatMap { nameAgrees($0.value, with: patient) }
        if label.name != nil && agreement == nil
            || label.dateOfBirth.map({ !isVariant($0.value, of: patient.dateOfBirth) }) == true
        {
            result.conflict = true
            return result
        }
        if let name = label.name, let agreement {
            var value = name.value
            if agreement.last { value.last = patient.last }
            if agreement.first { value.first = patient.first }
            result.name = Extracted(value, confidence: boosted(name.confidence, sighting.confidence), page: name.page)
        } else {
            result.name = Extracted(
                PersonName(first: sighting.first, middle: nil, last: sighting.last), confidence: sighting.confidence,
                page: sighting.page)
        }
        if let dob = label.dateOfBirth {
            if dob.value == patient.dateOfBirth {
                result.dateOfBirth?.confidence = boosted(dob.confidence, sighting.confidence)
            } else if !sighting.isTransposed {
                // The labelled date is one digit or a swap away from the case's, and the case's date is printed on
                // the page beside the name: the label's reading is the misread.
                result.dateOfBirth = Extracted(patient.dateOfBirth, confidence: sighting.confidence * 0.9, page: sighting.page)
            }
        } else {
            result.dateOfBirth = Extracted(sighting.printedDOB, confidence: sighting.confidence, page: sighting.page)
        }
        return result
    }

    /// Two words printed without a comma ("WHITCOMBE ADELINE") read as first and last: when the first word is
    /// only ever a surname and the second only ever a given name (in the case list and the nickname table), they
    /// were printed surname first.
    static func ordered(_ label: PagePatient, known: KnownPatients) -> PagePatient {
        guard let name = label.name, name.value.middle == nil, !known.isEmpty else { return label }
        let first = NameText.key(name.value.first), last = NameText.key(name.value.last)
        func isGiven(_ key: String) -> Bool { known.isGivenName(key) || !Nicknames.groupIDs(key).isEmpty }
        guard known.isSurname(first), !isGiven(first), isGiven(last), !known.isSurname(last) else { return label }
        var result = label
        result.name = Extracted(
            PersonName(first: name.value.last, middle: nil, last: name.value.first), confidence: name.confidence,
            page: name.page)
        return result
    }

    /// Two independent readings that agree: surer than either.
    static func boosted(_ a: Double, _ b: Double) -> Double {
        let high = max(a, b), low = min(a, b)
        return min(0.99, high + (1 - high) * low * 0.5)
    }
}
