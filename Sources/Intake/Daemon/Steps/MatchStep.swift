import FileroomModel
import Matching
import Store

/// `understood`: decides each document's case and where it goes (the whole-fax rules of `FilingPlan`), then
/// `matched`.
struct MatchStep: SourceStep {
    static let step = IntakeStep.match

    func run(_ source: SourceRecord, in engine: IntakeEngine) async throws -> StepResult {
        let store = engine.store
        let documents = try await store.documents(of: source.id)
        // The declared and received page counts as understanding recorded them.
        let current = try await store.source(source.id) ?? source
        let index = try await engine.caseIndexCache.index(from: store)
        let learned = try await learnedFacilities(store)
        let extracted = documents.map(\.fields)
        let decisions = documents.enumerated().map { position, document in
            var siblings = extracted
            siblings.remove(at: position)
            let context = MatchContext(
                senderFax: source.senderFax, siblings: siblings, learnedSenderFacilities: learned
            )
            return engine.matcher.decide(document.fields, context: context, in: index)
        }
        let filings = FilingPlan.filings(
            documents: documents.map {
                ExtractedDocument(
                    firstPage: $0.firstPage, lastPage: $0.lastPage, type: $0.type,
                    typeConfidence: $0.typeConfidence, evidence: $0.evidence, fields: $0.fields
                )
            },
            decisions: decisions,
            fax: FaxArrival(
                declaredPages: current.declaredPages, receivedPages: current.pageCount ?? 0,
                senderFax: current.senderFax
            )
        )
        let outcomes = documents.indices.map {
            DocumentFiling(documentID: documents[$0].id, decision: decisions[$0], filing: filings[$0])
        }
        try await store.recordMatched(source: source.id, outcomes: outcomes)
        return .advanced
    }

    private func learnedFacilities(_ store: any FileroomStore) async throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        for learned in try await store.learnedFaxNumbers() {
            if let facility = learned.facility { result[learned.fax, default: []].append(facility) }
        }
        return result
    }
}
