import FileroomModel
import Foundation
import Logging
import Matching
import PageWorkers
import Pages
import Settings
import Store
import Synchronization
import Understanding

/// The intake pipeline for one installation: claims spool files, walks each source through the state machine,
/// files what it can and queues the rest. The daemon, `--once` and `ingest` are loops around it.
///
/// Every step first records in the store what it is about to make true, or reads back what a previous run made
/// true, so it can be repeated after a crash: the store is the single source of truth, the folders follow it.
public final class IntakeEngine: Sendable {
    public let settings: FileroomSettings
    public let store: any FileroomStore
    let pageStage: any PageStage
    let interpreter: FaxInterpreter
    let matcher: Matcher
    let logger: Logger
    public let counters = IntakeCounters()
    /// Set on graceful shutdown: the page stage starts no new page, sources resume on the next start.
    let shutdown = StopFlag()
    private let caseIndexCache = CaseIndexCache()

    public init(
        settings: FileroomSettings, store: any FileroomStore, pageStage: any PageStage, logger: Logger,
        today: CalendarDate
    ) {
        self.settings = settings
        self.store = store
        self.pageStage = pageStage
        self.logger = logger
        interpreter = FaxInterpreter(today: today, centerName: settings.center.name, centerFax: settings.center.fax)
        matcher = Matcher(
            thresholds: MatchThresholds(
                autoFile: settings.match.autoFileThreshold, review: settings.match.reviewThreshold,
                margin: settings.match.margin
            )
        )
    }

    // MARK: Claiming

