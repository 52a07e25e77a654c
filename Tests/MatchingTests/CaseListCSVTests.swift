import FileroomModel
import Testing

@testable import Matching

@Suite struct CaseListCSVTests {
    let header =
        "case_id,status,patient_last,patient_first,patient_middle,dob,sex,mrn,phone,address,city,state,zip,referring_provider,referring_facility,referring_fax,cancer_site,opened_on"

    @Test func readsQuotedFieldsAndNormalisesFax() throws {
        let text = header + "\r\n"
            + "X-1,open,Fairweather,Olive,,1961-05-05,F,00012345,(555) 555-0100,\"12 Elm St, Apt 3\",Town,WI,53000,\"Pat Doctor, MD\",\"The \"\"Best\"\" Clinic\",(555) 555-0199,lung,2026-01-02\r\n"
            + "X-2,closed,O'Neill,Sean,Paul,1950-12-31,M,,,,,,,,,,,\n"
        let cases = try CaseListCSV.parse(text)
        #expect(cases.count == 2)
        #expect(cases[0].address == "12 Elm St, Apt 3")
        #expect(cases[0].referringProvider == "Pat Doctor, MD")
        #expect(cases[0].referringFacility == "The \"Best\" Clinic")
        #expect(cases[0].referringFax == "5555550199")
        #expect(cases[0].mrn == "00012345")
        #expect(cases[0].openedOn?.iso == "2026-01-02")
        #expect(cases[1].status == .closed)
        #expect(cases[1].patientMiddle == "Paul")
        #expect(cases[1].mrn == nil)
    }

    @Test func reportsTheBadLine() {
        let text = header + "\nX-1,open,A,B,,1961-05-05,F,1,,,,,,,,,,\nX-2,open,C,D,,1961-13-05,F,2,,,,,,,,,,\n"
        #expect(throws: CaseListError(line: 3, reason: "dob missing or not YYYY-MM-DD")) { try CaseListCSV.parse(text) }
    }

    @Test func rejectsAMissingColumnAndAnOpenQuote() {
        #expect(throws: CaseListError.self) { try CaseListCSV.parse("case_id,status\nX,open\n") }
        #expect(throws: CaseListError.self) { try CaseListCSV.parse(header + "\nX-1,open,\"A,B\n") }
    }
}
