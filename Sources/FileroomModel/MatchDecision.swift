/// What happens to a document.
public enum MatchStatus: String, Sendable, Codable, CaseIterable, Hashable {
    /// Filed to its case without a person: only when the evidence is unambiguous.
    case filed
    /// A plausible candidate exists but a person must confirm.
    case review
    /// Nothing plausible.
    case unmatched
}

/// How one field of a document compared with one case, and what that weighed.
public struct FieldComparison: Sendable, Hashable, Codable {
    /// `last_name`, `first_name`, `dob`, `mrn`, `facility`, `fax`, ...
    public var field: String
    /// `exact`, `nickname`, `variant`, `ocr_near`, `initial`, `similar`, `transposed`, `one_digit`, `missing`,
    /// `different`, ...
    public var level: String
    /// Log-likelihood weight (log2 m/u), after lowering for a low-confidence value.
    public var weight: Double
    /// Plain words for staff: "nickname (Bob/Robert)". May name values: never logged.
    public var detail: String?

    public init(field: String, level: String, weight: Double, detail: String? = nil) {
        self.field = field
        self.level = level
        self.weight = weight
        self.detail = detail
    }
}

/// One case considered for a document.
public struct MatchCandidate: Sendable, Hashable, Codable {
    public var caseID: CaseID
    public var caseStatus: CaseStatus
    /// 0...1, from the summed weights.
    public var probability: Double
    public var comparisons: [FieldComparison]

    public init(caseID: CaseID, caseStatus: CaseStatus, probability: Double, comparisons: [FieldComparison]) {
        self.caseID = caseID
        self.caseStatus = caseStatus
        self.probability = probability
        self.comparisons = comparisons
    }

    /// Field name to level, as `match --json` prints it.
    public var levels: [String: String] {
        Dictionary(comparisons.map { ($0.field, $0.level) }, uniquingKeysWith: { first, _ in first })
    }
}

/// The matcher's answer for one document, with its explanation.
public struct MatchDecision: Sendable, Hashable, Codable {
    public var status: MatchStatus
    /// The filed case, or the proposed one for review; nil when unmatched.
    public var caseID: CaseID?
    /// 0...1.
    public var confidence: Double
    /// Best first.
    public var candidates: [MatchCandidate]
    /// The rule that decided, in plain words. Names no patient data (ids only), so it may be logged.
    public var reason: String

    public init(status: MatchStatus, caseID: CaseID?, confidence: Double, candidates: [MatchCandidate], reason: String) {
        self.status = status
        self.caseID = caseID
        self.confidence = confidence
        self.candidates = candidates
        self.reason = reason
    }
}
