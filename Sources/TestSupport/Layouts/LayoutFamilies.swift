public import FileroomModel
import Foundation

/// The header and cover-sheet layouts of the set. Designed from how these systems print, not from any
/// corpus file: each differs in where the patient stands, how fields are labelled, and the signature block.
public enum LayoutFamily: String, Sendable, CaseIterable, Hashable {
    /// Epic-style EHR print: name in bold without a label above "DOB: ... (65 y.o.)", running footer
    /// "Name | MRN | Printed on".
    case epicProgressNote = "epic_progress_note"
    /// Cerner PowerChart-style print: "DOB/Age/Sex:", MRN beside FIN, "Sign Information".
    case cernerConsult = "cerner_consult"
    /// Meditech-style radiology print (monospace): "Unit No" (the MRN) beside "Acct No", "Signed By".
    case meditechRadiology = "meditech_radiology"
    /// Hospital H&P form with a two-column addressograph sticker as the only patient block.
    case addressographHP = "addressograph_hp"
    /// Transcription-service operative report (serif): "Dictated by / Transcribed by", DD/DT, job number.
    case transcribedOperative = "transcribed_operative"
    /// Lab-system Courier print, all capitals: "PATIENT: LAST,FIRST", "ACCT#", "MR#", "ORDERING:".
    case courierLab = "courier_lab"
    /// RIS radiology report: "Date of Birth/Age:", "Interpreting physician", "Electronically signed by".
    case risRadiology = "ris_radiology"
    /// LIS (CoPath-like) surgical pathology: "Med Rec #", "DOB: ... (Age: 65)", "Electronically Signed Out".
    case lisPathology = "lis_pathology"
    /// HylaFAX faxcover-style sheet (monospace): To/Company/Fax, From a department or person, Regarding.
    case hylafaxCover = "hylafax_cover"
    /// EHR-generated fax cover: To and From side by side, Attn, CC, a Patient line.
    case ehrCover = "ehr_cover"
    /// Referral letter: the patient only in the "Re:" line, signed "Sincerely".
    case referralLetter = "referral_letter"
    /// Authorization for release of records: "Patient Name (Last, First, MI)", "Birthdate".
    case authorizationForm = "authorization_form"

    public var type: DocumentType {
        switch self {
        case .epicProgressNote, .cernerConsult, .addressographHP, .referralLetter: .clinicNote
        case .meditechRadiology, .risRadiology: .radiologyReport
        case .transcribedOperative: .operativeNote
        case .courierLab: .labReport
        case .lisPathology: .pathologyReport
        case .hylafaxCover, .ehrCover: .coverSheet
        case .authorizationForm: .authorization
        }
    }

    public var isCover: Bool { type == .coverSheet }
}

/// What a document prints, in the truth's normalised form (nil: not printed).
public struct PrintedFields: Sendable, Hashable {
    public var patientLast: String?
    public var patientFirst: String?
    public var dob: CalendarDate?
    public var mrn: String?
    public var providerName: String?
    public var facility: String?
    public var providerFax: String?
    public var serviceDate: CalendarDate?

    public init() {}

    /// The truth.json `fields` object.
    public var truth: [String: String?] {
        [
            "patient_last": patientLast, "patient_first": patientFirst, "dob": dob?.iso, "mrn": mrn,
            "provider_name": providerName, "facility": facility, "provider_fax": providerFax,
            "service_date": serviceDate?.iso,
        ]
    }
}

/// Everything a layout needs to draw one document.
struct DocumentSpec {
    var family: LayoutFamily
    var patient: LayoutPatient
    var facility: LayoutFacility
    var author: LayoutProvider
    var other: LayoutProvider
    var serviceDate: CalendarDate
    var faxDate: CalendarDate
    var text: ClinicalText
    var centerName: String
    var centerFax: String
    /// False leaves the date of birth off (letters, some covers).
    var showDOB: Bool
    var dateForm: LayoutDateForm
    /// Cover sheets: total pages of the fax, and whether the sender is a person (else a department).
    var declaredPages: Int = 1
    var senderIsPerson: Bool = true
    var variant: Int
}

/// One drawn document: its pages and what it prints.
public struct LayoutDocument: Sendable, Hashable {
    public var family: LayoutFamily
    public var pages: [[FixtureLine]]
    public var fields: PrintedFields
    public var type: DocumentType { family.type }
}

extension LayoutPatient {
    func lastFirst(caps: Bool = true, middle: Bool = true, space: Bool = true) -> String {
        let m = middle && !self.middle.isEmpty ? " \(self.middle)" : ""
        let text = "\(last),\(space ? " " : "")\(first)\(m)"
        return caps ? text.uppercased() : text
    }

