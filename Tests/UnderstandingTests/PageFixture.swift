import FileroomModel
import Foundation

/// Builds a `PageText` from plain text, the way OCR would report it: one row per line, words laid out left to
/// right with boxes. "|" starts the next table column (columns sit at fixed x positions, so rows line up).
/// A word written `~word` gets a low OCR confidence. A first line starting with `HEADER ` is drawn at the very
/// top of the page, as a fax machine prints it.
enum PageFixture {
    static let columnWidth = 560
    static let charWidth = 18
    static let wordHeight = 28
    static let lineSpacing = 44

    static func page(_ number: Int, _ text: String, confidence: Double = 0.95) -> PageText {
        var lines: [TextLine] = []
        var y = 150
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = String(rawLine)
            var rowY = y
            if line.hasPrefix("HEADER ") {
                line.removeFirst(7)
                rowY = 12
            } else {
                y += lineSpacing
            }
            guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            var words: [RecognizedWord] = []
            for (column, cell) in line.split(separator: "|", omittingEmptySubsequences: false).enumerated() {
                var x = 100 + column * columnWidth
                for token in cell.split(separator: " ") {
                    var text = String(token)
                    var wordConfidence = confidence
                    if text.hasPrefix("~") {
                        text.removeFirst()
                        wordConfidence = 0.3
                    }
                    let width = text.count * charWidth
                    words.append(
                        RecognizedWord(
                            text: text, box: BoundingBox(x: x, y: rowY, width: width, height: wordHeight),
                            confidence: wordConfidence))
                    x += width + 12
                }
            }
            if !words.isEmpty { lines.append(TextLine(words: words)) }
        }
        let all = lines.flatMap(\.words)
        let mean = all.isEmpty ? 0 : all.map(\.confidence).reduce(0, +) / Double(all.count)
        return PageText(
            number: number, source: all.isEmpty ? .blank : .ocr, width: 1700, height: 2200, dpiX: 200, dpiY: 200,
            confidence: mean, lines: lines)
    }

    static func pages(_ texts: [String]) -> [PageText] {
        texts.enumerated().map { page($0.offset + 1, $0.element) }
    }
}

/// Invented pages of each document type. Every name, number and facility here is made up.
enum Fixtures {
    static let cover = """
        HEADER 10/02/26 14:05 FROM: 3125550166 TO: 4145550100 PAGE 01 OF 04
        Maple Grove Regional Hospital
        12 Birch Lane, Springfield, IL 62701
        Phone: (312) 555-0161 | Fax: (312) 555-0166
        FAX COVER SHEET
        To: | Riverbend Oncology Center
        Fax: | (414) 555-0100
        From: | Olivia Brandt / Maple Grove Regional Hospital
        Fax: | (312) 555-0166
        Date: | 10/02/2026
        Re: | Records for QUINTERO-HALE, ROSA M (DOB 7/9/58)
        Number of pages (including cover): 4
        CONFIDENTIALITY NOTICE: This facsimile is intended only for the addressee named above.
        If you are not the intended recipient, please notify the sender and destroy the documents.
        """

    static let authorization = """
        Riverbend Oncology Center | Fax: (414) 555-0100
        AUTHORIZATION FOR RELEASE OF HEALTH INFORMATION
        Patient Name: Rosa M. Quintero-Hale
        Date of Birth: July 9, 1958
        Riverbend MRN: 55012345
        I authorize the following facility to release my records:
        Facility Name: Maple Grove Regional Hospital
        Phone: (312) 555-0161 | Fax: (312) 555-0166
        Release to: Riverbend Oncology Center
        [X] Pathology reports [X] Imaging reports
        Purpose: [X] Second opinion
        This authorization expires on: 09/15/2027
        I understand that I may revoke this authorization at any time.
        Signature of Patient or Legal Representative | Date: 09/15/2026
        """

