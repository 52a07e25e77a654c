import Foundation
import FileroomModel

/// How one field of a document compares with one case.
enum Level: String, Sendable {
    case exact
    /// Same letters, other punctuation, spacing, accents or suffix (`Garcia Lopez` / `Garcia-Lopez`).
    case variant
    /// One part of a two-part surname.
    case part
    /// One OCR-plausible character error (`rn`/`m`, `l`/`1`, `O`/`0`, `cl`/`d`).
    case ocrNear = "ocr_near"
    case nickname
    /// Only an initial printed, and it agrees.
    case initial
    /// The printed given name is the case's middle name.
    case middleName = "middle_name"
    /// Close by Jaro-Winkler or one edit that is not a typical OCR confusion.
    case similar
    /// Surname and given name printed in each other's place ("Holden John" read as first "Holden", last "John").
    case swapped
    /// Day and month swapped.
    case transposed
    /// One digit of the date differs.
    case oneDigit = "one_digit"
    /// The document's MRN is not one of ours (or not said whose): it says nothing.
    case notOurs = "not_ours"
    /// An outside facility's MRN: says nothing.
    case outside
    /// The sender fax was confirmed by staff as the case's referring facility.
    case learned
    case missing
    case different
}

extension Level {
    /// Levels at which a surname leaves room for the same patient.
    var isSurnameAgreement: Bool {
        switch self {
        case .exact, .variant, .ocrNear, .part, .similar, .swapped: true
        default: false
        }
    }

    /// Levels at which a given name leaves room for the same patient.
    var isGivenNameAgreement: Bool {
        switch self {
        case .exact, .nickname, .ocrNear, .initial, .middleName, .similar, .swapped: true
        default: false
        }
    }
}

/// Fellegi-Sunter weights, log2(m/u): m the chance of the level when document and case are the same patient, u when
/// they are not. Set by hand from typical rates (two strangers share a DOB about 1 time in 25,000, a surname 0.2-2% of
/// the time, a nickname or an OCR slip is a few percent of true matches), so that no single field but the DOB, and no
/// supporting field at all, can carry a match alone. Surname and given-name agreement use the name's frequency among
/// the cases. A value read with low confidence is weighed by `Scorer.adjusted`.
enum Weights {
    static let lastExactM = 0.90
    static let lastPart = 3.0
    static let lastOCRNear = 4.5
    static let lastSimilar = 2.0
    static let lastDifferent = -5.0
    /// Each of the two names when they are printed in each other's place.
    static let nameSwapped = 3.0

    static let firstExactM = 0.88
    static let firstNickname = 4.0
    static let firstOCRNear = 3.5
    static let firstInitial = 2.0
    static let firstMiddleName = 1.5
    static let firstSimilar = 1.5
    static let firstDifferent = -5.0

    /// m ≈ 0.93, u ≈ 1/25,000 (dates of birth spread over about seventy years).
    static let dobExact = 14.5
    static let dobTransposed = 7.5
    static let dobOneDigit = 3.5
    static let dobDifferent = -8.0

    static let mrnExact = 12.0
    static let mrnOneDigit = 3.0
    static let mrnDifferent = -4.0

    static let sexExact = 0.5
    static let sexDifferent = -3.0

    static let facilityExact = 1.5
    static let facilitySimilar = 0.8
    static let providerFaxExact = 1.5
    static let senderFaxExact = 1.0
    static let senderFaxLearned = 1.0
    static let providerExact = 1.0
    /// Supporting fields together never add more than this: a referring facility sends for many patients.
    static let supportCap = 3.5

    /// log2 of the prior odds that a blocked candidate is the patient: about one in the number of cases, never
    /// above one in a thousand so that a small case list does not make every agreement look decisive.
    static func priorLog2Odds(caseCount: Int) -> Double { -log2(Double(max(caseCount, 1_000))) }

    /// u for agreeing on a name: how often it occurs among the other cases, kept within sane bounds.
    static func agreementWeight(m: Double, sharing: Int, total: Int, floor: Double, ceiling: Double) -> Double {
        let u = min(ceiling, max(floor, Double(max(0, sharing - 1)) / Double(max(total, 1))))
        return log2(m / u)
    }
}

/// Scores a prepared document against one indexed case.
struct Scorer {
    let index: CaseIndex
    let thresholds: MatchThresholds
    let context: MatchContext

