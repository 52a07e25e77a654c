import FileroomModel
import Foundation
import Evaluation
import Testing

// Invented fixtures. Every expected figure below was cross-checked with the reference scorer
// (`score.py --json`) on the same truth and export.

private let truthJSON = #"""
    {"variant": "test", "seed": 1, "center": {"name": "Test Center", "fax": "6085550100"}, "sources": [
     {"file": "fax_a.tif", "format": "tiff-g4", "pages": 4, "declared_pages": 4, "expect": "processed",
      "reject_reason": null, "duplicate_of": null, "blank_pages": [3], "incomplete": false, "documents": [
       {"pages": [1, 1], "type": "cover_sheet", "case_id": "T-1", "queue": "none",
        "safe_outcomes": ["filed", "review", "unmatched"],
        "fields": {"patient_last": "Quill", "patient_first": "Ada", "dob": "1960-02-03", "mrn": null,
                   "provider_name": "Rob Stone", "facility": "Harbor Point Medical Group", "provider_fax": "6085550142",
                   "service_date": "2026-01-05"}},
       {"pages": [2, 3], "type": "pathology_report", "case_id": "T-1", "queue": "pathology",
        "safe_outcomes": ["filed", "review"],
        "fields": {"patient_last": "Quill-Marsh", "patient_first": "Ada", "dob": "1960-02-03", "mrn": "HP-0042",
                   "provider_name": "Lena O'Hara", "facility": "Harbor Point Medical Group",
                   "provider_fax": "6085550142", "service_date": "2025-12-20"}},
       {"pages": [4, 4], "type": "clinic_note", "case_id": null, "queue": "records",
        "safe_outcomes": ["review", "unmatched"],
        "fields": {"patient_last": "Quill", "patient_first": "Ann", "dob": null, "mrn": null, "provider_name": null,
                   "facility": null, "provider_fax": null, "service_date": null}}]},
     {"file": "fax_b.pdf", "format": "pdf-text", "pages": 3, "declared_pages": 4, "expect": "processed",
      "incomplete": true, "documents": [
       {"pages": [1, 3], "type": "lab_report", "case_id": "T-2", "queue": "records", "safe_outcomes": ["filed", "review"],
        "fields": {"patient_last": "N\#u{FA}\#u{F1}ez", "patient_first": "Bo", "dob": "1971-07-08", "mrn": "00123",
                   "provider_name": "Kim Park", "facility": "Lakeview Labs", "provider_fax": "9205550111",
                   "service_date": "2026-01-02"}}]},
     {"file": "fax_c.tif", "format": "tiff-g4", "pages": 4, "declared_pages": 4, "expect": "duplicate",
      "duplicate_of": "fax_a.tif", "documents": []},
     {"file": "bad.tif", "format": "bad", "pages": null, "declared_pages": null, "expect": "rejected",
      "reject_reason": "empty_file", "documents": []},
     {"file": "blank.pdf", "format": "bad", "pages": 600, "declared_pages": null, "expect": "rejected",
      "reject_reason": "too_many_pages", "acceptable_expect": ["rejected", "processed"], "documents": []},
     {"file": "A\#u{F1}ejo fax.tif", "format": "tiff-g3", "pages": 1, "declared_pages": null, "expect": "processed",
      "documents": [
       {"pages": [1, 1], "type": "radiology_report", "case_id": "T-3", "queue": "radiology",
        "safe_outcomes": ["filed", "review"],
        "fields": {"patient_last": "Eyre", "patient_first": "Jo", "dob": "1980-10-10", "mrn": null,
                   "provider_name": "Sam Lee", "facility": "North Imaging", "provider_fax": null,
                   "service_date": "2026-01-03"}}]}
    ]}
    """#

/// A run with field variants that still count, a merged boundary that files a no-case clinic note, a filing
/// to the wrong case under an NFD spelling of the file name, and a file that is not in the spool.
private let mixedJSON = #"""
    {"sources": [
     {"file": "fax_a.tif", "sha256": "aa", "status": "processed", "error": null, "pages": 4, "declared_pages": 4,
      "documents": [
       {"pages": [1, 1], "type": "cover_sheet", "case_id": "T-1", "queue": "none", "status": "filed", "confidence": 0.9,
        "fields": {"patient_last": "QUILL", "patient_first": "Ada", "dob": "1960-02-03", "mrn": null,
                   "provider_name": "Rob Stone, MD", "facility": "Harbor Point Medical",
                   "provider_fax": "1 (608) 555-0142", "service_date": "2026-01-05"}},
       {"pages": [2, 4], "type": "pathology_report", "case_id": "T-1", "queue": "pathology", "status": "filed",
        "confidence": 0.8,
        "fields": {"patient_last": "Quill Marsh", "patient_first": "Ada", "dob": " 1960-02-03", "mrn": "hp0042",
                   "provider_name": "Dr. Lena OHara", "facility": "Harbor", "provider_fax": "608-555-0142",
                   "service_date": "2025-12-21"}}]},
     {"file": "fax_b.pdf", "sha256": "bb", "status": "processed", "error": null, "pages": 3, "declared_pages": 4,
      "documents": [
       {"pages": [1, 1], "type": "lab_report", "case_id": "T-2", "queue": "records", "status": "review",
        "confidence": 0.5,
        "fields": {"patient_last": "Nunez", "patient_first": "Bo", "dob": "1971-07-08", "mrn": "123",
                   "provider_name": "Kim Park", "facility": "Lakeview Labs", "provider_fax": "9205550111",
                   "service_date": "2026-01-02"}},
       {"pages": [2, 3], "type": "clinic_note", "case_id": "T-2", "queue": "records", "status": "review",
        "confidence": 0.5, "fields": {}}]},
     {"file": "fax_c.tif", "sha256": "aa", "status": "duplicate", "error": null, "pages": 4, "declared_pages": 4,
      "documents": []},
     {"file": "bad.tif", "sha256": "cc", "status": "rejected", "error": "empty file", "pages": 0,
      "declared_pages": null, "documents": []},
     {"file": "blank.pdf", "sha256": "dd", "status": "processed", "error": null, "pages": 600, "declared_pages": null,
      "documents": [
       {"pages": [1, 600], "type": "other", "case_id": null, "queue": "none", "status": "unmatched",
        "confidence": 0.1, "fields": {}}]},
     {"file": "An\#u{303}ejo fax.tif", "sha256": "ee", "status": "processed", "error": null, "pages": 1,
      "declared_pages": null, "documents": [
       {"pages": [1, 1], "type": "radiology_report", "case_id": "T-9", "queue": "radiology", "status": "filed",
        "confidence": 0.7,
        "fields": {"patient_last": "Eyre", "patient_first": "Jo", "dob": "1980-10-10", "mrn": null,
                   "provider_name": "Sam Lee", "facility": "North Imaging", "provider_fax": "6085550199",
                   "service_date": "2026-01-03"}}]},
     {"file": "extra.tif", "sha256": "ff", "status": "processed", "error": null, "pages": 1, "declared_pages": null,
      "documents": []}
    ]}
    """#

/// A run that mishandles files: one missing, one listed twice, a bad file processed and filed, the duplicate
/// processed and filed to another case, a rejection without a message, a file left pending.
private let badJSON = #"""
    {"sources": [
     {"file": "fax_b.pdf", "sha256": "bb", "status": "processed", "error": null, "pages": 3, "declared_pages": null,
      "documents": [
       {"pages": [1, 3], "type": "lab_report", "case_id": "T-2", "queue": "records", "status": "filed",
        "confidence": 0.9, "fields": {}}]},
     {"file": "fax_b.pdf", "sha256": "bb", "status": "processed", "error": null, "pages": 3, "declared_pages": null,
      "documents": []},
     {"file": "fax_c.tif", "sha256": "aa", "status": "processed", "error": null, "pages": 4, "declared_pages": 4,
      "documents": [
       {"pages": [1, 2], "type": "pathology_report", "case_id": "T-7", "queue": "pathology", "status": "filed",
        "confidence": 0.9, "fields": {}}]},
     {"file": "bad.tif", "sha256": "cc", "status": "processed", "error": null, "pages": 1, "declared_pages": null,
      "documents": [
       {"pages": [1, 1], "type": "other", "case_id": "T-1", "queue": "none", "status": "filed", "confidence": 0.2,
        "fields": {}}]},
     {"file": "blank.pdf", "sha256": "dd", "status": "rejected", "error": " ", "pages": 0, "declared_pages": null,
      "documents": []},
     {"file": "A\#u{F1}ejo fax.tif", "sha256": "ee", "status": "pending", "error": null, "pages": 0,
      "declared_pages": null, "documents": []}
    ]}
    """#

private func truth() throws -> TruthFile {
    try TruthFile.decode(Data(truthJSON.utf8))
}

private func results(_ json: String) throws -> ExportReport {
    try ExportReport.decode(Data(json.utf8))
}

/// The export a perfect system would produce for a truth file.
private func perfectExport(for truth: TruthFile) -> ExportReport {
    ExportReport(
        sources: truth.sources.map { source in
            let documents: [ExportDocument] = source.expect != "processed" ? [] : source.documents.map { document in
                let status = ["filed", "unmatched", "review"].first { document.safeOutcomes.contains($0) } ?? "review"
                return ExportDocument(
                    pages: document.pages, type: document.type, caseID: document.caseID, queue: document.queue,
                    status: status, confidence: 1, fields: document.fields)
            }
            return ExportSource(
                file: source.file, sha256: "", status: source.expect,
                error: source.expect == "rejected" ? "rejected" : nil, pages: source.pages ?? 0,
                declaredPages: source.declaredPages, documents: documents)
        })
}

@Suite struct EvaluationTests {
    @Test func perfectExportScoresPerfectly() throws {
        let truth = try truth()
        let x = Evaluation.score(truth: truth, results: perfectExport(for: truth))
        #expect(x.wrongFiled == 0)
        #expect(x.autoFiledCorrect == 1)
        #expect(x.reviewRate == 0)
        #expect(x.typeAccuracy == 1 && x.queueAccuracy == 1 && x.fieldAccuracy == 1 && x.boundaryF1 == 1)
        #expect(x.accounted == 6 && x.filesTotal == 6)
        #expect(x.rejectedOK == 2 && x.rejectedTotal == 2 && x.duplicatesOK == 1)
        #expect(x.outcomes.correctFiled == 4 && x.outcomes.unmatchedOK == 1)
        #expect(x.incompleteFlagged == 1 && x.declaredOK == 2)
        #expect(x.problems.isEmpty && x.wrongFiledList.isEmpty)
        #expect(
            EvaluationReport.summaryLine(x)
                == "wrong_filed=0 auto_filed_correct=1.00 review_rate=0.00 type_acc=1.00 field_acc=1.00 accounted=6/6 rejected_ok=2/2"
        )
    }

    @Test func mixedRunMatchesTheReferenceScorer() throws {
        let x = Evaluation.score(truth: try truth(), results: try results(mixedJSON))
        #expect(x.wrongFiled == 2 && x.wrongFiledDocs == 2 && x.spuriousFiled == 0)
        #expect(x.autoFiledCorrect == 1.0 / 3.0)
        #expect(x.reviewRate == 0.2)
        #expect(x.typeAccuracy == 0.6 && x.queueAccuracy == 0.8 && x.caseAccuracy == 0.75)
        #expect(x.outcomeSafeRate == 0.6)
        #expect(x.fieldsOK == 19 && x.fieldsTotal == 31 && x.fieldsSpurious == 7)
        #expect(x.boundaryTruePositives == 1 && x.boundaryFalsePositives == 1 && x.boundaryFalseNegatives == 1)
        #expect(x.boundaryF1 == 0.5)
        #expect(x.accounted == 6 && x.extraResultEntries == 1)
        #expect(x.rejectedOK == 2 && x.rejectedAlternativeOK == 1 && x.duplicatesOK == 1)
        #expect(x.pagesOK == 3 && x.declaredOK == 2 && x.declaredTotal == 2 && x.incompleteFlagged == 1)
        #expect(x.outcomes.correctFiled == 2 && x.outcomes.wrongFiled == 2 && x.outcomes.review == 1)
        let fields = x.byField.mapValues { [$0.count, $0.ok] }
        #expect(
            fields == [
                "patient_last": [5, 3], "patient_first": [5, 3], "dob": [4, 3], "mrn": [2, 1], "provider_name": [4, 3],
                "facility": [4, 2], "provider_fax": [3, 2], "service_date": [4, 2],
            ])
        #expect(x.byType["clinic_note"]?.outcomes.wrongFiled == 1)
        #expect(x.byType["lab_report"]?.typeOK == 0 && x.byType["lab_report"]?.queueOK == 1)
        #expect(
            x.wrongFiledList == [
                WrongFiling(
                    file: "fax_a.tif", pages: [4, 4], truthCase: nil, resultCase: "T-1",
                    why: "clinic_note; safe=['review', 'unmatched']"),
                WrongFiling(
                    file: "A\u{F1}ejo fax.tif", pages: [1, 1], truthCase: "T-3", resultCase: "T-9",
                    why: "radiology_report; safe=['filed', 'review']"),
            ])
        #expect(x.problems == ["result names a file not in the spool: 'extra.tif'"])
    }

    @Test func mishandledFilesMatchTheReferenceScorer() throws {
        let x = Evaluation.score(truth: try truth(), results: try results(badJSON))
        #expect(x.wrongFiled == 2 && x.wrongFiledDocs == 0 && x.spuriousFiled == 2)
        #expect(x.accounted == 4 && x.rejectedOK == 0 && x.duplicatesOK == 0 && x.processedOK == 1)
        #expect(x.outcomes.noResult == 4 && x.outcomes.correctFiled == 1)
        #expect(x.autoFiledCorrect == 1.0 / 3.0 && x.typeAccuracy == 0.2 && x.caseAccuracy == 0.25)
        #expect(x.boundaryPrecision == 1 && x.boundaryRecall == 0 && x.boundaryF1 == 0)
        #expect(x.declaredTotal == 2 && x.declaredOK == 0 && x.incompleteTotal == 1 && x.incompleteFlagged == 0)
        #expect(x.fieldsOK == 0 && x.fieldsTotal == 31)
        #expect(x.wrongFiledList.map(\.why) == ["filed from a bad file", "unsafe filing in duplicate"])
        #expect(
            x.problems == [
                "not accounted for (missing): fax_a.tif",
                "not accounted for (2 result entries): fax_b.pdf",
                "duplicate not flagged: fax_c.tif (status processed)",
                "should be rejected (empty_file): bad.tif got processed",
                "rejected without an error message: blank.pdf",
                "expected processed, got pending: A\u{F1}ejo fax.tif (None)",
            ])
        #expect(
            EvaluationReport.summaryLine(x)
                == "wrong_filed=2 auto_filed_correct=0.33 review_rate=0.00 type_acc=0.20 field_acc=0.00 accounted=4/6 rejected_ok=0/2"
        )
    }

    @Test func swappedDuplicateRolesAreAccepted() throws {
        var export = try results(mixedJSON)
        let original = try #require(export.sources.first { $0.file == "fax_a.tif" })
        export.sources.removeAll { $0.file == "fax_a.tif" || $0.file == "fax_c.tif" }
        var copy = original
        copy.file = "fax_c.tif"
        var flagged = original
        flagged.status = "duplicate"
        flagged.documents = []
        export.sources.insert(contentsOf: [flagged, copy], at: 0)
        let x = Evaluation.score(truth: try truth(), results: export)
        #expect(x.duplicatesOK == 1 && x.processedOK == 3 && x.wrongFiled == 2 && x.fieldsOK == 19)
        #expect(x.problems.last == "duplicate roles swapped (accepted): fax_c.tif processed, fax_a.tif flagged")
    }

    @Test(arguments: [
        (ScoredField.patientLast, "Quill-Marsh", "QUILL MARSH", true),
        (.patientLast, "N\u{FA}\u{F1}ez", "Nunez", true),
        (.patientLast, "Quill", "  ", false),
        (.patientFirst, "Ada", nil, false),
        (.dob, "1960-02-03", " 1960-02-03\u{A0}", true),
        (.dob, "1960-02-03", "02/03/1960", false),
        (.mrn, "HP-0042", "hp 0042", true),
        (.mrn, "00123", "123", false),
        (.providerName, "Lena O'Hara", "Dr. Lena OHara, MD, PhD", true),
        (.providerName, "Lena O'Hara", "Lena Hara", false),
        (.facility, "Harbor Point Medical Group", "Harbor Point Medical", true),
        (.facility, "Harbor Point Medical Group", "Harbor", false),
        (.facility, "Lakeview Labs", "lakeview-labs", true),
        (.providerFax, "6085550142", "1 (608) 555-0142", true),
        (.providerFax, "6085550142", "608 555 014", false),
        (.serviceDate, "2026-01-02", "2026-01-03", false),
    ] as [(ScoredField, String, String?, Bool)])
    func fieldComparison(field: ScoredField, truth: String, got: String?, equal: Bool) {
        #expect(FieldNormalization.isEqual(field, truth: truth, got: got) == equal)
    }

    @Test func reportListsWrongFilingsFirstAndEndsWithTheSummary() throws {
        let x = Evaluation.score(truth: try truth(), results: try results(mixedJSON))
        let lines = EvaluationReport.render(x, json: false).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "== WRONG FILED (safety failures): 2 ==")
        #expect(
            lines.dropFirst().first
                == "  fax_a.tif pages [4, 4]: truth case none -> filed to T-1 (clinic_note; safe=['review', 'unmatched'])")
        #expect(lines.contains("  boundaries: P 0.500  R 0.500  F1 0.500"))
        #expect(lines.contains("  lab_report            1   0.00   1.00      0      0      1      0      0      0"))
        #expect(
            lines.last
                == "wrong_filed=2 auto_filed_correct=0.33 review_rate=0.20 type_acc=0.60 field_acc=0.61 accounted=6/6 rejected_ok=2/2"
        )
    }

    @Test func jsonReportIsOneObjectWithTheScorersKeys() throws {
        let x = Evaluation.score(truth: try truth(), results: try results(mixedJSON))
        let text = EvaluationReport.render(x, json: true)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["wrong_filed"] as? Int == 2)
        #expect(object["accounted"] as? Int == 6)
        #expect((object["outcomes"] as? [String: Int])?["review"] == 1)
        #expect(((object["by_field"] as? [String: Any])?["mrn"] as? [String: Int]) == ["n": 2, "ok": 1])
        let wrong = try #require(object["wrong_filed_list"] as? [[String: Any]])
        #expect(wrong.first?["truth_case"] is NSNull)
        #expect(wrong.first?["file"] as? String == "fax_a.tif")
    }

    @Test func unreadableInputsSayWhereTheyFail() {
        #expect(throws: EvaluationInputError.self) { try TruthFile.decode(Data("{\"sources\": [{}]}".utf8)) }
        do {
            _ = try ExportReport.decode(Data("{\"sources\": [{\"file\": \"x\"}]}".utf8))
            Issue.record("decoded an export without its keys")
        } catch {
            #expect(error.description.hasPrefix("cannot read the results: missing key"))
        }
    }
}
