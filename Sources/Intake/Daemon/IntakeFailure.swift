import FileroomModel
import Logging
import Pages
import Store

/// The steps of intake, as log lines and failures name them.
public enum IntakeStep: String, Sendable, Hashable {
    case claim, archive, read, understand, match, file, quarantine, finish
}

/// Why a source's step failed, in one of two kinds: `transient` (the disk, the database or the system said
/// "not now": retried with backoff for as long as it takes) or `final` (the file itself is the problem: the
/// source is rejected with this reason). Nothing is left pending for any other reason.
///
/// Safe to log by construction: the log sees `reason`, `step` and ids; `detail`, which may name the file for the
/// staff member reading `.error.json` or `export`, is never logged.
public struct IntakeFailure: LogSafe, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case transient, final
    }

    public var kind: Kind
    public var step: IntakeStep
    /// snake_case code: a `PageRejectReason` (`not_a_tiff`), an errno code (`disk_full`), a store code.
    public var reason: String
    public var sourceID: String?
    public var page: Int?
    /// For staff (the source's error message, the quarantine report). May name the file: never logged.
    public var detail: String
    /// The page stage's rejection, for the page, limit and actual value the quarantine report gives.
    public var pageError: PageError?

    public init(
        _ kind: Kind, step: IntakeStep, reason: String, sourceID: String? = nil, page: Int? = nil, detail: String,
        pageError: PageError? = nil
    ) {
        self.kind = kind
        self.step = step
        self.reason = reason
        self.sourceID = sourceID
        self.page = page
        self.detail = detail
        self.pageError = pageError
    }

    public var operation: String { step.rawValue }

    public var ids: [String: String] {
        var ids: [String: String] = [:]
        if let sourceID { ids["source.id"] = sourceID }
        if let page { ids["page"] = String(page) }
        return ids
    }

    public var isTransient: Bool { kind == .transient }

    /// One line without names: `read failed (not_a_tiff) source src_...`.
    public var description: String {
        "\(step.rawValue) failed (\(reason))" + (sourceID.map { " source \($0)" } ?? "")
            + (page.map { " page \($0)" } ?? "")
    }

    /// Sorts any error a step can meet into transient or final.
    static func classify(_ error: any Error, step: IntakeStep, sourceID: String?) -> IntakeFailure {
        switch error {
        case var failure as IntakeFailure:
            if failure.sourceID == nil { failure.sourceID = sourceID }
            return failure
        case let error as PageError:
            return IntakeFailure(
                .final, step: step, reason: error.reason.rawValue, sourceID: sourceID, page: error.page,
                detail: error.description, pageError: error
            )
        case let error as StoreError:
            // Busy, full or unreadable for now: the database will take the write later. A value the store refuses
            // (a conflict, a corrupt row) will be refused the same way every time: the source is rejected with it.
            let transient: Bool
            switch error {
            case .busy, .storage, .database, .cannotOpen: transient = true
            case .notFound, .conflict, .invalid, .corrupt: transient = false
            }
            return IntakeFailure(
                transient ? .transient : .final, step: step, reason: error.reason, sourceID: sourceID,
                detail: error.description
            )
        case let error as FileStepError:
            return IntakeFailure(
                error.isTransient ? .transient : .final, step: step, reason: error.reason, sourceID: sourceID,
                detail: error.description
            )
        case let error as SpoolError:
            return IntakeFailure(.transient, step: step, reason: error.reason, sourceID: sourceID, detail: error.description)
        default:
            // A failure nobody foresaw repeats on every retry: reject with a reason staff can report, rather than
            // leave the source pending for ever.
            return IntakeFailure(
                .final, step: step, reason: "internal_error", sourceID: sourceID, detail: String(describing: error)
            )
        }
    }
}

extension Logger.Metadata {
    /// A log-safe error's fields (reason, step, ids) plus `extra`.
    init(_ error: some LogSafe, _ extra: Logger.Metadata = [:]) {
        self = extra
        for (key, value) in error.logFields { self[key] = "\(value)" }
    }
}
