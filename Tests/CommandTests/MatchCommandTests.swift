import FileroomModel
import Foundation
import Matching
import Testing

@testable import FileroomCommands

@Suite struct MatchCommandInputTests {
    @Test func bareFieldsObject() throws {
        let inputs = try MatchInput.parse(#"{"patient_last":"Fairweather","patient_first":null,"dob":"1961-05-05","mrn":12345}"#)
        #expect(inputs.count == 1)
        #expect(inputs[0].fields.patientLast?.value == "Fairweather")
        #expect(inputs[0].fields.patientFirst == nil)
        #expect(inputs[0].fields.dateOfBirth?.value.iso == "1961-05-05")
        #expect(inputs[0].fields.mrn?.value == "12345")
        #expect(inputs[0].file == nil)
    }

    @Test func documentWithConfidences() throws {
        let line = #"{"pages":[2,3],"fields":{"patient_last":"Fairweather","dob":"1961-05-05"},"field_confidence":{"patient_last":0.4},"sex":"F","mrn_issuer":"outside"}"#
        let fields = try MatchInput.parse(line)[0].fields
        #expect(fields.patientLast?.confidence == 0.4)
        #expect(fields.patientLast?.page == 2)
        #expect(fields.dateOfBirth?.confidence == 1)
        #expect(fields.sex?.value == "F")
        #expect(fields.mrnIssuer == .outside)
    }

    @Test func extractLineGivesOneInputPerDocumentWithSiblings() throws {
        let line = #"{"file":"a.tif","sender_fax":"(555) 555-0199","documents":[{"fields":{}},{"fields":{"patient_last":"Fairweather"}}]}"#
        let inputs = try MatchInput.parse(line)
        #expect(inputs.map(\.document) == [0, 1])
        #expect(inputs.allSatisfy { $0.file == "a.tif" && $0.context.senderFax == "5555550199" })
        #expect(inputs[0].context.siblings.count == 1)
        #expect(inputs[0].context.siblings[0].patientLast?.value == "Fairweather")
    }

    @Test func badLinesAreRefused() {
        #expect(throws: MatchInput.ParseError.self) { try MatchInput.parse("not json") }
        #expect(throws: MatchInput.ParseError.self) { try MatchInput.parse("[1,2]") }
    }

    @Test func outputCarriesTheContractKeys() throws {
        let decision = MatchDecision(status: .unmatched, caseID: nil, confidence: 1, candidates: [], reason: "no_plausible_candidate")
        let input = MatchInput(fields: DocumentFields(), context: .none, file: "a.tif", document: 0)
        let object = try #require(
            JSONSerialization.jsonObject(with: Data(MatchOutput.jsonLine(decision, input: input).utf8)) as? [String: Any])
        #expect(Set(object.keys).isSuperset(of: ["status", "case_id", "confidence", "candidates", "reason", "file", "document"]))
        #expect(object["case_id"] is NSNull)
    }
}
