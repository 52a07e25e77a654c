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

/// The intake pipeline for one installation: claims spool files and walks each source through the state machine,
/// one step per state, until it reaches a final state. The daemon, `--once`, `ingest` and `review reprocess` are
/// loops around it.
///
/// Each state has one step (`Steps/`), chosen by one `switch` in `process(sourceID:)`. A step first records in the
/// store what it is about to make true, or reads back what a previous run made true, so it can be repeated after a
/// crash: the store is the single source of truth, the folders follow it. A failing step is either transient
/// (thrown to the caller, who retries with backoff) or final (the source is rejected here with its reason).
public final class IntakeEngine: Sendable {
    public let settings: FileroomSettings
    public let store: any FileroomStore
    let pageStage: any PageStage
    let interpreter: FaxInterpreter
    let matcher: Matcher
    let logger: Logger
    public let counters = IntakeCounters()
    /// When a source last moved on (a page, a step, a claim): the watchdog pings only while this advances.
    public let progress = ProgressClock()
    /// Sources waiting to be retried after a transient failure (the loop owns the schedule, the heartbeat reads it).
    public let retries: RetrySchedule
    /// Set on graceful shutdown: the page stage starts no new page, sources resume on the next start.
    let shutdown = StopFlag()
    let caseIndexCache = CaseIndexCache()
    /// The pages of the sources in flight (understanding and filing read them from memory).
    let pageCache = PageTextCache()

    public init(
        settings: FileroomSettings, store: any FileroomStore, pageStage: any PageStage, logger: Logger,
        today: CalendarDate, retries: RetrySchedule = RetrySchedule()
    ) {
        self.retries = retries
        self.settings = settings
        self.store = store
        self.pageStage = pageStage
        self.logger = logger
        interpreter = FaxInterpreter(today: today, centerName: settings.center.name, centerFax: settings.center.fax)
        matcher = Matcher(settings: settings)
    }

    /// Asks the sources in flight to stop after their current pages.
    public func requestShutdown() {
        shutdown.set()
    }

    var filingDoor: FilingDoor { FilingDoor(settings: settings, store: store, pageStage: pageStage) }

    // MARK: Processing

    /// Walks one source from its recorded state to a final state. Safe to call again after a crash at any point.
    /// Returns the final state, or nil when the work stopped early (shutdown) and the source will resume.
    /// Throws only transient failures: a final one rejects the source (quarantined with its reason) and returns
    /// `.rejected`.
    @discardableResult
    public func process(sourceID: String) async throws(IntakeFailure) -> SourceState? {
        let started = ContinuousClock.now
        var step = IntakeStep.archive
        var moved = false
        // Several daemons: only under this daemon's lease (another's live lease means it works on the source).
        guard try await holdLease(sourceID) else { return nil }
        defer { pageCache.forget(sourceID) }
        do {
            while true {
                guard let source = try await store.source(sourceID) else { return nil }
                let next: any SourceStep
                switch source.state {
                case .claimed: next = source.archivePath == nil ? ArchiveStep() as any SourceStep : ReadPagesStep()
                case .decoded: next = UnderstandStep()
                case .understood: next = MatchStep()
                case .matched: next = FileStep()
                case .duplicate: next = DuplicateStep()
                case .filed, .review, .unmatched, .rejected:
                    // A final state recorded before its folder work was done (a crash, a full disk): finish it.
                    if DurableFiles.exists(workFolder(of: source.id)) {
                        step = .finish
                        try await FinishStep().finish(source, in: self)
                    }
                    if source.retryCount > 0 { try await store.clearRetry(source: source.id) }
                    await releaseLease(source.id)
                    if moved {
                        logger.info(
                            "source done",
                            metadata: [
                                "source.id": "\(source.id)", "state": "\(source.state.rawValue)",
                                "duration.ms": "\(started.duration(to: .now).milliseconds)",
                            ]
                        )
                    }
                    return source.state
                }
                step = type(of: next).step
                switch try await next.run(source, in: self) {
                case .advanced:
                    moved = true
                    progress.mark()
                    if source.state == .duplicate {
                        await releaseLease(source.id)
                        return .duplicate
                    }
                case .stopped:
                    return nil
                }
            }
        } catch let error where error is CancellationError || Task.isCancelled {
            return nil
        } catch {
            let failure = IntakeFailure.classify(error, step: step, sourceID: sourceID)
            guard failure.kind == .final else { throw failure }
            do {
                try await reject(sourceID: sourceID, failure)
            } catch {
                throw IntakeFailure.classify(error, step: .quarantine, sourceID: sourceID)
            }
            return .rejected
        }
    }

    /// Records a final failure as the source's rejection (the truth, first), then quarantines its original with a
    /// report naming the file and the reason.
    func reject(sourceID: String, _ failure: IntakeFailure) async throws {
        guard let source = try await store.source(sourceID) else { return }
        if source.state != .rejected {
            try await store.reject(source: sourceID, reason: failure.reason, message: failure.detail)
            counters.add(rejected: 1, reason: failure.reason)
            logger.warning("source rejected", metadata: Logger.Metadata(failure))
        }
        try Quarantine(settings: settings).place(
            source, reason: failure.reason, message: failure.detail, pageError: failure.pageError
        )
        if source.retryCount > 0 { try await store.clearRetry(source: sourceID) }
    }

    /// Where the claim step put a source's original, and its work folder.
    func claimedOriginal(of sourceID: String) -> String {
        "\(workFolder(of: sourceID))/original"
    }

    func workFolder(of sourceID: String) -> String {
        "\(settings.work)/\(sourceID)"
    }

    /// `archive/<first two hex digits>/<sha256>.<extension>`: content-addressed, with the original's extension
    /// kept because decoders word their rejections by it (a text file named `.tif` is `not_a_tiff`).
    static func archivePath(root: String, sha256: String, originalName: String) -> String {
        let suffix = originalName.split(separator: ".").count > 1 ? originalName.split(separator: ".").last.map(String.init) ?? "" : ""
        let clean = suffix.lowercased().filter { $0.isASCII && ($0.isLetter || $0.isNumber) }.prefix(8)
        return "\(root)/\(sha256.prefix(2))/\(sha256)\(clean.isEmpty ? "" : ".\(clean)")"
    }

    /// Copies the claimed original into the archive unless its bytes are there already (read-only, by hash).
    /// Returns the archive path, or nil when neither the archive nor the work folder holds the bytes.
    func copyToArchive(_ source: SourceRecord) throws -> String? {
        let archivePath = Self.archivePath(root: settings.archive, sha256: source.sha256, originalName: source.originalName)
        if DurableFiles.exists(archivePath) { return archivePath }
        let claimed = source.claimedPath ?? claimedOriginal(of: source.id)
        guard DurableFiles.exists(claimed) else { return nil }
        try DurableFiles.makeDirectory(DurableFiles.parent(of: archivePath))
        try DurableFiles.copy(claimed, to: archivePath, mode: 0o400)
        return archivePath
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
