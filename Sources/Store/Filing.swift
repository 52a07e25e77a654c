import FileroomModel

/// Where one document goes and why: the single value the daemon's filing step and the staff's review actions
/// hand to the filing door. It replaces the per-layer outcome types that used to be bridged by raw values.
public struct Filing: Sendable, Hashable {
    /// `filed` to `caseID`, `review` (with the proposed case, if any) or `unmatched`.
    public var destination: MatchStatus
    /// The filed case, or the proposed one while in review; nil when unmatched.
    public var caseID: CaseID?
    /// The reader queue of a filed document (`none` for cover sheets and junk).
    public var queue: FilingQueue
    public var confidence: Double
    /// Plain words for staff (may name a case id, never a patient).
    public var reason: String

    public init(destination: MatchStatus, caseID: CaseID?, queue: FilingQueue, confidence: Double, reason: String) {
        self.destination = destination
        self.caseID = destination == .unmatched ? nil : caseID
        self.queue = queue
        self.confidence = confidence
        self.reason = reason
    }

    /// The matcher's decision taken as it is (no whole-fax rule applied).
    public init(_ decision: MatchDecision, queue: FilingQueue) {
        self.init(
            destination: decision.status, caseID: decision.caseID, queue: queue, confidence: decision.confidence,
            reason: decision.reason
        )
    }

    /// A staff member's choice of case for a document: filed, whatever the matcher said.
    public static func byStaff(to caseID: CaseID, queue: FilingQueue, reason: String?) -> Filing {
        Filing(destination: .filed, caseID: caseID, queue: queue, confidence: 1, reason: reason ?? "filed by staff")
    }

    /// The document status this filing gives.
    public var documentStatus: DocumentStatus { DocumentStatus(destination) }

    /// A source's final state from its documents' filings: review when anyone must look at it, filed when
    /// something was filed and nothing waits, unmatched otherwise.
    public static func sourceState(_ filings: [Filing]) -> SourceState {
        if filings.contains(where: { $0.destination == .review }) { return .review }
        if filings.contains(where: { $0.destination == .filed }) { return .filed }
        return .unmatched
    }
}

/// The matcher's decision for one document and where it goes.
public struct DocumentFiling: Sendable, Hashable {
    public var documentID: String
    public var decision: MatchDecision
    public var filing: Filing

    public init(documentID: String, decision: MatchDecision, filing: Filing) {
        self.documentID = documentID
        self.decision = decision
        self.filing = filing
    }

    /// The decision as it is, for a document of `queue`.
    public init(documentID: String, decision: MatchDecision, queue: FilingQueue = .records) {
        self.init(documentID: documentID, decision: decision, filing: Filing(decision, queue: queue))
    }
}

extension DocumentStatus {
    public init(_ destination: MatchStatus) {
        switch destination {
        case .filed: self = .filed
        case .review: self = .review
        case .unmatched: self = .unmatched
        }
    }
}

extension DocumentRecord {
    /// Where the document went, once decided (nil while pending, and for a document staff rejected).
    public var filing: Filing? {
        let destination: MatchStatus
        switch status {
        case .filed: destination = .filed
        case .review: destination = .review
        case .unmatched: destination = .unmatched
        case .pending, .rejected: return nil
        }
        return Filing(
            destination: destination, caseID: caseID, queue: queue, confidence: confidence ?? 0,
            reason: decision?.reason ?? ""
        )
    }
}

extension DocumentRecord {
    /// The record as `filing` places it: its status and case (the folder its files belong in follows from them).
    public func applying(_ filing: Filing) -> DocumentRecord {
        var copy = self
        copy.status = filing.documentStatus
        copy.caseID = filing.caseID
        return copy
    }
}
