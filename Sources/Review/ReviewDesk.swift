import FileroomModel
import Foundation
import Logging
import Pages
import Settings
import Intake
import Store

/// A staff action refused because of what was asked (unknown item or case, closed case, page out of range, an item
/// in the wrong queue). Nothing was changed. One line, for the person who typed it: the commands exit 1.
public struct ReviewRefusal: Error, Sendable, CustomStringConvertible, Equatable {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// What a review action did, for the command to print.
public struct ReviewOutcome: Sendable {
    public var item: QueueItem?
    public var document: DocumentRecord
    /// Where the document's PDF now is.
    public var pdfPath: String?
    /// One line for the person when the action was accepted with a caveat (a case outside the candidates).
    public var warning: String?
    /// False when the action had already been done (a repeat): only unfinished file moves were completed.
    public var changed: Bool
}

/// Staff actions on review, unmatched and reader-queue items, shared by the `review`/`queue` subcommands and the
/// interactive loop.
///
/// Each action validates first (refusing with a `ReviewRefusal`, nothing changed), then commits the database change
/// with its audit entry in one store transaction, then moves the document's files. The file steps are idempotent and
/// look for the document's files wherever a previous, interrupted run may have left them, so repeating an action
/// completes it.
public final class ReviewDesk: Sendable {
    public let settings: FileroomSettings
    public let store: any FileroomStore
    let logger: Logger
    let today: CalendarDate

    public init(settings: FileroomSettings, store: any FileroomStore, logger: Logger, today: CalendarDate? = nil) {
        self.settings = settings
        self.store = store
        self.logger = logger
        self.today = today ?? CalendarDate.today()
    }

    // MARK: Reading

    /// The item with its document and source, or a refusal naming the unknown id.
    public func details(of itemID: String) async throws -> ReviewItemDetails {
        let itemID = try await resolve(itemID, as: .item)
        guard let item = try await refusing({ try await store.queueItem(itemID) }) else {
            throw ReviewRefusal("no item \(itemID)")
        }
        guard let document = try await store.document(item.documentID) else {
            throw ReviewRefusal("no document \(item.documentID) for item \(itemID)")
        }
        let source = try await store.source(item.sourceID)
        var cases: [CaseID: CaseRecord] = [:]
        for candidate in item.candidates.prefix(9) { cases[candidate.caseID] = try await store.case(candidate.caseID) }
        let pages = try await store.pages(of: item.sourceID).filter { (document.firstPage...document.lastPage).contains($0.number) }
        return ReviewItemDetails(
            item: item, document: document, source: source, cases: cases, pages: pages.sorted { $0.number < $1.number }
        )
    }

