import Foundation
import Pages
import TestSupport

/// Writes the synthetic faxes in `samples/`: every name, number and address is invented, and phone
/// and fax numbers are in the fictional 555-01xx range. The receiving centre is Lakeshore Cancer
/// Institute, Second Opinion Program, fax (608) 555-0101, as in the development corpus.
enum Samples {
    static func write(to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try pathologyFax(to: "\(directory)/fax_20261120_0914_0001.tif")
        try radiologyFax(to: "\(directory)/fax_20261120_1032_0002.tif")
        try clinicNotePDF(to: "\(directory)/fax_20261121_0847_0003.pdf")
        try labReportPDF(to: "\(directory)/fax_20261121_1105_0004.pdf")
        try operativeNoteFax(to: "\(directory)/fax_20261121_1340_0005.tif")
        try casesCSV.write(toFile: "\(directory)/cases.csv", atomically: true, encoding: .utf8)
        print("wrote 5 faxes and cases.csv to \(directory)")
    }

    // MARK: 1. G4 fine: cover sheet, authorization, pathology report, blank back page

    static func pathologyFax(to path: String) throws {
        let stamp = "11/20/26 09:14", sender = "6085550143", facility = "NORTHFIELD PATH"
        var cover = SampleLayout(top: 70)
        cover.letterhead("NORTHFIELD REGIONAL PATHOLOGY", address: "1200 Harbor Avenue, Madison, WI 53703",
                         phoneFax: "Phone (608) 555-0142     Fax (608) 555-0143")
        cover.gap(10)
        cover.text("FAX COVER SHEET", size: 18, bold: true)
        cover.gap(10)
        cover.pair("Date: 11/20/2026", "Pages (including cover): 4", size: 11)
        cover.gap(4)
        cover.text("To: Second Opinion Program, Lakeshore Cancer Institute", size: 11)
        cover.text("Fax: (608) 555-0101", size: 11)
        cover.gap(4)
        cover.text("From: Janet Lindqvist, Medical Records", size: 11)
        cover.text("Fax: (608) 555-0143     Phone: (608) 555-0142", size: 11)
        cover.gap(4)
        cover.text("Re: Quillby, Margaret     DOB 03/04/1961", size: 11)
        cover.gap(8)
        cover.text("Enclosed: signed authorization and surgical pathology report for second opinion review.", size: 10)
        cover.gap(40)
        cover.text("CONFIDENTIALITY NOTICE: This facsimile contains protected health information. If you received", size: 8)
        cover.text("it in error, notify the sender at (608) 555-0142 and destroy all copies.", size: 8)

        var release = SampleLayout(top: 70)
        release.letterhead("NORTHFIELD REGIONAL PATHOLOGY", address: "1200 Harbor Avenue, Madison, WI 53703",
                           phoneFax: "Phone (608) 555-0142     Fax (608) 555-0143")
        release.text("AUTHORIZATION FOR RELEASE OF PROTECTED HEALTH INFORMATION", size: 12, bold: true)
        release.gap(6)
        release.pair("Patient Name: Margaret A. Quillby", "Date of Birth: 03/04/1961")
        release.pair("MRN: NP-40021877", "Phone: (608) 555-0188")
        release.text("Address: 418 Cedar Bluff Road, Verona, WI 53593")
        release.gap(6)
        release.text("I authorize Northfield Regional Pathology to release the following records:")
        release.text("[X] Pathology reports and slides     [X] Operative notes     [ ] Imaging", indent: 18)
        release.text("To: Lakeshore Cancer Institute, Second Opinion Program, fax (608) 555-0101")
        release.text("Purpose: second opinion consultation and continuity of care.")
        release.gap(6)
        release.text("This authorization expires one year from the date signed. I may revoke it in writing at any")
        release.text("time, except where information has already been released in reliance on it.")
        release.gap(24)
        release.pair("Signature: Margaret A. Quillby", "Date signed: 11/17/2026")
        release.text("Witness: Janet Lindqvist")

        var report = SampleLayout(top: 70)
        report.letterhead("NORTHFIELD REGIONAL PATHOLOGY", address: "1200 Harbor Avenue, Madison, WI 53703",
                          phoneFax: "Phone (608) 555-0142     Fax (608) 555-0143")
        report.text("SURGICAL PATHOLOGY REPORT", size: 13, bold: true)
        report.gap(4)
        report.pair("Patient Name: QUILLBY, MARGARET A", "Accession #: NP26-11873")
        report.pair("DOB: 03/04/1961     Sex: F", "MRN: NP-40021877")
        report.pair("Collected: 11/03/2026", "Received: 11/04/2026")
        report.pair("Ordering Physician: Daniel Okafor, MD", "Reported: 11/05/2026")
        report.section("CLINICAL HISTORY:", ["Palpable mass, left breast, 2 o'clock; BI-RADS 5 on ultrasound."])
        report.section("SPECIMEN:", ["Left breast, 2 o'clock, ultrasound-guided core needle biopsy (4 cores)."])
        report.section("FINAL DIAGNOSIS:", [
            "Left breast, 2 o'clock, core needle biopsy:",
            "- Invasive ductal carcinoma, Nottingham grade 2 of 3 (tubules 3, nuclei 2, mitoses 1).",
            "- Ductal carcinoma in situ, cribriform type, intermediate nuclear grade.",
            "- Tumor spans 1.4 cm in aggregate core length. Lymphovascular invasion not identified.",
        ])
        report.section("BIOMARKERS:", [
            "Estrogen receptor: POSITIVE (95%, strong).   Progesterone receptor: POSITIVE (60%, moderate).",
            "HER2 by IHC: 1+ (NEGATIVE).   Ki-67: 18%.",
        ])
        report.section("GROSS DESCRIPTION:", [
            "Received in formalin labeled with the patient's name and left breast 2:00 are four tan-white",
            "cores, 1.0 to 1.6 cm, entirely submitted in cassette A1.",
        ])
        report.gap(16)
        report.text("Electronically signed by Helen Vasquez, MD, Pathologist, on 11/05/2026 14:22")

        let pages = [cover, release, report, SampleLayout()].enumerated().map { index, layout in
            [SampleLayout.faxHeader(stamp, from: sender, facility: facility, page: index + 1, of: 4)] + layout.lines
        }
        let images = try pages.map { try PageRenderer.render($0, geometry: .faxFine).withSpeckles(count: 150, seed: 11) }
        try TIFFFixtureWriter.write(images, to: path, options: .faxG4)
    }

