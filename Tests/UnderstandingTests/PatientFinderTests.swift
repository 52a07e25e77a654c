import FileroomModel
import Foundation
import Testing

@testable import Understanding

/// Case-guided patient finding: the open cases looked for on the page, whatever its layout. Every name is invented.
@Suite struct PatientFinderTests {
    static func record(
        _ id: String, _ last: String, _ first: String, _ dob: String, status: CaseStatus = .open
    ) -> CaseRecord {
        CaseRecord(
            caseID: CaseID(rawValue: id)!, status: status, patientLast: last, patientFirst: first,
            dateOfBirth: CalendarDate(iso: dob)!)
    }

    static let cases = KnownPatients([
        record("SO-1", "Vandersloot", "Marguerite", "1961-03-04"),
        record("SO-2", "Achterberg", "Robert", "1948-11-23"),
        record("SO-3", "Oyelaran-Brisco", "Temperance", "1972-06-15"),
        record("SO-4", "Kowalczyk", "Henrietta", "1955-09-30", status: .closed),
        record("SO-5", "Pemberton", "Lucinda", "1961-03-04"),
        record("SO-6", "Holden", "Marguerite", "1979-08-14"),
    ])

    func document(_ text: String, known: KnownPatients = cases) -> ExtractedDocument? {
        interpreter.interpret([PageFixture.page(1, text)], known: known).documents.first
    }

    /// An EHR print: the name in bold above a "DOB/Age" line, no name label anywhere.
    static let ehrPrint = """
        Cedar Hollow Medical Group
        Fax (262) 555-0143
        VANDERSLOOT, MARGUERITE
        DOB/Age: 03/04/1961 (65 y) | Sex: F | Enc #: 88120443
        CLINIC NOTE
        Date of Service: 10/14/2026 | Provider: Ingrid Solvang, MD
        History of Present Illness: follow-up after a breast biopsy.
        Assessment and Plan: review the pathology at the tumor board.
        """

    @Test func unlabelledNameAboveDOBIsFoundFromTheCaseList() throws {
        let found = try #require(document(Self.ehrPrint))
        #expect(found.fields.patientLast?.value == "Vandersloot")
        #expect(found.fields.patientFirst?.value == "Marguerite")
        #expect(found.fields.dateOfBirth?.value.iso == "1961-03-04")
        #expect((found.fields.patientLast?.confidence ?? 0) >= 0.5)
        // Without the case list only the unlabelled-name reading finds it, and is less sure.
        let blind = try #require(document(Self.ehrPrint, known: .none))
        #expect((blind.fields.patientLast?.confidence ?? 0) < (found.fields.patientLast?.confidence ?? 0))
    }

    @Test func runningFooterNameWithTheDOBElsewhere() throws {
        let text = """
            Lakemont Pathology Associates
            SURGICAL PATHOLOGY REPORT
            Birthdate 11/23/1948 | Collected: 10/02/2026
            FINAL DIAGNOSIS
            Prostate, needle biopsies: adenocarcinoma, Gleason score 3+4=7.
            GROSS DESCRIPTION
            Received in formalin are six cores of tan tissue.
            Achterberg, Robert  MRN 0044-1820  Printed 10/05/2026  Page 1 of 1
            """
        let found = try #require(document(text))
        #expect(found.fields.patientLast?.value == "Achterberg")
        #expect(found.fields.patientFirst?.value == "Robert")
        #expect(found.fields.dateOfBirth?.value.iso == "1948-11-23")
    }

    /// OCR may read a name right and still score it low (bold, monospace): spelled exactly as an open case's name
    /// beside its date of birth it is sure enough to match on; without the case list it stays unsure.
    @Test func exactNameReadWithLowOCRConfidenceIsSure() throws {
        let unsure = Self.ehrPrint.replacingOccurrences(of: "VANDERSLOOT, MARGUERITE", with: "~VANDERSLOOT, ~MARGUERITE")
        let found = try #require(document(unsure))
        #expect(found.fields.patientLast?.value == "Vandersloot")
        #expect((found.fields.patientLast?.confidence ?? 0) >= 0.5)
        #expect((found.fields.patientFirst?.confidence ?? 0) >= 0.5)
        let blind = try #require(document(unsure, known: .none))
        #expect((blind.fields.patientLast?.confidence ?? 1) < 0.5)
        // Within OCR tolerance only, the words keep their low score.
        let misread = try #require(document(unsure.replacingOccurrences(of: "VANDERSLOOT", with: "VANDERSLOAT")))
        #expect((misread.fields.patientLast?.confidence ?? 1) < 0.5)
    }

