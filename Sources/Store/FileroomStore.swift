import FileroomModel
import Foundation

/// Everything the daemon and the commands ask of the store: the three ledgers, split by who uses them. Each method
/// is one transaction.
///
/// Two implementations: `SQLiteStore` (the embedded default, one daemon per home) and `PostgresStore` (several
/// daemons on several hosts sharing one database through leases). No database library type appears here.
public protocol FileroomStore: SourceLedger, CaseDirectory, ReviewLedger {}

/// The daemon's ledger: claimed files, their pages, documents and decisions, and the leases that let several daemons
/// share one spool.
public protocol SourceLedger: Sendable {
    // MARK: Sources

    /// Records a claimed file before any processing. Idempotent by `source.id`; a sha256 already held by another
    /// source records this one as its duplicate.
    func recordClaim(_ source: NewSource) async throws(StoreError) -> ClaimOutcome
    func source(_ id: String) async throws(StoreError) -> SourceRecord?
    /// The original (non-duplicate) source with these bytes.
    func findBySHA256(_ sha256: String) async throws(StoreError) -> SourceRecord?
    func markDuplicate(_ id: String, of original: String) async throws(StoreError)
    /// Moves a source to `state` and records what the step learned. Nil arguments leave columns unchanged.
    func setState(
        _ id: String, to state: SourceState, pageCount: Int?, declaredPages: Int?, senderFax: String?,
        archivePath: String?, claimedPath: String?
    ) async throws(StoreError)
    /// Final state `rejected` with a reason code (`not_a_tiff`, ..., `poison`) and a message.
    func reject(source id: String, reason: String, message: String) async throws(StoreError)
    /// Counts one more transient failure of a source the daemon will retry (for `status`, another process).
    func recordRetry(source id: String, reason: String) async throws(StoreError)
    /// Ends a source's run of retries (it moved on or reached a final state).
    func clearRetry(source id: String) async throws(StoreError)
    /// Sources not in a final state, oldest first: what a restart resumes.
    func unfinishedSources() async throws(StoreError) -> [SourceRecord]
    func sources(in states: Set<SourceState>) async throws(StoreError) -> [SourceRecord]

    /// Records that a page worker process died (crash, resource limit, deadline kill) while reading source `id`,
    /// on `page` (nil: while opening the file). Returns the source's worker deaths so far: the caller quarantines
    /// the source as poison at the second. Only worker deaths count: the daemon's own deaths never do.
    func recordWorkerDeath(source id: String, page: Int?, cause: String) async throws(StoreError) -> Int
    /// The worker deaths recorded against a source, oldest first.
    func workerDeaths(of id: String) async throws(StoreError) -> [WorkerDeathRecord]

    // MARK: Pages

    /// Saves a finished page (replacing an earlier save of the same page): a restart resumes after it.
    func checkpointPage(source id: String, _ page: PageText) async throws(StoreError)
    /// Checkpointed pages in page order.
    func pages(of id: String) async throws(StoreError) -> [PageText]
    func finishedPageNumbers(of id: String) async throws(StoreError) -> Set<Int>
    /// Each checkpointed page's rotation (degrees clockwise), for filing its PDF turned as OCR turned it.
    func pageRotations(of id: String) async throws(StoreError) -> [Int: Int]

    // MARK: Documents

    /// Replaces the source's documents with these (ordinal = array index), all `pending`, and moves the source to
    /// `understood` with its declared pages and sender fax. Refused when a document of the source is already filed.
    func recordUnderstood(source id: String, _ understood: UnderstoodSource) async throws(StoreError) -> [DocumentRecord]
    /// As `recordUnderstood` without the state change.
    func replaceDocuments(source id: String, _ documents: [ExtractedDocument]) async throws(StoreError) -> [DocumentRecord]
    func documents(of sourceID: String) async throws(StoreError) -> [DocumentRecord]
    func document(_ id: String) async throws(StoreError) -> DocumentRecord?
    /// Stores the matcher's decision and the outcome (`status`, the filed or proposed case) of one document.
    func recordDecision(_ outcome: DocumentFiling) async throws(StoreError)
    /// Stores every document's decision and moves the source to `matched`, in one transaction.
    func recordMatched(source id: String, outcomes: [DocumentFiling]) async throws(StoreError)
    /// Records where the document's files were written and opens its queue item (filed: the reader queue of its type,
    /// none for cover sheets and junk; review: `review`; unmatched: `unmatched`). Idempotent.
    func markFiled(document id: String, path: String?) async throws(StoreError) -> QueueItem?

