import FileroomModel

/// Why a store operation failed. Descriptions are one line and name ids only (never patient data).
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The database file could not be opened or migrated.
    case cannotOpen(path: String, reason: String)
    /// Another process held the database longer than the busy timeout: retry later.
    case busy(String)
    /// The disk or the file system refused a write (full, read-only, I/O error): retry later.
    case storage(String)
    /// No row with that id.
    case notFound(kind: String, id: String)
    /// The operation does not fit the row's current state (closing an unknown case, replacing filed documents).
    case conflict(String)
    /// A value the store refuses (bad id, bad page number).
    case invalid(String)
    /// A stored value could not be decoded: the database was changed outside the tool or by a newer version.
    case corrupt(String)
    /// Any other database error.
    case database(String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): "cannot open database \(path): \(reason)"
        case .busy(let message): "database busy: \(message)"
        case .storage(let message): "database storage error: \(message)"
        case .notFound(let kind, let id): "no \(kind) \(id)"
        case .conflict(let message): message
        case .invalid(let message): message
        case .corrupt(let message): "database holds an unreadable value: \(message)"
        case .database(let message): "database error: \(message)"
        }
    }

    /// Worth retrying with backoff (the daemon must not reject a file for these).
    public var isTransient: Bool {
        switch self {
        case .busy, .storage: true
        default: false
        }
    }
}

extension StoreError: LogSafe {
    public var operation: String { "store" }

    /// The reason code a log line carries (the description may hold a path: never logged).
    public var reason: String {
        switch self {
        case .cannotOpen: "database_cannot_open"
        case .busy: "database_busy"
        case .storage: "database_storage"
        case .notFound: "not_found"
        case .conflict: "conflict"
        case .invalid: "invalid"
        case .corrupt: "database_corrupt"
        case .database: "database_error"
        }
    }
}
