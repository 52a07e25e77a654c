import Foundation

/// How many tasks (threads and processes) the daemon may use, and the check of that against the unit's
/// `TasksMax` (the `pids.max` of its cgroup). Exceeding it does not fail loudly: thread creation fails inside
/// libraries and sources hang. So the daemon refuses to start instead, naming both figures.
///
/// The budget: a fixed base (the runtime, the store's writer and readers, the blocking pool, inotify, the
/// service group) plus the Swift cooperative pool (one thread per core at most, capped here at 64 for the
/// estimate) plus four tasks per page worker. `systemd/fileroom.service` sets `TasksMax=512`: enough for 64
/// workers on a 64-core host.
enum TaskBudget {
    static let base = 16 + BlockingWork.threadCount
    static let perWorker = 4

    static func estimate(workers: Int, cores: Int = ProcessInfo.processInfo.activeProcessorCount) -> Int {
        base + min(cores, 64) + workers * perWorker
    }

    /// A one-line problem when the cgroup's task limit is below the estimate, else nil.
    static func check(
        workers: Int, limit: Int? = cgroupTaskLimit(), cores: Int = ProcessInfo.processInfo.activeProcessorCount
    ) -> String? {
        guard let limit else { return nil }
        let needed = estimate(workers: workers, cores: cores)
        guard needed > limit else { return nil }
        return "workers=\(workers) needs up to \(needed) tasks but the service allows \(limit) (TasksMax): "
            + "lower workers or raise TasksMax"
    }

    /// `pids.max` of this process's cgroup (v2), or nil when unlimited or unknown.
    static func cgroupTaskLimit() -> Int? {
        guard let membership = try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8),
            let line = membership.split(separator: "\n").first(where: { $0.hasPrefix("0::") })
        else { return nil }
        let path = line.dropFirst(3)
        guard let text = try? String(contentsOfFile: "/sys/fs/cgroup\(path)/pids.max", encoding: .utf8) else {
            return nil
        }
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