    // MARK: Leases

    /// Takes (or renews) the lease on a source for `host` until `duration` from now. Nil when another host holds a
    /// live lease on it: that host is working on it. Taking over an expired lease of another host counts one
    /// takeover (a daemon death, which never makes a source poison).
    func acquireLease(source id: String, host: String, duration: TimeInterval) async throws(StoreError) -> SourceLease?
    /// Pushes the expiry of every lease `host` holds to `duration` from now (the heartbeat while it works). Returns
    /// how many it renewed.
    func renewLeases(host: String, duration: TimeInterval) async throws(StoreError) -> Int
    /// Gives a lease up (the source reached a final state, or a graceful stop). Only the holder's release counts.
    func releaseLease(source id: String, host: String) async throws(StoreError)
    /// Takes up to `limit` unfinished sources that no live lease covers (never leased, released before reaching a
    /// final state, or expired: their host died), oldest first, each under a new lease for `host`. With several
    /// daemons each source goes to exactly one of them (`FOR UPDATE SKIP LOCKED` on PostgreSQL).
    func claimOrphans(host: String, duration: TimeInterval, limit: Int) async throws(StoreError) -> [SourceLease]
    /// Every lease, live or expired, by source id.
    func leases() async throws(StoreError) -> [SourceLease]
    /// Waits until another daemon announces work (a lease given up before its source was final) or `timeout`
    /// passes; true when woken. Idle daemons wait here (PostgreSQL: LISTEN/NOTIFY); with one daemon per home
    /// (SQLite) nobody announces, and it only waits.
    func waitForWork(timeout: Duration) async -> Bool
}

/// Cases and what the matcher and staff confirmed about them: the case directory matching reads.
public protocol CaseDirectory: Sendable {
    // MARK: Cases

    /// Inserts or updates each case by `caseID`; all or nothing. Audited as one `cases.import` entry by `actor`.
    func upsertCases(_ cases: [CaseRecord], actor: String) async throws(StoreError) -> CaseUpsertSummary
    /// Cases ordered by case id; every case when `status` is nil.
    func cases(status: CaseStatus?) async throws(StoreError) -> [CaseRecord]
    func `case`(_ id: CaseID) async throws(StoreError) -> CaseRecord?
    /// Closes a case (audited). Returns false when it was already closed; throws `notFound` for an unknown case.
    func closeCase(_ id: CaseID, actor: String, reason: String?) async throws(StoreError) -> Bool
    /// Every case, open and closed, for the matcher's in-memory `CaseIndex`.
    func openAndClosedCases() async throws(StoreError) -> [CaseRecord]
    /// Changes whenever a case is added, changed or closed: the daemon rebuilds its case index only then.
    func casesVersion() async throws(StoreError) -> String

    /// Records that staff confirmed `fax` for a facility and/or a case (audited).
    /// Upserts with `policy` deciding what happens to the status of cases already there.
    func upsertCases(_ cases: [CaseRecord], actor: String, status policy: CaseStatusPolicy)
        async throws(StoreError) -> CaseUpsertSummary
    /// Reopens a closed case (`cases reopen`, audited). False when it was open.
    func reopenCase(_ id: CaseID, actor: String, reason: String) async throws(StoreError) -> Bool
    func learnFax(_ fax: String, facility: String?, caseID: CaseID?, actor: String) async throws(StoreError)
    func learnedFaxNumbers() async throws(StoreError) -> [LearnedFax]

    /// Documents filed to or proposed for a case, oldest source first.
    func documents(forCase caseID: CaseID) async throws(StoreError) -> [DocumentRecord]
}

/// The audit chain. The store alone hashes and links entries: callers append, never write hashes.
public protocol AuditLog: Sendable {
    // MARK: Audit

    func appendAudit(_ entry: AuditInput) async throws(StoreError) -> AuditEntry
    /// In id order; filtered by item and/or case when given.
    func auditEntries(item: String?, caseID: String?) async throws(StoreError) -> [AuditEntry]
    func verifyAudit() async throws(StoreError) -> AuditVerification
    /// The chain's head: entries and the last hash (the heartbeat logs it, a second record outside the database).
    func auditHead() async throws(StoreError) -> (count: Int64, hash: String)

}

