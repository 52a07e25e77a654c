import FileroomModel
import Testing

@testable import Understanding

@Suite struct DateTests {
    let reader = DateReader(today: CalendarDate(year: 2026, month: 11, day: 27))

    @Test(arguments: ["03/04/1961", "3/4/61", "March 4, 1961", "1961-03-04", "04-MAR-1961", "Mar 4 1961", "4 March 1961"])
    func birthDateFormats(_ text: String) {
        #expect(reader.firstDate(in: text, kind: .birth)?.iso == "1961-03-04")
    }

    @Test func twoDigitBirthYearIsNeverInTheFuture() {
        #expect(reader.firstDate(in: "DOB: 5/7/27", kind: .birth)?.iso == "1927-05-07")
        #expect(reader.firstDate(in: "DOB: 5/7/05", kind: .birth)?.iso == "2005-05-07")
        // This year's date later than today is last century's.
        #expect(reader.firstDate(in: "12/30/26", kind: .birth)?.iso == "1926-12-30")
        #expect(reader.firstDate(in: "01/30/2099", kind: .birth) == nil)
    }

    @Test func twoDigitEventYearIsNearToday() {
        #expect(reader.firstDate(in: "11/16/26 08:13", kind: .event)?.iso == "2026-11-16")
        #expect(reader.firstDate(in: "11/16/98", kind: .event)?.iso == "1998-11-16")
    }

    @Test func impossibleDatesAreRejected() {
        #expect(reader.firstDate(in: "13/45/2020", kind: .event) == nil)
        #expect(reader.firstDate(in: "02/30/2021", kind: .event) == nil)
    }

    @Test func ocrLookalikesInsideDates() {
        #expect(reader.firstDate(in: "1O/2l/2026", kind: .event)?.iso == "2026-10-21")
        #expect(reader.firstDate(in: "Octobr 5, 2026", kind: .event)?.iso == "2026-10-05")
    }

    /// A month's first digit is 0 or 1: a 6, 8 or 9 there is OCR's 0. A day's could be 1, 2 or 3, so it stays unread.
    @Test func misreadLeadingZeroOfAMonth() {
        #expect(reader.firstDate(in: "DOB: 69-23-1977", kind: .birth)?.iso == "1977-09-23")
        #expect(reader.firstDate(in: "DOB: 83/04/1961", kind: .birth)?.iso == "1961-03-04")
        #expect(reader.firstDate(in: "DOB: 09/63/1961", kind: .birth) == nil)
        #expect(reader.firstDate(in: "DOB: 13/04/1961", kind: .birth) == nil)
    }

    @Test func withoutTodayTwoDigitBirthYearsStayInThePast() {
        let undated = DateReader(today: nil)
        #expect(undated.firstDate(in: "3/4/61", kind: .birth)?.iso == "1961-03-04")
    }
}

@Suite struct NameTests {
    @Test func lastCommaFirstMiddle() {
        let name = PersonName.parse("GARCIA LOPEZ, MARIA C")
        #expect(name?.last == "Garcia Lopez")
        #expect(name?.first == "Maria")
        #expect(name?.middle == "C")
    }

    @Test func firstMiddleInitialLast() {
        let name = PersonName.parse("Maria C. Garcia Lopez")
        #expect(name?.last == "Garcia Lopez")
        #expect(name?.first == "Maria")
        #expect(name?.middle == "C")
    }

    @Test func twoPartSurnameWithoutInitialStaysWhole() {
        let name = PersonName.parse("Maria Garcia Lopez")
        #expect(name?.first == "Maria")
        #expect(name?.last == "Garcia Lopez")
    }

    @Test func hyphenatedSurnameStaysWhole() {
        #expect(PersonName.parse("QUINTERO-HALE, ROSA M")?.last == "Quintero-Hale")
        #expect(PersonName.parse("Rosa Quintero-Hale")?.last == "Quintero-Hale")
    }

    @Test func providerWithoutCredentials() {
        #expect(PersonName.parse("SERRANO, SANDRA N, MD")?.firstLast == "Sandra Serrano")
        #expect(PersonName.parse("Dr. Kenneth Hughes")?.firstLast == "Kenneth Hughes")
        #expect(PersonName.parse("Elizabeth W. Johnson, MD")?.firstLast == "Elizabeth Johnson")
        #expect(PersonName.parse("Fernandez, John MD")?.firstLast == "John Fernandez")
        #expect(PersonName.parse("Joshua Chandler, APNP")?.firstLast == "Joshua Chandler")
    }

