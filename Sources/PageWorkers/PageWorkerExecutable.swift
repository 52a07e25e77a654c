import Foundation

/// The program a page worker runs: this `fileroom` itself, re-executed as `fileroom page-worker`.
public enum PageWorkerExecutable {
    /// This process's program (`/proc/self/exe`). In a test process, whose program is the test runner, the
    /// `fileroom` built beside it.
    public static func path() -> String {
        let current = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        let url = URL(fileURLWithPath: current)
        if url.lastPathComponent == "fileroom" { return current }
        let sibling = url.deletingLastPathComponent().appendingPathComponent("fileroom").path
        return FileManager.default.isExecutableFile(atPath: sibling) ? sibling : current
    }
}
