import FileroomModel
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
    public static func filings(documents: [ExtractedDocument], decisions: [MatchDecision]) -> [Filing] {
        precondition(documents.count == decisions.count, "one decision per document")
        var result: [Filing] = zip(documents, decisions).map { document, decision in
            if document.type == .other {
                return Filing(
                    destination: .unmatched, caseID: nil, queue: .none, confidence: decision.confidence,
                    reason: "not a patient record (type other)"
                )
            }
            return Filing(decision, queue: document.type.queue)
        }
        let others = result.indices.filter { documents[$0].type != .coverSheet && documents[$0].type != .other }
        let filedCases = Set(others.compactMap { result[$0].destination == .filed ? result[$0].caseID : nil })
        let allFiled = !others.isEmpty && others.allSatisfy { result[$0].destination == .filed }
        let allUnmatched = !others.isEmpty && others.allSatisfy { result[$0].destination == .unmatched }
        for index in result.indices where documents[index].type == .coverSheet {
            if allFiled, filedCases.count == 1, let caseID = filedCases.first {
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