    func firstLast(middle: Bool = true, dot: Bool = false) -> String {
        middle && !self.middle.isEmpty ? "\(first) \(self.middle)\(dot ? "." : "") \(last)" : "\(first) \(last)"
    }

    var sexWord: String { sex == "F" ? "Female" : "Male" }
    var title: String { sex == "F" ? "Ms." : "Mr." }
}

extension LayoutFacility {
    var phoneFax: String { "Phone \(phone)   Fax \(fax)" }
}

enum LayoutDrawing {
    static func draw(_ spec: DocumentSpec) -> LayoutDocument {
        var fields = PrintedFields()
        fields.patientLast = spec.patient.last
        fields.patientFirst = spec.patient.first
        fields.dob = spec.showDOB ? spec.patient.dob : nil
        fields.facility = spec.facility.name
        fields.providerFax = spec.facility.faxDigits
        fields.providerName = spec.author.full
        fields.serviceDate = spec.serviceDate
        let pages: [[FixtureLine]]
        switch spec.family {
        case .epicProgressNote: pages = epic(spec, &fields)
        case .cernerConsult: pages = cerner(spec, &fields)
        case .meditechRadiology: pages = meditech(spec, &fields)
        case .addressographHP: pages = addressograph(spec, &fields)
        case .transcribedOperative: pages = transcribed(spec, &fields)
        case .courierLab: pages = courierLab(spec, &fields)
        case .risRadiology: pages = ris(spec, &fields)
        case .lisPathology: pages = lis(spec, &fields)
        case .hylafaxCover: pages = hylafax(spec, &fields)
        case .ehrCover: pages = ehrCover(spec, &fields)
        case .referralLetter: pages = letter(spec, &fields)
        case .authorizationForm: pages = authorization(spec, &fields)
        }
        return LayoutDocument(family: spec.family, pages: pages, fields: fields)
    }

    static func d(_ spec: DocumentSpec, _ date: CalendarDate) -> String { spec.dateForm.format(date) }

    // MARK: EHR prints

    static func epic(_ s: DocumentSpec, _ f: inout PrintedFields) -> [[FixtureLine]] {
        let p = s.patient
        let printed = "\(LayoutDateForm.slashesShort.format(s.faxDate)) \(1 + s.variant % 11):\(10 + s.variant % 49) PM"
        f.mrn = p.mrn
        var one = LayoutSheet(top: 40)
        one.place(s.facility.name, x: 50, size: 8)
        one.place("Printed on \(printed)", x: 430, size: 8)
        one.gap(26)
        one.text(p.firstLast(), size: 15, bold: true)
        let dob = s.variant % 2 == 0 ? LayoutDateForm.slashesShort.format(p.dob) : LayoutDateForm.slashes.format(p.dob)
        one.text("DOB: \(dob) (\(p.age) y.o.)    Legal Sex: \(p.sexWord)    MRN: \(p.mrn)", size: 9)
        // The encounter's CSN is a ten-digit number beside the MRN that is not one.
        one.text("Office Visit  \(LayoutDateForm.slashes.format(s.serviceDate))  -  \(s.facility.department)    CSN: \(1_000_200_000 + s.variant * 7_919)", size: 9)
        one.text("\(s.facility.street), \(s.facility.city)    \(s.facility.phoneFax)", size: 8)
        one.rule()
        one.text("Progress Notes", size: 12, bold: true)
        one.text("\(s.author.signed) (Physician)  -  \(s.facility.department)", size: 9)
        one.text("Encounter Date: \(LayoutDateForm.slashes.format(s.serviceDate))", size: 9)
        one.section("Chief Complaint", [s.text.complaint])
        one.section("History of Present Illness", ["\(p.first) is a \(p.age) y.o. \(p.sex == "F" ? "female" : "male") seen today in consultation."] + s.text.history)
        one.section("Review of Systems", ["Constitutional: positive for fatigue. Negative for fevers or night sweats.",
                                          "All other systems reviewed and negative."])
        one.section("Physical Exam", ["BP 132/78 | Pulse 76 | Temp 36.8 C | SpO2 97% | Wt 71.4 kg",
                                      "General: well appearing, no distress. ECOG performance status 0."])
        let footer = "\(p.lastFirst(caps: false, middle: true)) | MRN: \(p.mrn) | Printed on \(printed)"
        one.fixed(footer + "   Page 1 of 2", y: 760)
        var two = LayoutSheet(top: 56)
        two.section("Assessment & Plan", s.text.plan)
        two.section("Medications", ["Current Outpatient Medications: lisinopril 10 mg daily; atorvastatin 20 mg nightly."])
        two.gap(14)
        two.text("Electronically signed by \(s.author.signed) at \(LayoutDateForm.slashes.format(s.serviceDate)) 4:52 PM")
        two.fixed(footer + "   Page 2 of 2", y: 760)
        return [one.lines, two.lines]
    }