    /// A letter off is a misread only where OCR was unsure of the word: printed surely (or in a text layer) it is
    /// another name. A digit in a name is a misread however sure OCR was.
    @Test func nameToleranceFollowsTheWordsConfidence() {
        let finder = PatientFinder(known: Self.cases, dates: DateReader(today: today))
        let extractor = FieldExtractor(today: today, centerName: nil, centerFax: nil)
        func sighted(_ text: String, confidence: Double) -> [String] {
            let layout = PageLayout(page: PageFixture.page(1, text, confidence: confidence))
            return finder.sightings(on: layout, despace: extractor.despaceDigits).map(\.patient.caseID.rawValue)
        }
        let oneLetter = Self.ehrPrint.replacingOccurrences(of: "VANDERSLOOT", with: "VANDERSLOAT")
        #expect(sighted(oneLetter, confidence: 0.99) == [])
        #expect(sighted(oneLetter, confidence: 0.8) == ["SO-1"])
        let digit = Self.ehrPrint.replacingOccurrences(of: "VANDERSLOOT", with: "VANDERSL0OT")
        #expect(sighted(digit, confidence: 0.99) == ["SO-1"])
    }

    @Test func ocrMisreadGivesTheCaseSpellingButANicknameStaysAsPrinted() throws {
        let misread = try #require(document(Self.ehrPrint.replacingOccurrences(of: "VANDERSLOOT", with: "VANDERSL0OT")))
        #expect(misread.fields.patientLast?.value == "Vandersloot")
        let nickname = """
            Quarry Hill Imaging
            RADIOLOGY REPORT
            Bob Achterberg   11/23/1948
            Exam: CT chest with contrast | Exam Date: 10/20/2026
            FINDINGS: No pulmonary nodules. IMPRESSION: Negative study.
            """
        let found = try #require(document(nickname))
        #expect(found.fields.patientLast?.value == "Achterberg")
        #expect(found.fields.patientFirst?.value == "Bob")
    }

    @Test func twoWordsWithoutACommaAreOrderedByTheCaseList() throws {
        // A lab-system print: LAST FIRST, no comma, the DOB under its own label.
        let text = """
            Tri-County Reference Laboratory
            LABORATORY RESULTS
            Patient: ACHTERBERG ROBERT | Collected: 10/02/2026
            DOB: 11/23/1948
            Hemoglobin | 13.2 g/dL | 13.5-17.5
            """
        let found = try #require(document(text))
        #expect(found.fields.patientLast?.value == "Achterberg")
        #expect(found.fields.patientFirst?.value == "Robert")
        #expect((found.fields.patientLast?.confidence ?? 0) >= 0.5)
        // No case born that day: the case list's surnames and given names still order the two words.
        let other = try #require(document(text.replacingOccurrences(of: "11/23/1948", with: "01/05/1950")))
        #expect(other.fields.patientLast?.value == "Achterberg")
        #expect(other.fields.patientFirst?.value == "Robert")
    }

    @Test func twoPartSurnamePrintedWithASpace() throws {
        let text = """
            Harborview Oncology Clinic
            CONSULTATION NOTE
            Re: Temperance Oyelaran Brisco, born June 15, 1972
            Date of visit: 09/30/2026
            Assessment: stage II breast cancer, discussed options.
            """
        let found = try #require(document(text))
        #expect(found.fields.patientLast.map { NameText.key($0.value) } == "oyelaranbrisco")
        #expect(found.fields.patientFirst?.value == "Temperance")
        #expect(found.fields.dateOfBirth?.value.iso == "1972-06-15")
    }

    @Test func twoOpenPatientsOnOneDocumentAreNeverSureEnoughToFile() throws {
        let text = """
            Cedar Hollow Medical Group
            CLINIC NOTE
            Vandersloot, Marguerite  03/04/1961
            Pemberton, Lucinda  03/04/1961
            Date of Service: 10/14/2026
            Assessment and Plan: both seen today.
            """
        let found = try #require(document(text))
        #expect(found.fields.details["patients_found"]?.value == "2")
        #expect((found.fields.patientLast?.confidence ?? 0) < 0.5)
        #expect((found.fields.dateOfBirth?.confidence ?? 0) < 0.5)
    }

    @Test func labelsNamingAnotherPersonThanTheCaseFoundGoToReview() throws {
        let text = """
            Cedar Hollow Medical Group
            CLINIC NOTE
            Patient Name: Quist, Harold | DOB: 02/02/1950
            Emergency contact: Marguerite Vandersloot (daughter) 03/04/1961
            Date of Service: 10/14/2026
            Assessment and Plan: hypertension.
            """
        let found = try #require(document(text))
        #expect(found.fields.patientLast?.value == "Quist")
        #expect((found.fields.patientLast?.confidence ?? 1) < 0.5)
    }

