internal import CSeccomp
import Foundation
import OCR
import Pages

#if canImport(Glibc)
import Glibc
#endif

/// `fileroom page-worker --check-sandbox`: enters the page worker's sandbox and tries what it must refuse
/// and what reading needs, one `operation: refused|allowed` line each. Ops run it to see the filter work
/// on their kernel; the tests run it to prove it.
public enum SandboxCheck {
    /// Prints the lines; returns 0 when every forbidden operation was refused and reading still works.
    public static func run() -> Int32 {
        let configuration = PageWorkerConfiguration(
            recognition: .init(), tessdata: "", limits: .default, pageTimeLimit: .seconds(60)
        )
        do {
            try Sandbox.enter(configuration)
        } catch {
            print("sandbox: \(error)")
            return 1
        }
        let scratch = "/tmp/fileroom-sandbox-check-\(getpid())"
        var refusedAll = true
        var readingWorks = true
        func report(_ name: String, refused: Bool, mustRefuse: Bool) {
            // Written at once, not buffered: an exec that wrongly succeeds replaces the process.
            let line = Array("\(name): \(refused ? "refused" : "allowed")\n".utf8)
            _ = line.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
            if mustRefuse && !refused { refusedAll = false }
            if !mustRefuse && refused { readingWorks = false }
        }
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        report("socket", refused: socketFD < 0, mustRefuse: true)
        let forked = fork()
        if forked == 0 { _exit(0) }
        if forked > 0 { waitpid(forked, nil, 0) }
        report("fork", refused: forked < 0, mustRefuse: true)
        let execResult = ["/bin/true"].withUnsafeBufferPointer { _ in
            execv("/bin/true", [strdup("/bin/true"), nil])
        }
        report("exec", refused: execResult < 0, mustRefuse: true)
        let written = open(scratch, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        report("write-file", refused: written < 0, mustRefuse: true)
        let created = open(scratch + "-c", O_RDONLY | O_CREAT, 0o600)
        report("create-file", refused: created < 0, mustRefuse: true)
        let unlinked = unlink(scratch + "-absent")
        report("unlink", refused: unlinked < 0 && errno == EPERM, mustRefuse: true)
        report("ptrace", refused: CSeccomp_tryTraceMe() != 0, mustRefuse: true)
        report("kill-other", refused: kill(getppid(), 0) < 0, mustRefuse: true)
        let readable = open("/proc/self/status", O_RDONLY)
        report("read-file", refused: readable < 0, mustRefuse: false)
        if readable >= 0 { close(readable) }
        let joined = DispatchSemaphore(value: 0)
        let thread = Thread { joined.signal() }
        thread.start()
        report("thread", refused: joined.wait(timeout: .now() + 5) == .timedOut, mustRefuse: false)
        return refusedAll && readingWorks ? 0 : 1
    }
}
