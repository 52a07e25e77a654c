import FileroomModel
import Foundation
import Handoff
import Testing

@Suite struct DocumentReferenceTests {
    static let pdf = Array("%PDF-1.7\nnot a real PDF, but bytes to hash\n".utf8)

    static func document(
        type: DocumentType = .pathologyReport, url: String? = "file:///var/lib/fileroom/filed/SO-1/pathology/x.pdf",
        data: [UInt8]? = nil, mrn: String? = "10000001"
    ) -> HandoffDocument {
        HandoffDocument(
            documentID: "doc_01JDX0000000007QK2M9XA", sourceID: "src_01JDX0000000000000000000", caseID: "SO-1", type: type,
            patient: HandoffDocument.Patient(
                mrn: mrn, mrnSystem: "urn:oid:2.16.840.1.113883.3.9999.1", last: "Whitcombe", first: "Jane", middle: "Ann",
                dateOfBirth: CalendarDate(year: 1961, month: 3, day: 4), sex: "F"
            ),
            serviceDate: CalendarDate(year: 2026, month: 10, day: 22), receivedAt: "2026-11-20T09:14:00.000Z",
            filedAt: "2026-11-20T09:15:30.250Z", facility: "Northfield Pathology Associates", provider: "Alan Prescott",
            pages: 2...3,
            file: HandoffDocument.File(size: pdf.count, sha1: SHA1.digest(pdf), url: data == nil ? url : nil, data: data, name: "x.pdf"),
            centerName: "Lakeshore Cancer Institute"
        )
    }

    @Test func aFiledDocumentIsACurrentReferenceWithItsTypeSubjectAndAttachment() throws {
        let reference = DocumentReference(Self.document())
        let json = try #require(try JSONSerialization.jsonObject(with: Data(reference.json())) as? [String: Any])
        #expect(json["resourceType"] as? String == "DocumentReference")
        #expect(json["id"] as? String == "doc-01JDX0000000007QK2M9XA")
        #expect(json["status"] as? String == "current")
        #expect(json["date"] as? String == "2026-11-20T09:15:30.250Z")
        let type = try #require((json["type"] as? [String: Any])?["coding"] as? [[String: Any]])
        #expect(type.first?["system"] as? String == "http://loinc.org")
        #expect(type.first?["code"] as? String == "11526-1")
        let subject = try #require((json["subject"] as? [String: Any])?["identifier"] as? [String: Any])
        #expect(subject["system"] as? String == "urn:oid:2.16.840.1.113883.3.9999.1")
        #expect(subject["value"] as? String == "10000001")
        let content = try #require((json["content"] as? [[String: Any]])?.first?["attachment"] as? [String: Any])
        #expect(content["contentType"] as? String == "application/pdf")
        #expect(content["size"] as? Int == Self.pdf.count)
        #expect(content["url"] as? String == "file:///var/lib/fileroom/filed/SO-1/pathology/x.pdf")
        #expect(content["data"] == nil)
        // base64 of the SHA-1 of the bytes, as FHIR defines Attachment.hash.
        #expect(content["hash"] as? String == Data(SHA1.digest(Self.pdf)).base64EncodedString())
        let authors = try #require(json["author"] as? [[String: Any]])
        #expect(authors.compactMap { $0["display"] as? String } == ["Alan Prescott", "Northfield Pathology Associates"])
        #expect((json["custodian"] as? [String: Any])?["display"] as? String == "Northfield Pathology Associates")
        let context = try #require(json["context"] as? [String: Any])
        #expect((context["period"] as? [String: Any])?["start"] as? String == "2026-10-22")
        // Round trip: what the outbox holds decodes back to the same resource.
        #expect(try DocumentReference.decode(reference.json()) == reference)
    }

    @Test func inlineDataCarriesTheBytesAndNoURL() throws {
        let reference = DocumentReference(Self.document(data: Self.pdf))
        let attachment = try #require(reference.content.first?.attachment)
        #expect(attachment.url == nil)
        #expect(attachment.data.flatMap { Data(base64Encoded: $0) }.map(Array.init) == Self.pdf)
    }

    @Test(arguments: [
        (DocumentType.pathologyReport, "11526-1"), (.radiologyReport, "18748-4"), (.clinicNote, "11488-4"),
        (.operativeNote, "11504-8"), (.labReport, "11502-2"), (.authorization, "64292-6"), (.coverSheet, "56444-3"),
        (.other, "11503-0"),
    ])
    func eachTypeHasItsLOINCDocumentCode(type: DocumentType, loinc: String) {
        #expect(DocumentReference(Self.document(type: type)).type.coding?.first?.code == loinc)
    }