    // MARK: 2. G3 normal mode (204x98): cover sheet and radiology report

    static func radiologyFax(to path: String) throws {
        let stamp = "11/20/26 10:32", sender = "2625550161", facility = "KETTLE MORAINE IMG"
        var cover = SampleLayout(top: 70)
        cover.letterhead("Kettle Moraine Imaging Center", address: "77 Glacier Drive, Waukesha, WI 53188",
                         phoneFax: "Tel (262) 555-0160  |  Fax (262) 555-0161")
        cover.text("FACSIMILE", size: 20, bold: true)
        cover.gap(6)
        cover.text("To: Lakeshore Cancer Institute - Second Opinion Program     Fax: 608-555-0101", size: 11)
        cover.text("From: Film Library, Kettle Moraine Imaging     Fax: 262-555-0161", size: 11)
        cover.text("Date: November 20, 2026     Number of pages: 2", size: 11)
        cover.text("Patient: Harold J. Brandvold     DOB: 09/17/1948", size: 11)
        cover.gap(8)
        cover.text("Per your request, CT chest report attached. Images available on request via PACS share.")

        var report = SampleLayout(top: 70)
        report.letterhead("Kettle Moraine Imaging Center", address: "77 Glacier Drive, Waukesha, WI 53188",
                          phoneFax: "Tel (262) 555-0160  |  Fax (262) 555-0161")
        report.text("DIAGNOSTIC RADIOLOGY REPORT", size: 13, bold: true)
        report.pair("Patient: BRANDVOLD, HAROLD J", "MRN: KM00731552")
        report.pair("DOB: 09/17/1948     Age: 78Y     Sex: M", "Exam Date: 11/12/2026")
        report.pair("Referring: Priya Raman, MD", "Accession: CT-2611-4471")
        report.section("EXAM:", ["CT CHEST WITH IV CONTRAST"])
        report.section("INDICATION:", ["Right upper lobe nodule on chest radiograph; 55 pack-year smoking history."])
        report.section("FINDINGS:", [
            "Lungs: Spiculated 2.3 x 1.9 cm mass in the right upper lobe, posterior segment, abutting the",
            "major fissure. No satellite nodules. Mild centrilobular emphysema.",
            "Mediastinum: Enlarged right lower paratracheal lymph node, 1.4 cm short axis (station 4R).",
            "Pleura: No effusion. Bones: No suspicious osseous lesion.",
        ])
        report.section("IMPRESSION:", [
            "1. Spiculated right upper lobe mass, highly suspicious for primary lung carcinoma.",
            "2. Enlarged 4R lymph node, suspicious for nodal metastasis. PET/CT recommended.",
        ])
        report.gap(10)
        report.text("Interpreted and electronically signed by: Thomas Ellery, MD   11/12/2026 16:05")

        let pages = [cover, report].enumerated().map { index, layout in
            [SampleLayout.faxHeader(stamp, from: sender, facility: facility, page: index + 1, of: 2)] + layout.lines
        }
        let images = try pages.map { try PageRenderer.render($0, geometry: .faxNormal).withSpeckles(count: 80, seed: 12) }
        try TIFFFixtureWriter.write(images, to: path, options: .faxG3)
    }

