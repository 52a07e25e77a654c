import FileroomModel
import Matching
import Store

/// Where each document of a source ends up, from the matcher's decisions: one `Filing` per document.
///
/// Pure: the rules that cannot be left to the per-document matcher because they look at the whole fax.
public enum FilingPlan {

    /// Applies the whole-fax rules to per-document decisions (same order as `documents`):
    /// - junk (`other`) is never filed: it is unmatched;
    /// - a cover sheet is filed with the fax's case only when the fax has other documents and every one of them
    ///   was filed to that one case; otherwise it waits in review (unmatched when all the others are unmatched)
    ///   (CONTRACTS.md, "Documents and filing").
    /// - a fax that arrived short (`fax`: fewer pages than declared) files none of its documents without a person,
    ///   except those complete in themselves (their own "Page n of m" all present): the missing pages may be theirs.
    public static func filings(
        documents: [ExtractedDocument], decisions: [MatchDecision], fax: FaxArrival? = nil
    ) -> [Filing] {
        precondition(documents.count == decisions.count, "one decision per document")
        var result: [Filing] = zip(documents, decisions).map { document, decision in
            if document.type == .other {
                return Filing(
                    destination: .unmatched, caseID: nil, queue: .none, confidence: decision.confidence,
                    reason: "not a patient record (type other)"
                )
            }
            if let fax, let notice = fax.incompleteNotice, decision.status == .filed,
                document.fields.details["pages_complete"] == nil
            {
                return Filing(
                    destination: .review, caseID: decision.caseID, queue: document.type.queue,
                    confidence: decision.confidence, reason: "the fax is incomplete: \(notice)"
                )
            }
            return Filing(decision, queue: document.type.queue)
        }
        let others = result.indices.filter { documents[$0].type != .coverSheet && documents[$0].type != .other }
        let filedCases = Set(others.compactMap { result[$0].destination == .filed ? result[$0].caseID : nil })
        let allFiled = !others.isEmpty && others.allSatisfy { result[$0].destination == .filed }
        let allUnmatched = !others.isEmpty && others.allSatisfy { result[$0].destination == .unmatched }
        for index in result.indices where documents[index].type == .coverSheet {
            if decisions[index].rule == .multiplePatients {
                // A cover naming several patients is no one case's, whatever its documents say.
                result[index] = Filing(
                    destination: .review, caseID: nil, queue: .none, confidence: result[index].confidence,
                    reason: "cover sheet names several patients"
                )
            } else if allFiled, filedCases.count == 1, let caseID = filedCases.first {
                result[index] = Filing(
                    destination: .filed, caseID: caseID, queue: .none, confidence: result[index].confidence,
                    reason: "cover sheet travels with its fax: every document filed to \(caseID)"
                )
            } else if allUnmatched {
                result[index] = Filing(
                    destination: .unmatched, caseID: nil, queue: .none, confidence: result[index].confidence,
                    reason: "cover sheet of a fax whose documents are all unmatched"
                )
            } else {
                let proposed = filedCases.count == 1 ? filedCases.first : result[index].caseID
                result[index] = Filing(
                    destination: .review, caseID: proposed, queue: .none, confidence: result[index].confidence,
                    reason: others.isEmpty
                        ? "cover sheet without documents"
                        : "cover sheet of a fax not wholly filed to one case"
                )
            }
        }
        return result
    }
}

/// How much of a fax arrived: the pages its cover (or header) declared against the pages received.
public struct FaxArrival: Sendable, Hashable {
    public var declaredPages: Int?
    public var receivedPages: Int
    public var senderFax: String?

    public init(declaredPages: Int?, receivedPages: Int, senderFax: String?) {
        self.declaredPages = declaredPages
        self.receivedPages = receivedPages
        self.senderFax = senderFax
    }

    /// "4 of 6 pages received, request a resend from 6085550141"; nil for a fax that arrived whole. Names only the
    /// sender's fax number, never a patient.
    public var incompleteNotice: String? {
        guard let declaredPages, receivedPages < declaredPages else { return nil }
        let from = senderFax.map { " from \($0)" } ?? " from the sender"
        return "\(receivedPages) of \(declaredPages) pages received, request a resend\(from)"
    }
}
