/// The export format the project is measured by (`fileroom export --json`; corpus README, issue 5).
/// Keys are snake_case; unknown values are null, never absent.
public struct ExportReport: Sendable, Codable, Hashable {
    public var sources: [ExportSource]

    public init(sources: [ExportSource]) { self.sources = sources }
}

public struct ExportSource: Sendable, Codable, Hashable {
    /// The original spool file name (NFC). Shown to staff; never logged.
    public var file: String
    public var sha256: String
    /// `processed`, `rejected`, `duplicate` or `pending`.
    public var status: String
    public var error: String?
    public var pages: Int
    public var declaredPages: Int?
    public var documents: [ExportDocument]
    /// Extra keys: our source id, the reject reason code, the first copy of a duplicate.
    public var sourceID: String?
    public var rejectReason: String?
    public var duplicateOf: String?

    public init(
        file: String, sha256: String, status: String, error: String?, pages: Int, declaredPages: Int?,
        documents: [ExportDocument], sourceID: String? = nil, rejectReason: String? = nil, duplicateOf: String? = nil
    ) {
        self.file = file
        self.sha256 = sha256
        self.status = status
        self.error = error
        self.pages = pages
        self.declaredPages = declaredPages
        self.documents = documents
        self.sourceID = sourceID
        self.rejectReason = rejectReason
        self.duplicateOf = duplicateOf
    }

    enum CodingKeys: String, CodingKey {
        case file, sha256, status, error, pages, documents
        case declaredPages = "declared_pages"
        case sourceID = "source_id"
        case rejectReason = "reject_reason"
        case duplicateOf = "duplicate_of"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(file, forKey: .file)
        try c.encode(sha256, forKey: .sha256)
        try c.encode(status, forKey: .status)
        try c.encode(error, forKey: .error)
        try c.encode(pages, forKey: .pages)
        try c.encode(declaredPages, forKey: .declaredPages)
        try c.encode(documents, forKey: .documents)
        try c.encodeIfPresent(sourceID, forKey: .sourceID)
        try c.encodeIfPresent(rejectReason, forKey: .rejectReason)
        try c.encodeIfPresent(duplicateOf, forKey: .duplicateOf)
    }
}

public struct ExportDocument: Sendable, Codable, Hashable {
    /// [first, last], 1-based, inclusive.
    public var pages: [Int]
    public var type: String
    public var caseID: String?
    /// `pathology`, `radiology`, `records` or `none`.
    public var queue: String
    /// `filed`, `review` or `unmatched`.
    public var status: String
    public var confidence: Double
    public var fields: ExportFields
    public var documentID: String?

    public init(
        pages: [Int], type: String, caseID: String?, queue: String, status: String, confidence: Double,
        fields: ExportFields, documentID: String? = nil
    ) {
        self.pages = pages
        self.type = type
        self.caseID = caseID
        self.queue = queue
        self.status = status
        self.confidence = confidence
        self.fields = fields
        self.documentID = documentID
    }

    enum CodingKeys: String, CodingKey {
        case pages, type, queue, status, confidence, fields
        case caseID = "case_id"
        case documentID = "document_id"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(pages, forKey: .pages)
        try c.encode(type, forKey: .type)
        try c.encode(caseID, forKey: .caseID)
        try c.encode(queue, forKey: .queue)
        try c.encode(status, forKey: .status)
        try c.encode(confidence, forKey: .confidence)
        try c.encode(fields, forKey: .fields)
        try c.encodeIfPresent(documentID, forKey: .documentID)
    }
}

/// The eight scored fields; every key is written, null where unknown.
public struct ExportFields: Sendable, Codable, Hashable {
    public var patientLast: String?
    public var patientFirst: String?
    public var dob: String?
    public var mrn: String?
    public var providerName: String?
    public var facility: String?
    public var providerFax: String?
    public var serviceDate: String?

    public init(
        patientLast: String? = nil, patientFirst: String? = nil, dob: String? = nil, mrn: String? = nil,
        providerName: String? = nil, facility: String? = nil, providerFax: String? = nil, serviceDate: String? = nil
    ) {
        self.patientLast = patientLast
        self.patientFirst = patientFirst
        self.dob = dob
        self.mrn = mrn
        self.providerName = providerName
        self.facility = facility
        self.providerFax = providerFax
        self.serviceDate = serviceDate
    }

    enum CodingKeys: String, CodingKey {
        case patientLast = "patient_last"
        case patientFirst = "patient_first"
        case dob, mrn, facility
        case providerName = "provider_name"
        case providerFax = "provider_fax"
        case serviceDate = "service_date"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(patientLast, forKey: .patientLast)
        try c.encode(patientFirst, forKey: .patientFirst)
        try c.encode(dob, forKey: .dob)
        try c.encode(mrn, forKey: .mrn)
        try c.encode(providerName, forKey: .providerName)
        try c.encode(facility, forKey: .facility)
        try c.encode(providerFax, forKey: .providerFax)
        try c.encode(serviceDate, forKey: .serviceDate)
    }
}

extension ExportFields {
    /// The scored fields of a document, normalised as the export wants them (dates ISO, fax 10 digits).
    public init(_ fields: DocumentFields) {
        self.init(
            patientLast: fields.patientLast?.value, patientFirst: fields.patientFirst?.value,
            dob: fields.dateOfBirth?.value.iso, mrn: fields.mrn?.value, providerName: fields.providerName?.value,
            facility: fields.facility?.value, providerFax: fields.providerFax?.value,
            serviceDate: fields.serviceDate?.value.iso
        )
    }
}
