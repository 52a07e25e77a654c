import FileroomModel
import Foundation
import Store
import Testing

@Suite struct ReviewStoreTests {
    /// A source with one 3-page clinic note sent to review with SO-2026-00001 proposed.
    func prepareReviewItem(_ store: any FileroomStore) async throws -> QueueItem {
        _ = try await store.importCases(csv: sampleCasesCSV, skipInvalid: false, actor: "test")
        _ = try await store.recordClaim(newSource("src_V"))
        try await store.setState("src_V", to: .decoded, pageCount: 3, declaredPages: nil, senderFax: nil,
                                 archivePath: nil, claimedPath: nil)
        let documents = try await store.recordUnderstood(
            source: "src_V",
            UnderstoodSource(
                documents: [ExtractedDocument(firstPage: 1, lastPage: 3, type: .clinicNote, typeConfidence: 0.7,
                                              evidence: [], fields: DocumentFields())],
                declaredPages: nil, receivedPages: 3, senderFax: nil
            )
        )
        let proposed = caseID("SO-2026-00001")
        let decision = MatchDecision(
            status: .review, caseID: proposed, confidence: 0.8,
            candidates: [MatchCandidate(caseID: proposed, caseStatus: .open, probability: 0.8, comparisons: [])],
            reason: "transposed DOB"
        )
        try await store.recordMatched(source: "src_V", outcomes: [DocumentFiling(documentID: documents[0].id, decision: decision)])
        return try #require(try await store.markFiled(document: documents[0].id, path: "/home/review/x.pdf"))
    }

    @Test(arguments: Backend.available) func assigningRefusesClosedOrUnknownCasesAndFilesToAnOpenOne(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let item = try await prepareReviewItem(store)
            #expect(item.kind == .review)
            #expect(try await store.queueItems(kind: .review, state: .open, caseID: nil).map(\.id) == [item.id])

            await #expect(throws: StoreError.self) {
                _ = try await store.assignReviewItem(item.id, to: caseID("SO-2026-00003"), actor: "ann", reason: nil, filedPath: nil)
            }
            await #expect(throws: StoreError.notFound(kind: "case", id: "SO-404")) {
                _ = try await store.assignReviewItem(item.id, to: caseID("SO-404"), actor: "ann", reason: nil, filedPath: nil)
            }
            #expect(try await store.queueItem(item.id)?.state == .open)
            #expect(try await store.auditEntries(item: item.id, caseID: nil).isEmpty)

            let (document, outside) = try await store.assignReviewItem(
                item.id, to: caseID("SO-2026-00002"), actor: "ann", reason: "phoned the clinic", filedPath: "/f.pdf")
            #expect(outside)
            #expect(document.status == .filed)
            #expect(document.caseID == caseID("SO-2026-00002"))
            #expect(try await store.queueItem(item.id)?.state == .done)
            #expect(try await store.queueItems(kind: .records, state: .open, caseID: caseID("SO-2026-00002")).count == 1)
            // Repeating it is harmless.
            _ = try await store.assignReviewItem(item.id, to: caseID("SO-2026-00002"), actor: "ann", reason: nil, filedPath: nil)
            let audit = try await store.auditEntries(item: item.id, caseID: nil)
            #expect(audit.map(\.action) == ["review.assign"])
            #expect(audit.first?.after?.contains("outside_candidates") == true)
            #expect(try await store.verifyAudit().isIntact)
        }
    }

    @Test(arguments: Backend.available) func splittingAndRetypingAndRejecting(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let item = try await prepareReviewItem(store)
            await #expect(throws: StoreError.self) {
                _ = try await store.splitReviewItem(item.id, atPage: 1, actor: "ann")
            }
            let (first, second) = try await store.splitReviewItem(item.id, atPage: 3, actor: "ann")
            #expect(first.firstPage == 1 && first.lastPage == 2)
            #expect(second.firstPage == 3 && second.lastPage == 3)
            #expect(try await store.documents(of: "src_V").map(\.ordinal) == [0, 1])

            let retyped = try await store.retypeReviewItem(second.id, to: .pathologyReport, actor: "ann", reason: nil)
            #expect(retyped.queue == .pathology)
            let rejected = try await store.rejectReviewItem(first.id, actor: "ann", reason: "not ours")
            #expect(rejected.status == .rejected)
            #expect(try await store.queueItems(kind: .review, state: .open, caseID: nil).map(\.id) == [second.id])
            let actions = try await store.auditEntries(item: nil, caseID: nil).map(\.action)
            #expect(actions == ["cases.import", "review.split", "review.retype", "review.reject"])
        }
    }
}
