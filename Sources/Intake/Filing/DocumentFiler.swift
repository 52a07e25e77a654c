import FileroomModel
import Foundation
import Pages
import Settings
import Store

/// Writes a document's files: a PDF of its pages and a JSON sidecar (type, fields, match decision, source),
/// under `filed/<case>/<queue>/`, `review/` or `unmatched/`, named by document id so a repeat overwrites itself.
struct DocumentFiler {
    let settings: FileroomSettings

    /// The folder a document's files go to for its status.
    func folder(for document: DocumentRecord) -> String {
        switch document.status {
        case .filed:
            guard let caseID = document.caseID else { return settings.review }
            let queue = document.queue == .none ? "records" : document.queue.rawValue
            return "\(settings.filed)/\(caseID.rawValue)/\(queue)"
        case .unmatched, .rejected:
            return settings.unmatched
        case .review, .pending:
            return settings.review
        }
    }

    /// Writes the PDF and its sidecar; returns the PDF's path.
    func write(document: DocumentRecord, source: SourceRecord, images: [PageImage]) throws -> String {
        let folder = folder(for: document)
        try DurableFiles.makeDirectory(folder)
        let pdfPath = "\(folder)/\(document.id).pdf"
        let temporary = "\(pdfPath).tmp-\(getpid())"
        try PDFWriter.write(images, to: temporary)
        chmod(temporary, DurableFiles.fileMode(0o600, in: folder))  // group-readable in filed/, review/, unmatched/
        try DurableFiles.sync(temporary)
        try DurableFiles.move(temporary, to: pdfPath)
        try writeSidecar(document: document, source: source, folder: folder)
        return pdfPath
    }

    /// Writes (or rewrites, after a review action changed the document) the JSON beside the PDF in `folder`.
    func writeSidecar(document: DocumentRecord, source: SourceRecord, folder: String) throws {
        let sidecar = FiledDocumentSidecar(document: document, source: source)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try DurableFiles.write(Array(try encoder.encode(sidecar)), to: "\(folder)/\(document.id).json")
    }

    /// Removes a document's files from wherever they are (review actions move documents).
    static func remove(pdfPath: String) {
        DurableFiles.remove(pdfPath)
        if pdfPath.hasSuffix(".pdf") { DurableFiles.remove(String(pdfPath.dropLast(4)) + ".json") }
    }
}

/// The JSON written beside a filed PDF: enough to know what it is without the database.
struct FiledDocumentSidecar: Codable {
    struct SourceInfo: Codable {
        var id: String
        var sha256: String
        var file: String
        var receivedAt: String
        var pages: [Int]

        enum CodingKeys: String, CodingKey {
            case id, sha256, file, pages
            case receivedAt = "received_at"
        }
    }

    var documentID: String
    var type: DocumentType
    var status: String
    var caseID: String?
    var queue: FilingQueue
    var confidence: Double?
    var evidence: [String]
    var fields: DocumentFields
    var decision: MatchDecision?
    var source: SourceInfo

    enum CodingKeys: String, CodingKey {
        case type, status, queue, confidence, evidence, fields, decision, source
        case documentID = "document_id"
        case caseID = "case_id"
    }

    init(document: DocumentRecord, source: SourceRecord) {
        documentID = document.id
        type = document.type
        status = document.status.rawValue
        caseID = document.caseID?.rawValue
        queue = document.queue
        confidence = document.confidence
        evidence = document.evidence
        fields = document.fields
        decision = document.decision
        self.source = SourceInfo(
            id: source.id, sha256: source.sha256, file: source.originalName, receivedAt: source.receivedAt,
            pages: [document.firstPage, document.lastPage]
        )
    }
}