    static func cerner(_ s: DocumentSpec, _ f: inout PrintedFields) -> [[FixtureLine]] {
        let p = s.patient
        f.mrn = p.mrn
        var page = LayoutSheet(top: 44)
        page.place(s.facility.name, x: 50, size: 11, bold: true)
        page.place("Report Request ID: \(88_100_000 + s.variant * 37)", x: 400, size: 7)
        page.gap(13)
        page.place("\(s.facility.street), \(s.facility.city)   \(s.facility.phoneFax)", x: 50, size: 7.5)
        page.place("Print Date/Time: \(LayoutDateForm.slashes.format(s.faxDate)) 09:12 CST", x: 400, size: 7)
        page.gap(12)
        page.rule("=", count: 100, size: 7)
        page.row([(50, "Patient:"), (110, p.lastFirst()), (330, "MRN:"), (370, p.mrn)])
        page.row([(50, "DOB/Age/Sex:"), (110, "\(d(s, p.dob)) / \(p.age) years / \(p.sexWord)"),
                  (330, "FIN:"), (370, "7720\(String(100_000 + s.variant * 7919 % 900_000))")])
        page.row([(50, "Admit Type:"), (110, "Outpatient"), (330, "Location:"), (370, s.facility.department)])
        page.row([(50, "Attending:"), (110, "\(s.author.last), \(s.author.first) \(s.author.credential)")])
        page.rule("=", count: 100, size: 7)
        page.text("Consultation Note", size: 12, bold: true)
        page.row([(50, "Document Type:"), (140, "Consult Note"), (300, "Service Date/Time:"),
                  (390, "\(LayoutDateForm.slashes.format(s.serviceDate)) 10:15 CST")])
        page.row([(50, "Result Status:"), (140, "Auth (Verified)")])
        page.row([(50, "Perform Information:"), (140, "\(s.author.last), \(s.author.first) \(s.author.credential) (\(LayoutDateForm.slashes.format(s.serviceDate)) 10:15 CST)")])
        page.row([(50, "Sign Information:"), (140, "\(s.author.last), \(s.author.first) \(s.author.credential) (\(LayoutDateForm.slashes.format(s.serviceDate)) 15:40 CST)")])
        page.section("Reason for Consultation", [s.text.complaint])
        page.section("History of Present Illness", s.text.history)
        page.section("Physical Examination", ["Vitals: T 36.6, HR 80, BP 128/74, RR 16. Alert, oriented, no acute distress.",
                                              "No cervical, supraclavicular or axillary lymphadenopathy."])
        page.section("Impression and Plan", s.text.plan)
        page.fixed("Printed by: Hanson, Lori     Printed on: \(LayoutDateForm.slashes.format(s.faxDate)) 09:12 CST", y: 760)
        page.fixed("Page 1 of 1", x: 520, y: 760)
        return [page.lines]
    }

    static func meditech(_ s: DocumentSpec, _ f: inout PrintedFields) -> [[FixtureLine]] {
        let p = s.patient
        let unit = "M000\(p.mrn.filter(\.isNumber).suffix(6))"
        let account = "V000\(String(88_000_000 + s.variant * 4_111 % 9_000_000))"
        f.mrn = unit
        var page = LayoutSheet(top: 48, left: 40, font: .mono, size: 8.5)
        page.row([(40, s.facility.name.uppercased()), (420, "RUN DATE: \(LayoutDateForm.twoDigitYear.format(s.faxDate))")])
        page.row([(40, s.facility.department.uppercased()), (420, "RUN TIME: 0912")])
        page.text("\(s.facility.street.uppercased()), \(s.facility.city.uppercased())")
        page.text("PHONE \(s.facility.phone)   FAX \(s.facility.fax)")
        page.rule("-", count: 88, size: 8.5)
        page.row([(40, "Name: \(p.lastFirst(space: false))"), (300, "Acct No: \(account)")])
        page.row([(40, "Age/Sex: \(p.age)/\(p.sex)"), (170, "DOB: \(d(s, p.dob))"), (300, "Unit No: \(unit)")])
        page.row([(40, "Loc: RAD.OP"), (170, "Status: DEP CLI"), (300, "Exam Date: \(LayoutDateForm.slashes.format(s.serviceDate))")])
        page.row([(40, "Ordering Dr: \(s.other.last),\(s.other.first) \(s.other.credential)")])
        page.row([(40, "Exam: \(s.text.exam)")])
        page.row([(40, "Order No: \(20_261_100 + s.variant)-0041"), (300, "Req No: 26-\(10_000 + s.variant * 13)")])
        page.rule("-", count: 88, size: 8.5)
        page.section("CLINICAL INDICATION:", [s.text.indication])
        page.section("FINDINGS:", s.text.findings.map { $0.uppercased() })
        page.section("IMPRESSION:", s.text.impression.map { $0.uppercased() })
        page.gap(8)
        page.text("Dictated By: \(s.author.signed)")
        page.text("Signed By: \(s.author.signed)    \(LayoutDateForm.slashes.format(s.serviceDate)) 1514")
        page.text("Transcribed: \(LayoutDateForm.slashes.format(s.serviceDate)) 1440 (RAD.TRN)")
        page.fixed("PAGE 1 of 1    \(p.lastFirst(space: false))    \(unit)    #\(account)", y: 760)
        return [page.lines]
    }

