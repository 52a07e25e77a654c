/// A value read off a page, with how sure the reader is and where it came from.
public struct Extracted<Value: Sendable & Hashable & Codable>: Sendable, Hashable, Codable {
    public var value: Value
    /// 0...1: OCR confidence of the words it came from, times how sure the extractor is of the label.
    public var confidence: Double
    /// 1-based page number in the source file.
    public var page: Int

    public init(_ value: Value, confidence: Double, page: Int) {
        self.value = value
        self.confidence = confidence
        self.page = page
    }
}

/// Whose medical record number a document prints.
public enum MRNIssuer: String, Sendable, Codable, Hashable {
    /// The receiving center's own MRN: strong evidence when it agrees with a case.
    case ours
    /// An outside facility's MRN: says nothing about our cases.
    case outside
    case unknown
}

/// The normalised fields of one document. Every field is optional: nil means not printed or not read.
public struct DocumentFields: Sendable, Hashable, Codable {
    public var patientLast: Extracted<String>?
    public var patientFirst: Extracted<String>?
    public var patientMiddle: Extracted<String>?
    public var dateOfBirth: Extracted<CalendarDate>?
    /// "F", "M" or "X".
    public var sex: Extracted<String>?
    /// As printed.
    public var mrn: Extracted<String>?
    public var mrnIssuer: MRNIssuer?

    /// "First Last" without credentials.
    public var providerName: Extracted<String>?
    public var facility: Extracted<String>?
    /// 10 digits.
    public var providerPhone: Extracted<String>?
    /// 10 digits, from the letterhead or body, never from the fax header line.
    public var providerFax: Extracted<String>?
    /// 10 digits with a valid Luhn check digit.
    public var npi: Extracted<String>?
    public var serviceDate: Extracted<CalendarDate>?

    /// Fields that only some document types have, keyed in snake_case
    /// (`accession_number`, `specimen`, `diagnosis`, `modality`, `exam`, `impression`, `releasing_facility`,
    /// `recipient`, `records_authorized`, `purpose`, `signed`, `signature_date`, `expiration_date`, `expired`,
    /// `cover_from`, `cover_to`, `sender_fax`, `declared_pages`, `regarding`).
    public var details: [String: Extracted<String>]

    public init(
        patientLast: Extracted<String>? = nil, patientFirst: Extracted<String>? = nil,
        patientMiddle: Extracted<String>? = nil, dateOfBirth: Extracted<CalendarDate>? = nil,
        sex: Extracted<String>? = nil, mrn: Extracted<String>? = nil, mrnIssuer: MRNIssuer? = nil,
        providerName: Extracted<String>? = nil, facility: Extracted<String>? = nil,
        providerPhone: Extracted<String>? = nil, providerFax: Extracted<String>? = nil,
        npi: Extracted<String>? = nil, serviceDate: Extracted<CalendarDate>? = nil,
        details: [String: Extracted<String>] = [:]
    ) {
        self.patientLast = patientLast
        self.patientFirst = patientFirst
        self.patientMiddle = patientMiddle
        self.dateOfBirth = dateOfBirth
        self.sex = sex
        self.mrn = mrn
        self.mrnIssuer = mrnIssuer
        self.providerName = providerName
        self.facility = facility
        self.providerPhone = providerPhone
        self.providerFax = providerFax
        self.npi = npi
        self.serviceDate = serviceDate
        self.details = details
    }

    /// The eight fields the export format scores, as plain strings (dates ISO, fax 10 digits), nil where unknown.
    public var exportFields: [String: String?] {
        [
            "patient_last": patientLast?.value,
            "patient_first": patientFirst?.value,
            "dob": dateOfBirth?.value.iso,
            "mrn": mrn?.value,
            "provider_name": providerName?.value,
            "facility": facility?.value,
            "provider_fax": providerFax?.value,
            "service_date": serviceDate?.value.iso,
        ]
    }
}

/// One document found in a source: a page range with a type and fields.
public struct ExtractedDocument: Sendable, Hashable, Codable {
    /// 1-based, inclusive.
    public var firstPage: Int
    public var lastPage: Int
    public var type: DocumentType
    /// 0...1: how sure the classifier is of `type`.
    public var typeConfidence: Double
    /// Human-readable reasons the type won (e.g. "title: SURGICAL PATHOLOGY REPORT", "keywords: specimen, diagnosis").
    public var evidence: [String]
    public var fields: DocumentFields

    public init(
        firstPage: Int, lastPage: Int, type: DocumentType, typeConfidence: Double, evidence: [String],
        fields: DocumentFields
    ) {
        self.firstPage = firstPage
        self.lastPage = lastPage
        self.type = type
        self.typeConfidence = typeConfidence
        self.evidence = evidence
        self.fields = fields
    }

    public var pageRange: ClosedRange<Int> { firstPage...lastPage }
}

/// What understanding made of a whole source.
public struct UnderstoodSource: Sendable, Hashable, Codable {
    public var documents: [ExtractedDocument]
    /// Total pages the cover sheet or the fax header line declares, or nil.
    public var declaredPages: Int?
    public var receivedPages: Int
    /// 10 digits, from the fax header line printed at the top of received pages.
    public var senderFax: String?

    public init(documents: [ExtractedDocument], declaredPages: Int?, receivedPages: Int, senderFax: String?) {
        self.documents = documents
        self.declaredPages = declaredPages
        self.receivedPages = receivedPages
        self.senderFax = senderFax
    }

    /// Fewer pages arrived than the sender declared: staff should ask for a re-send.
    public var isIncomplete: Bool { declaredPages.map { receivedPages < $0 } ?? false }
}
