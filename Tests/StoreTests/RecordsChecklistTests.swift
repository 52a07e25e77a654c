import FileroomModel
import Foundation
import Store
import Testing

@Suite struct RecordsChecklistTests {
    func document(_ type: DocumentType, _ status: DocumentStatus, details: [String: String] = [:], service: String? = nil)
        -> DocumentRecord
    {
        var fields = DocumentFields()
        fields.details = details.mapValues { Extracted($0, confidence: 0.9, page: 1) }
        fields.serviceDate = service.map { Extracted(date($0), confidence: 0.9, page: 1) }
        return DocumentRecord(
            id: "doc_\(type.rawValue)_\(status.rawValue)", sourceID: "src_1", ordinal: 0, firstPage: 1, lastPage: 1,
            type: type, typeConfidence: 0.9, evidence: [], fields: fields, status: status, caseID: caseID("SO-1"),
            queue: type.queue, confidence: 0.99, decision: nil, filedPath: nil, createdAt: "", updatedAt: ""
        )
    }

    @Test func missingRecordsStandOut() {
        let checklist = RecordsChecklist(
            documents: [
                document(.pathologyReport, .filed, service: "2026-10-01"),
                document(.radiologyReport, .review),
                document(.operativeNote, .filed),
            ],
            today: date("2026-11-27")
        )
        #expect(checklist.items.map(\.state) == [.missing, .ok, .missing, .missing])
        #expect(checklist.items[2].inReview == 1)
        #expect(checklist.otherFiled.map(\.type) == [.operativeNote])
        #expect(checklist.missing.map(\.key) == ["authorization", "imaging", "clinic_notes"])
    }

    @Test func anAuthorizationMustBeSignedAndCurrent() {
        let today = date("2026-11-27")
        let unsigned = RecordsChecklist(documents: [document(.authorization, .filed)], today: today)
        #expect(unsigned.items[0].state == .unsigned)
        let expired = RecordsChecklist(
            documents: [document(.authorization, .filed, details: ["signed": "true", "expiration_date": "2026-01-01"])],
            today: today
        )
        #expect(expired.items[0].state == .expired)
        let good = RecordsChecklist(
            documents: [
                document(.authorization, .filed,
                         details: ["signed": "true", "signature_date": "2026-11-01", "expiration_date": "2027-11-01"]),
            ],
            today: today
        )
        #expect(good.items[0].state == .ok)
        #expect(good.items[0].note == "signed 2026-11-01, expires 2027-11-01")
    }
}
