import FileroomModel
import Foundation
import Store
import Testing

@Suite struct StoreTests {
    @Test func migratesAndRunsAsALedger() async throws {
        try await withStore { store, path in
            let applied = try await store.appliedMigrations()
            #expect(applied.first == "v1-schema" && applied.contains("v2-worker-deaths"))
            let pragmas = try await store.pragmas()
            #expect(pragmas.journalMode == "wal")
            #expect(pragmas.synchronous == 2)  // FULL
            #expect(pragmas.foreignKeys)
            #expect(try await store.integrityCheck() == ["ok"])
            // Opening again (another process, a restart) runs nothing twice.
            let again = try SQLiteStore(path: path)
            #expect(try await again.appliedMigrations() == applied)
        }
    }

    @Test func sha256MatchesKnownVectors() {
        #expect(SHA256.hex(Array("".utf8)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        )
        let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(SHA256.hex(million) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        // Fed in uneven chunks, the digest is the same.
        var hasher = SHA256()
        var offset = 0
        for size in [1, 63, 64, 65, 1000, 7] {
            hasher.update(Array(million[offset..<(offset + size)]))
            offset += size
        }
        #expect(hasher.finalize().hexString == SHA256.hex(Array(million[0..<offset])))
    }

    // MARK: Cases

    @Test func importIsIdempotentAndUpdatesByCaseID() async throws {
        try await withStore { store, _ in
            let first = try await store.importCases(csv: sampleCasesCSV, skipInvalid: false, actor: "test")
            #expect(first.problems.isEmpty)
            #expect(first.summary == CaseUpsertSummary(inserted: 3, updated: 0, unchanged: 0))
            let second = try await store.importCases(csv: sampleCasesCSV, skipInvalid: false, actor: "test")
            #expect(second.summary == CaseUpsertSummary(inserted: 0, updated: 0, unchanged: 3))
            #expect(try await store.cases(status: nil).count == 3)

            let changed = sampleCasesCSV.replacingOccurrences(of: "Alvarez,Maria", with: "Alvarez-Ruiz,Maria")
            let third = try await store.importCases(csv: changed, skipInvalid: false, actor: "test")
            #expect(third.summary == CaseUpsertSummary(inserted: 0, updated: 1, unchanged: 2))

            let maria = try #require(try await store.case(caseID("SO-2026-00001")))
            #expect(maria.patientLast == "Alvarez-Ruiz")
            #expect(maria.phone == "6085550142")
            #expect(maria.referringFax == "6085550150")
            #expect(maria.address == "12 Lake St, Apt 3")
            #expect(maria.referringProvider == "Ann Ray, MD")
            #expect(maria.dateOfBirth == date("1961-03-04"))
            let thi = try #require(try await store.case(caseID("SO-2026-00003")))
            #expect(thi.status == .closed)
            #expect(thi.phone == "6085550177")
            #expect(thi.referringFax == "9205550189")
            #expect(try await store.cases(status: .open).map(\.caseID.rawValue) == ["SO-2026-00001", "SO-2026-00002"])
        }
    }

    @Test func badRowsAreReportedWithLineNumbersAndNothingIsImported() async throws {
        let csv = """
            \(caseHeader)
            SO-1,open,Good,Row,,1961-03-04,F,,,,,,,,,,,
            SO-2,open,Bad,Date,,1961-02-30,F,,,,,,,,,,,
            SO-3,pending,Bad,Status,,1961-03-04,F,,,,,,,,,,,
            "SO-4",open,"Two
            Lines",Fine,,1961-03-04,F,,,,,,,,,,,
            SO 5,open,Bad,Id,,1961-03-04,F,,,,,,,,,,,
            SO-6,open,Future,Birth,,2999-01-01,F,,,,,,,,,,,
            SO-7,open,Old,Birth,,1899-12-31,F,,,,,,,,,,,
            SO-8,open,Bad,Fax,,1961-03-04,F,,,,,,,,,12345,,
            SO-1,open,Repeated,Id,,1961-03-04,F,,,,,,,,,,,
            SO-9,open,Short,Row
            SO-10,open,,Nolast,,1961-03-04,F,,,,,,,,,,,
            """
        try await withStore { store, _ in
            let report = try await store.importCases(
                csv: csv, skipInvalid: false, actor: "test", today: date("2026-11-27"))
            #expect(report.summary == nil)
            #expect(try await store.cases(status: nil).isEmpty)
            #expect(report.problems.map(\.line) == [3, 4, 7, 8, 9, 10, 11, 12, 13])
            #expect(report.problems.map(\.caseID) == ["SO-2", "SO-3", "SO 5", "SO-6", "SO-7", "SO-8", "SO-1", "SO-9", "SO-10"])
            #expect(report.problems[0].description.contains("line 3"))
            #expect(report.problems[0].description.contains("dob"))
            #expect(report.problems[1].message.contains("status"))
            #expect(report.problems[5].message.contains("referring_fax"))
            #expect(report.problems[6].message.contains("repeats line 2"))

            let skipping = try await store.importCases(
                csv: csv, skipInvalid: true, actor: "test", today: date("2026-11-27"))
            #expect(skipping.summary?.inserted == 2)
            #expect(try await store.cases(status: nil).map(\.caseID.rawValue) == ["SO-1", "SO-4"])
            #expect(try await store.case(caseID("SO-4"))?.patientLast == "Two\nLines")
        }
    }

    @Test func csvParserHandlesQuotesAndLineEndings() {
        let csv = caseHeader + "\r\n" + #"SO-1,open,"O""Neil",Pat,,1961-03-04,F,,,"1 A St, B",,,,,,,,"# + "\r\n"
        let result = CaseCSV.parse(csv, today: date("2026-11-27"))
        #expect(result.problems.isEmpty)
        #expect(result.records.first?.patientLast == #"O"Neil"#)
        #expect(result.records.first?.address == "1 A St, B")
        let missingColumn = CaseCSV.parse("case_id,status\nSO-1,open\n")
        #expect(missingColumn.problems.first?.line == 1)
        #expect(CaseCSV.parse("").problems.first?.line == 1)
    }

    @Test func closingACaseIsAudited() async throws {
        try await withStore { store, _ in
            _ = try await store.importCases(csv: sampleCasesCSV, skipInvalid: false, actor: "test")
            #expect(try await store.closeCase(caseID("SO-2026-00001"), actor: "ann", reason: "done"))
            #expect(try await store.closeCase(caseID("SO-2026-00001"), actor: "ann", reason: nil) == false)
            await #expect(throws: StoreError.notFound(kind: "case", id: "SO-404")) {
                try await store.closeCase(caseID("SO-404"), actor: "ann", reason: nil)
            }
            #expect(try await store.case(caseID("SO-2026-00001"))?.status == .closed)
            let entries = try await store.auditEntries(item: nil, caseID: "SO-2026-00001")
            #expect(entries.map(\.action) == ["case.close"])
            #expect(entries.first?.actor == "ann")
            #expect(entries.first?.reason == "done")
            // A re-import of the list that still says open leaves it closed (issue 13): reopening is explicit,
            // with --update-status or `cases reopen`.
            let again = try await store.importCases(csv: sampleCasesCSV, skipInvalid: false, actor: "test")
            #expect(again.summary?.keptClosed == 1)
            #expect(try await store.case(caseID("SO-2026-00001"))?.status == .closed)
            _ = try await store.importCases(csv: sampleCasesCSV, skipInvalid: false, actor: "test", updateStatus: true)
            #expect(try await store.case(caseID("SO-2026-00001"))?.status == .open)
        }
    }
}
