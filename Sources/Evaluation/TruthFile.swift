import FileroomModel

/// A truth file in the corpus format (`corpus/README.md`, "truth.json"): the correct handling of every
/// spool file, page by page. A center writes one for its own labelled faxes to validate the system.
///
/// Decoding is as lenient as the reference scorer: keys it reads with a default may be absent, and keys
/// it does not read are ignored.
public struct TruthFile: Sendable, Codable, Hashable {
    public var variant: String?
    public var seed: Int?
    public var center: TruthCenter?
    public var sources: [TruthSource]

    public init(variant: String? = nil, seed: Int? = nil, center: TruthCenter? = nil, sources: [TruthSource]) {
        self.variant = variant
        self.seed = seed
        self.center = center
        self.sources = sources
    }
}

public struct TruthCenter: Sendable, Codable, Hashable {
    public var name: String?
    public var fax: String?

    public init(name: String? = nil, fax: String? = nil) {
        self.name = name
        self.fax = fax
    }
}

/// One spool file and what should become of it.
public struct TruthSource: Sendable, Codable, Hashable {
    /// The spool file name (NFC).
    public var file: String
    /// `tiff-g4`, `tiff-g3`, `pdf-image`, `pdf-text` or `bad`.
    public var format: String?
    /// Pages present in the file; null for files that cannot be opened.
    public var pages: Int?
    /// Total stated on the cover sheet, including the cover; null without a cover.
    public var declaredPages: Int?
    /// `processed`, `rejected` or `duplicate`.
    public var expect: String
    public var rejectReason: String?
    /// Other source statuses that also count as handling a should-be-rejected file correctly.
    public var acceptableExpect: [String]?
    /// For duplicates: the file whose bytes this one repeats.
    public var duplicateOf: String?
    public var documents: [TruthDocument]
    public var sha256: String?
    public var bytes: Int?
    /// 1-based pages that are blank; ignored for best match, type and boundary scoring.
    public var blankPages: [Int]?
    public var rotatedPages: [Int]?
    /// Fewer pages arrived than the cover sheet declares.
    public var incomplete: Bool?
    public var note: String?

    public init(
        file: String, format: String? = nil, pages: Int?, declaredPages: Int? = nil, expect: String,
        rejectReason: String? = nil, acceptableExpect: [String]? = nil, duplicateOf: String? = nil,
        documents: [TruthDocument] = [], sha256: String? = nil, bytes: Int? = nil, blankPages: [Int]? = nil,
        rotatedPages: [Int]? = nil, incomplete: Bool? = nil, note: String? = nil
    ) {
        self.file = file
        self.format = format
        self.pages = pages
        self.declaredPages = declaredPages
        self.expect = expect
        self.rejectReason = rejectReason
        self.acceptableExpect = acceptableExpect
        self.duplicateOf = duplicateOf
        self.documents = documents
        self.sha256 = sha256
        self.bytes = bytes
        self.blankPages = blankPages
        self.rotatedPages = rotatedPages
        self.incomplete = incomplete
        self.note = note
    }

    enum CodingKeys: String, CodingKey {
        case file, format, pages, expect, documents, sha256, bytes, incomplete, note
        case declaredPages = "declared_pages"
        case rejectReason = "reject_reason"
        case acceptableExpect = "acceptable_expect"
        case duplicateOf = "duplicate_of"
        case blankPages = "blank_pages"
        case rotatedPages = "rotated_pages"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        file = try c.decode(String.self, forKey: .file)
        format = try c.decodeIfPresent(String.self, forKey: .format)
        pages = try c.decodeIfPresent(Int.self, forKey: .pages)
        declaredPages = try c.decodeIfPresent(Int.self, forKey: .declaredPages)
        expect = try c.decode(String.self, forKey: .expect)
        rejectReason = try c.decodeIfPresent(String.self, forKey: .rejectReason)
        acceptableExpect = try c.decodeIfPresent([String].self, forKey: .acceptableExpect)
        duplicateOf = try c.decodeIfPresent(String.self, forKey: .duplicateOf)
        documents = try c.decodeIfPresent([TruthDocument].self, forKey: .documents) ?? []
        sha256 = try c.decodeIfPresent(String.self, forKey: .sha256)
        bytes = try c.decodeIfPresent(Int.self, forKey: .bytes)
        blankPages = try c.decodeIfPresent([Int].self, forKey: .blankPages)
        rotatedPages = try c.decodeIfPresent([Int].self, forKey: .rotatedPages)
        incomplete = try c.decodeIfPresent(Bool.self, forKey: .incomplete)
        note = try c.decodeIfPresent(String.self, forKey: .note)
    }
}

/// One document of a spool file, as a person would file it.
public struct TruthDocument: Sendable, Codable, Hashable {
    /// [first, last], 1-based, inclusive; a blank page belongs to the document before it.
    public var pages: [Int]
    public var type: String
    /// `pathology`, `radiology`, `records` or `none`.
    public var queue: String
    /// The correct open case, or null (no open case, closed case, two patients, junk).
    public var caseID: String?
    /// The statuses that are acceptable for this document (`filed`, `review`, `unmatched`).
    public var safeOutcomes: [String]
    /// What is printed on the document; null where nothing is printed.
    public var fields: ExportFields
    /// Optional labels of measuring sets, reported per group when present.
    public var hazard: String?
    public var family: String?

    public init(
        pages: [Int], type: String, queue: String, caseID: String?, safeOutcomes: [String],
        fields: ExportFields = ExportFields(), hazard: String? = nil, family: String? = nil
    ) {
        self.pages = pages
        self.type = type
        self.queue = queue
        self.caseID = caseID
        self.safeOutcomes = safeOutcomes
        self.fields = fields
        self.hazard = hazard
        self.family = family
    }

    enum CodingKeys: String, CodingKey {
        case pages, type, queue, fields, hazard, family
        case caseID = "case_id"
        case safeOutcomes = "safe_outcomes"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        pages = try c.decodeIfPresent([Int].self, forKey: .pages) ?? []
        type = try c.decode(String.self, forKey: .type)
        queue = try c.decode(String.self, forKey: .queue)
        caseID = try c.decodeIfPresent(String.self, forKey: .caseID)
        safeOutcomes = try c.decode([String].self, forKey: .safeOutcomes)
        fields = try c.decodeIfPresent(ExportFields.self, forKey: .fields) ?? ExportFields()
        hazard = try c.decodeIfPresent(String.self, forKey: .hazard)
        family = try c.decodeIfPresent(String.self, forKey: .family)
    }
}
