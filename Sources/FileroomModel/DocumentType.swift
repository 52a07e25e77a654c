/// The kinds of document a second-opinion fax holds. Raw values are the export's spelling.
public enum DocumentType: String, Sendable, Codable, CaseIterable, Hashable {
    case coverSheet = "cover_sheet"
    case authorization
    case pathologyReport = "pathology_report"
    case radiologyReport = "radiology_report"
    case clinicNote = "clinic_note"
    case operativeNote = "operative_note"
    case labReport = "lab_report"
    case other

    /// The reading queue a filed document of this type lands in.
    public var queue: FilingQueue {
        switch self {
        case .pathologyReport: .pathology
        case .radiologyReport: .radiology
        case .authorization, .clinicNote, .operativeNote, .labReport: .records
        case .coverSheet, .other: .none
        }
    }

    /// Whether the document is patient care material (cover sheets and junk are not).
    public var isClinical: Bool { queue != .none }
}

/// Where a filed document goes inside its case folder.
public enum FilingQueue: String, Sendable, Codable, CaseIterable, Hashable {
    case pathology
    case radiology
    case records
    case none
}
