import FileroomModel

/// What became of one truth document, in the scorer's priority order.
public enum DocumentOutcome: String, Sendable, CaseIterable, Codable {
    /// Some overlapping result document is filed to another case, or filing was not safe: the safety failure.
    case wrongFiled = "wrong_filed"
    /// No result document overlaps it (file missing, rejected, or pages not covered).
    case noResult = "no_result"
    /// The best-matching result document is filed to the right case, and filing is safe.
    case correctFiled = "correct_filed"
    case review
    /// The best match is unmatched, and unmatched is a safe outcome.
    case unmatchedOK = "unmatched_ok"
    /// The best match is unmatched although an open case was right.
    case missed
}

/// Documents per outcome.
public struct OutcomeCounts: Sendable, Hashable, Encodable {
    public var correctFiled = 0
    public var wrongFiled = 0
    public var review = 0
    public var unmatchedOK = 0
    public var missed = 0
    public var noResult = 0

    public init() {}

    public subscript(outcome: DocumentOutcome) -> Int {
        get {
            switch outcome {
            case .correctFiled: correctFiled
            case .wrongFiled: wrongFiled
            case .review: review
            case .unmatchedOK: unmatchedOK
            case .missed: missed
            case .noResult: noResult
            }
        }
        set {
            switch outcome {
            case .correctFiled: correctFiled = newValue
            case .wrongFiled: wrongFiled = newValue
            case .review: review = newValue
            case .unmatchedOK: unmatchedOK = newValue
            case .missed: missed = newValue
            case .noResult: noResult = newValue
            }
        }
    }

    /// The order the reports list outcomes in.
    static let reportOrder: [DocumentOutcome] = [.correctFiled, .wrongFiled, .review, .unmatchedOK, .missed, .noResult]

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: DynamicKey.self)
        for outcome in Self.reportOrder { try c.encode(self[outcome], forKey: DynamicKey(outcome.rawValue)) }
    }
}

/// Per document type (truth type).
public struct TypeTally: Sendable, Hashable, Encodable {
    public var count = 0
    /// Clinical documents where filing is a safe outcome.
    public var fileable = 0
    public var outcomes = OutcomeCounts()
    public var typeOK = 0
    public var queueOK = 0

    public init() {}

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: DynamicKey.self)
        try c.encode(count, forKey: DynamicKey("n"))
        try c.encode(fileable, forKey: DynamicKey("fileable"))
        for outcome in OutcomeCounts.reportOrder { try c.encode(outcomes[outcome], forKey: DynamicKey(outcome.rawValue)) }
        try c.encode(typeOK, forKey: DynamicKey("type_ok"))
        try c.encode(queueOK, forKey: DynamicKey("queue_ok"))
    }
}

/// Per optional truth label (`hazard`, `family`).
public struct GroupTally: Sendable, Hashable, Encodable {
    public var count = 0
    public var outcomes = OutcomeCounts()
    public var typeOK = 0
    /// Counted for families only, as the reference scorer does.
    public var fieldsOK = 0
    public var fieldsTotal = 0

    public init() {}

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: DynamicKey.self)
        try c.encode(count, forKey: DynamicKey("n"))
        for outcome in OutcomeCounts.reportOrder { try c.encode(outcomes[outcome], forKey: DynamicKey(outcome.rawValue)) }
        try c.encode(typeOK, forKey: DynamicKey("type_ok"))
        try c.encode(fieldsOK, forKey: DynamicKey("fields_ok"))
        try c.encode(fieldsTotal, forKey: DynamicKey("fields_total"))
    }
}

/// Per scored field: values printed in truth, and how many were extracted right.
public struct FieldTally: Sendable, Hashable, Encodable {
    public var count = 0
    public var ok = 0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case count = "n"
        case ok
    }
}

/// A safety failure: a document filed where it must not be. Names a file and pages; shown to staff only.
public struct WrongFiling: Sendable, Hashable, Encodable {
    public var file: String
    /// The truth document's pages, or the result document's where no truth document applies.
    public var pages: [Int]
    public var truthCase: String?
    public var resultCase: String?
    public var why: String

    public init(file: String, pages: [Int], truthCase: String?, resultCase: String?, why: String) {
        self.file = file
        self.pages = pages
        self.truthCase = truthCase
        self.resultCase = resultCase
        self.why = why
    }

    enum CodingKeys: String, CodingKey {
        case file, pages, why
        case truthCase = "truth_case"
        case resultCase = "result_case"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(file, forKey: .file)
        try c.encode(pages, forKey: .pages)
        try c.encode(truthCase, forKey: .truthCase)
        try c.encode(resultCase, forKey: .resultCase)
        try c.encode(why, forKey: .why)
    }
}