    // MARK: Hospital forms and transcription

    static func addressograph(_ s: DocumentSpec, _ f: inout PrintedFields) -> [[FixtureLine]] {
        let p = s.patient
        let mr = "00\(p.mrn.filter(\.isNumber))"
        f.mrn = mr
        var page = LayoutSheet(top: 52)
        page.place(s.facility.name.uppercased(), x: 50, size: 12, bold: true)
        // The sticker: two columns, small monospace capitals, no labels for name and DOB.
        let sticker: [(String, String)] = [
            (p.lastFirst(), p.sex), ("MR# \(mr)", "ACCT# \(9_912_000 + s.variant * 17)"),
            ("\(LayoutDateForm.slashes.format(p.dob))", "\(p.age)Y"),
            ("ADM \(LayoutDateForm.slashes.format(s.serviceDate))", "RM 4W-\(400 + s.variant % 40)"),
            ("ATT: \(s.author.last.uppercased()), \(s.author.first.uppercased())", ""),
        ]
        for (index, cells) in sticker.enumerated() {
            let y = 46 + Double(index) * 10.5
            page.put(FixtureLine(cells.0, x: 360, y: y, size: 8, bold: true, font: .mono))
            if !cells.1.isEmpty { page.put(FixtureLine(cells.1, x: 530, y: y, size: 8, bold: true, font: .mono)) }
        }
        page.gap(12)
        page.text(s.facility.department, size: 9)
        page.text("\(s.facility.street), \(s.facility.city)", size: 8)
        page.text(s.facility.phoneFax, size: 8)
        page.gap(30)
        page.text("HISTORY AND PHYSICAL EXAMINATION", size: 13, bold: true)
        page.text("Form NRH-1042 (rev. 03/24)", size: 7)
        page.gap(4)
        page.text("Date of Service: \(d(s, s.serviceDate))          Time: 0930          Outpatient consultation")
        page.section("CHIEF COMPLAINT:", [s.text.complaint])
        page.section("HISTORY OF PRESENT ILLNESS:", s.text.history)
        page.section("PAST MEDICAL HISTORY:", ["Hypertension. Hypothyroidism. Appendectomy age 19."])
        page.section("SOCIAL HISTORY:", ["Retired teacher. Lives with spouse. No alcohol use."])
        page.section("PHYSICAL EXAMINATION:", ["HEENT normal. Lungs clear. Heart regular. Abdomen soft, non-tender.",
                                               "Extremities without edema. Neurologic: non-focal."])
        page.section("ASSESSMENT / PLAN:", s.text.plan)
        page.gap(16)
        page.row([(50, "Physician Signature: \(s.author.signed)"), (360, "Date/Time: \(LayoutDateForm.slashes.format(s.serviceDate)) 1105")])
        page.fixed("WHITE - CHART   YELLOW - PHYSICIAN   NRH-1042", y: 768, size: 6.5)
        return [page.lines]
    }

