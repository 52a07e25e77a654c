import FileroomModel
import Foundation

/// A FHIR R4 `DocumentReference`, the subset this hand-off writes (field names and types as R4 defines them, so
/// the JSON encoding is the resource).
public struct DocumentReference: Codable, Sendable, Hashable {
    public struct Coding: Codable, Sendable, Hashable {
        public var system: String?
        public var code: String?
        public var display: String?
    }

    public struct CodeableConcept: Codable, Sendable, Hashable {
        public var coding: [Coding]?
        public var text: String?
    }

    public struct Identifier: Codable, Sendable, Hashable {
        public var use: String?
        public var type: CodeableConcept?
        public var system: String?
        public var value: String?
    }

    public struct Reference: Codable, Sendable, Hashable {
        public var identifier: Identifier?
        public var display: String?
    }

    public struct Attachment: Codable, Sendable, Hashable {
        public var contentType: String
        public var data: String?
        public var url: String?
        public var size: Int
        public var hash: String
        public var title: String?
        public var creation: String?
    }

    public struct Content: Codable, Sendable, Hashable {
        public var attachment: Attachment
        public var format: Coding?
    }

    public struct Period: Codable, Sendable, Hashable {
        public var start: String?
        public var end: String?
    }

    public struct Context: Codable, Sendable, Hashable {
        public var period: Period?
        public var related: [Reference]?
    }

    public enum Status: String, Codable, Sendable, Hashable {
        case current
        case superseded
        case enteredInError = "entered-in-error"
    }

    public var resourceType = "DocumentReference"
    public var id: String
    public var identifier: [Identifier]
    public var status: Status
    public var docStatus: String?
    public var type: CodeableConcept
    public var category: [CodeableConcept]
    public var subject: Reference?
    public var date: String
    public var author: [Reference]?
    public var custodian: Reference?
    public var description: String?
    public var content: [Content]
    public var context: Context?

    /// The identifier systems of Fileroom's own ids.
    public static let documentSystem = "urn:fileroom:document"
    public static let caseSystem = "urn:fileroom:case"

    /// The resource for a filed document (status `current`).
    public init(_ document: HandoffDocument) {
        let code = DocumentTypeCode.of(document.type)
        id = Self.resourceID(document.documentID)
        identifier = [Identifier(use: "official", system: Self.documentSystem, value: document.documentID)]
        status = .current
        docStatus = "final"
        type = CodeableConcept(
            coding: [Coding(system: "http://loinc.org", code: code.loinc, display: code.display)], text: code.title
        )
        category = [CodeableConcept(
            coding: [Coding(
                system: "http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category",
                code: "clinical-note", display: "Clinical Note"
            )],
            text: "Outside records"
        )]
        subject = Self.patientReference(document.patient)
        date = document.filedAt
        let authors = [document.provider, document.facility].compactMap { $0 }.filter { !$0.isEmpty }
        author = authors.isEmpty ? nil : authors.map { Reference(display: $0) }
        custodian = document.facility.flatMap { $0.isEmpty ? nil : Reference(display: $0) }
        let pages = document.pages.count == 1 ? "page \(document.pages.lowerBound)" : "pages \(document.pages.lowerBound)-\(document.pages.upperBound)"
        description = "\(code.title) received by fax (\(pages) of source \(document.sourceID))"
        let received = String(document.receivedAt.prefix(10))
        content = [Content(
            attachment: Attachment(
                contentType: "application/pdf",
                data: document.file.data.map { Data($0).base64EncodedString() },
                url: document.file.url,
                size: document.file.size,
                hash: Data(document.file.sha1).base64EncodedString(),
                title: "\(code.title), received \(received)",
                creation: document.receivedAt
            ),
            format: Coding(
                system: "http://ihe.net/fhir/ihe.formatcode.fhir/CodeSystem/formatcode",
                code: "urn:ihe:iti:xds:2017:mimeTypeSufficient", display: "mimeType Sufficient"
            )
        )]
        context = Context(
            period: document.serviceDate.map { Period(start: $0.iso) },
            related: [Reference(identifier: Identifier(system: Self.caseSystem, value: document.caseID))]
        )
    }

    /// The subject: by MRN (typed `MR`, in the center's namespace) when the case has one, else by name alone.
    static func patientReference(_ patient: HandoffDocument.Patient) -> Reference {
        let name = [patient.first, patient.middle, patient.last].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        guard let mrn = patient.mrn, !mrn.isEmpty else { return Reference(display: name) }
        return Reference(
            identifier: Identifier(
                use: "usual",
                type: CodeableConcept(
                    coding: [Coding(system: "http://terminology.hl7.org/CodeSystem/v2-0203", code: "MR", display: "Medical record number")],
                    text: nil
                ),
                system: patient.mrnSystem, value: mrn
            ),
            display: name
        )
    }

    /// A FHIR id (`[A-Za-z0-9-.]{1,64}`) from a document id (`doc_01J...` becomes `doc-01J...`).
    public static func resourceID(_ documentID: String) -> String {
        let mapped = documentID.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") ? $0 : "-" }
        return String(String(mapped).prefix(64))
    }

    /// The JSON the outbox holds: pretty, keys sorted, slashes as they are.
    public func json() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self))
    }

    public static func decode(_ bytes: [UInt8]) throws -> DocumentReference {
        try JSONDecoder().decode(DocumentReference.self, from: Data(bytes))
    }
}