    /// Open review (and unmatched) items, oldest first.
    public func openItems(_ kinds: [QueueKind] = [.review, .unmatched]) async throws -> [QueueItem] {
        var items: [QueueItem] = []
        for kind in kinds { items += try await store.openQueueItems(kind) }
        return items.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    // MARK: Actions

    /// Files the item's document to `caseID` (any open case; outside the candidates with a warning) and opens its
    /// reader queue item. A confirmed sender fax is learned as supporting evidence for the case's facility.
    public func assign(
        _ itemID: String, to caseID: CaseID, by actor: String, reason: String?, confirmed: Bool = false
    ) async throws -> ReviewOutcome {
        let details = try await self.details(of: itemID)
        let itemID = details.item.id
        let caseID = try await resolve(caseID)
        guard let record = try await store.case(caseID) else { throw ReviewRefusal("no case \(caseID)") }
        guard record.status == .open else { throw ReviewRefusal("case \(caseID) is closed: it takes no documents") }
        let repeated = details.item.state == .done && details.document.status == .filed
            && details.document.caseID == caseID
        if !repeated {
            try Self.requireReviewable(details.item)
            try requireConfirmation(details.document, to: caseID, confirmed: confirmed)
        }
        let filing = Filing.byStaff(to: caseID, queue: details.document.type.queue, reason: reason)
        let folder = door.folder(for: details.document, as: filing)
        let pdfPath = filer.pdfPath(for: details.document.applying(filing), source: details.source)
        let (document, outside) = try await refusing {
            try await store.assignReviewItem(itemID, to: caseID, actor: actor, reason: reason, filedPath: pdfPath)
        }
        try await place(document, source: details.source, in: folder)
        if !repeated, let fax = details.source?.senderFax, fax.count == 10 {
            // Supporting evidence only: the matcher never files on a fax number alone.
            try await store.learnFax(fax, facility: record.referringFacility, caseID: caseID, actor: actor)
        }
        // The reader queue item it now waits in; a cover sheet has none, so the (done) review item stands for it.
        var item = try await store.queueItem(itemID)
        if let reader = QueueKind.reader(for: document.queue),
            let open = try await store.openQueueItems(reader, caseID: caseID).first(where: { $0.documentID == document.id })
        {
            item = open
        }
        logger.info(
            "review assigned", metadata: ["item.id": "\(itemID)", "doc.id": "\(document.id)", "case.id": "\(caseID)"]
        )
        return ReviewOutcome(
            item: item, document: document, pdfPath: pdfPath,
            warning: outside && !repeated
                ? "warning: \(caseID) is not among the candidates for item \(itemID) (audited as such)" : nil,
            changed: !repeated
        )
    }

    /// Accepts the proposed case of the item.
    public func confirm(_ itemID: String, by actor: String, confirmed: Bool = false) async throws -> ReviewOutcome {
        let details = try await self.details(of: itemID)
        let itemID = details.item.id
        guard let proposed = details.document.caseID ?? details.item.candidates.first?.caseID else {
            throw ReviewRefusal("item \(itemID) has no proposed case: use 'review assign \(itemID) CASE'")
        }
        return try await assign(
            itemID, to: proposed, by: actor, reason: "confirmed the proposed case", confirmed: confirmed
        )
    }

    /// Changes the document's type; it stays in review with its sidecar rewritten.
    public func retype(_ itemID: String, to type: DocumentType, by actor: String, reason: String? = nil) async throws
        -> ReviewOutcome
    {
        let details = try await self.details(of: itemID)
        let itemID = details.item.id
        try Self.requireReviewable(details.item)
        let changed = details.document.type != type
        let document = try await refusing {
            try await store.retypeReviewItem(itemID, to: type, actor: actor, reason: reason)
        }
        let folder = filer.folder(for: document)
        try await place(document, source: details.source, in: folder)
        return ReviewOutcome(
            item: try await store.queueItem(itemID), document: document,
            pdfPath: filer.pdfPath(for: document, source: details.source), warning: nil, changed: changed
        )
    }

    /// Splits the document before `page`: the item keeps the first part, a new item of the same queue holds the
    /// rest. Both PDFs are regenerated from the archived original. Returns the second part's outcome.
    public func split(_ itemID: String, atPage page: Int, by actor: String) async throws
        -> (first: ReviewOutcome, second: ReviewOutcome)
    {
        let details = try await self.details(of: itemID)
        let itemID = details.item.id
        let document = details.document
        var secondDocument: DocumentRecord? = nil
        var changed = true
        if document.lastPage == page - 1, details.item.state == .open,
            try await store.auditEntries(item: itemID, caseID: nil).contains(where: {
                $0.action == "review.split" && ($0.after ?? "").contains(#""new_pages":"\#(page)-"#)
            })
        {
            // A repeat of this split (perhaps interrupted before its files were written): finish the files.
            secondDocument = try await store.documents(of: document.sourceID).first {
                $0.ordinal == document.ordinal + 1 && $0.firstPage == page
            }
            changed = secondDocument == nil
        }
        if secondDocument == nil {
            try Self.requireReviewable(details.item)
            guard document.firstPage < document.lastPage else {
                throw ReviewRefusal("item \(itemID) has one page (\(document.firstPage)): there is nothing to split")
            }
            guard page > document.firstPage, page <= document.lastPage else {
                throw ReviewRefusal(
                    "page \(page) is out of range: split needs a page from \(document.firstPage + 1) to "
                        + "\(document.lastPage) (item \(itemID) has pages \(document.firstPage)-\(document.lastPage))"
                )
            }
            let (_, second) = try await refusing { try await store.splitReviewItem(itemID, atPage: page, actor: actor) }
            secondDocument = try await store.document(second.documentID)
        }
        guard let second = secondDocument, let first = try await store.document(document.id) else {
            throw ReviewRefusal("item \(itemID) changed while being split: try again")
        }
        let folder = filer.folder(for: first)
        // The first part's PDF still holds every page: regenerate it, not just move it.
        try await place(first, source: details.source, in: folder, regenerate: true)
        let secondFolder = filer.folder(for: second)
        try await place(second, source: details.source, in: secondFolder, regenerate: true)
        let secondPath = filer.pdfPath(for: second, source: details.source)
        let secondItem = try await store.markFiled(document: second.id, path: secondPath)
        return (
            ReviewOutcome(
                item: try await store.queueItem(itemID), document: first,
                pdfPath: filer.pdfPath(for: first, source: details.source),
                warning: nil, changed: changed
            ),
            ReviewOutcome(
                item: secondItem, document: try await store.document(second.id) ?? second, pdfPath: secondPath,
                warning: nil, changed: changed
            )
        )
    }

    /// Rejects the document (not ours, junk): filed nowhere, its files kept under `unmatched/` with the reason.
    public func reject(_ itemID: String, reason: String, by actor: String) async throws -> ReviewOutcome {
        let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw ReviewRefusal("a rejection needs a reason") }
        let details = try await self.details(of: itemID)
        let itemID = details.item.id
        let repeated = details.item.state == .done && details.document.status == .rejected
        if !repeated { try Self.requireReviewable(details.item) }
        let document = try await refusing { try await store.rejectReviewItem(itemID, actor: actor, reason: trimmed) }
        let folder = filer.folder(for: document)
        let pdfPath = filer.pdfPath(for: document, source: details.source)
        _ = try await store.markFiled(document: document.id, path: pdfPath)
        try await place(document, source: details.source, in: folder)
        return ReviewOutcome(
            item: try await store.queueItem(itemID), document: document, pdfPath: pdfPath, warning: nil,
            changed: !repeated
        )
    }

    /// Marks a reader-queue item done.
    public func queueDone(_ itemID: String, by actor: String, reason: String? = nil) async throws -> Bool {
        let details = try await self.details(of: itemID)
        let itemID = details.item.id
        guard details.item.kind != .review, details.item.kind != .unmatched else {
            throw ReviewRefusal(
                "item \(itemID) is in the \(details.item.kind.rawValue) queue: use the review actions for it"
            )
        }
        return try await refusing { try await store.markQueueItemDone(itemID, by: actor, reason: reason) }
    }

    /// Runs understanding and matching again for a source from its checkpointed pages (after a fix to the
    /// interpreter, the case list or learned fax numbers). Its unfiled documents are replaced; refused when a
    /// document of the source is already filed.
    public func reprocess(_ sourceID: String, by actor: String) async throws -> (SourceState?, [DocumentRecord]) {
        let sourceID = try await resolve(sourceID, as: .source)
        guard let source = try await store.source(sourceID) else { throw ReviewRefusal("no source \(sourceID)") }
        switch source.state {
        case .rejected:
            return (try await requeueRejected(source, by: actor), [])
        case .duplicate, .claimed:
            throw ReviewRefusal("source \(sourceID) is \(source.state.rawValue): it has no pages to reprocess")
        case .decoded, .understood, .matched, .filed, .review, .unmatched:
            break
        }
        let documents = try await store.documents(of: sourceID)
        if let filed = documents.first(where: { $0.status == .filed && $0.filedPath != nil }) {
            throw ReviewRefusal(
                "source \(sourceID) has filed document \(filed.id): filed documents are not reprocessed"
            )
        }
        guard try await !store.pages(of: sourceID).isEmpty else {
            throw ReviewRefusal("source \(sourceID) has no checkpointed pages to reprocess")
        }
        if source.state.isFinal {
            try await refusing { try await store.setState(sourceID, to: .decoded) }
            _ = try await store.appendAudit(
                AuditInput(
                    actor: actor, action: "review.reprocess", item: sourceID,
                    before: #"{"state":"\#(source.state.rawValue)","documents":\#(documents.count)}"#,
                    after: #"{"state":"decoded"}"#
                )
            )
        }
        // The old documents' files: their rows go when the documents are replaced.
        for document in documents {
            for path in filer.existingPDFs(of: document) where !path.hasPrefix(settings.filed + "/") {
                DocumentFiler.remove(pdfPath: path)
            }
        }
        let engine = IntakeEngine(
            settings: settings, store: store, pageStage: RenderingPageStage(limits: pageLimits), logger: logger,
            today: today
        )
        let final = try await engine.process(sourceID: sourceID)
        return (final, try await store.documents(of: sourceID))
    }

    // MARK: Files

    var filer: DocumentFiler { DocumentFiler(settings: settings) }

    public var pageLimits: PageLimits {
        PageLimits(
            maxFileBytes: settings.pages.maxFileBytes, maxPagesPerFile: settings.pages.maxPages,
            maxPixelsPerPage: settings.pages.maxPixels, maxPixelsPerSide: settings.pages.maxSide,
            pdfRenderDPI: settings.pages.renderDPI
        )
    }

    /// The one filing door the daemon uses too: staff actions place documents through it.
    var door: FilingDoor { FilingDoor(settings: settings, store: store, pageStage: RenderingPageStage(limits: pageLimits)) }

    func place(_ document: DocumentRecord, source: SourceRecord?, in folder: String, regenerate: Bool = false)
        async throws
    {
        try await refusing { try await door.place(document, source: source, in: folder, regenerate: regenerate) }
    }

    static func requireReviewable(_ item: QueueItem) throws {
        guard item.kind == .review || item.kind == .unmatched else {
            throw ReviewRefusal("item \(item.id) is in the \(item.kind.rawValue) queue, not review or unmatched")
        }
        guard item.state == .open else { throw ReviewRefusal("item \(item.id) is already done") }
    }

    /// Store answers that mean "not with this input" become refusals; busy, storage and corrupt stay errors.
    func refusing<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as FilingRefusal {
            throw ReviewRefusal(error.description)
        } catch let error as StoreError {
            switch error {
            case .notFound, .conflict, .invalid: throw ReviewRefusal(error.description)
            default: throw error
            }
        }
    }
}

/// An item with the records a person needs to decide on it.
public struct ReviewItemDetails: Sendable {
    public var item: QueueItem
    public var document: DocumentRecord
    public var source: SourceRecord?
    /// The candidates' case records: the patient each stands for, shown beside what was read.
    public var cases: [CaseID: CaseRecord] = [:]
    /// The document's pages as read (OCR words with their boxes), to show the text beside the decision.
    public var pages: [PageText] = []
}
