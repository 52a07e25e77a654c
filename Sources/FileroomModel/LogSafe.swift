#if canImport(Glibc)
import Glibc
#endif

/// An error whose logged form is safe by construction: what was being done, a reason code and ids, never a
/// path, a file name or a patient's data. Loggers print `logFields` only; the description (which may name a
/// file for the staff member who asked) is never logged at info or above.
public protocol LogSafe: Error, Sendable {
    /// The step that failed, e.g. `claim`, `archive`, `read`, `file`, `quarantine`, `store`.
    var operation: String { get }
    /// A stable snake_case code saying why, e.g. `cross_device_rename`, `disk_full`, `database_busy`.
    var reason: String { get }
    /// Ids only (`source.id`, `doc.id`, `page`); never names or paths.
    var ids: [String: String] { get }
}

extension LogSafe {
    public var ids: [String: String] { [:] }

    /// `reason`, `step` and the ids, for a log line's metadata.
    public var logFields: [String: String] {
        var fields = ids
        fields["reason"] = reason
        fields["step"] = operation
        return fields
    }
}

/// Reason codes for the errno values the file-system steps meet.
public enum ErrnoReason {
    /// The reason code of `code` for `operation` (a failed `move` with EXDEV is `cross_device_rename`).
    public static func code(_ code: Int32, operation: String = "") -> String {
        switch code {
        case EXDEV: operation == "move" ? "cross_device_rename" : "cross_device"
        case ENOSPC: "disk_full"
        case EDQUOT: "quota_exceeded"
        case EACCES, EPERM: "permission_denied"
        case ENOENT: "not_found"
        case EEXIST: "already_exists"
        case ENAMETOOLONG: "name_too_long"
        case EIO: "io_error"
        case EROFS: "read_only_file_system"
        case EMFILE, ENFILE: "too_many_open_files"
        case ENOMEM: "out_of_memory"
        case ELOOP: "symlink_refused"
        case EISDIR: "is_a_folder"
        case ENOTDIR: "not_a_folder"
        case EAGAIN, EBUSY: "busy"
        case EINTR: "interrupted"
        case EFBIG: "file_too_large"
        case EINVAL: "invalid_argument"
        default: "errno_\(code)"
        }
    }
}
