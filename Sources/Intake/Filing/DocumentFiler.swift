import FileroomModel
import Foundation
import Pages
import Settings
import Store

/// Writes a document's files: a searchable PDF/A of its pages and a JSON sidecar (type, fields, match decision,
/// source), under `filed/<case>/<queue>/`, `review/` or `unmatched/`.
///
/// Files are named for what they are, `<service date or received date>_<type>_<short id>.pdf`
/// (`2026-10-24_pathology_report_7QK2M9XA.pdf`): never a patient's name, birth date or MRN. The short id is the
/// random tail of the document id, so a document keeps its name wherever it moves and a repeat overwrites itself.
package struct DocumentFiler {
    let settings: FileroomSettings

    package init(settings: FileroomSettings) {
        self.settings = settings
    }

    /// The folder a document's files go to for its status.
    package func folder(for document: DocumentRecord) -> String {
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

    /// `<date>_<type>_<short id>`: the date of service when it was read, else the day the fax arrived (UTC).
    static func baseName(for document: DocumentRecord, receivedAt: String?) -> String {
        let date = document.fields.serviceDate?.value.iso ?? String((receivedAt ?? document.createdAt).prefix(10))
        return "\(date)_\(document.type.rawValue)_\(shortID(document.id))"
    }

    /// The last eight letters and digits of a document id: its random part for our ids (`doc_` + 10 time
    /// characters + 16 random ones), so documents of one fax, created in the same millisecond, still differ.
    static func shortID(_ id: String) -> String {
        String(id.filter { $0.isASCII && ($0.isLetter || $0.isNumber) }.suffix(8))
    }

    /// Where the document's PDF belongs for its current status, type and fields.
    package func pdfPath(for document: DocumentRecord, source: SourceRecord?) -> String {
        "\(folder(for: document))/\(Self.baseName(for: document, receivedAt: source?.receivedAt)).pdf"
    }

    /// PDFs of this document wherever an earlier run or another status put them: the recorded path, and the review and
    /// unmatched folders under its current name, any earlier name (another type or date) or the old `<id>.pdf`.
    package func existingPDFs(of document: DocumentRecord) -> [String] {
        var found: [String] = []
        if let recorded = document.filedPath { found.append(recorded) }
        let suffix = "_\(Self.shortID(document.id)).pdf"
        for folder in [settings.review, settings.unmatched] {
            for name in DurableFiles.listDirectory(folder) where name.hasSuffix(suffix) || name == "\(document.id).pdf" {
                found.append("\(folder)/\(name)")
            }
        }
        var seen = Set<String>()
        return found.filter { seen.insert($0).inserted && DurableFiles.exists($0) }
    }

    /// Writes the PDF and its sidecar; returns the PDF's path. `pages` come from the page stage's `filingPages`.
    func write(document: DocumentRecord, source: SourceRecord, pages: [FilingPage]) throws -> String {
        let pdfPath = pdfPath(for: document, source: source)
        try DurableFiles.makeDirectory(DurableFiles.parent(of: pdfPath))
        let temporary = "\(pdfPath).tmp-\(getpid())"
        do {
            try FilingPDFWriter.write(pages, info: Self.info(for: document, source: source), to: temporary)
            chmod(temporary, DurableFiles.fileMode(0o600, in: DurableFiles.parent(of: pdfPath)))  // 0640 in filed/, review/, unmatched/
            try DurableFiles.sync(temporary)
            try DurableFiles.move(temporary, to: pdfPath)
        } catch {
            DurableFiles.remove(temporary)
            throw error
        }
        try writeSidecar(document: document, source: source, folder: DurableFiles.parent(of: pdfPath))
        return pdfPath
    }

    /// What the PDF says about itself: its type, date and id as the title (no patient in it: the title shows in
    /// window bars and recent-file lists), created when the document was found in its fax. A fixed date makes a
    /// rewrite of the same pages byte-identical, so the hand-off's hash does not change on a repeat.
    static func info(for document: DocumentRecord, source: SourceRecord) -> PDFDocumentInfo {
        let type = document.type.rawValue.replacingOccurrences(of: "_", with: " ")
        let date = document.fields.serviceDate?.value.iso ?? String(source.receivedAt.prefix(10))
        let created = Timestamp.date(document.createdAt) ?? Timestamp.date(source.receivedAt) ?? Date()
        return PDFDocumentInfo(
            title: "\(type.prefix(1).uppercased() + type.dropFirst()), \(date) (\(document.id))",
            created: Int(created.timeIntervalSince1970), identifier: document.id
        )
    }

    /// Writes (or rewrites, after a review action changed the document) the JSON beside the PDF in `folder`.
    func writeSidecar(document: DocumentRecord, source: SourceRecord, folder: String) throws {
        let sidecar = FiledDocumentSidecar(document: document, source: source)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let name = Self.baseName(for: document, receivedAt: source.receivedAt)
        try DurableFiles.write(Array(try encoder.encode(sidecar)), to: "\(folder)/\(name).json")
    }

    /// Removes a document's files from wherever they are (review actions move documents).
    package static func remove(pdfPath: String) {
        DurableFiles.remove(pdfPath)
        if pdfPath.hasSuffix(".pdf") { DurableFiles.remove(String(pdfPath.dropLast(4)) + ".json") }
    }

    /// Reads the given pages of a source file for filing (blocking: libtiff, poppler, cairo), each turned as OCR
    /// turned it and carrying its OCR words. The page stages call this on a thread of their own.
    static func filingPages(
        of path: String, pages: ClosedRange<Int>, texts: [Int: PageText], limits: PageLimits
    ) throws -> [FilingPage] {
        let file = try SourceFile.open(path: path, limits: limits)
        return try pages.map { number in try file.filingPage(number, text: texts[number]) }
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