    @Test func agreementRaisesConfidenceAndAClosedCaseIsNeverLookedFor() throws {
        let labelled = """
            Cedar Hollow Medical Group
            CLINIC NOTE
            Patient Name: ~Vandersloot, Marguerite | DOB: 03/04/1961
            Date of Service: 10/14/2026
            Assessment and Plan: follow-up.
            """
        let alone = try #require(document(labelled, known: .none))
        let guided = try #require(document(labelled))
        #expect((guided.fields.patientLast?.confidence ?? 0) > (alone.fields.patientLast?.confidence ?? 1))
        let closed = """
            Cedar Hollow Medical Group
            CLINIC NOTE
            KOWALCZYK, HENRIETTA
            09/30/1955
            Assessment and Plan: follow-up.
            """
        let found = try #require(document(closed))
        #expect(found.fields.details["patients_found"] == nil)
        #expect(found.fields.dateOfBirth == nil)
    }

    @Test func aTransposedDateFindsTheCaseButExportsWhatThePagePrints() throws {
        let text = """
            Cedar Hollow Medical Group
            CLINIC NOTE
            HOLDEN MARGUERITE   14/08/1979
            Assessment and Plan: follow-up.
            """
        // 14/08 cannot be month first; the reader reads no date, nothing is invented.
        let unread = try #require(document(text))
        #expect(unread.fields.dateOfBirth == nil)
        let swapped = try #require(document(text.replacingOccurrences(of: "14/08/1979", with: "08/14/1979")))
        #expect(swapped.fields.dateOfBirth?.value.iso == "1979-08-14")
        let sighting = PatientFinder(known: Self.cases, dates: DateReader(today: today)).sightings(
            on: PageLayout(page: PageFixture.page(1, "Vandersloot Marguerite 04/03/1961")), despace: { $0 })
        #expect(sighting.first?.patient.caseID.rawValue == "SO-1")
        #expect(sighting.first?.printedDOB.iso == "1961-04-03")
    }
}

/// Roles on cover sheets, letterheads and casing: layouts that read the wrong line as a person or a facility.
@Suite struct RolesAndLetterheadTests {
    @Test(arguments: [
        ("WOMEN'S HEALTH SPECIALISTS", "Women's Health Specialists"), ("O'BRIEN", "O'Brien"),
        ("MCDONALD", "McDonald"), ("ST. MARY'S MEDICAL CENTER", "St. Mary's Medical Center"), ("PEÑA", "Peña"),
        ("D'ANGELO-RUIZ", "D'Angelo-Ruiz"),
    ])
    func properCasing(_ pair: (String, String)) {
        #expect(TextMatching.displayCase(pair.0) == pair.1)
    }

    @Test(arguments: ["Attn: Intake Coordinator", "To: New Patient Referrals", "From: Medical Records Department",
        "Contact: Scheduling Desk", "Attention: HIM Correspondence Unit"])
    func rolesAreNeverPeople(_ line: String) {
        let value = String(line.split(separator: ":", maxSplits: 1)[1])
        #expect(PersonName.parse(value) == nil)
    }

    @Test func coverSheetPatientComesOnlyFromThePatientOrReLine() throws {
        let cover = """
            HEADER 11/02/26 09:14 FROM: 7155550188 TO: 4145550100 PAGE 01 OF 03
            Bramblewood Community Hospital - Eau Claire
            Health Information Management
            FAX TRANSMITTAL
            To: Riverbend Oncology Center | Attn: Intake Coordinator
            From: Release of Information | Phone: (715) 555-0187
            Name: Harriet Quell
            Re: Medical records for Tobiasz, Wanda   DOB 05/17/1950
            Pages (including cover): 3
            """
        let document = try #require(interpreter.interpret([PageFixture.page(1, cover)]).documents.first)
        #expect(document.type == .coverSheet)
        #expect(document.fields.patientLast?.value == "Tobiasz")
        #expect(document.fields.patientFirst?.value == "Wanda")
        #expect(document.fields.facility?.value == "Bramblewood Community Hospital - Eau Claire")
        #expect(document.fields.facility.map { !$0.value.contains("Riverbend") } ?? true)
    }

    @Test func departmentAfterTheDashIsCut() throws {
        let text = """
            St. Agnes Medical Center - Department of Pathology
            Phone 920-555-0131 Fax 920-555-0132
            SURGICAL PATHOLOGY REPORT
            Patient: Okafor, Dmitri | DOB: 01/02/1971
            FINAL DIAGNOSIS
            Lung, right upper lobe, wedge resection: adenocarcinoma.
            """
        let document = try #require(interpreter.interpret([PageFixture.page(1, text)]).documents.first)
        #expect(document.fields.facility?.value == "St. Agnes Medical Center")
    }