    static func transcribed(_ s: DocumentSpec, _ f: inout PrintedFields) -> [[FixtureLine]] {
        let p = s.patient
        f.mrn = p.mrn
        var one = LayoutSheet(top: 54, font: .serif, size: 9.5)
        one.text(s.facility.name.uppercased(), x: 150, size: 13, bold: true)
        one.text("\(s.facility.street) \u{2022} \(s.facility.city) \u{2022} Tel \(s.facility.phone) \u{2022} Fax \(s.facility.fax)", x: 80, size: 8)
        one.gap(14)
        one.text("OPERATIVE REPORT", x: 240, size: 12, bold: true)
        one.gap(4)
        one.row([(50, s.variant % 2 == 0 ? "PATIENT NAME:" : "PATIENT:"), (150, p.firstLast(dot: true)), (340, "MED REC #:"), (420, p.mrn)])
        one.row([(50, s.variant % 2 == 0 ? "DATE OF BIRTH:" : "D.O.B.:"), (150, d(s, p.dob)), (340, "DATE OF OPERATION:"), (462, LayoutDateForm.slashes.format(s.serviceDate))])
        one.row([(50, "SURGEON:"), (150, s.author.signed)])
        one.row([(50, "ASSISTANT:"), (150, "\(s.other.signed)")])
        one.row([(50, "ANESTHESIA:"), (150, "General endotracheal")])
        one.section("PREOPERATIVE DIAGNOSIS:", [s.text.preopDiagnosis])
        one.section("POSTOPERATIVE DIAGNOSIS:", ["Same."])
        one.section("PROCEDURE PERFORMED:", [s.text.procedure])
        one.section("INDICATIONS:", ["The patient has biopsy-proven malignancy and elected surgical management after",
                                     "discussion of risks, benefits and alternatives. Informed consent was obtained."])
        one.section("FINDINGS:", s.text.operativeFindings)
        one.section("DESCRIPTION OF PROCEDURE:", s.text.operativeDescription)
        one.section("SPECIMENS:", ["As above, to pathology."])
        one.section("ESTIMATED BLOOD LOSS:", ["Minimal. No complications. Counts correct x2."])
        one.gap(14)
        one.text("______________________________")
        one.text(s.author.signed)
        one.gap(6)
        one.text("Dictated by: \(s.author.signed)", size: 8)
        one.text("Transcribed by: kjr   Lakeland Medical Transcription Services", size: 8)
        one.text("DD: \(LayoutDateForm.slashes.format(s.serviceDate)) 15:22    DT: \(LayoutDateForm.slashes.format(s.serviceDate.next)) 08:05", size: 8)
        one.text("Job #: \(440_000 + s.variant * 31)    Doc #: \(1_120_000 + s.variant * 97)", size: 8)
        one.text("cc: \(s.other.signed)", size: 8)
        return [one.lines]
    }

    // MARK: Lab, radiology and pathology systems