    // MARK: 3. Image-only PDF (200 dpi, 1-bit): clinic note, second page sent upside down

    static func clinicNotePDF(to path: String) throws {
        let stamp = "11/21/26 08:47", sender = "6085550177", facility = "DRIFTLESS FAMILY MED"
        var first = SampleLayout(top: 70)
        first.letterhead("Driftless Family Medicine", address: "305 Main Street, Mount Horeb, WI 53572",
                         phoneFax: "Phone: (608) 555-0176   Fax: (608) 555-0177")
        first.text("CLINIC NOTE - HEMATOLOGY/ONCOLOGY FOLLOW-UP", size: 12, bold: true)
        first.pair("Patient Name: Rosalind Okonkwo-Hale", "DOB: 12/01/1972")
        first.pair("MRN: DFM-2281904", "Visit Date: 11/18/2026")
        first.text("Provider: Samuel Reyes-Park, MD")
        first.section("CHIEF COMPLAINT:", ["Follow-up of newly diagnosed diffuse large B-cell lymphoma."])
        first.section("HISTORY OF PRESENT ILLNESS:", [
            "53-year-old woman with 6 weeks of night sweats, 4 kg weight loss and a painless left neck mass.",
            "Excisional biopsy of a left cervical lymph node on 11/06/2026 showed DLBCL, germinal center type.",
            "She asks for a second opinion before starting chemotherapy.",
        ])
        first.section("EXAM:", [
            "BP 128/76, HR 82, T 37.1 C. Firm, non-tender 3 cm left level III lymph node. Spleen tip palpable.",
        ])
        var second = SampleLayout(top: 70)
        second.text("Okonkwo-Hale, Rosalind   DOB 12/01/1972   Visit 11/18/2026   Page 2 of 2", size: 9)
        second.section("ASSESSMENT AND PLAN:", [
            "1. DLBCL, clinical stage II pending PET/CT. Referred to Lakeshore Cancer Institute for second",
            "   opinion regarding R-CHOP versus clinical trial enrollment.",
            "2. Baseline echocardiogram and hepatitis B serologies ordered.",
            "3. Return in 2 weeks or sooner for fever, drenching sweats or new symptoms.",
        ])
        second.gap(20)
        second.text("Electronically signed: Samuel Reyes-Park, MD   11/18/2026 17:40")

        let pages = [first, second].enumerated().map { index, layout in
            [SampleLayout.faxHeader(stamp, from: sender, facility: facility, page: index + 1, of: 2)] + layout.lines
        }
        var images = try pages.map { try PageRenderer.render($0, geometry: .letter200) }
        images[1] = images[1].rotated(quarterTurns: 2)
        try PDFFixtureWriter.writeImagePDF(images, to: path)
    }

    // MARK: 4. Text-layer PDF: lab report printed from an EHR

    static func labReportPDF(to path: String) throws {
        var page = SampleLayout(top: 60)
        page.letterhead("Sugar Creek Health System - Laboratory Services",
                        address: "2400 Orchard Lane, Appleton, WI 54911",
                        phoneFax: "Lab (920) 555-0121   Fax (920) 555-0120   CLIA 52D0999999")
        page.text("LABORATORY REPORT", size: 13, bold: true)
        page.pair("Patient Name: VANCE, TEODORO", "DOB: 06/22/1955")
        page.pair("MRN: SC-5520318", "Sex: M")
        page.pair("Ordering Provider: Alicia Moreau, NP", "Collected: 11/19/2026 07:55")
        page.pair("Specimen: Serum, whole blood", "Reported: 11/19/2026 13:10")
        page.gap(6)
        page.text("TEST                           RESULT        FLAG     REFERENCE RANGE     UNITS", bold: true)
        let rows = [
            "PSA, total                     14.8          H        0.0 - 4.0           ng/mL",
            "Hemoglobin                     12.9          L        13.5 - 17.5         g/dL",
            "WBC                            6.2                    4.0 - 11.0          K/uL",
            "Platelets                      241                    150 - 400           K/uL",
            "Creatinine                     1.08                   0.70 - 1.30         mg/dL",
            "Alkaline phosphatase           162           H        40 - 129            U/L",
            "Testosterone, total            412                    264 - 916           ng/dL",
        ]
        for row in rows { page.text(row) }
        page.section("COMMENT:", ["PSA increased from 9.6 ng/mL on 08/14/2026. Results called to A. Moreau, NP."])
        page.gap(12)
        page.text("Verified by: K. Lindahl, MLS(ASCP)     Medical Director: Victor Osei, MD")
        try PDFFixtureWriter.writeTextPDF([TextPDFPage(lines: page.lines)], to: path)
    }

