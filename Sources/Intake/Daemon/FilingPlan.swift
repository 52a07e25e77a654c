import FileroomModel

/// Where each document of a source ends up, and the source's final state, from the matcher's decisions.
///
/// Pure: the rules that cannot be left to the per-document matcher because they look at the whole fax.
public enum FilingPlan {
    /// One document's final outcome.
    public struct Outcome: Sendable, Hashable {
        public var status: MatchStatus
        public var caseID: CaseID?
        public var queue: FilingQueue
        public var confidence: Double
        public var reason: String
    }

    /// Applies the whole-fax rules to per-document decisions (same order as `documents`):
    /// - junk (`other`) is never filed: it is unmatched;
    /// - a cover sheet is filed with the fax's case only when the fax has other documents and every one of them
    ///   was filed to that one case; otherwise it waits in review (unmatched when all the others are unmatched)
    ///   (CONTRACTS.md, "Documents and filing").
    public static func outcomes(documents: [ExtractedDocument], decisions: [MatchDecision]) -> [Outcome] {
        precondition(documents.count == decisions.count, "one decision per document")
        var result: [Outcome] = zip(documents, decisions).map { document, decision in
            if document.type == .other {
                return Outcome(
                    status: .unmatched, caseID: nil, queue: .none, confidence: decision.confidence,
                    reason: "not a patient record (type other)"
                )
            }
            return Outcome(
                status: decision.status, caseID: decision.status == .unmatched ? nil : decision.caseID,
                queue: document.type.queue, confidence: decision.confidence, reason: decision.reason
            )
        }
        let others = result.indices.filter { documents[$0].type != .coverSheet && documents[$0].type != .other }
        let filedCases = Set(others.compactMap { result[$0].status == .filed ? result[$0].caseID : nil })
        let allFiled = !others.isEmpty && others.allSatisfy { result[$0].status == .filed }
        let allUnmatched = !others.isEmpty && others.allSatisfy { result[$0].status == .unmatched }
        for index in result.indices where documents[index].type == .coverSheet {
            if allFiled, filedCases.count == 1, let caseID = filedCases.first {
                result[index] = Outcome(
                    status: .filed, caseID: caseID, queue: .none, confidence: result[index].confidence,
                    reason: "cover sheet travels with its fax: every document filed to \(caseID)"
                )
            } else if allUnmatched {
                result[index] = Outcome(
                    status: .unmatched, caseID: nil, queue: .none, confidence: result[index].confidence,
                    reason: "cover sheet of a fax whose documents are all unmatched"
                )
            } else {
                let proposed = filedCases.count == 1 ? filedCases.first : result[index].caseID
                result[index] = Outcome(
                    status: .review, caseID: proposed, queue: .none, confidence: result[index].confidence,
                    reason: others.isEmpty
                        ? "cover sheet without documents"
                        : "cover sheet of a fax not wholly filed to one case"
                )
            }
        }
        return result
    }

    /// The source's final state from its documents' outcomes: review when anyone must look at it,
    /// filed when something was filed and nothing waits, unmatched otherwise.
    public static func sourceState(_ outcomes: [Outcome]) -> MatchStatus {
        if outcomes.contains(where: { $0.status == .review }) { return .review }
        if outcomes.contains(where: { $0.status == .filed }) { return .filed }
        return .unmatched
    }
}
