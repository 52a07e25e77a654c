internal import CSeccomp
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The limits a page worker puts on itself once its engines are loaded, before it opens any file.
enum Sandbox {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Address space, no core files (they would hold patient pages), no file writes, few descriptors, no
    /// new privileges, then the seccomp filter (see `CSeccomp/shim.h` for the policy and why a deny-list).
    static func enter(_ configuration: PageWorkerConfiguration) throws(Failure) {
        let limits: [(resource: Int32, value: UInt64, name: String)] = [
            (Int32(RLIMIT_AS.rawValue), UInt64(configuration.addressSpaceBytes), "RLIMIT_AS"),
            (Int32(RLIMIT_CORE.rawValue), 0, "RLIMIT_CORE"),
            (Int32(RLIMIT_FSIZE.rawValue), 0, "RLIMIT_FSIZE"),
            (Int32(RLIMIT_NOFILE.rawValue), 256, "RLIMIT_NOFILE"),
        ]
        for limit in limits where CSeccomp_setLimit(limit.resource, limit.value, limit.value) != 0 {
            throw Failure(description: "\(limit.name): \(String(cString: strerror(errno)))")
        }
        guard CSeccomp_setNoNewPrivileges() == 0 else {
            throw Failure(description: "PR_SET_NO_NEW_PRIVS: \(String(cString: strerror(errno)))")
        }
        let loaded = CSeccomp_installPageWorkerPolicy()
        guard loaded == 0 else { throw Failure(description: "seccomp: \(String(cString: strerror(-loaded)))") }
    }

    /// Moves the CPU-time limit to `seconds` beyond what the worker has used so far: the kernel sends
    /// SIGXCPU (which ends the process) when one page takes more. The hard limit stays where it was, so
    /// the soft one can move forward again for the next page.
    static func allowCPU(seconds: Int) {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        let used = Int(usage.ru_utime.tv_sec) + Int(usage.ru_stime.tv_sec) + 1
        var current = rlimit()
        getrlimit(__rlimit_resource_t(RLIMIT_CPU.rawValue), &current)
        _ = CSeccomp_setLimit(Int32(RLIMIT_CPU.rawValue), UInt64(used + seconds), UInt64(current.rlim_max))
    }

    /// The kernel kills this worker when the daemon thread that started it exits (kill -9 included).
    static func dieWithParent() {
        _ = CSeccomp_dieWithParent()
    }
}
