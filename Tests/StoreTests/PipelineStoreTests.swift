import FileroomModel
import Foundation
import Store
import Testing

@Suite struct PipelineStoreTests {
    @Test func claimsAreIdempotentAndDuplicatesPointAtTheOriginal() async throws {
        try await withStore { store, _ in
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

    @Test func aDeathCountsOnlyWithoutProgressAndThreeInARowArePoison() async throws {
        try await withStore { store, _ in
            _ = try await store.recordClaim(newSource("src_P"))

            // Three attempts that never end and never finish a page: the fourth start finds three deaths.
            for expectedDeaths in 0..<3 {
                let start = try await store.beginAttempt("src_P", processID: 1, poisonAfter: 3)
                guard case .started(_, let deaths) = start else {
                    Issue.record("poisoned too early: \(start)")
                    return
                }
                #expect(deaths == expectedDeaths)
            }
            let fourth = try await store.beginAttempt("src_P", processID: 1, poisonAfter: 3)
            guard case .poison(let poisoned) = fourth else {
                Issue.record("expected poison, got \(fourth)")
                return
            }
            #expect(poisoned.state == .rejected)
            #expect(poisoned.isPoison)
            #expect(poisoned.errorMessage?.hasPrefix("poison") == true)
            // Asking again (a restart that still finds the file) keeps answering poison, without a new attempt.
            let fifth = try await store.beginAttempt("src_P", processID: 1, poisonAfter: 3)
            #expect(fifth == .poison(poisoned))
            let exported = try await store.export()
            #expect(exported.first?.status == "rejected")
            #expect(exported.first?.error?.hasPrefix("poison") == true)
        }
    }

    @Test func progressOrAGracefulStopNeverMakesPoison() async throws {
        try await withStore { store, _ in
            _ = try await store.recordClaim(newSource("src_G"))
            // Killed repeatedly, but each time a page finished in between (kill -9 during normal work).
            for number in 1...6 {
                let start = try await store.beginAttempt("src_G", processID: 1, poisonAfter: 3)
                guard case .started(_, let deaths) = start else {
                    Issue.record("a source making progress became poison")
                    return
                }
                #expect(deaths == 0)
                try await store.checkpointPage(source: "src_G", page(number))
            }
            // Graceful stops never count.
            for _ in 0..<5 {
                let start = try await store.beginAttempt("src_G", processID: 2, poisonAfter: 3)
                guard case .started(let attempt, _) = start else {
                    Issue.record("graceful stops made poison")
                    return
                }
                try await store.endAttempt(attempt, .graceful)
            }
            // Two deaths, then a finished attempt: the run is broken.
            _ = try await store.beginAttempt("src_G", processID: 3, poisonAfter: 3)
            _ = try await store.beginAttempt("src_G", processID: 4, poisonAfter: 3)
            let third = try await store.beginAttempt("src_G", processID: 5, poisonAfter: 3)
            guard case .started(let attempt, let deaths) = third else {
                Issue.record("poisoned after two deaths")
                return
            }
            #expect(deaths == 2)
            try await store.endAttempt(attempt, .finished)
            #expect(try await store.source("src_G")?.deaths == 0)
            #expect(try await store.source("src_G")?.state == .claimed)
            #expect(try await store.pages(of: "src_G").map(\.number) == [1, 2, 3, 4, 5, 6])
            #expect(try await store.finishedPageNumbers(of: "src_G") == Set(1...6))
        }
    }

    @Test func aSourceGoesThroughEveryStepToFiledAndExport() async throws {
        try await withStore { store, _ in
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

    @Test func rejectedSourcesExportTheirReason() async throws {
        try await withStore { store, _ in
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

    @Test func learnedFaxNumbersCountConfirmations() async throws {
        try await withStore { store, _ in
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
