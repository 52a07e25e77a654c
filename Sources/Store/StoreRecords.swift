import Foundation
import FileroomModel

/// Where a source is in the pipeline. Each change is one transaction. `rejected` includes poison
/// (`rejectReason == "poison"`, `errorMessage` starting with "poison").
public enum SourceState: String, Sendable, Codable, CaseIterable, Hashable {
    case claimed, decoded, understood, matched
    case filed, review, unmatched, rejected, duplicate

    /// A final state is never left by the daemon (staff actions may still move its documents).
    public var isFinal: Bool {
        switch self {
        case .claimed, .decoded, .understood, .matched: false
        case .filed, .review, .unmatched, .rejected, .duplicate: true
        }
    }

    /// The export's spelling: `processed`, `rejected`, `duplicate` or `pending`.
    public var exportStatus: String {
        switch self {
        case .filed, .review, .unmatched: "processed"
        case .rejected: "rejected"
        case .duplicate: "duplicate"
        case .claimed, .decoded, .understood, .matched: "pending"
        }
    }
}

/// What the daemon knows about a file when it has claimed it.
public struct NewSource: Sendable, Hashable {
    /// Our own id (`Identifier.make(prefix: "src_")`), never derived from the file name.
    public var id: String
    /// Lower-case hex.
    public var sha256: String
    public var size: Int64
    public var originalName: String
    public var receivedAt: Date
    /// Where the claimed file now is (`work/<id>/...`).
    public var claimedPath: String?
    /// 10 digits, from sidecar metadata when the fax server wrote one.
    public var senderFax: String?
    /// Sidecar metadata as read (keys as the fax server wrote them).
    public var sidecar: [String: String]?

    public init(
        id: String, sha256: String, size: Int64, originalName: String, receivedAt: Date, claimedPath: String? = nil,
        senderFax: String? = nil, sidecar: [String: String]? = nil
    ) {
        self.id = id
        self.sha256 = sha256
        self.size = size
        self.originalName = originalName
        self.receivedAt = receivedAt
        self.claimedPath = claimedPath
        self.senderFax = senderFax
        self.sidecar = sidecar
    }
}

/// A source file as the store holds it.
public struct SourceRecord: Sendable, Hashable, Codable {
    public var id: String
    public var sha256: String
    public var size: Int64
    public var originalName: String
    /// RFC 3339 UTC.
    public var receivedAt: String
    public var claimedPath: String?
    public var archivePath: String?
    public var state: SourceState
    /// Reason code for `rejected` (`empty_file`, `not_a_tiff`, ..., `poison`).
    public var rejectReason: String?
    public var errorMessage: String?
    /// The first source with the same bytes, for `duplicate`.
    public var duplicateOf: String?
    public var pageCount: Int?
    public var declaredPages: Int?
    public var senderFax: String?
    public var sidecar: [String: String]?
    /// Attempts begun (each decode run of the source).
    public var attempts: Int
    /// Page worker processes that died reading this source (see CONTRACTS.md); 2 make the source poison.
    public var deaths: Int
    public var createdAt: String
    public var updatedAt: String
    /// Transient failures in a row (disk full, database busy) since the source last moved on; 0 when none.
    public var retryCount: Int = 0
    /// When the current run of retries began (RFC 3339 UTC).
    public var retrySince: String?
    /// The last transient failure's reason code.
    public var retryReason: String?

    public var isPoison: Bool { state == .rejected && rejectReason == "poison" }

    /// Memberwise, `package`: the PostgreSQL store (its own module) builds the same records from its rows.
    package init(id: String, sha256: String, size: Int64, originalName: String, receivedAt: String, claimedPath: String? = nil, archivePath: String? = nil, state: SourceState, rejectReason: String? = nil, errorMessage: String? = nil, duplicateOf: String? = nil, pageCount: Int? = nil, declaredPages: Int? = nil, senderFax: String? = nil, sidecar: [String: String]? = nil, attempts: Int, deaths: Int, createdAt: String, updatedAt: String, retryCount: Int = 0, retrySince: String? = nil, retryReason: String? = nil) {
        self.id = id
        self.sha256 = sha256
        self.size = size
        self.originalName = originalName
        self.receivedAt = receivedAt
        self.claimedPath = claimedPath
        self.archivePath = archivePath
        self.state = state
        self.rejectReason = rejectReason
        self.errorMessage = errorMessage
        self.duplicateOf = duplicateOf
        self.pageCount = pageCount
        self.declaredPages = declaredPages
        self.senderFax = senderFax
        self.sidecar = sidecar
        self.attempts = attempts
        self.deaths = deaths
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.retryCount = retryCount
        self.retrySince = retrySince
        self.retryReason = retryReason
    }
}