/// The metrics of the corpus README, as `tools/score.py` computes them; JSON keys are the scorer's.
public struct EvaluationMetrics: Sendable, Hashable, Encodable {
    /// Wrong documents plus spurious filings: the number that must be 0.
    public var wrongFiled = 0
    public var wrongFiledDocs = 0
    /// Filed result documents that overlap no truth document, or come from a file that should be rejected
    /// or is a duplicate.
    public var spuriousFiled = 0
    public var autoFiledCorrect = 0.0
    public var reviewRate = 0.0
    public var typeAccuracy = 0.0
    public var queueAccuracy = 0.0
    public var fieldAccuracy = 0.0
    public var caseAccuracy = 0.0
    public var outcomeSafeRate = 0.0
    public var boundaryPrecision = 1.0
    public var boundaryRecall = 1.0
    public var boundaryF1 = 1.0
    public var boundaryTruePositives = 0
    public var boundaryFalsePositives = 0
    public var boundaryFalseNegatives = 0
    public var typeOK = 0
    public var queueOK = 0
    public var caseOK = 0
    public var caseKnown = 0
    public var accounted = 0
    public var filesTotal = 0
    public var rejectedOK = 0
    public var rejectedTotal = 0
    /// Should-be-rejected files handled by a status their truth also accepts.
    public var rejectedAlternativeOK = 0
    public var duplicatesOK = 0
    public var duplicatesTotal = 0
    public var processedOK = 0
    public var processedTotal = 0
    public var pagesOK = 0
    public var declaredOK = 0
    public var declaredTotal = 0
    public var incompleteFlagged = 0
    public var incompleteTotal = 0
    public var documents = 0
    public var fileable = 0
    /// Clinical documents (not cover sheets) filed to the right case.
    public var correctRecords = 0
    public var outcomeInSafe = 0
    public var outcomes = OutcomeCounts()
    public var fieldsOK = 0
    public var fieldsTotal = 0
    /// Values given where nothing is printed.
    public var fieldsSpurious = 0
    public var resultEntries = 0
    public var extraResultEntries = 0
    public var resultDocumentsUnmatched = 0
    public var byType: [String: TypeTally] = [:]
    public var byField: [String: FieldTally] = [:]
    public var byHazard: [String: GroupTally] = [:]
    public var byFamily: [String: GroupTally] = [:]
    /// In the order found: rejected-in-truth files, then documents file by file, then duplicates.
    public var wrongFiledList: [WrongFiling] = []
    /// File-level problems, one sentence each (they name files).
    public var problems: [String] = []

    public init() {}

    enum CodingKeys: String, CodingKey {
        case wrongFiled = "wrong_filed"
        case wrongFiledDocs = "wrong_filed_docs"
        case spuriousFiled = "spurious_filed"
        case autoFiledCorrect = "auto_filed_correct"
        case reviewRate = "review_rate"
        case typeAccuracy = "type_acc"
        case queueAccuracy = "queue_acc"
        case fieldAccuracy = "field_acc"
        case caseAccuracy = "case_acc"
        case outcomeSafeRate = "outcome_safe_rate"
        case boundaryPrecision = "boundary_precision"
        case boundaryRecall = "boundary_recall"
        case boundaryF1 = "boundary_f1"
        case boundaryTruePositives = "boundary_tp"
        case boundaryFalsePositives = "boundary_fp"
        case boundaryFalseNegatives = "boundary_fn"
        case typeOK = "type_ok"
        case queueOK = "queue_ok"
        case caseOK = "case_ok"
        case caseKnown = "case_known"
        case accounted
        case filesTotal = "files_total"
        case rejectedOK = "rejected_ok"
        case rejectedTotal = "rejected_total"
        case rejectedAlternativeOK = "rejected_alt_ok"
        case duplicatesOK = "duplicates_ok"
        case duplicatesTotal = "duplicates_total"
        case processedOK = "processed_ok"
        case processedTotal = "processed_total"
        case pagesOK = "pages_ok"
        case declaredOK = "declared_ok"
        case declaredTotal = "declared_total"
        case incompleteFlagged = "incomplete_flagged"
        case incompleteTotal = "incomplete_total"
        case documents = "docs"
        case fileable
        case correctRecords = "correct_records"
        case outcomeInSafe = "outcome_in_safe"
        case outcomes
        case fieldsOK = "fields_ok"
        case fieldsTotal = "fields_total"
        case fieldsSpurious = "fields_spurious"
        case resultEntries = "result_entries"
        case extraResultEntries = "extra_result_entries"
        case resultDocumentsUnmatched = "result_docs_unmatched_pages"
        case byType = "by_type"
        case byField = "by_field"
        case byHazard = "by_hazard"
        case byFamily = "by_family"
        case wrongFiledList = "wrong_filed_list"
        case problems
    }
}

/// A JSON key known only at run time (outcome names inside the tallies).
struct DynamicKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }

    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