    static func compareSurname(_ doc: PreparedName, _ other: PreparedName) -> (level: Level, detail: String?) {
        if doc.plain == other.plain { return (.exact, nil) }
        if doc.key == other.key { return (.variant, "spelling variant") }
        if doc.ocrKey == other.ocrKey || StringDistance.isOCRNearMiss(doc.ocrKey, other.ocrKey) {
            return (.ocrNear, "one OCR-plausible character apart")
        }
        if doc.parts.count > 1 || other.parts.count > 1 {
            for part in doc.parts where part.count >= 2 && other.parts.contains(part) {
                return (.part, "one part of a two-part surname")
            }
        }
        if StringDistance.jaroWinkler(doc.ocrKey, other.ocrKey) >= 0.90
            || (min(doc.key.count, other.key.count) >= 4 && StringDistance.isOneEdit(doc.ocrKey, other.ocrKey))
        {
            return (.similar, "similar spelling")
        }
        return (.different, nil)
    }

    static func compareGivenName(_ doc: PreparedName, _ other: PreparedName, middle: PreparedName?) -> (
        level: Level, detail: String?
    ) {
        if doc.key == other.key || doc.plain == other.plain { return (.exact, nil) }
        // "Maria C" or "Mary Ann" printed where the case has "Maria" / "Mary".
        if let docFirst = doc.parts.first, let otherFirst = other.parts.first, docFirst.count > 1,
            otherFirst.count > 1, docFirst == otherFirst
        {
            return (.exact, "first word agrees")
        }
        if Nicknames.areNicknames(doc.nicknameGroups, other.nicknameGroups) { return (.nickname, "known nickname") }
        if doc.ocrKey == other.ocrKey || StringDistance.isOCRNearMiss(doc.ocrKey, other.ocrKey) {
            return (.ocrNear, "one OCR-plausible character apart")
        }
        let docFirstPart = doc.parts.first ?? doc.key
        let otherFirstPart = other.parts.first ?? other.key
        if (docFirstPart.count == 1 || otherFirstPart.count == 1), docFirstPart.first == otherFirstPart.first {
            return (.initial, "initial agrees")
        }
        if let middle, middle.key.count > 1, doc.key == middle.key { return (.middleName, "the case's middle name") }
        if StringDistance.jaroWinkler(doc.ocrKey, other.ocrKey) >= 0.88 { return (.similar, "similar spelling") }
        return (.different, nil)
    }

