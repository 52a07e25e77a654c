import Foundation
// Copied from Tests/IntakeTests (test targets cannot share files): keep the two in step.
import Pages
import TestSupport

/// An invented patient for test faxes (no real data; phone numbers in the fictional 555-01xx range).
struct TestPatient {
    var last: String
    var first: String
    var middle: String = ""
    /// MM/DD/YYYY as printed.
    var dob: String
    var mrn: String
    var sex: String = "F"
}

/// Text-layer PDF faxes shaped like the records a second-opinion program receives: letterhead, patient block,
/// report sections. Text-layer pages need no OCR, so pipeline tests run in milliseconds per page.
enum MedicalFaxFixtures {
    static func pathologyPage(_ patient: TestPatient, accession: String = "S26-04417") -> TextPDFPage {
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

    static func radiologyPage(_ patient: TestPatient) -> TextPDFPage {
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

    static func coverPage(_ patient: TestPatient, pages: Int) -> TextPDFPage {
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

    static func letterhead(_ facility: String, fax: String) -> [FixtureLine] {
        [
            FixtureLine(facility, x: 54, y: 60, size: 15, bold: true),
            FixtureLine("1200 Lake Street, Madison, WI 53703   Phone: (608) 555-0140   Fax: \(fax)", x: 54, y: 80, size: 9),
        ]
    }

    /// Writes a text-layer PDF fax of the given pages.
    static func write(_ pages: [TextPDFPage], to path: String) throws {
        try PDFFixtureWriter.writeTextPDF(pages, to: path)
    }
}