/// The desk's ledger: queue items, staff corrections (each audited in the same transaction), reporting.
public protocol ReviewLedger: AuditLog {
    // MARK: Queue items

    /// Opens an item (or returns the open one) for a document in a queue.
    func openQueueItem(document id: String, kind: QueueKind) async throws(StoreError) -> QueueItem
    /// Oldest first. `caseID` limits to items of that case.
    func queueItems(kind: QueueKind?, state: QueueItemState?, caseID: CaseID?) async throws(StoreError) -> [QueueItem]
    func queueItem(_ id: String) async throws(StoreError) -> QueueItem?
    /// Marks an item done (audited). Returns false when it was already done.
    func markQueueItemDone(_ id: String, by actor: String, reason: String?) async throws(StoreError) -> Bool

    // MARK: Review (staff actions on review and unmatched items; each audited)

    func assignReviewItem(
        _ itemID: String, to caseID: CaseID, actor: String, reason: String?, filedPath: String?
    ) async throws(StoreError) -> (document: DocumentRecord, outsideCandidates: Bool)
    func retypeReviewItem(_ itemID: String, to type: DocumentType, actor: String, reason: String?)
        async throws(StoreError) -> DocumentRecord
    func rejectReviewItem(_ itemID: String, actor: String, reason: String) async throws(StoreError) -> DocumentRecord
    func splitReviewItem(_ itemID: String, atPage page: Int, actor: String) async throws(StoreError)
        -> (first: QueueItem, second: QueueItem)

    /// Moves a document in any state but pending or rejected to an open case (`review refile`): one transaction with
    /// its audit entry, the withdrawal of what its old filing taught (sender fax to the old case) and a pending
    /// placement for the file moves. A repeat (already filed to that case) changes nothing: `changed` is false.
    func refileDocument(_ id: String, to caseID: CaseID, actor: String, reason: String, filedPath: String?)
        async throws(StoreError) -> (document: DocumentRecord, changed: Bool)
    /// Sends a filed document back to review (`review unfile`): reader items closed, a review item opened, the
    /// fax learning withdrawn, a pending placement recorded; audited. A repeat changes nothing.
    func unfileDocument(_ id: String, actor: String, reason: String, reviewPath: String)
        async throws(StoreError) -> (document: DocumentRecord, item: QueueItem, changed: Bool)
    /// Ids of `kind` equal to `prefix` or starting with it (the exact one alone when it exists), at most `limit`:
    /// staff commands take unique prefixes as git does.
    func ids(of kind: IdentifiedKind, matching prefix: String, limit: Int) async throws(StoreError) -> [String]
    /// Puts a rejected (or poison) source back to `claimed`, its pages, documents and worker deaths forgotten, so it
    /// is read again from its original under the current settings (`review reprocess`). Audited. False when the
    /// source was not rejected.
    func requeueRejected(source id: String, actor: String) async throws(StoreError) -> Bool
    /// File moves a committed refile or unfile still owes, oldest first.
    func pendingPlacements() async throws(StoreError) -> [PendingPlacement]
    /// The moves of a pending placement are done.
    func clearPendingPlacement(document id: String) async throws(StoreError)

    // MARK: Reporting

    /// Every source with its documents, oldest first, for `fileroom export --json`.
    func export() async throws(StoreError) -> [ExportSource]
    func counts() async throws(StoreError) -> StoreCounts
}

extension SourceLedger {
    public func waitForWork(timeout: Duration) async -> Bool {
        try? await Task.sleep(for: timeout)
        return false
    }

    /// Moves a source to `state`, changing nothing else.
    public func setState(_ id: String, to state: SourceState) async throws(StoreError) {
        try await setState(id, to: state, pageCount: nil, declaredPages: nil, senderFax: nil, archivePath: nil, claimedPath: nil)
    }
}

extension ReviewLedger {
    /// Open items of one queue, oldest first.
    public func openQueueItems(_ kind: QueueKind, caseID: CaseID? = nil) async throws(StoreError) -> [QueueItem] {
        try await queueItems(kind: kind, state: .open, caseID: caseID)
    }
}