    // MARK: 5. G4 fine, skewed 1.5 degrees: operative note for a patient with a closed case

    static func operativeNoteFax(to path: String) throws {
        var note = SampleLayout(top: 70)
        note.letterhead("BARABOO VALLEY SURGICAL ASSOCIATES", address: "19 Depot Street, Baraboo, WI 53913",
                        phoneFax: "Phone 608-555-0131 * Fax 608-555-0132")
        note.text("OPERATIVE REPORT", size: 13, bold: true)
        note.pair("Patient: Eleanor M. Whitcombe", "DOB: 02/14/1966")
        note.pair("MRN: BVS-118204", "Date of Procedure: 11/10/2026")
        note.text("Surgeon: Graham Halvorsen, MD     Assistant: none     Anesthesia: General")
        note.section("PREOPERATIVE DIAGNOSIS:", ["Adenocarcinoma of the sigmoid colon."])
        note.section("POSTOPERATIVE DIAGNOSIS:", ["Same."])
        note.section("PROCEDURE:", ["Laparoscopic sigmoid colectomy with primary anastomosis."])
        note.section("FINDINGS:", [
            "4 cm circumferential mass in the mid sigmoid colon, no serosal breach, no liver lesions,",
            "no peritoneal implants. Estimated blood loss 75 mL.",
        ])
        note.section("DESCRIPTION:", [
            "The patient was placed supine, and pneumoperitoneum was established. The sigmoid colon was",
            "mobilized medial to lateral, the inferior mesenteric artery was ligated at its origin, and the",
            "specimen was extracted through a Pfannenstiel incision. Stapled end-to-end anastomosis;",
            "leak test negative. The patient tolerated the procedure well.",
        ])
        note.gap(12)
        note.text("Dictated and signed by Graham Halvorsen, MD on 11/10/2026")
        let lines = [SampleLayout.faxHeader("11/21/26 13:40", from: "6085550132", facility: "BARABOO VALLEY SURG",
                                            page: 1, of: 1)] + note.lines
        let image = try PageRenderer.render(lines, geometry: .faxFine, skewDegrees: 1.5).withSpeckles(count: 200, seed: 15)
        try TIFFFixtureWriter.write([image], to: path, options: .faxG4)
    }

    // MARK: cases.csv (same columns as the development corpus)

    static let casesCSV = """
        case_id,status,patient_last,patient_first,patient_middle,dob,sex,mrn,phone,address,city,state,zip,referring_provider,referring_facility,referring_fax,cancer_site,opened_on
        SO-2026-00101,open,Quillby,Margaret,Anne,1961-03-04,F,70114452,(608) 555-0188,418 Cedar Bluff Road,Verona,WI,53593,"Daniel Okafor, MD",Northfield Regional Pathology,(608) 555-0143,breast,2026-11-14
        SO-2026-00102,open,Brandvold,Harold,James,1948-09-17,M,70114467,(262) 555-0149,2210 Fox Hollow Lane,Pewaukee,WI,53072,"Priya Raman, MD",Kettle Moraine Imaging Center,(262) 555-0161,lung,2026-11-15
        SO-2026-00103,open,Okonkwo-Hale,Rosalind,,1972-12-01,F,70114471,(608) 555-0193,77 Ridge View Court,Mount Horeb,WI,53572,"Samuel Reyes-Park, MD",Driftless Family Medicine,(608) 555-0177,lymphoma,2026-11-18
        SO-2026-00104,open,Vance,Teodoro,Luis,1955-06-22,M,70114480,(920) 555-0115,905 Birch Street,Appleton,WI,54911,"Alicia Moreau, NP",Sugar Creek Health System,(920) 555-0120,prostate,2026-11-19
        SO-2025-00877,closed,Quillby,Margaret,Rose,1938-07-30,F,70098812,(608) 555-0104,12 Lakeview Terrace,Middleton,WI,53562,"Irene Castellano, MD",Northfield Regional Pathology,(608) 555-0143,colon,2025-03-02
        SO-2025-00912,closed,Whitcombe,Eleanor,Marie,1966-02-14,F,70099360,(608) 555-0126,5 Quarry Road,Baraboo,WI,53913,"Graham Halvorsen, MD",Baraboo Valley Surgical Associates,(608) 555-0132,colon,2025-06-20
        SO-2026-00105,open,Brandvold,Harriet,June,1951-01-09,F,70114493,(262) 555-0152,2210 Fox Hollow Lane,Pewaukee,WI,53072,"Priya Raman, MD",Kettle Moraine Imaging Center,(262) 555-0161,breast,2026-11-20

        """
}
