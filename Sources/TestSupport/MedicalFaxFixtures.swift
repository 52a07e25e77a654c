public import FileroomModel
import Foundation

/// An invented patient for test faxes (no real data; phone numbers in the fictional 555-01xx range).
public struct TestPatient: Sendable, Hashable {
    public var last: String
    public var first: String
    public var middle: String
    /// MM/DD/YYYY as printed.
    public var dob: String
    public var mrn: String
    public var sex: String

    public init(last: String, first: String, middle: String = "", dob: String, mrn: String, sex: String = "F") {
        self.last = last
        self.first = first
        self.middle = middle
        self.dob = dob
        self.mrn = mrn
        self.sex = sex
    }

    public static let jane = TestPatient(last: "Whitcombe", first: "Jane", middle: "A", dob: "03/04/1961", mrn: "E7712345")
    public static let omar = TestPatient(last: "Fairbanks", first: "Omar", dob: "11/30/1958", mrn: "E5521001", sex: "M")
    /// Not a patient of the center: nothing may be filed for her.
    public static let stranger = TestPatient(last: "Quillfeather", first: "Nadia", dob: "07/07/1970", mrn: "M0990011")
}

/// The case list the test faxes are matched against: Jane and Omar open, a second open Jane Whitcombe born
/// another year, and a closed case.
public enum FixtureCases {
    public static let standard: [CaseRecord] = [
        CaseRecord(
            caseID: CaseID(rawValue: "SO-T-001")!, status: .open, patientLast: "Whitcombe", patientFirst: "Jane",
            patientMiddle: "Ann", dateOfBirth: CalendarDate(year: 1961, month: 3, day: 4)!, sex: "F", mrn: "10000001",
            referringFacility: "Northfield Pathology Associates", referringFax: "6085550141"
        ),
        CaseRecord(
            caseID: CaseID(rawValue: "SO-T-002")!, status: .open, patientLast: "Fairbanks", patientFirst: "Omar",
            dateOfBirth: CalendarDate(year: 1958, month: 11, day: 30)!, sex: "M", mrn: "10000002"
        ),
        CaseRecord(
            caseID: CaseID(rawValue: "SO-T-003")!, status: .open, patientLast: "Whitcombe", patientFirst: "Jane",
            dateOfBirth: CalendarDate(year: 1990, month: 5, day: 17)!, sex: "F", mrn: "10000003"
        ),
        CaseRecord(
            caseID: CaseID(rawValue: "SO-T-009")!, status: .closed, patientLast: "Ashdown", patientFirst: "Paul",
            dateOfBirth: CalendarDate(year: 1950, month: 1, day: 2)!, sex: "M", mrn: "10000009"
        ),
    ]
}

/// Regular files below a folder, relative to it, sorted.
public func regularFiles(under folder: String) -> [String] {
    guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return [] }
    return enumerator.compactMap { $0 as? String }.filter {
        var isDirectory: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: "\(folder)/\($0)", isDirectory: &isDirectory)
        return !isDirectory.boolValue
    }.sorted()
}

/// Text-layer PDF faxes shaped like the records a second-opinion program receives: letterhead, patient block,
/// report sections. Text-layer pages need no OCR, so pipeline tests run in milliseconds per page.
public enum MedicalFaxFixtures {
    public static func pathologyPage(_ patient: TestPatient, accession: String = "S26-04417") -> TextPDFPage {
        TextPDFPage(lines: letterhead("NORTHFIELD PATHOLOGY ASSOCIATES", fax: "(608) 555-0141") + FixtureLine.column([
            "SURGICAL PATHOLOGY REPORT",
            "",
            "Patient Name: \(patient.last.uppercased()), \(patient.first.uppercased()) \(patient.middle)",
            "DOB: \(patient.dob)          Sex: \(patient.sex)          MRN: \(patient.mrn)",
            "Accession #: \(accession)          Collected: 10/22/2026",
            "Ordering Physician: Dana Whitfield, MD",
            "",
            "SPECIMEN: Left breast, 2 o'clock, core needle biopsy",
            "DIAGNOSIS: Invasive ductal carcinoma, Nottingham grade 2",
            "GROSS DESCRIPTION: Received in formalin are three tan cores of tissue.",
            "MICROSCOPIC DESCRIPTION: Sections show infiltrating nests of tumor cells.",
            "Immunohistochemistry: ER positive, PR positive, HER2 negative.",
            "",
            "Electronically signed: Alan Prescott, MD, Pathologist  10/24/2026",
        ], top: 130))
    }

    public static func radiologyPage(_ patient: TestPatient) -> TextPDFPage {
        TextPDFPage(lines: letterhead("LAKEVIEW IMAGING CENTER", fax: "(608) 555-0151") + FixtureLine.column([
            "RADIOLOGY REPORT",
            "",
            "Patient: \(patient.first) \(patient.last)       DOB: \(patient.dob)       MRN: \(patient.mrn)",
            "Exam: CT CHEST WITH CONTRAST          Exam Date: 10/19/2026",
            "",
            "TECHNIQUE: Axial images of the chest after intravenous contrast.",
            "COMPARISON: None.",
            "FINDINGS: A 1.2 cm spiculated nodule in the right upper lobe. No effusion.",
            "IMPRESSION: Right upper lobe nodule, suspicious for malignancy.",
            "",
            "Interpreted by: Maria Okafor, MD, Radiologist",
        ], top: 130))
    }

    public static func coverPage(_ patient: TestPatient, pages: Int) -> TextPDFPage {
        TextPDFPage(lines: letterhead("NORTHFIELD PATHOLOGY ASSOCIATES", fax: "(608) 555-0141") + FixtureLine.column([
            "FAX COVER SHEET",
            "",
            "To: Second Opinion Program          Fax: (608) 555-0101",
            "From: Rita Holm, Medical Records          Fax: (608) 555-0141",
            "Date: 11/20/2026",
            "Re: Records for \(patient.last.uppercased()), \(patient.first.uppercased())   DOB \(patient.dob)",
            "Number of pages (including cover): \(pages)",
            "",
            "CONFIDENTIALITY NOTICE: This facsimile contains privileged information.",
        ], top: 130))
    }

    public static func letterhead(_ facility: String, fax: String) -> [FixtureLine] {
        [
            FixtureLine(facility, x: 54, y: 60, size: 15, bold: true),
            FixtureLine("1200 Lake Street, Madison, WI 53703   Phone: (608) 555-0140   Fax: \(fax)", x: 54, y: 80, size: 9),
        ]
    }

    /// Writes a text-layer PDF fax of the given pages.
    public static func write(_ pages: [TextPDFPage], to path: String) throws {
        try PDFFixtureWriter.writeTextPDF(pages, to: path)
    }
}