/// What `recordClaim` did.
public enum ClaimOutcome: Sendable, Hashable {
    /// A new source, in state `claimed`.
    case recorded(SourceRecord)
    /// A source with this id was already recorded (a restart redoing the step): returned unchanged.
    case alreadyRecorded(SourceRecord)
    /// The bytes are those of an earlier source: recorded as `duplicate` of it, to be filed nowhere.
    case duplicate(SourceRecord, of: SourceRecord)

    public var source: SourceRecord {
        switch self {
        case .recorded(let s), .alreadyRecorded(let s), .duplicate(let s, _): s
        }
    }
}

/// A page worker process that died reading a source: where and why (`recordWorkerDeath`).
public struct WorkerDeathRecord: Sendable, Hashable {
    /// The page it was reading; nil while it opened the file.
    public var page: Int?
    /// `signal SIGSEGV`, `address-space limit`, `deadline`, ...: no path, no name.
    public var cause: String
    public var diedAt: String

    public init(page: Int?, cause: String, diedAt: String) {
        self.page = page
        self.cause = cause
        self.diedAt = diedAt
    }
}

/// A document's outcome. `pending` until the matcher decides.
public enum DocumentStatus: String, Sendable, Codable, CaseIterable, Hashable {
    case pending, filed, review, unmatched, rejected
}

/// A document as the store holds it.
public struct DocumentRecord: Sendable, Hashable, Codable {
    public var id: String
    public var sourceID: String
    /// 0-based position in its source.
    public var ordinal: Int
    public var firstPage: Int
    public var lastPage: Int
    public var type: DocumentType
    public var typeConfidence: Double
    public var evidence: [String]
    public var fields: DocumentFields
    public var status: DocumentStatus
    /// The filed case, or the proposed one while in review.
    public var caseID: CaseID?
    public var queue: FilingQueue
    public var confidence: Double?
    public var decision: MatchDecision?
    /// Where its PDF was written (under `filed/`, `review/` or `unmatched/`).
    public var filedPath: String?
    public var createdAt: String
    public var updatedAt: String