    static let pathology = """
        Maple Grove Regional Hospital
        Department of Pathology
        Phone 312-555-0161 Fax 312-555-0166
        SURGICAL PATHOLOGY REPORT
        Patient: | QUINTERO-HALE, ROSA M | Accession #: MG-26-4411
        DOB: | 07/09/1958 | Collected: 09/20/2026
        MRN: | H7720113 | Received: 09/21/2026
        FINAL DIAGNOSIS
        A. Breast, left, core biopsy: invasive ductal carcinoma, grade 2.
        GROSS DESCRIPTION
        Received in formalin are three cores of tan tissue.
        MICROSCOPIC DESCRIPTION
        Sections show infiltrating glands in a desmoplastic stroma.
        Page 1 of 2
        """

    static let pathologyContinued = """
        Surgical Pathology (continued)
        Patient: QUINTERO-HALE, ROSA M | DOB: 07/09/1958
        IMMUNOHISTOCHEMISTRY
        Estrogen receptor positive in 90% of tumor cells.
        Electronically signed out by: Tobias R. Lindqvist, MD on 09/23/2026
        Page 2 of 2
        """

    static func radiology(exam: String, date: String, patient: String = "Dmitri Okafor", dob: String = "1/2/71") -> String {
        """
        Lakeview Imaging Associates
        Phone: 608-555-0177 | Fax: 608-555-0178
        RADIOLOGY REPORT
        Name: \(patient) | DOB: \(dob)
        Exam: \(exam) | Exam Date: \(date)
        TECHNIQUE: Axial images were obtained after intravenous contrast.
        COMPARISON: None.
        FINDINGS: A 2 cm nodule in the right upper lobe.
        IMPRESSION: Right upper lobe nodule, suspicious for malignancy.
        Interpreted by: Hana Whitfield, MD
        Page 1 of 1
        """
    }

    static let clinic = """
        Northfield Family Practice
        Tel (715) 555-0121 | Fax (715) 555-0122
        PROGRESS NOTE
        Pt Name: Okafor, Dmitri | D.O.B.: 01/02/1971
        Date of Service: 03/11/2026 | Provider: Dr. Imogen Castellanos
        Chief Complaint: cough for six weeks.
        History of Present Illness: persistent cough, weight loss of 4 kg.
        Past Medical History: hypertension.
        Medications: lisinopril 10 mg daily. Allergies: none.
        Physical Exam: lungs clear. Assessment and Plan: CT chest ordered.
        """

    static let operative = """
        St. Brigid Surgical Hospital
        Phone 920-555-0131 Fax 920-555-0132
        OPERATIVE REPORT
        Patient: Okafor, Dmitri | DOB: 01/02/1971
        Date of Surgery: 04/02/2026 | Surgeon: Felix Amundsen, MD
        Preoperative Diagnosis: right upper lobe nodule.
        Postoperative Diagnosis: same.
        Anesthesia: general endotracheal. Estimated Blood Loss: 50 mL.
        Description of Procedure: the patient was prepped and draped in the usual sterile fashion.
        """

    static let lab = """
        Prairie Clinical Laboratories
        Phone: 507-555-0141 | Fax: 507-555-0142
        LABORATORY RESULTS
        Patient: Okafor, Dmitri | Ordering Physician: Imogen Castellanos, MD
        DOB: 01/02/1971 | Collection Date: 03/12/2026
        Test | Result | Reference Range
        WBC | 6.1 K/uL | 4.0-11.0
        Hemoglobin | 13.2 g/dL | 13.5-17.5
        Platelets | 250 K/uL | 150-400
        Sodium | 139 mmol/L | 135-145
        Creatinine | 0.9 mg/dL | 0.6-1.2
        """

    static let advertisement = """
        HUGE SAVINGS ON COPIER PAPER!
        Order now and get 40% off every case, free shipping on orders over $50.
        Item | Retail | OUR PRICE
        Letter paper | $59.99 | $29.99
        Legal paper | $69.99 | $34.99
        Toner | $129.00 | $49.00
        CALL NOW: 1-800-555-0199
        To be removed from our fax list call 1-800-555-0198.
        """
}