    @Test(arguments: ["DOB/Age: 03/04/1961 (65 y)", "Date of Birth/Age: 03/04/1961 65Y", "Birthdate: 03/04/1961",
        "D.O.B.: 03/04/1961", "DOB | 03/04/1961"])
    func birthDateUnderUnusualLabels(_ line: String) {
        let page = PageFixture.page(1, "Patient: Quill, Ada\n\(line)")
        let patient = FieldExtractor(today: today, centerName: nil, centerFax: nil).patient(
            on: PageLayout(page: page), type: .clinicNote)
        #expect(patient.dateOfBirth?.value.iso == "1961-03-04")
    }

    @Test(arguments: [
        ("Electronically signed by: Mirela Dragomir, MD on 10/21/2026 14:02", DocumentType.pathologyReport),
        ("Dictated by: Osric Pennywhistle, MD", DocumentType.operativeNote),
        ("Interpreting physician: Ilse Brandvold, MD", DocumentType.radiologyReport),
        ("Reading radiologist: Ilse Brandvold, MD", DocumentType.radiologyReport),
        ("Attending: Ilse Brandvold, MD", DocumentType.clinicNote),
    ])
    func providerSignatures(_ pair: (String, DocumentType)) {
        let page = PageFixture.page(1, "Findings reviewed.\n\(pair.0)")
        let name = FieldExtractor(today: today, centerName: nil, centerFax: nil).providerName(
            type: pair.1, layouts: [PageLayout(page: page)])
        #expect(name?.value == (pair.0.contains("Mirela") ? "Mirela Dragomir" : pair.0.contains("Osric")
            ? "Osric Pennywhistle" : "Ilse Brandvold"))
    }
}

/// Names and birth dates printed without labels, read without the case list.
@Suite struct UnlabelledPatientTests {
    func patient(_ text: String, type: DocumentType = .clinicNote) -> PagePatient {
        FieldExtractor(today: today, centerName: nil, centerFax: nil).patient(
            on: PageLayout(page: PageFixture.page(1, text)), type: type)
    }

    @Test func addressographStickerBesideTheLetterhead() {
        let found = patient("""
            NORTHRIDGE GENERAL HOSPITAL | QUILLFEATHER, ODALYS R | F
            MR# 004417720 | ACCT# 88812
            Inpatient Services | 02/11/1958 | 68Y
            HISTORY AND PHYSICAL
            Chief complaint: breast mass.
            """)
        #expect(found.name?.value.last == "Quillfeather")
        #expect(found.name?.value.first == "Odalys")
        #expect(found.dateOfBirth?.value.iso == "1958-02-11")
        #expect((found.name?.confidence ?? 1) < 0.8)
    }

    @Test func anAgeThatDoesNotFitIsNoBirthDate() {
        let found = patient("Visit 10/02/2026 (65 y)\nChief complaint: cough.")
        #expect(found.dateOfBirth == nil)
    }

    @Test func providersAndLabelledOthersAreNotThePatient() {
        let found = patient("""
            Referring: Hollander, Bram MD
            Ordering Dr: | Whitlock, Enid
            CONSULTATION
            """)
        #expect(found.name == nil)
    }

    @Test func onACoverSheetOnlyBesideABirthDate() {
        let alone = patient("FAX COVER\nTo: Intake\nMARLOWE, PENROSE\nComments: records enclosed", type: .coverSheet)
        #expect(alone.name == nil)
        let withDOB = patient("FAX COVER\nRegarding:\nMARLOWE, PENROSE DOB 04/12/1966", type: .coverSheet)
        #expect(withDOB.name?.value.last == "Marlowe")
        #expect(withDOB.dateOfBirth?.value.iso == "1966-04-12")
        let firstFirst = patient("FAX COVER\nRegarding:\nPENROSE MARLOWE DOB 04/12/1966", type: .coverSheet)
        #expect(firstFirst.name?.value.last == "Marlowe")
        #expect(firstFirst.name?.value.first == "Penrose")
        let prose = patient("FAX COVER\nPlease Review DOB 04/12/1966", type: .coverSheet)
        #expect(prose.name == nil)
    }
}

@Suite struct LetterheadFallbackTests {
    @Test func aPersonOnTopIsNoFacilityButACutOffNameStillIs() {
        #expect(FieldExtractor.looksLikePerson("Joseph M Castellanos"))
        #expect(FieldExtractor.looksLikePerson("Margaret Blackwood"))
        #expect(!FieldExtractor.looksLikePerson("Wolf River Heal"))
        #expect(!FieldExtractor.looksLikePerson("Blue Mounds Medi"))
    }
}