    @Test func lastFirstInitialWithoutTheComma() {
        let name = PersonName.parse("WHITCOMBE JANE A")
        #expect(name?.last == "Whitcombe")
        #expect(name?.first == "Jane")
        #expect(name?.middle == "A")
        // A middle initial between the names keeps first-name-first.
        #expect(PersonName.parse("Jane A Whitcombe")?.last == "Whitcombe")
    }

    @Test func aRoleAfterTheCredentialIsNotAFirstName() {
        #expect(PersonName.parse("Paul Osei, MD  Radiologist")?.firstLast == "Paul Osei")
        #expect(PersonName.parse("Alan Prescott, MD, Pathologist")?.firstLast == "Alan Prescott")
        #expect(PersonName.parse("OKAFOR, MARIA, MD, Attending Radiologist")?.firstLast == "Maria Okafor")
    }

    @Test func ocrPunctuationInNames() {
        // A comma read as a colon or a period; an initial's period read as a comma.
        #expect(PersonName.parse("Saunders: Kimberly J.")?.last == "Saunders")
        #expect(PersonName.parse("Jason N, Malone")?.last == "Malone")
        #expect(PersonName.parse("Jason N, Malone")?.first == "Jason")
    }

    @Test func organisationsAreNotNames() {
        #expect(PersonName.parse("Maple Grove Regional Hospital") == nil)
        #expect(PersonName.parse("Multiple patients") == nil)
        #expect(PersonName.parse("12345") == nil)
    }
}

@Suite struct NumberTests {
    @Test(arguments: ["(608) 555-0142", "608.555.0142", "608-555-0142", "1-608-555-0142", "6O8-555-O142", "6085550142"])
    func phoneNumbers(_ text: String) {
        #expect(PhoneNumber.normalize(text) == "6085550142")
    }

    @Test(arguments: ["555-0142", "608-555-01423", "(608) 555-014"])
    func phoneNeedsTenDigits(_ text: String) {
        #expect(PhoneNumber.normalize(text) == nil)
    }

    @Test func phoneNumbersInALine() {
        let found = PhoneNumber.find(in: "Tel: (920) 555-0112 | Fax: 920.555.0189").map(\.digits)
        #expect(found == ["9205550112", "9205550189"])
    }

    /// A time's minutes before a fax number in a header line are no country code.
    @Test func timeBeforeAFaxNumberIsNotPartOfIt() {
        #expect(PhoneNumber.find(in: "11/20/26 16:16 5635550119 -> 6085550101").map(\.digits) == ["5635550119", "6085550101"])
        #expect(PhoneNumber.find(in: "Fax 1-608-555-0142 or 16085550143").map(\.digits) == ["6085550142", "6085550143"])
    }

    @Test func npiLuhnWithPrefix() {
        #expect(NPI.isValid("1234567893"))
        #expect(!NPI.isValid("1234567890"))
        #expect(!NPI.isValid("123456789"))
        #expect(NPI.find(in: "NPI: l234567893") == "1234567893")
        #expect(NPI.find(in: "NPI: 1234567890") == nil)
    }

    @Test func digitRepairOnlyInNumbers() {
        #expect(DigitRepair.repair("l2O5") == "1205")
        #expect(FieldExtractor.readMRN("ES953548") == "E5953548")
        #expect(FieldExtractor.readMRN("£8614836") == "E8614836")
        #expect(FieldExtractor.readMRN("7/74895]") == "71748951")
        #expect(FieldExtractor.readMRN("459-58-16") == "459-58-16")
        #expect(FieldExtractor.readMRN("RB-88231") == "RB-88231")
        #expect(FieldExtractor.readMRN("HX649664") == "HX649664")
        // A name is never "repaired" into digits.
        #expect(PersonName.parse("BOSS, OLIVE")?.last == "Boss")
    }

    @Test func faxHeaderCounters() {
        #expect(FaxHeader.pageCounter(in: "PAGE 01 OF 02")?.of == 2)
        #expect(FaxHeader.pageCounter(in: "P.001/004")?.of == 4)
        #expect(FaxHeader.pageCounter(in: "page 2of3")?.page == 2)
        #expect(FaxHeader.pageCounter(in: "page lof 1")?.page == 1)
    }
}