    static func courierLab(_ s: DocumentSpec, _ f: inout PrintedFields) -> [[FixtureLine]] {
        let p = s.patient
        let mr = p.mrn.uppercased()
        f.mrn = mr
        f.providerName = s.other.full
        var page = LayoutSheet(top: 46, left: 36, font: .mono, size: 8.5)
        let name = s.facility.name.uppercased()
        page.row([(36, "\(name) LAB"), (430, "RUN DATE: \(LayoutDateForm.twoDigitYear.format(s.faxDate))")])
        page.row([(36, "\(s.facility.street.uppercased()) \(s.facility.city.uppercased())"), (430, "RUN TIME: 0714")])
        page.row([(36, "PHONE \(s.facility.phone)  FAX \(s.facility.fax)"), (430, "PAGE 1")])
        page.rule("-", count: 92, size: 8.5)
        page.row([(36, "PATIENT: \(p.lastFirst(space: false))"), (270, "ACCT#: L00\(912_000 + s.variant * 11)"), (430, "\(s.variant % 2 == 0 ? "MR#" : "MED REC#"): \(mr)")])
        page.row([(36, "AGE/SX: \(p.age)/\(p.sex)"), (150, "DOB: \(d(s, p.dob))"), (270, "LOC: ONC.INF"), (430, "STATUS: REG REF")])
        page.row([(36, "ORDERING: \(s.other.last.uppercased()),\(s.other.first.uppercased()) \(s.other.credential)"),
                  (270, "ATTEND: \(s.author.last.uppercased()),\(s.author.first.uppercased())")])
        page.rule("-", count: 92, size: 8.5)
        page.text("SPEC #: \(LayoutDateForm.slashes.format(s.serviceDate).prefix(5).replacingOccurrences(of: "/", with: "")):CH:R\(400 + s.variant)  COLL: \(LayoutDateForm.slashes.format(s.serviceDate)) 0745  RECD: \(LayoutDateForm.slashes.format(s.serviceDate)) 0812")
        page.gap(4)
        page.text(pad("TEST", 24) + pad("RESULT", 10) + pad("FLAG", 6) + pad("REFERENCE", 16) + "UNITS", bold: true)
        for (test, result, flag, range, units) in s.text.labs {
            page.text(pad(test.uppercased(), 24) + pad(result, 10) + pad(flag, 6) + pad(range, 16) + units)
        }
        page.gap(6)
        page.text("COMMENT: RESULTS REVIEWED BY TECHNOLOGIST KMB. SPECIMEN RECEIVED AT ROOM TEMP.")
        page.gap(10)
        page.text("** END OF REPORT **", x: 230)
        page.fixed("\(p.lastFirst(space: false))   MR# \(mr)   CUMULATIVE REPORT   PAGE 1", y: 760, size: 7.5)
        return [page.lines]
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    static func ris(_ s: DocumentSpec, _ f: inout PrintedFields) -> [[FixtureLine]] {
        let p = s.patient
        let mrn = "SMG-\(p.mrn.filter(\.isNumber))"
        f.mrn = mrn
        var page = LayoutSheet(top: 50)
        page.text(s.facility.name, size: 15, bold: true)
        page.text(s.facility.department, size: 10)
        page.text("\(s.facility.street), \(s.facility.city) | Phone \(s.facility.phone) | Fax \(s.facility.fax)", size: 8)
        page.rule()
        page.row([(50, "\(s.variant % 2 == 0 ? "Patient Name" : "Pt Name"): \(p.lastFirst(caps: false))"), (330, "Accession #: RAD-26-\(118_000 + s.variant * 7)")])
        page.row([(50, "\(s.variant % 2 == 0 ? "Date of Birth/Age" : "DOB/Age"): \(d(s, p.dob)) / \(p.age) yrs"), (330, "Exam Date: \(LayoutDateForm.slashes.format(s.serviceDate)) 08:40")])
        page.row([(50, "Med Rec #: \(mrn)"), (330, "Referring Physician: \(s.other.signed)")])
        page.row([(50, "Sex: \(p.sex)"), (330, "Patient Type: Outpatient")])
        page.gap(4)
        page.text("EXAM: \(s.text.exam)", size: 10, bold: true)
        page.section("CLINICAL HISTORY:", [s.text.indication])
        page.section("TECHNIQUE:", ["Multiplanar, multisequence imaging was performed per departmental protocol."])
        page.section("COMPARISON:", ["None available."])
        page.section("FINDINGS:", s.text.findings)
        page.section("IMPRESSION:", s.text.impression)
        page.gap(12)
        page.text("Interpreting physician: \(s.author.signed)")
        page.text("Electronically signed by: \(s.author.signed) on \(LayoutDateForm.slashes.format(s.serviceDate)) at 11:02")
        page.fixed("CONFIDENTIAL: This report contains protected health information.", y: 766, size: 7)
        return [page.lines]
    }

    static func lis(_ s: DocumentSpec, _ f: inout PrintedFields) -> [[FixtureLine]] {
        let p = s.patient
        f.mrn = p.mrn
        let caseNumber = "S26-\(18_000 + s.variant * 3)"
        let collected = s.serviceDate, received = s.serviceDate.next, reported = s.serviceDate.next.next
        var one = LayoutSheet(top: 50)
        one.text(s.facility.name.uppercased(), size: 13, bold: true)
        one.text("\(s.facility.department) | \(s.facility.street), \(s.facility.city) | Tel \(s.facility.phone) | Fax \(s.facility.fax)", size: 7.5)
        one.rule()
        one.row([(50, "SURGICAL PATHOLOGY REPORT"), (400, "Case: \(caseNumber)")], size: 11, bold: true)
        one.gap(2)
        one.row([(50, "Name:"), (100, p.lastFirst()), (330, s.variant % 2 == 0 ? "Med Rec #:" : "MRN:"), (400, p.mrn)])
        one.row([(50, s.variant % 2 == 0 ? "DOB:" : "Birthdate:"), (100, "\(d(s, p.dob)) (Age: \(p.age))"), (330, "Sex:"), (400, p.sex)])
        one.row([(50, "Acct #:"), (100, "\(5_120_000 + s.variant * 29)"), (330, "Location:"), (400, "OUTPATIENT")])
        one.row([(50, "Physician(s):"), (120, "\(s.other.signed) (submitting)")])
        one.row([(50, "Date Collected: \(LayoutDateForm.slashes.format(collected))"), (230, "Date Received: \(LayoutDateForm.slashes.format(received))"),
                 (410, "Reported: \(LayoutDateForm.slashes.format(reported))")])
        one.rule()
        one.section("SPECIMEN(S):", [s.text.specimen])
        one.section("FINAL DIAGNOSIS:", s.text.pathologyDiagnosis)
        one.gap(10)
        one.text("*** Electronically Signed Out ***", bold: true)
        one.text(s.author.signed)
        one.text("Pathologist")
        one.text(LayoutDateForm.slashes.format(reported))
        one.fixed("\(caseNumber)   \(p.lastFirst())   Page 1 of 2", y: 760)
        var two = LayoutSheet(top: 50)
        two.row([(50, "\(p.lastFirst())"), (330, "Case: \(caseNumber)")], size: 8)
        two.section("CLINICAL HISTORY:", [s.text.indication])
        two.section("GROSS DESCRIPTION:", s.text.gross)
        two.section("MICROSCOPIC DESCRIPTION:", s.text.microscopic)
        two.section("DISCLAIMER:", ["Some immunohistochemical tests were developed and their performance characteristics",
                                    "determined by this laboratory. They have not been cleared by the U.S. FDA."])
        two.fixed("\(caseNumber)   \(p.lastFirst())   Page 2 of 2", y: 760)
        return [one.lines, two.lines]
    }

    // MARK: Cover sheets, letters, authorizations

    static func hylafax(_ s: DocumentSpec, _ f: inout PrintedFields) -> [[FixtureLine]] {
        let p = s.patient
        f.mrn = nil
        f.serviceDate = s.faxDate
        let from: String
        if s.senderIsPerson {
            from = "\(s.author.full), Health Information Management"
            f.providerName = s.author.full
        } else {
            from = "Medical Records"
            f.providerName = nil
        }
        // Typed by hand into the fax client: "LAST, FIRST", or first name first in capitals without a comma.
        let regarding = s.variant % 3 == 2 ? p.firstLast(middle: false).uppercased() : p.lastFirst(middle: false)
        var page = LayoutSheet(top: 70, left: 60, font: .mono, size: 11)
        page.text("F A C S I M I L E   C O V E R", size: 18, bold: true)
        page.gap(16)
        let rows: [(String, String)] = [
            ("To:", "Intake Coordinator"), ("Company:", s.centerName), ("Fax:", phoneDashes(s.centerFax)), ("", ""),
            ("From:", from), ("Company:", s.facility.name), ("Fax:", s.facility.fax), ("Voice:", s.facility.phone),
            ("", ""), ("Date:", d(s, s.faxDate)), ("Pages:", "\(s.declaredPages) (including cover)"),
            ("Regarding:", (s.showDOB ? "\(regarding)   DOB \(d(s, p.dob))" : regarding)),
        ]
        for (label, value) in rows { page.row([(60, label), (170, value)]) }
        page.gap(14)
        page.text("Comments:")
        page.text("Records for second opinion as requested. Please call")
        page.text("the number above with any questions.")
        page.gap(60)
        page.text("The information in this facsimile is confidential and", size: 8)
        page.text("intended only for the addressee. If you received it in", size: 8)
        page.text("error, notify the sender and destroy all copies.", size: 8)
        return [page.lines]
    }

    static func phoneDashes(_ digits: String) -> String {
        let d = Array(digits.filter(\.isNumber))
        guard d.count == 10 else { return digits }
        return "\(String(d[0..<3]))-\(String(d[3..<6]))-\(String(d[6..<10]))"
    }

    static func ehrCover(_ s: DocumentSpec, _ f: inout PrintedFields) -> [[FixtureLine]] {
        let p = s.patient
        f.mrn = nil
        f.serviceDate = s.faxDate
        var page = LayoutSheet(top: 60)
        page.text("Fax", size: 26, bold: true)
        page.text("\(s.facility.name) - \(s.facility.department)", size: 10)
        page.gap(14)
        let faxDashes = phoneDashes(s.facility.faxDigits)
        let phoneDigits = phoneDashes(s.facility.phone.filter(\.isNumber))
        let rows: [(String, String, String, String)] = [
            ("To:", "New Patient Referrals", "From:", s.author.signed),
            ("", s.centerName, "", s.facility.name),
            ("Fax:", phoneDashes(s.centerFax), "Fax:", faxDashes),
            ("Attn:", "Second Opinion Program", "Phone:", phoneDigits),
            ("Date:", d(s, s.faxDate), "Pages:", "\(s.declaredPages) (including this page)"),
            ("CC:", s.other.signed, "", ""),
        ]
        for row in rows { page.row([(50, row.0), (100, row.1), (320, row.2), (370, row.3)], size: 10) }
        page.gap(12)
        page.row([(50, "Patient:"), (100, p.firstLast(middle: false)),
                  (320, s.showDOB ? "DOB:" : ""), (370, s.showDOB ? d(s, p.dob) : "")], size: 10)
        page.gap(10)
        page.text("Message:", size: 10, bold: true)
        page.text("Please find enclosed the requested records for second opinion consultation. Contact our", size: 9)
        page.text("office with questions or to confirm receipt.", size: 9)
        page.gap(40)
        page.text("CONFIDENTIALITY NOTICE: The documents accompanying this transmission contain confidential health", size: 7)
        page.text("information that is legally privileged. If you are not the intended recipient, you are hereby notified", size: 7)
        page.text("that any disclosure, copying or distribution is strictly prohibited.", size: 7)
        return [page.lines]
    }

    static func letter(_ s: DocumentSpec, _ f: inout PrintedFields) -> [[FixtureLine]] {
        let p = s.patient
        f.mrn = nil
        var page = LayoutSheet(top: 56, left: 60, font: .serif, size: 9)
        page.text(s.facility.name, size: 15, bold: true)
        page.text(s.facility.department, size: 10)
        page.text("\(s.facility.street) \u{00B7} \(s.facility.city) \u{00B7} Phone \(s.facility.phone) \u{00B7} Fax \(s.facility.fax)", size: 8)
        page.gap(24)
        page.text(LayoutDateForm.monthName.format(s.serviceDate))
        page.gap(12)
        for line in ["Intake Coordinator", "Second Opinion Program", s.centerName, "1400 Lakeshore Drive", "Madison, WI 53703"] {
            page.text(line)
        }
        page.gap(12)
        let re = s.showDOB ? "Re: \(p.firstLast(middle: false)), DOB \(d(s, p.dob))" : "Re: \(p.firstLast(middle: false))"
        page.text(re, bold: true)
        page.gap(10)
        page.text("Dear Colleague,")
        page.gap(4)
        page.text("Thank you for seeing \(p.title) \(p.last) in consultation for a second opinion. \(p.sex == "F" ? "She" : "He") is a")
        page.text("\(p.age)-year-old patient of our practice.")
        page.text(s.text.complaint)
        page.gap(4)
        for line in s.text.history { page.text(line) }
        page.gap(4)
        page.text("My current recommendations:")
        for line in s.text.plan { page.text(line) }
        page.gap(4)
        page.text("Enclosed are the relevant pathology and imaging reports. Please do not hesitate to contact me.")
        page.gap(16)
        page.text("Sincerely,")
        page.gap(24)
        page.text(s.author.signed)
        page.text(s.facility.department)
        page.gap(8)
        page.text("cc: \(s.other.signed)", size: 8.5)
        return [page.lines]
    }

    static func authorization(_ s: DocumentSpec, _ f: inout PrintedFields) -> [[FixtureLine]] {
        let p = s.patient
        f.providerName = nil
        f.mrn = p.mrn
        var page = LayoutSheet(top: 54)
        page.text(s.facility.name, size: 13, bold: true)
        page.text("Health Information Management  |  \(s.facility.street), \(s.facility.city)  |  Fax \(s.facility.fax)", size: 8)
        page.gap(10)
        page.text("AUTHORIZATION FOR USE AND DISCLOSURE OF PROTECTED HEALTH INFORMATION", size: 11, bold: true)
        page.gap(6)
        page.row([(50, "Patient Name (Last, First, MI): \(p.lastFirst(caps: false))")])
        page.row([(50, "\(s.variant % 2 == 0 ? "Birthdate" : "Date of Birth"): \(d(s, p.dob))"), (300, "Medical Record #: \(p.mrn)")])
        page.row([(50, "Address: \(300 + s.variant % 600) Orchard Hill Road"), (300, "Phone: (608) 555-01\(10 + s.variant % 80)")])
        page.gap(6)
        page.text("1. I authorize: \(s.facility.name)")
        page.text("2. to release information to: \(s.centerName), Second Opinion Program, Fax \(phoneDashes(s.centerFax))")
        page.text("3. Information to be released:")
        page.text("[X] Pathology reports and slides   [X] Operative reports   [X] Imaging reports and images", x: 70)
        page.text("[X] Office/clinic notes   [ ] Mental health records   [ ] HIV/STD test results", x: 70)
        page.text("4. Purpose of disclosure: second opinion consultation and continuity of care.")
        page.text("5. This authorization expires on: \(LayoutDateForm.slashes.format(CalendarDate(year: s.serviceDate.year + 1, month: s.serviceDate.month, day: s.serviceDate.day)!))")
        page.gap(4)
        page.text("I understand that I may revoke this authorization in writing at any time, except to the extent that", size: 8)
        page.text("action has already been taken in reliance on it. Treatment will not be conditioned on my signing.", size: 8)
        page.text("Information disclosed may be re-disclosed by the recipient and no longer protected by federal law.", size: 8)
        page.gap(24)
        page.row([(50, "Signature of Patient or Legal Representative: \(p.firstLast())"), (400, "Date: \(d(s, s.serviceDate))")])
        page.row([(50, "If signed by a representative, relationship to patient: ____________________")])
        page.fixed("HIM-ROI-07  Rev 01/2025", y: 766, size: 6.5)
        return [page.lines]
    }
}

extension CalendarDate {
    /// The following day (reports are received the day after collection).
    var next: CalendarDate {
        let lengths = [31, year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        if day < lengths[month - 1] { return CalendarDate(year: year, month: month, day: day + 1)! }
        if month < 12 { return CalendarDate(year: year, month: month + 1, day: 1)! }
        return CalendarDate(year: year + 1, month: 1, day: 1)!
    }
}
