import FileroomModel
import Pages
import Settings
import Store

/// The one door into `filed/`, `review/` and `unmatched/`, for the daemon's filing step and the staff's review
/// actions alike: a document goes where its `Filing` says, written or moved there durably, and copies left
/// elsewhere are removed. Every call is idempotent, so a repeat after a crash completes what was interrupted.
package struct FilingDoor {
    let settings: FileroomSettings
    let store: any FileroomStore
    /// Renders the pages of a filed PDF (the daemon's page stage, or rendering alone for staff actions).
    let pageStage: any PageStage

    package init(settings: FileroomSettings, store: any FileroomStore, pageStage: any PageStage) {
        self.settings = settings
        self.store = store
        self.pageStage = pageStage
    }

    package var filer: DocumentFiler { DocumentFiler(settings: settings) }

    /// The folder a document's files go to under `filing`.
    package func folder(for document: DocumentRecord, as filing: Filing) -> String {
        filer.folder(for: document.applying(filing))
    }

    /// The daemon's door: writes a matched document's files where its filing says (a cover sheet filed with its
    /// fax gets none: it stays with its source) and opens its queue item.
    func file(_ document: DocumentRecord, as filing: Filing, source: SourceRecord) async throws {
        let placed = document.applying(filing)
        var path: String? = nil
        if !(document.type == .coverSheet && filing.destination == .filed) {
            let folder = filer.folder(for: placed)
            try await place(placed, source: source, in: folder, announce: false)
            path = filer.pdfPath(for: placed, source: source)
        }
        _ = try await store.markFiled(document: document.id, path: path)
        try await HandoffOutbox(settings: settings).publish(placed, source: source, pdfPath: path, store: store)
    }

    /// Makes `folder/<date>_<type>_<short id>.pdf` and its sidecar hold the document, wherever its files are now:
    /// moved when found elsewhere (review, unmatched, an earlier case folder, an earlier name), regenerated from the
    /// archived original when missing or when `regenerate` is set. Copies left elsewhere are removed. Then the EHR's
    /// outbox is brought in line (`announce`; the daemon announces after recording the filing). Idempotent.
    package func place(
        _ document: DocumentRecord, source: SourceRecord?, in folder: String, regenerate: Bool = false,
        announce: Bool = true, previousPaths: [String] = []
    ) async throws {
        let target = "\(folder)/\(DocumentFiler.baseName(for: document, receivedAt: source?.receivedAt)).pdf"
        // `previousPaths`: where a refile or unfile found the files before its transaction moved the record on.
        var seen = Set<String>()
        let elsewhere = (previousPaths.filter(DurableFiles.exists) + filer.existingPDFs(of: document))
            .filter { $0 != target && seen.insert($0).inserted }
        try DurableFiles.makeDirectory(folder)
        if regenerate || !DurableFiles.exists(target) {
            if !regenerate, let found = elsewhere.first(where: DurableFiles.exists) {
                try DurableFiles.move(found, to: target)
            } else if let source {
                let pages = try await filingPages(of: source, document: document)
                _ = try filer.write(document: document, source: source, pages: pages)
            } else {
                throw FilingRefusal("the source of document \(document.id) is missing: cannot write its PDF")
            }
        }
        if let source { try filer.writeSidecar(document: document, source: source, folder: folder) }
        for path in elsewhere { DocumentFiler.remove(pdfPath: path) }
        // The EHR hears of every placement: a filing (again), or the withdrawal of one it was told of.
        if announce { try await HandoffOutbox(settings: settings).publish(document, source: source, pdfPath: target, store: store) }
    }

    /// Where a document's PDF goes for its record as it stands (nil: a cover sheet filed with its fax has none).
    package func pdfPath(for document: DocumentRecord, source: SourceRecord?) -> String? {
        if document.type == .coverSheet && document.status == .filed { return nil }
        return filer.pdfPath(for: document, source: source)
    }

    /// Completes the file moves a committed refile or unfile recorded as pending: the document's files end where its
    /// record says (a filed cover sheet: nowhere), copies elsewhere are removed, and the pending row goes. Idempotent,
    /// so a repeat of the staff action and the daemon's start both call it.
    package func settle(_ placement: PendingPlacement) async throws {
        guard let document = try await store.document(placement.documentID) else {
            try await store.clearPendingPlacement(document: placement.documentID)
            return
        }
        let source = try await store.source(document.sourceID)
        if let path = pdfPath(for: document, source: source) {
            try await place(
                document, source: source, in: filer.folder(for: document), previousPaths: placement.previousPaths
            )
            // The record names the new place only once the files are there (a refile from review recorded it ahead).
            if document.filedPath != path { _ = try await store.markFiled(document: document.id, path: path) }
        } else {
            for path in placement.previousPaths + filer.existingPDFs(of: document) { DocumentFiler.remove(pdfPath: path) }
        }
        try await store.clearPendingPlacement(document: document.id)
    }

    /// Every pending placement, oldest first (the daemon's start: a staff action may have died between its
    /// transaction and its file moves). Returns how many were completed.
    @discardableResult
    package func settlePending() async throws -> Int {
        let pending = try await store.pendingPlacements()
        for placement in pending { try await settle(placement) }
        return pending.count
    }

    /// The document's pages as filed: the received images or vector pages, turned as OCR turned them, with the OCR
    /// words of each page as its invisible text layer.
    func filingPages(of source: SourceRecord, document: DocumentRecord) async throws -> [FilingPage] {
        let pages = try await store.pages(of: source.id)
        let texts = Dictionary(pages.map { ($0.number, $0) }, uniquingKeysWith: { first, _ in first })
        let path = source.archivePath ?? "\(settings.work)/\(source.id)/original"
        return try await pageStage.filingPages(of: path, pages: document.firstPage...document.lastPage, texts: texts)
    }
}