    public init(
        id: String, sourceID: String, ordinal: Int, firstPage: Int, lastPage: Int, type: DocumentType,
        typeConfidence: Double, evidence: [String], fields: DocumentFields, status: DocumentStatus, caseID: CaseID?,
        queue: FilingQueue, confidence: Double?, decision: MatchDecision?, filedPath: String?, createdAt: String,
        updatedAt: String
    ) {
        self.id = id
        self.sourceID = sourceID
        self.ordinal = ordinal
        self.firstPage = firstPage
        self.lastPage = lastPage
        self.type = type
        self.typeConfidence = typeConfidence
        self.evidence = evidence
        self.fields = fields
        self.status = status
        self.caseID = caseID
        self.queue = queue
        self.confidence = confidence
        self.decision = decision
        self.filedPath = filedPath
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// The queues people work from.
public enum QueueKind: String, Sendable, Codable, CaseIterable, Hashable {
    case review, unmatched, pathology, radiology, records

    /// The reader queue of a filed document, or nil for cover sheets and junk.
    public static func reader(for queue: FilingQueue) -> QueueKind? {
        switch queue {
        case .pathology: .pathology
        case .radiology: .radiology
        case .records: .records
        case .none: nil
        }
    }
}

public enum QueueItemState: String, Sendable, Codable, CaseIterable, Hashable {
    case open, done
}

/// A queue item with what a list needs to show it (its document's pages, type, case and candidates).
public struct QueueItem: Sendable, Hashable, Codable {
    public var id: String
    public var documentID: String
    public var sourceID: String
    public var kind: QueueKind
    public var state: QueueItemState
    public var createdAt: String
    public var doneAt: String?
    public var doneBy: String?
    public var firstPage: Int
    public var lastPage: Int
    public var type: DocumentType
    /// The filed or proposed case.
    public var caseID: CaseID?
    public var confidence: Double?
    /// Best first (from the document's match decision).
    public var candidates: [MatchCandidate]
    /// When the source arrived (RFC 3339 UTC).
    public var receivedAt: String
    public var filedPath: String?

    /// Memberwise, `package`: the PostgreSQL store (its own module) builds the same records from its rows.
    package init(id: String, documentID: String, sourceID: String, kind: QueueKind, state: QueueItemState, createdAt: String, doneAt: String? = nil, doneBy: String? = nil, firstPage: Int, lastPage: Int, type: DocumentType, caseID: CaseID? = nil, confidence: Double? = nil, candidates: [MatchCandidate], receivedAt: String, filedPath: String? = nil) {
        self.id = id
        self.documentID = documentID
        self.sourceID = sourceID
        self.kind = kind
        self.state = state
        self.createdAt = createdAt
        self.doneAt = doneAt
        self.doneBy = doneBy
        self.firstPage = firstPage
        self.lastPage = lastPage
        self.type = type
        self.caseID = caseID
        self.confidence = confidence
        self.candidates = candidates
        self.receivedAt = receivedAt
        self.filedPath = filedPath
    }
}

/// What a person or the daemon did, as handed to `appendAudit`.
/// How a staff command names who acted: the operating-system user, and the person given with `--by` when that
/// differs. Travels as one string through the actions' `actor` parameters; the audit table keeps the two apart.
public enum AuditActor {
    static let separator: Character = "\u{1F}"

    public static func make(user: String, onBehalfOf: String?) -> String {
        guard let onBehalfOf, !onBehalfOf.isEmpty, onBehalfOf != user else { return user }
        return user + String(separator) + onBehalfOf
    }

    /// The user and the person acted for.
    public static func split(_ actor: String) -> (user: String, onBehalfOf: String?) {
        let parts = actor.split(separator: separator, maxSplits: 1).map(String.init)
        return parts.count == 2 ? (parts[0], parts[1]) : (actor, nil)
    }

    /// `user for person`, for a column that holds one name (`done_by`, `last_confirmed_by`).
    public static func display(_ actor: String) -> String {
        let (user, person) = split(actor)
        return person.map { "\(user) for \($0)" } ?? user
    }
}

public struct AuditInput: Sendable, Hashable {
    /// `--by`, else the login name; `daemon` for the daemon.
    public var actor: String
    /// Dotted verb: `case.close`, `cases.import`, `review.assign`, `queue.done`, ...
    public var action: String
    /// The queue item, document or source id the action concerns.
    public var item: String?
    public var caseID: String?
    /// JSON text of the value before and after (may hold patient data: the audit table is where it belongs).
    public var before: String?
    public var after: String?
    public var reason: String?

    public init(
        actor: String, action: String, item: String? = nil, caseID: String? = nil, before: String? = nil,
        after: String? = nil, reason: String? = nil
    ) {
        self.actor = actor
        self.action = action
        self.item = item
        self.caseID = caseID
        self.before = before
        self.after = after
        self.reason = reason
    }
}

/// One row of the append-only audit log.
public struct AuditEntry: Sendable, Hashable, Codable {
    public var id: Int64
    /// RFC 3339 UTC.
    public var at: String
    public var actor: String
    public var action: String
    public var item: String?
    public var caseID: String?
    public var before: String?
    public var after: String?
    public var reason: String?
    public var prevHash: String
    public var hash: String
    /// `--by`: the person the operating-system user `actor` acted for (nil: for themselves).
    public var onBehalfOf: String? = nil

    /// Memberwise, `package`: the PostgreSQL store (its own module) builds the same records from its rows.
    package init(id: Int64, at: String, actor: String, action: String, item: String? = nil, caseID: String? = nil, before: String? = nil, after: String? = nil, reason: String? = nil, prevHash: String, hash: String, onBehalfOf: String? = nil) {
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.item = item
        self.caseID = caseID
        self.before = before
        self.after = after
        self.reason = reason
        self.prevHash = prevHash
        self.hash = hash
        self.onBehalfOf = onBehalfOf
    }
}

/// The result of walking the audit chain.
public struct AuditVerification: Sendable, Hashable {
    public var checked: Int
    /// The id of the first entry whose hash or link does not hold, nil when the chain is intact.
    public var firstBroken: Int64?

    /// What the checkpoints outside the database say is wrong (entries missing or rewritten), nil when the break
    /// is in the chain itself or there is none.
    public var problem: String?

    public var isIntact: Bool { firstBroken == nil }

    public init(checked: Int, firstBroken: Int64?, problem: String? = nil) {
        self.checked = checked
        self.firstBroken = firstBroken
        self.problem = problem
    }
}

/// A sender fax number staff confirmed for a facility or a case: supporting evidence, never enough alone.
public struct LearnedFax: Sendable, Hashable, Codable {
    /// 10 digits.
    public var fax: String
    public var facility: String?
    public var caseID: CaseID?
    public var confirmations: Int
    public var lastConfirmedAt: String
    public var lastConfirmedBy: String

    /// Memberwise, `package`: the PostgreSQL store (its own module) builds the same records from its rows.
    package init(fax: String, facility: String? = nil, caseID: CaseID? = nil, confirmations: Int, lastConfirmedAt: String, lastConfirmedBy: String) {
        self.fax = fax
        self.facility = facility
        self.caseID = caseID
        self.confirmations = confirmations
        self.lastConfirmedAt = lastConfirmedAt
        self.lastConfirmedBy = lastConfirmedBy
    }
}

/// What an upsert of cases changed.
/// What an import does to the status of a case already in the store (new cases always take the listed status).
public enum CaseStatusPolicy: Sendable, Hashable {
    /// The list has no status column: existing cases keep theirs.
    case keep
    /// The list's status closes a case but never reopens a closed one (`cases reopen` or `--update-status` does).
    case neverReopen
    /// The list's status as given, both ways (`cases import --update-status`; the store's own callers).
    case asListed
}

public struct CaseUpsertSummary: Sendable, Hashable, Codable {
    public var inserted: Int
    public var updated: Int
    public var unchanged: Int
    /// Closed cases the list gives as open, left closed (see `CaseStatusPolicy.neverReopen`).
    public var keptClosed: Int = 0

    public init(inserted: Int, updated: Int, unchanged: Int) {
        self.inserted = inserted
        self.updated = updated
        self.unchanged = unchanged
    }
}

/// Counts for `fileroom status`. Ids only.
public struct StoreCounts: Sendable, Hashable {
    /// Every state, zero included.
    public var sourcesByState: [SourceState: Int]
    /// Poison sources (counted in `rejected` too).
    public var poison: Int
    public var documentsByStatus: [DocumentStatus: Int]
    /// Open items per queue, zero included.
    public var openQueueItems: [QueueKind: Int]
    /// The oldest source not in a final state.
    public var oldestUnfinished: (id: String, receivedAt: String)?
    /// The oldest open review item.
    public var oldestOpenReview: (id: String, createdAt: String)?
    /// The latest rejections, newest first: source id, reason code, when.
    public var lastErrors: [(sourceID: String, reason: String, at: String)]
    /// Sources the daemon is retrying after transient failures, and when the oldest run of retries began.
    public var retrying: Int = 0
    public var oldestRetrySince: String?

    /// Memberwise, `package`: the PostgreSQL store (its own module) builds the same counts.
    package init(
        sourcesByState: [SourceState: Int], poison: Int, documentsByStatus: [DocumentStatus: Int],
        openQueueItems: [QueueKind: Int], oldestUnfinished: (id: String, receivedAt: String)?,
        oldestOpenReview: (id: String, createdAt: String)?, lastErrors: [(sourceID: String, reason: String, at: String)],
        retrying: Int = 0, oldestRetrySince: String? = nil
    ) {
        self.sourcesByState = sourcesByState
        self.poison = poison
        self.documentsByStatus = documentsByStatus
        self.openQueueItems = openQueueItems
        self.oldestUnfinished = oldestUnfinished
        self.oldestOpenReview = oldestOpenReview
        self.lastErrors = lastErrors
        self.retrying = retrying
        self.oldestRetrySince = oldestRetrySince
    }

    public static func == (lhs: StoreCounts, rhs: StoreCounts) -> Bool {
        lhs.sourcesByState == rhs.sourcesByState && lhs.poison == rhs.poison
            && lhs.documentsByStatus == rhs.documentsByStatus && lhs.openQueueItems == rhs.openQueueItems
            && lhs.oldestUnfinished?.id == rhs.oldestUnfinished?.id
            && lhs.oldestOpenReview?.id == rhs.oldestOpenReview?.id
            && lhs.lastErrors.map(\.sourceID) == rhs.lastErrors.map(\.sourceID)
            && lhs.retrying == rhs.retrying
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(sourcesByState)
        hasher.combine(openQueueItems)
    }
}


/// File moves a committed refile or unfile still owes (see `FileroomStore.refileDocument`).
public struct PendingPlacement: Sendable, Hashable {
    public var documentID: String
    /// `review.refile` or `review.unfile`.
    public var action: String
    /// Where the document's files were before (relative to nothing: as recorded), to be found and removed.
    public var previousPaths: [String]
    public var requestedAt: String

    public init(documentID: String, action: String, previousPaths: [String], requestedAt: String) {
        self.documentID = documentID
        self.action = action
        self.previousPaths = previousPaths
        self.requestedAt = requestedAt
    }
}

/// The kinds of id staff commands take (and accept unique prefixes of).
public enum IdentifiedKind: String, Sendable, CaseIterable {
    case item, document, source, `case`

    package var table: (name: String, column: String) {
        switch self {
        case .item: ("queue_items", "id")
        case .document: ("documents", "id")
        case .source: ("sources", "id")
        case .case: ("cases", "case_id")
        }
    }
}