    /// Claims one settled spool file: atomic rename into `work/<source id>/`, fsync, then the store record with
    /// its hash, before any processing. Returns nil when the file vanished (someone else took it).
    public func claim(spoolName: String) async throws -> SourceRecord? {
        let spoolPath = "\(settings.spool)/\(spoolName)"
        var info = stat()
        guard stat(spoolPath, &info) == 0 else { return nil }
        let receivedAt = Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec))
        let id = Identifier.make(prefix: "src_")
        let workFolder = "\(settings.work)/\(id)"
        try DurableFiles.makeDirectory(workFolder)
        // The claim note goes first: after a crash between the rename and the store record, the startup
        // recovery finds the original's name and arrival time here.
        let note = ClaimNote(originalName: spoolName, receivedAt: receivedAt, sidecar: readSidecar(for: spoolPath))
        try DurableFiles.write(Array(try JSONEncoder().encode(note)), to: "\(workFolder)/claim.json")
        let claimedPath = claimedOriginal(of: id)
        do {
            try DurableFiles.move(spoolPath, to: claimedPath)
        } catch {
            if error.errno == ENOENT {
                DurableFiles.removeTree(workFolder)
                return nil
            }
            throw error
        }
        if let sidecarName = note.sidecarFile {
            try? DurableFiles.move("\(settings.spool)/\(sidecarName)", to: "\(workFolder)/sidecar.json")
        }
        return try await record(sourceID: id, note: note)
    }

    /// Claims a file named by staff (`fileroom ingest`): a durable copy into `work/<source id>/`, the original
    /// left where it is, then the same store record as a spool claim.
    public func claim(copying path: String) async throws -> SourceRecord {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw FileStepError(operation: "read", path: path, errno: errno)
        }
        let id = Identifier.make(prefix: "src_")
        let workFolder = "\(settings.work)/\(id)"
        try DurableFiles.makeDirectory(workFolder)
        let name = String(path.split(separator: "/").last ?? Substring(path))
        let note = ClaimNote(
            originalName: name, receivedAt: Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec)),
            sidecar: readSidecar(for: path)
        )
        try DurableFiles.write(Array(try JSONEncoder().encode(note)), to: "\(workFolder)/claim.json")
        try DurableFiles.copy(path, to: claimedOriginal(of: id))
        return try await record(sourceID: id, note: note)
    }

    private func record(sourceID id: String, note: ClaimNote) async throws -> SourceRecord {
        let claimedPath = claimedOriginal(of: id)
        let (sha256, size) = try DurableFiles.sha256(of: claimedPath)
        let outcome = try await store.recordClaim(
            NewSource(
                id: id, sha256: sha256, size: size, originalName: note.originalName, receivedAt: note.receivedAt,
                claimedPath: claimedPath, senderFax: note.sidecar?["sender_fax"], sidecar: note.sidecar
            )
        )
        switch outcome {
        case .recorded(let source):
            logger.info("source claimed", metadata: ["source.id": "\(source.id)", "bytes": "\(size)"])
            counters.add(claimed: 1)
        case .alreadyRecorded:
            break
        case .duplicate(let source, let original):
            logger.info(
                "source duplicate", metadata: ["source.id": "\(source.id)", "duplicate_of": "\(original.id)"]
            )
            counters.add(duplicate: 1)
        }
        return outcome.source
    }

    /// Startup recovery of claims a crash interrupted: a work folder whose rename happened but whose store record
    /// did not is recorded now; one whose rename never happened is removed (its file is still in the spool).
    public func recoverInterruptedClaims() async throws {
        for folder in DurableFiles.listDirectory(settings.work) {
            let workFolder = "\(settings.work)/\(folder)"
            if try await store.source(folder) != nil { continue }
            guard DurableFiles.exists(claimedOriginal(of: folder)),
                let noteBytes = try? DurableFiles.readAll("\(workFolder)/claim.json"),
                let note = try? JSONDecoder().decode(ClaimNote.self, from: Data(noteBytes))
            else {
                DurableFiles.removeTree(workFolder)
                continue
            }
            _ = try await record(sourceID: folder, note: note)
        }
    }

    /// Optional metadata a fax server writes beside a fax (`NAME.meta.json`): sender number, received time.
    private func readSidecar(for spoolPath: String) -> [String: String]? {
        for candidate in ["\(spoolPath).meta.json"] {
            guard let bytes = try? DurableFiles.readAll(candidate),
                let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
            else { continue }
            var result: [String: String] = ["sidecar_file": String(candidate.split(separator: "/").last ?? "")]
            for (key, value) in object {
                result[key] = "\(value)"
            }
            if let fax = result["sender_fax"] ?? result["sender"] ?? result["from"] {
                let digits = fax.filter(\.isNumber)
                result["sender_fax"] = digits.count == 11 && digits.hasPrefix("1") ? String(digits.dropFirst()) : digits
            }
            return result
        }
        return nil
    }

    /// Asks the sources in flight to stop after their current pages.
    public func requestShutdown() {
        shutdown.set()
    }

    // MARK: Processing

    /// Walks one source from its recorded state to a final state. Safe to call again after a crash at any point.
    /// Returns the final state, or nil when the work stopped early (shutdown) and the source will resume.
    @discardableResult
    public func process(sourceID: String) async throws -> SourceState? {
        guard var source = try await store.source(sourceID) else { return nil }
        let started = ContinuousClock.now
        if source.state == .duplicate {
            try await finishDuplicate(source)
            return .duplicate
        }
        if source.state.isFinal { return source.state }

        if source.archivePath == nil || source.state == .claimed {
            guard let archived = try await archive(source) else { return .rejected }
            source = archived
        }
        if source.state == .claimed {
            guard try await readPages(of: source) else {
                return try await store.source(sourceID)?.state
            }
            if Task.isCancelled || shutdown.isSet { return nil }
        }
        source = try await store.source(sourceID) ?? source
        if source.state == .decoded {
            let pages = try await store.pages(of: source.id)
            let understood = interpreter.interpret(pages, known: try await caseIndexCache.index(from: store).knownPatients)
            _ = try await store.recordUnderstood(source: source.id, understood)
            if understood.isIncomplete {
                logger.info(
                    "source incomplete",
                    metadata: [
                        "source.id": "\(source.id)", "pages.declared": "\(understood.declaredPages ?? 0)",
                        "pages.received": "\(understood.receivedPages)",
                    ]
                )
            }
            source = try await store.source(sourceID) ?? source
        }
        if source.state == .understood {
            try await match(source)
            source = try await store.source(sourceID) ?? source
        }
        if source.state == .matched {
            let final = try await file(source)
            let elapsed = started.duration(to: .now)
            logger.info(
                "source done",
                metadata: [
                    "source.id": "\(source.id)", "state": "\(final.rawValue)",
                    "duration.ms": "\(elapsed.milliseconds)",
                ]
            )
            return final
        }
        return try await store.source(sourceID)?.state
    }

    /// Keeps the original bytes once, immutably, keyed by hash. Returns nil when the claimed file is gone and
    /// nothing holds its bytes (the source is rejected so it is not retried forever).
    private func archive(_ source: SourceRecord) async throws -> SourceRecord? {
        guard let archivePath = try copyToArchive(source) else {
            try await store.reject(
                source: source.id, reason: "lost", message: "the claimed file is missing from the work folder"
            )
            logger.error("source rejected", metadata: ["source.id": "\(source.id)", "reason": "lost"])
            return nil
        }
        try await store.setState(
            source.id, to: source.state, pageCount: nil, declaredPages: nil, senderFax: nil, archivePath: archivePath,
            claimedPath: nil
        )
        return try await store.source(source.id)
    }

    /// Copies the claimed original into the archive unless its bytes are there already (read-only, by hash).
    /// Returns the archive path, or nil when neither the archive nor the work folder holds the bytes.
    private func copyToArchive(_ source: SourceRecord) throws -> String? {
        let archivePath = Self.archivePath(root: settings.archive, sha256: source.sha256, originalName: source.originalName)
        if DurableFiles.exists(archivePath) { return archivePath }
        let claimed = source.claimedPath ?? claimedOriginal(of: source.id)
        guard DurableFiles.exists(claimed) else { return nil }
        try DurableFiles.makeDirectory(DurableFiles.parent(of: archivePath))
        try DurableFiles.copy(claimed, to: archivePath, mode: 0o400)
        return archivePath
    }

    /// Where the claim step put a source's original.
    private func claimedOriginal(of sourceID: String) -> String {
        "\(settings.work)/\(sourceID)/original"
    }

    /// `archive/<first two hex digits>/<sha256>.<extension>`: content-addressed, with the original's extension
    /// kept because decoders word their rejections by it (a text file named `.tif` is `not_a_tiff`).
    static func archivePath(root: String, sha256: String, originalName: String) -> String {
        let suffix = originalName.split(separator: ".").count > 1 ? originalName.split(separator: ".").last.map(String.init) ?? "" : ""
        let clean = suffix.lowercased().filter { $0.isASCII && ($0.isLetter || $0.isNumber) }.prefix(8)
        return "\(root)/\(sha256.prefix(2))/\(sha256)\(clean.isEmpty ? "" : ".\(clean)")"
    }

    private func finishDuplicate(_ source: SourceRecord) async throws {
        // The bytes are the original's, which the archive keeps (or will, when the original is processed);
        // this copy's own archive entry makes that independent of the original's progress.
        if source.archivePath == nil, let archivePath = try copyToArchive(source) {
            try await store.setState(
                source.id, to: .duplicate, pageCount: nil, declaredPages: nil, senderFax: nil,
                archivePath: archivePath, claimedPath: nil
            )
        }
        DurableFiles.removeTree("\(settings.work)/\(source.id)")
    }

    /// Decodes and OCRs the pages not yet checkpointed. Returns false when the source was rejected or poisoned,
    /// or the work stopped early.
    private func readPages(of source: SourceRecord) async throws -> Bool {
        let path = source.archivePath ?? claimedOriginal(of: source.id)
        let store = self.store
        let sourceID = source.id
        var pageCount: Int?
        while pageCount == nil {
            let done = try await store.finishedPageNumbers(of: source.id)
            do {
                let shutdown = self.shutdown
                pageCount = try await pageStage.readPages(
                    of: path, skipping: done, shouldStop: { shutdown.isSet }
                ) { page in
                    try await store.checkpointPage(source: sourceID, page)
                }
            } catch var error as PageError {
                // Read from the archive, the error would name the file by its hash: staff know it by its name.
                error.path = source.originalName
                try quarantine(source, reason: error.reason.rawValue, message: error.description, pageError: error)
                try await self.store.reject(source: source.id, reason: error.reason.rawValue, message: error.description)
                logger.warning(
                    "source rejected",
                    metadata: [
                        "source.id": "\(source.id)", "reason": "\(error.reason.rawValue)",
                        "page": "\(error.page.map(String.init) ?? "-")",
                    ]
                )
                counters.add(rejected: 1)
                return false
            } catch let death as PageWorkerDeath {
                // Only a worker process dying on this file counts against it (CONTRACTS.md, "Crash safety and
                // poison"): the daemon's own deaths leave no record here, so kill -9 never poisons a good fax.
                let deaths = try await store.recordWorkerDeath(source: source.id, page: death.page, cause: death.cause)
                logger.warning(
                    "page worker died",
                    metadata: [
                        "source.id": "\(source.id)", "page": "\(death.page.map(String.init) ?? "open")",
                        "cause": "\(death.cause)", "deaths": "\(deaths)",
                    ]
                )
                if deaths >= Self.workerDeathsForPoison {
                    let history = try await store.workerDeaths(of: source.id)
                        .map { "\($0.page.map { "page \($0)" } ?? "opening"): \($0.cause)" }
                        .joined(separator: "; ")
                    let message = "poison: page worker processes died \(deaths) times reading this file (\(history))"
                    try quarantine(source, reason: "poison", message: message)
                    try await store.reject(source: source.id, reason: "poison", message: message)
                    logger.error("source rejected", metadata: ["source.id": "\(source.id)", "reason": "poison"])
                    counters.add(rejected: 1)
                    return false
                }
            } catch {
                if Task.isCancelled || error is CancellationError { return false }
                throw error
            }
        }
        try await self.store.setState(
            source.id, to: .decoded, pageCount: pageCount, declaredPages: nil, senderFax: nil, archivePath: nil,
            claimedPath: nil
        )
        return true
    }

    /// Worker processes that may die reading one file before it is quarantined as poison.
    static let workerDeathsForPoison = 2

    /// Moves the claimed original to quarantine with an `.error.json` beside it naming the file and the reason.
    private func quarantine(
        _ source: SourceRecord, reason: String, message: String, pageError: PageError? = nil
    ) throws {
        try DurableFiles.makeDirectory(settings.quarantine)
        let safeName = source.originalName.replacingOccurrences(of: "/", with: "_")
        let target = "\(settings.quarantine)/\(source.id)-\(safeName)"
        let claimed = claimedOriginal(of: source.id)
        if DurableFiles.exists(claimed) {
            try DurableFiles.move(claimed, to: target)
        } else if let archived = source.archivePath, DurableFiles.exists(archived), !DurableFiles.exists(target) {
            try DurableFiles.copy(archived, to: target)
        }
        let report = QuarantineReport(
            sourceID: source.id, file: source.originalName, sha256: source.sha256, reason: reason, message: message,
            page: pageError?.page, limit: pageError?.limit, actual: pageError?.actual,
            at: Timestamp.rfc3339(Date())
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try DurableFiles.write(Array(try encoder.encode(report)), to: "\(target).error.json")
        DurableFiles.removeTree("\(settings.work)/\(source.id)")
    }

    private func match(_ source: SourceRecord) async throws {
        let documents = try await store.documents(of: source.id)
        let index = try await caseIndexCache.index(from: store)
        let learned = try await learnedFacilities()
        let extracted = documents.map(\.fields)
        let decisions = documents.enumerated().map { position, document in
            var siblings = extracted
            siblings.remove(at: position)
            let context = MatchContext(
                senderFax: source.senderFax, siblings: siblings, learnedSenderFacilities: learned
            )
            return matcher.decide(document.fields, context: context, in: index)
        }
        let plan = FilingPlan.outcomes(
            documents: documents.map {
                ExtractedDocument(
                    firstPage: $0.firstPage, lastPage: $0.lastPage, type: $0.type,
                    typeConfidence: $0.typeConfidence, evidence: $0.evidence, fields: $0.fields
                )
            },
            decisions: decisions
        )
        var outcomes: [Store.DocumentOutcome] = []
        for (position, document) in documents.enumerated() {
            let status = DocumentStatus(rawValue: plan[position].status.rawValue) ?? .review
            outcomes.append(
                Store.DocumentOutcome(
                    documentID: document.id, decision: decisions[position], status: status,
                    caseID: plan[position].caseID
                )
            )
        }
        try await store.recordMatched(source: source.id, outcomes: outcomes)
    }

    private func learnedFacilities() async throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        for learned in try await store.learnedFaxNumbers() {
            if let facility = learned.facility { result[learned.fax, default: []].append(facility) }
        }
        return result
    }

    /// Writes each document where its outcome says, opens its queue items and moves the source to its final state.
    private func file(_ source: SourceRecord) async throws -> SourceState {
        let documents = try await store.documents(of: source.id)
        let pages = try await store.pages(of: source.id)
        let texts = Dictionary(pages.map { ($0.number, $0) }, uniquingKeysWith: { first, _ in first })
        let filer = DocumentFiler(settings: settings)
        for document in documents {
            var path: String? = nil
            let filingStarted = ContinuousClock.now
            if document.type != .coverSheet || document.status != .filed {
                let filingPages = try await pageStage.filingPages(
                    of: source.archivePath ?? claimedOriginal(of: source.id),
                    pages: document.firstPage...document.lastPage, texts: texts
                )
                path = try filer.write(document: document, source: source, pages: filingPages)
            }
            _ = try await store.markFiled(document: document.id, path: path)
            try await HandoffOutbox(settings: settings).publish(document, source: source, pdfPath: path, store: store)
            let outcome = document.status.rawValue
            logger.info(
                "document \(outcome)",
                metadata: [
                    "source.id": "\(source.id)", "doc.id": "\(document.id)", "doc.type": "\(document.type.rawValue)",
                    "case.id": "\(document.caseID?.rawValue ?? "-")", "pages": "\(document.firstPage)-\(document.lastPage)",
                    "duration.ms": "\(filingStarted.duration(to: .now).milliseconds)",
                ]
            )
            counters.add(document: document.status)
        }
        let outcomes = documents.map { document in
            FilingPlan.Outcome(
                status: MatchStatus(rawValue: document.status.rawValue) ?? .review, caseID: document.caseID,
                queue: document.queue, confidence: document.confidence ?? 0, reason: ""
            )
        }
        let final: SourceState =
            switch FilingPlan.sourceState(outcomes) {
            case .filed: .filed
            case .review: .review
            case .unmatched: .unmatched
            }
        try await store.setState(
            source.id, to: final, pageCount: nil, declaredPages: nil, senderFax: nil, archivePath: nil, claimedPath: nil
        )
        DurableFiles.removeTree("\(settings.work)/\(source.id)")
        return final
    }
}

/// What the claim step writes beside the original before renaming it in.
struct ClaimNote: Codable, Sendable {
    var originalName: String
    var receivedAt: Date
    var sidecar: [String: String]?

    var sidecarFile: String? { sidecar?["sidecar_file"] }
}

/// The `.error.json` beside a quarantined file. Names the file: staff read it, the log never does.
struct QuarantineReport: Codable, Sendable {
    var sourceID: String
    var file: String
    var sha256: String
    var reason: String
    var message: String
    var page: Int?
    var limit: Int?
    var actual: Int?
    var at: String

    enum CodingKeys: String, CodingKey {
        case sourceID = "source_id"
        case file, sha256, reason, message, page, limit, actual, at
    }
}

/// Rebuilds the matcher's in-memory case index only when the case list changed.
final class CaseIndexCache: Sendable {
    private let state = Mutex<(version: String, index: CaseIndex)?>(nil)

    func index(from store: any FileroomStore) async throws -> CaseIndex {
        let version = try await store.casesVersion()
        if let cached = state.withLock({ $0 }), cached.version == version { return cached.index }
        let index = CaseIndex(try await store.openAndClosedCases())
        state.withLock { $0 = (version, index) }
        return index
    }
}

extension Duration {
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