    func score(_ query: Query, against position: Int32) -> ScoredCandidate {
        let entry = index.entries[Int(position)]
        let minimum = thresholds.minimumFieldConfidence
        var comparisons: [FieldComparison] = []
        comparisons.reserveCapacity(9)
        var blockers: [String] = []

        func add(_ field: String, _ level: Level, _ weight: Double, _ detail: String?) {
            let shown = query.borrowed.contains(field) ? "pooled_\(level.rawValue)" : level.rawValue
            comparisons.append(FieldComparison(field: field, level: shown, weight: weight, detail: detail))
        }

        let namesSwapped: Bool = {
            guard let last = query.last, let first = query.first, let caseLast = entry.last, let caseFirst = entry.first
            else { return false }
            return last.name.key != first.name.key && last.name.key == caseFirst.key && first.name.key == caseLast.key
        }()

        // Surname.
        var lastLevel = Level.missing
        var lastConfidence = 0.0
        if let last = query.last, let caseLast = entry.last {
            let (level, detail) =
                namesSwapped ? (Level.swapped, "printed as the given name") : Self.compareSurname(last.name, caseLast)
            lastLevel = level
            lastConfidence = last.confidence
            let exact = Weights.agreementWeight(
                m: Weights.lastExactM, sharing: index.surnameShare(position), total: index.count,
                floor: 0.002, ceiling: 0.02)
            let base: Double =
                switch level {
                case .exact: exact
                case .variant: exact - 0.5
                case .ocrNear: Weights.lastOCRNear
                case .part: Weights.lastPart
                case .similar: Weights.lastSimilar
                case .swapped: Weights.nameSwapped
                default: Weights.lastDifferent
                }
            let shown = detail.map { "\($0): \(last.name.plain) / \(caseLast.plain)" }
            add(Field.lastName, level, Self.adjusted(base, last.confidence), shown)
        } else {
            add(Field.lastName, .missing, 0, nil)
        }

        // Given name.
        var firstLevel = Level.missing
        var firstConfidence = 0.0
        if let first = query.first, let caseFirst = entry.first {
            let (level, detail) =
                namesSwapped
                ? (Level.swapped, "printed as the surname")
                : Self.compareGivenName(first.name, caseFirst, middle: entry.middle)
            firstLevel = level
            firstConfidence = first.confidence
            let exact = Weights.agreementWeight(
                m: Weights.firstExactM, sharing: index.givenNameShare(position), total: index.count,
                floor: 0.003, ceiling: 0.03)
            let base: Double =
                switch level {
                case .exact: exact
                case .nickname: Weights.firstNickname
                case .ocrNear: Weights.firstOCRNear
                case .initial: Weights.firstInitial
                case .middleName: Weights.firstMiddleName
                case .similar: Weights.firstSimilar
                case .swapped: Weights.nameSwapped
                default: Weights.firstDifferent
                }
            let shown = detail.map { "\($0): \(first.name.plain) / \(caseFirst.plain)" }
            add(Field.firstName, level, Self.adjusted(base, first.confidence), shown)
        } else {
            add(Field.firstName, .missing, 0, nil)
        }

        // Date of birth.
        var dobLevel = Level.missing
        var dobConfidence = 0.0
        if let dob = query.dob {
            dobConfidence = dob.confidence
            dobLevel = Self.compareDOB(dob.packed, entry.dob)
            let base: Double =
                switch dobLevel {
                case .exact: Weights.dobExact
                case .transposed: Weights.dobTransposed
                case .oneDigit: Weights.dobOneDigit
                default: Weights.dobDifferent
                }
            let detail = dobLevel == .exact ? nil : dobLevel.rawValue.replacingOccurrences(of: "_", with: " ")
            add(Field.dob, dobLevel, Self.adjusted(base, dob.confidence), detail)
        } else {
            add(Field.dob, .missing, 0, nil)
        }

        // Our MRN.
        var mrnLevel = Level.missing
        var mrnConfidence = 0.0
        if let mrn = query.mrn {
            mrnConfidence = mrn.confidence
            if mrn.issuer == .outside {
                mrnLevel = .outside
                add(Field.mrn, .outside, 0, "an outside facility's MRN")
            } else if let caseMRN = entry.mrnKey, caseMRN == mrn.key {
                mrnLevel = .exact
                add(Field.mrn, .exact, Self.adjusted(Weights.mrnExact, mrn.confidence), "the center's MRN")
            } else if mrn.issuer == .ours, let caseMRN = entry.mrnKey {
                let oneOff = StringDistance.isOneEdit(Array(mrn.key.utf8), Array(caseMRN.utf8))
                mrnLevel = oneOff ? .oneDigit : .different
                add(Field.mrn, mrnLevel, Self.adjusted(oneOff ? Weights.mrnOneDigit : Weights.mrnDifferent, mrn.confidence), nil)
            } else {
                mrnLevel = .notOurs
                add(Field.mrn, .notOurs, 0, "not the center's MRN for this case")
            }
        } else {
            add(Field.mrn, .missing, 0, nil)
        }

        // Sex.
        var sexLevel = Level.missing
        var sexConfidence = 0.0
        if let sex = query.sex, let caseSex = entry.sex, !caseSex.isEmpty {
            sexConfidence = sex.confidence
            sexLevel = caseSex.hasPrefix(sex.value) ? .exact : .different
            add(Field.sex, sexLevel, Self.adjusted(sexLevel == .exact ? Weights.sexExact : Weights.sexDifferent, sex.confidence), nil)
        }

        // Supporting evidence: who sent it.
        var support: [(String, Level, Double, String?)] = []
        if let facility = query.facilityKey, let caseFacility = entry.facilityKey {
            if facility.value == caseFacility {
                support.append((Field.facility, .exact, Weights.facilityExact * facility.confidence, "referring facility"))
            } else if StringDistance.jaroWinkler(Array(facility.value.utf8), Array(caseFacility.utf8)) >= 0.92 {
                support.append((Field.facility, .similar, Weights.facilitySimilar * facility.confidence, "referring facility"))
            } else {
                support.append((Field.facility, .different, 0, nil))
            }
        }
        if let fax = query.providerFax, let caseFax = entry.faxDigits {
            let agrees = fax.value == caseFax
            support.append(
                agrees
                    ? (Field.providerFax, .exact, Weights.providerFaxExact * fax.confidence, "referring fax")
                    : (Field.providerFax, .different, 0, nil))
        }
        if let sender = context.senderFax, let caseFax = entry.faxDigits {
            if sender == caseFax {
                support.append((Field.senderFax, .exact, Weights.senderFaxExact, "fax header is the referring fax"))
            } else if let facility = entry.facilityKey,
                context.learnedSenderFacilities[sender]?.contains(where: { CaseIndex.facilityKey($0) == facility }) == true
            {
                support.append((Field.senderFax, .learned, Weights.senderFaxLearned, "sender fax confirmed for the referring facility"))
            } else {
                support.append((Field.senderFax, .different, 0, nil))
            }
        }
        if let provider = query.providerLastKey, let caseProvider = entry.providerLastKey {
            let agrees = provider.value == caseProvider
            support.append(
                agrees
                    ? (Field.provider, .exact, Weights.providerExact * provider.confidence, "referring provider")
                    : (Field.provider, .different, 0, nil))
        }
        let supportTotal = support.reduce(0) { $0 + $1.2 }
        let supportScale = supportTotal > Weights.supportCap ? Weights.supportCap / supportTotal : 1
        for (field, level, weight, detail) in support { add(field, level, weight * supportScale, detail) }

        let total = comparisons.reduce(0) { $0 + $1.weight } + Weights.priorLog2Odds(caseCount: index.count)
        let probability = 1 / (1 + exp2(-total))

        // Plausibility: could this be the patient at all?
        let lastAgrees = lastLevel.isSurnameAgreement
        let firstAgrees = firstLevel.isGivenNameAgreement
        let lastConflicts = lastLevel == .different && lastConfidence >= minimum
        let firstConflicts = firstLevel == .different && firstConfidence >= minimum
        let dobConflicts = dobLevel == .different && dobConfidence >= minimum
        let mrnAgrees = mrnLevel == .exact && mrnConfidence >= minimum
        let dobReliable = dobConfidence >= minimum
        let isPlausible: Bool
        if dobConflicts {
            // Same name, different DOB: another person, unless our own MRN says otherwise.
            isPlausible = mrnAgrees && (lastAgrees || firstAgrees)
        } else if firstConflicts {
            // Twins share a surname and a DOB: the given name decides, and here it says no.
            isPlausible = mrnAgrees && lastAgrees
        } else if lastConflicts {
            // A former or maiden name: the given name (not a mere initial) and the exact DOB agree.
            let firstFirm = firstLevel == .exact || firstLevel == .nickname || firstLevel == .ocrNear
            isPlausible = firstFirm && (dobLevel == .exact || mrnAgrees)
            if isPlausible { blockers.append("possible_former_name") }
        } else if dobLevel == .missing || !dobReliable {
            isPlausible = (lastAgrees && firstLevel != .different) || (mrnAgrees && (lastAgrees || firstAgrees))
        } else {
            isPlausible = lastAgrees || firstAgrees || mrnAgrees
        }

        // The auto-filing rules, each named for the reason.
        if query.borrowed.contains(Field.dob) {
            blockers.append("dob_pooled")
        } else if dobLevel != .exact {
            blockers.append("dob_\(dobLevel.rawValue)")
        } else if !dobReliable {
            blockers.append("dob_low_confidence")
        }
        if lastLevel != .exact && lastLevel != .variant && lastLevel != .ocrNear {
            if !blockers.contains("possible_former_name") { blockers.append("last_name_\(lastLevel.rawValue)") }
        } else if lastConfidence < minimum {
            blockers.append("last_name_low_confidence")
        } else if query.borrowed.contains(Field.lastName) {
            blockers.append("last_name_pooled")
        }
        if firstLevel != .exact && firstLevel != .nickname && firstLevel != .ocrNear {
            blockers.append("first_name_\(firstLevel.rawValue)")
        } else if firstConfidence < minimum {
            blockers.append("first_name_low_confidence")
        } else if query.borrowed.contains(Field.firstName) {
            blockers.append("first_name_pooled")
        }
        if lastLevel == .ocrNear && firstLevel == .ocrNear { blockers.append("two_ocr_errors") }
        if mrnLevel == .different && mrnConfidence >= minimum { blockers.append("mrn_conflict") }
        if sexLevel == .different && sexConfidence >= minimum { blockers.append("sex_conflict") }

        let candidate = MatchCandidate(
            caseID: entry.record.caseID, caseStatus: entry.record.status, probability: probability,
            comparisons: comparisons
        )
        return ScoredCandidate(
            position: position, candidate: candidate, isPlausible: isPlausible, blockers: blockers,
            isPooled: !query.borrowed.isEmpty,
            isOneErrorAway: (dobLevel == .oneDigit || dobLevel == .transposed)
                && (lastLevel == .exact || lastLevel == .variant || lastLevel == .ocrNear)
                && (firstLevel == .exact || firstLevel == .nickname || firstLevel == .ocrNear || firstLevel == .missing)
        )
    }

    /// A weight for a value read with confidence `c`. Agreeing with a case is still strong evidence when the read was
    /// unsure (a misread rarely lands on the case's exact value), so only m shrinks: log2(m·c/u) = w + log2 c.
    /// Disagreeing means less when the read was unsure (it may be the misread), so the penalty scales with c.
    static func adjusted(_ weight: Double, _ confidence: Double) -> Double {
        let c = min(1, max(0.01, confidence))
        return weight > 0 ? max(0, weight + log2(c)) : weight * c
    }

    static func compareDOB(_ doc: Int32, _ other: Int32) -> Level {
        if doc == other { return .exact }
        let d = Int(doc), o = Int(other)
        if d / 10_000 == o / 10_000, (d / 100) % 100 == o % 100, d % 100 == (o / 100) % 100 { return .transposed }
        var differing = 0
        var a = d, b = o
        for _ in 0..<8 {
            if a % 10 != b % 10 { differing += 1 }
            a /= 10
            b /= 10
        }
        return differing == 1 ? .oneDigit : .different
    }
}
