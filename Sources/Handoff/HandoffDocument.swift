public import FileroomModel

/// What the hand-off says about one filed document: the pure input of the FHIR and HL7 builders.
public struct HandoffDocument: Sendable, Hashable {
    public struct Patient: Sendable, Hashable {
        public var mrn: String?
        /// URI of the MRN's namespace (`center.mrn_system`).
        public var mrnSystem: String?
        public var last: String
        public var first: String
        public var middle: String?
        public var dateOfBirth: CalendarDate?
        /// "F", "M", "X" or nil.
        public var sex: String?

        public init(
            mrn: String?, mrnSystem: String?, last: String, first: String, middle: String? = nil,
            dateOfBirth: CalendarDate? = nil, sex: String? = nil
        ) {
            self.mrn = mrn
            self.mrnSystem = mrnSystem
            self.last = last
            self.first = first
            self.middle = middle
            self.dateOfBirth = dateOfBirth
            self.sex = sex
        }
    }

    /// The filed PDF.
    public struct File: Sendable, Hashable {
        public var size: Int
        /// SHA-1 of the bytes.
        public var sha1: [UInt8]
        /// Where the receiver finds the bytes, or nil when `data` carries them.
        public var url: String?
        /// The bytes themselves, or nil when `url` names them.
        public var data: [UInt8]?
        /// The file name, for the receiver's own storage (`TXA-16`).
        public var name: String

        public init(size: Int, sha1: [UInt8], url: String?, data: [UInt8]?, name: String) {
            self.size = size
            self.sha1 = sha1
            self.url = url
            self.data = data
            self.name = name
        }
    }

    public var documentID: String
    public var sourceID: String
    public var caseID: String
    public var type: DocumentType
    public var patient: Patient
    /// When the care the document records took place (collection, exam, visit), when it was read.
    public var serviceDate: CalendarDate?
    /// RFC 3339 UTC: when the fax arrived, and when this filing happened.
    public var receivedAt: String
    public var filedAt: String
    /// The sending practice and clinician, when read off the document.
    public var facility: String?
    public var provider: String?
    public var pages: ClosedRange<Int>
    public var file: File
    /// The center (sending application's facility in HL7).
    public var centerName: String?

    public init(
        documentID: String, sourceID: String, caseID: String, type: DocumentType, patient: Patient,
        serviceDate: CalendarDate?, receivedAt: String, filedAt: String, facility: String?, provider: String?,
        pages: ClosedRange<Int>, file: File, centerName: String?
    ) {
        self.documentID = documentID
        self.sourceID = sourceID
        self.caseID = caseID
        self.type = type
        self.patient = patient
        self.serviceDate = serviceDate
        self.receivedAt = receivedAt
        self.filedAt = filedAt
        self.facility = facility
        self.provider = provider
        self.pages = pages
        self.file = file
        self.centerName = centerName
    }
}

/// How each document type is coded for the EHR: LOINC document type codes (the ones US Core and C-CDA use for
/// these notes), and HL7 v2 table 0270 document types for `TXA-2`.
public struct DocumentTypeCode: Sendable, Hashable {
    public var loinc: String
    public var display: String
    /// HL7 v2 table 0270 (user-defined: the standard values where one fits).
    public var hl7: String
    /// How the document reads to a person ("Pathology report").
    public var title: String

    public static func of(_ type: DocumentType) -> DocumentTypeCode {
        switch type {
        case .pathologyReport: DocumentTypeCode(loinc: "11526-1", display: "Pathology study", hl7: "SP", title: "Pathology report")
        case .radiologyReport:
            DocumentTypeCode(loinc: "18748-4", display: "Diagnostic imaging study", hl7: "DI", title: "Radiology report")
        case .clinicNote: DocumentTypeCode(loinc: "11488-4", display: "Consult note", hl7: "CN", title: "Clinic note")
        case .operativeNote:
            DocumentTypeCode(loinc: "11504-8", display: "Surgical operation note", hl7: "OP", title: "Operative note")
        case .labReport: DocumentTypeCode(loinc: "11502-2", display: "Laboratory report", hl7: "LR", title: "Laboratory report")
        case .authorization:
            DocumentTypeCode(
                loinc: "64292-6", display: "Release of information consent Document", hl7: "RI",
                title: "Authorization to release records"
            )
        case .coverSheet:
            DocumentTypeCode(loinc: "56444-3", display: "Healthcare communication Document", hl7: "FC", title: "Fax cover sheet")
        case .other: DocumentTypeCode(loinc: "11503-0", display: "Medical records", hl7: "MR", title: "Medical records")
        }
    }
}
