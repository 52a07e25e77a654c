import FileroomModel
import Foundation
import Store
import Testing

@Suite struct PipelineStoreTests {
    @Test(arguments: Backend.available) func claimsAreIdempotentAndDuplicatesPointAtTheOriginal(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let first = try await store.recordClaim(newSource("src_A", bytes: "same bytes"))
            guard case .recorded(let a) = first else {
                Issue.record("expected a new source, got \(first)")
                return
            }
            #expect(a.state == .claimed)
            #expect(a.receivedAt == "2026-11-18T11:06:40.000Z")
            let again = try await store.recordClaim(newSource("src_A", bytes: "same bytes"))
            #expect(again == .alreadyRecorded(a))

            let copy = try await store.recordClaim(newSource("src_B", bytes: "same bytes", name: "fax_1.tif"))
            guard case .duplicate(let b, of: let original) = copy else {
                Issue.record("expected a duplicate, got \(copy)")
                return
            }
            #expect(original.id == "src_A")
            #expect(b.state == .duplicate)
            #expect(b.duplicateOf == "src_A")
            #expect(try await store.findBySHA256(a.sha256)?.id == "src_A")
            #expect(try await store.unfinishedSources().map(\.id) == ["src_A"])
        }
    }

    @Test(arguments: Backend.available) func workerDeathsAreRecordedWithTheirPageAndCounted(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            _ = try await store.recordClaim(newSource("src_P"))
            try await store.checkpointPage(source: "src_P", page(1))
            #expect(try await store.recordWorkerDeath(source: "src_P", page: 2, cause: "CPU time limit (SIGXCPU)") == 1)
            #expect(try await store.recordWorkerDeath(source: "src_P", page: nil, cause: "missed its deadline") == 2)
            let deaths = try await store.workerDeaths(of: "src_P")
            #expect(deaths.map(\.page) == [2, nil])
            #expect(deaths.map(\.cause) == ["CPU time limit (SIGXCPU)", "missed its deadline"])
            let source = try #require(try await store.source("src_P"))
            #expect(source.deaths == 2)
            // Recording a death decides nothing by itself: the engine quarantines; pages stay checkpointed.
            #expect(source.state == .claimed)
            #expect(try await store.finishedPageNumbers(of: "src_P") == [1])
            await #expect(throws: StoreError.self) {
                _ = try await store.recordWorkerDeath(source: "src_missing", page: 1, cause: "x")
            }
        }
    }

    @Test(arguments: Backend.available) func aSourceGoesThroughEveryStepToFiledAndExport(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            _ = try await store.importCases(csv: sampleCasesCSV, skipInvalid: false, actor: "test")
            _ = try await store.recordClaim(newSource("src_F", bytes: "fax", name: "fax 1 ü.tif"))
            try await store.checkpointPage(source: "src_F", page(1, text: "FAX COVER"))
            try await store.checkpointPage(source: "src_F", page(2))
            try await store.setState("src_F", to: .decoded, pageCount: 2, declaredPages: nil, senderFax: nil,
                                     archivePath: "/home/archive/ab/abcd", claimedPath: nil)
            let fields = DocumentFields(
                patientLast: Extracted("Alvarez", confidence: 0.9, page: 2),
                patientFirst: Extracted("Maria", confidence: 0.9, page: 2),
                dateOfBirth: Extracted(date("1961-03-04"), confidence: 0.95, page: 2),
                providerFax: Extracted("6085550150", confidence: 0.8, page: 2)
            )
            let understood = UnderstoodSource(
                documents: [
                    ExtractedDocument(firstPage: 1, lastPage: 1, type: .coverSheet, typeConfidence: 0.9,
                                      evidence: ["title: FAX"], fields: DocumentFields()),
                    ExtractedDocument(firstPage: 2, lastPage: 2, type: .pathologyReport, typeConfidence: 0.95,
                                      evidence: ["title: SURGICAL PATHOLOGY REPORT"], fields: fields),
                ],
                declaredPages: 2, receivedPages: 2, senderFax: "6085550150"
            )
            let documents = try await store.recordUnderstood(source: "src_F", understood)
            #expect(documents.map(\.type) == [.coverSheet, .pathologyReport])
            #expect(documents.map(\.status) == [.pending, .pending])
            // Redoing the step after a crash replaces, never doubles.
            let redone = try await store.recordUnderstood(source: "src_F", understood)
            #expect(try await store.documents(of: "src_F").map(\.id) == redone.map(\.id))

            let maria = caseID("SO-2026-00001")
            let candidate = MatchCandidate(
                caseID: maria, caseStatus: .open, probability: 0.995,
                comparisons: [FieldComparison(field: "dob", level: "exact", weight: 8)]
            )
            let decision = MatchDecision(status: .filed, caseID: maria, confidence: 0.995, candidates: [candidate],
                                         reason: "exact DOB and names")
            try await store.recordMatched(
                source: "src_F",
                outcomes: redone.map { DocumentFiling(documentID: $0.id, decision: decision) }
            )
            #expect(try await store.source("src_F")?.state == .matched)

            let coverItem = try await store.markFiled(document: redone[0].id, path: nil)
            #expect(coverItem == nil)  // a cover sheet opens no reader queue item
            let item = try #require(try await store.markFiled(document: redone[1].id, path: "/home/filed/x.pdf"))
            #expect(item.kind == .pathology)
            #expect(item.caseID == maria)
            #expect(item.candidates.first?.caseID == maria)
            // Idempotent: filing again opens nothing new.
            #expect(try await store.markFiled(document: redone[1].id, path: "/home/filed/x.pdf")?.id == item.id)
            try await store.setState("src_F", to: .filed, pageCount: nil, declaredPages: nil, senderFax: nil,
                                     archivePath: nil, claimedPath: nil)

            // Filed documents can't be replaced behind the filing.
            await #expect(throws: StoreError.self) {
                _ = try await store.replaceDocuments(source: "src_F", [])
            }

            #expect(try await store.queueItems(kind: .pathology, state: .open, caseID: nil).map(\.id) == [item.id])
            #expect(try await store.queueItems(kind: .pathology, state: .open, caseID: caseID("SO-2026-00002")).isEmpty)
            #expect(try await store.documents(forCase: maria).count == 2)
            #expect(try await store.markQueueItemDone(item.id, by: "dr-path", reason: nil))
            #expect(try await store.markQueueItemDone(item.id, by: "dr-path", reason: nil) == false)
            #expect(try await store.queueItems(kind: .pathology, state: .open, caseID: nil).isEmpty)

            let exported = try await store.export()
            #expect(exported.count == 1)
            let source = try #require(exported.first)
            #expect(source.file == "fax 1 ü.tif")
            #expect(source.status == "processed")
            #expect(source.pages == 2)
            #expect(source.declaredPages == 2)
            #expect(source.documents.map(\.pages) == [[1, 1], [2, 2]])
            #expect(source.documents.map(\.status) == ["filed", "filed"])
            #expect(source.documents.map(\.queue) == ["none", "pathology"])
            #expect(source.documents[1].fields.dob == "1961-03-04")
            #expect(source.documents[1].fields.mrn == nil)

            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let json = String(decoding: try encoder.encode(["sources": exported]), as: UTF8.self)
            #expect(json.contains(#""declared_pages":2"#))
            #expect(json.contains(#""error":null"#))
            #expect(json.contains(#""case_id":"SO-2026-00001""#))
            #expect(json.contains(#""mrn":null"#))

            let counts = try await store.counts()
            #expect(counts.sourcesByState[.filed] == 1)
            #expect(counts.documentsByStatus[.filed] == 2)
            #expect(counts.openQueueItems[.pathology] == 0)
            #expect(counts.oldestUnfinished == nil)
        }
    }

    @Test(arguments: Backend.available) func rejectedSourcesExportTheirReason(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            _ = try await store.recordClaim(newSource("src_R", name: "bad.pdf"))
            try await store.reject(source: "src_R", reason: "not_a_pdf", message: "not_a_pdf: no %PDF header")
            let exported = try await store.export()
            #expect(exported.first?.status == "rejected")
            #expect(exported.first?.error == "not_a_pdf: no %PDF header")
            #expect(exported.first?.documents.isEmpty == true)
            let counts = try await store.counts()
            #expect(counts.sourcesByState[.rejected] == 1)
            #expect(counts.lastErrors.map(\.sourceID) == ["src_R"])
        }
    }

    @Test(arguments: Backend.available) func learnedFaxNumbersCountConfirmations(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            _ = try await store.importCases(csv: sampleCasesCSV, skipInvalid: false, actor: "test")
            try await store.learnFax("(608) 555-0150", facility: "North Clinic", caseID: nil, actor: "ann")
            try await store.learnFax("6085550150", facility: "North Clinic", caseID: nil, actor: "bob")
            let learned = try await store.learnedFaxNumbers()
            #expect(learned.count == 1)
            #expect(learned.first?.confirmations == 2)
            #expect(learned.first?.lastConfirmedBy == "bob")
            await #expect(throws: StoreError.self) {
                try await store.learnFax("555-0150", facility: nil, caseID: nil, actor: "ann")
            }
        }
    }
}