    @Test func aCaseWithoutAnMRNNamesThePatientOnly() {
        let reference = DocumentReference(Self.document(mrn: nil))
        #expect(reference.subject?.identifier == nil)
        #expect(reference.subject?.display == "Jane Ann Whitcombe")
    }

    @Test func idsAreValidFHIRIds() {
        #expect(DocumentReference.resourceID("doc_01JDX") == "doc-01JDX")
        #expect(DocumentReference.resourceID(String(repeating: "a", count: 80)).count == 64)
    }
}

@Suite struct MDMMessageTests {
    @Test func aFilingIsAnMDMT02WithThePatientTheDocumentAndAPointerToThePDF() throws {
        let document = DocumentReferenceTests.document()
        let message = MDMMessage.notification(document, event: .original, sentAt: "2026-11-20T09:15:30.250Z")
        #expect(message.hasSuffix("\r") && !message.contains("\n"))
        let segments = message.split(separator: "\r").map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
        #expect(segments.map { $0[0] } == ["MSH", "EVN", "PID", "PV1", "TXA", "OBX"])
        let msh = segments[0]
        #expect(msh[1] == "^~\\&" && msh[2] == "FILEROOM" && msh[3] == "Lakeshore Cancer Institute")
        #expect(msh[6] == "20261120091530+0000" && msh[8] == "MDM^T02^MDM_T02" && msh[10] == "P" && msh[11] == "2.5.1")
        #expect(msh[9].count <= 20)
        #expect(segments[2][3] == "10000001^^^&2.16.840.1.113883.3.9999.1&ISO^MR")
        #expect(segments[2][5] == "Whitcombe^Jane^Ann" && segments[2][7] == "19610304" && segments[2][8] == "F")
        let txa = segments[4]
        #expect(txa[2] == "SP" && txa[3] == "AP" && txa[6] == "20261022" && txa[12] == "doc_01JDX0000000007QK2M9XA^FILEROOM")
        #expect(txa[16] == "x.pdf" && txa[17] == "DO" && txa[19] == "AV")
        #expect(segments[5][2] == "RP" && segments[5][3] == "11526-1^Pathology study^LN")
        #expect(segments[5][5] == "file:///var/lib/fileroom/filed/SO-1/pathology/x.pdf^FILEROOM^AP^PDF")
    }

    @Test func inlineDataGoesInAnEDObservationAndDelimitersInDataAreEscaped() {
        var document = DocumentReferenceTests.document(data: DocumentReferenceTests.pdf)
        document.patient.last = "O'Brien|Smith^Jr"
        let message = MDMMessage.notification(document, event: .replacement, sentAt: "2026-11-20T09:15:30.250Z")
        #expect(message.contains("MDM^T10^MDM_T02"))
        #expect(message.contains("PID|1||10000001^^^&2.16.840.1.113883.3.9999.1&ISO^MR||O'Brien\\F\\Smith\\S\\Jr^Jane^Ann|"))
        #expect(message.contains("OBX|1|ED|11526-1^Pathology study^LN||^AP^PDF^Base64^\(Data(DocumentReferenceTests.pdf).base64EncodedString())||||||F\r"))
    }

    @Test func aWithdrawalIsAnMDMT11NamingTheDocumentAndThePatientItWasFiledTo() {
        var reference = DocumentReference(DocumentReferenceTests.document(type: .radiologyReport))
        reference.status = .enteredInError
        let message = MDMMessage.cancel(reference, centerName: nil, sentAt: "2026-11-21T08:00:00.000Z")
        let segments = message.split(separator: "\r").map(String.init)
        #expect(segments.map { String($0.prefix(3)) } == ["MSH", "EVN", "PID", "PV1", "TXA"])
        #expect(segments[0].contains("|MDM^T11^MDM_T01|"))
        #expect(segments[2] == "PID|1||10000001^^^&2.16.840.1.113883.3.9999.1&ISO^MR|||||")
        #expect(segments[4].hasPrefix("TXA|1|DI|AP|20261121080000+0000|"))
        #expect(segments[4].hasSuffix("|CA"))
        #expect(segments[4].contains("|doc_01JDX0000000007QK2M9XA^FILEROOM|"))
    }
}
