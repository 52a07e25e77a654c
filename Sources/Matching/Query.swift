import Foundation
import FileroomModel

/// A document's identifying fields, prepared once per decision.
struct Query: Sendable {
    struct Name: Sendable {
        var name: PreparedName
        var confidence: Double
    }

    struct DOB: Sendable {
        var packed: Int32
        var confidence: Double
    }

    struct MRN: Sendable {
        var key: String
        var issuer: MRNIssuer
        var confidence: Double
    }

    struct Support: Sendable {
        var value: String
        var confidence: Double
    }

    var last: Name?
    /// Phonetic codes of the printed surname and its parts.
    var lastCodes: [UInt64]
    var first: Name?
    var dob: DOB?
    var mrn: MRN?
    var sex: Support?
    var facilityKey: Support?
    var providerFax: Support?
    var providerLastKey: Support?
    /// Fields filled from another document of the same fax.
    var borrowed: Set<String>

    init(_ fields: DocumentFields, borrowed: Set<String>) {
        func clamp(_ c: Double) -> Double { c.isFinite ? min(1, max(0, c)) : 0 }
        last = fields.patientLast.flatMap { v in PreparedName(v.value).map { Name(name: $0, confidence: clamp(v.confidence)) } }
        lastCodes = last.map { CaseIndex.surnameCodes($0.name) } ?? []
        first = fields.patientFirst.flatMap { v in
            PreparedName(v.value, isGivenName: true).map { Name(name: $0, confidence: clamp(v.confidence)) }
        }
        dob = fields.dateOfBirth.map { DOB(packed: CaseIndex.packed($0.value), confidence: clamp($0.confidence)) }
        mrn = fields.mrn.flatMap { v in
            CaseIndex.mrnKey(v.value).map { MRN(key: $0, issuer: fields.mrnIssuer ?? .unknown, confidence: clamp(v.confidence)) }
        }
        sex = fields.sex.flatMap { v in
            let s = v.value.trimmingCharacters(in: .whitespaces).uppercased()
            return s.isEmpty ? nil : Support(value: String(s.prefix(1)), confidence: clamp(v.confidence))
        }
        facilityKey = fields.facility.flatMap { v in
            CaseIndex.facilityKey(v.value).map { Support(value: $0, confidence: clamp(v.confidence)) }
        }
        providerFax = fields.providerFax.flatMap { v in
            CaseIndex.phoneDigits(v.value).map { Support(value: $0, confidence: clamp(v.confidence)) }
        }
        providerLastKey = fields.providerName.flatMap { v in
            CaseIndex.providerLastKey(v.value).map { Support(value: $0, confidence: clamp(v.confidence)) }
        }
        self.borrowed = borrowed
    }

    /// Cheap test for cases reached through a close DOB: the surname sounds alike or is one OCR error away; with no
    /// surname printed, the given name agrees or is a nickname. (A former name and a mistyped DOB at once is left
    /// unmatched: two independent explanations are too many to propose.)
    func nameFits(_ entry: IndexedCase) -> Bool {
        if let last {
            guard let caseLast = entry.last else { return false }
            if lastCodes.contains(where: { entry.lastCodes.contains($0) }) { return true }
            return StringDistance.isOCRNearMiss(last.name.ocrKey, caseLast.ocrKey)
        }
        guard let first, let caseFirst = entry.first else { return false }
        return first.name.key == caseFirst.key || Nicknames.areNicknames(first.name.nicknameGroups, caseFirst.nicknameGroups)
    }

    /// Cheap test for cases reached through the surname alone.
    func givenNameFits(_ entry: IndexedCase, allowMissing: Bool = true) -> Bool {
        guard let first else { return allowMissing }
        guard let caseFirst = entry.first else { return allowMissing }
        let a = first.name, b = caseFirst
        if a.key.first == b.key.first { return true }
        if Nicknames.areNicknames(a.nicknameGroups, b.nicknameGroups) { return true }
        return StringDistance.isOCRNearMiss(a.ocrKey, b.ocrKey)
    }

    /// Whether a sibling document can be about the same patient as this one: every identifying field both print
    /// agrees (names loosely, DOB exactly). A document printing none of them is compatible with any sibling.
    func isCompatible(with other: Query) -> Bool {
        if let dob, let otherDOB = other.dob, dob.packed != otherDOB.packed { return false }
        if let last, let otherLast = other.last {
            let level = Scorer.compareSurname(last.name, otherLast.name).level
            if level == .different || level == .similar { return false }
        }
        if let first, let otherFirst = other.first {
            let level = Scorer.compareGivenName(first.name, otherFirst.name, middle: nil).level
            if level == .different { return false }
        }
        return true
    }
}
