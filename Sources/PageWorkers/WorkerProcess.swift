internal import CSeccomp
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One running page worker, owned by one pool thread for its whole life: its process id and the three
/// pipes (requests in, replies out, standard error). Not Sendable: only its thread touches it.
final class WorkerProcess {
    let pid: pid_t
    private let requests: Int32
    private let replies: Int32
    private let errors: Int32
    private var replyBuffer: [UInt8] = []
    private var errorBuffer: [UInt8] = []
    private var reaped = false

    struct StartFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// How waiting for a reply ended.
    enum Received {
        case reply(WorkerReply)
        /// The worker is gone (and reaped): why, in words that name no file.
        case died(cause: String)
    }

    private init(pid: pid_t, requests: Int32, replies: Int32, errors: Int32) {
        self.pid = pid
        self.requests = requests
        self.replies = replies
        self.errors = errors
    }

    deinit {
        if !reaped { _ = terminate() }
        close(requests)
        close(replies)
        close(errors)
    }

    /// Starts `executable page-worker` with its pipes on descriptors 0, 1 and 2 and nothing else of ours.
    static func spawn(executable: String, environment: [String: String]) throws(StartFailure) -> WorkerProcess {
        var toChild: [Int32] = [0, 0], fromChild: [Int32] = [0, 0], errorPipe: [Int32] = [0, 0]
        guard CSeccomp_pipeCloseOnExec(&toChild) == 0 else { throw StartFailure(description: "pipe: \(errnoText())") }
        guard CSeccomp_pipeCloseOnExec(&fromChild) == 0 else {
            close(toChild[0]); close(toChild[1])
            throw StartFailure(description: "pipe: \(errnoText())")
        }
        guard CSeccomp_pipeCloseOnExec(&errorPipe) == 0 else {
            for fd in toChild + fromChild { close(fd) }
            throw StartFailure(description: "pipe: \(errnoText())")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errorPipe[1], 2)
        _ = CSeccomp_spawnCloseFrom(&actions, 3)

        let arguments = [executable, "page-worker"]
        let environmentLines = environment.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let status = withCStrings(arguments) { argv in
            withCStrings(environmentLines) { envp in
                posix_spawn(&pid, executable, &actions, nil, argv, envp)
            }
        }
        close(toChild[0])
        close(fromChild[1])
        close(errorPipe[1])
        guard status == 0 else {
            close(toChild[1]); close(fromChild[0]); close(errorPipe[0])
            throw StartFailure(description: "cannot start the page worker: \(String(cString: strerror(status)))")
        }
        // A worker that exits while we write must not kill the daemon with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        return WorkerProcess(pid: pid, requests: toChild[1], replies: fromChild[0], errors: errorPipe[0])
    }

    /// Sends one request. False when the worker is gone.
    func send(_ request: WorkerRequest) -> Bool {
        guard let bytes = try? Frames.encode(request) else { return false }
        return Frames.writeAll(bytes, to: requests)
    }

    /// Waits for the next reply until `deadline`, passing each line the worker writes to standard error to
    /// `onErrorLine`. A worker that ends, breaks the protocol or misses the deadline is killed and reaped.
    func receive(
        deadline: ContinuousClock.Instant, onErrorLine: (String) -> Void
    ) -> Received {
        let clock = ContinuousClock()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            do {
                if let frame = try Frames.take(from: &replyBuffer) {
                    if let reply = try? JSONDecoder().decode(WorkerReply.self, from: Data(frame)) {
                        return .reply(reply)
                    }
                    return .died(cause: terminate(reason: "sent a reply that does not decode"))
                }
            } catch {
                return .died(cause: terminate(reason: "broke the protocol (\(error.reason))"))
            }
            let left = deadline - clock.now
            if left <= .zero { return .died(cause: terminate(reason: "missed its deadline")) }
            let milliseconds = Int32(clamping: left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1)
            var fds = [pollfd(fd: replies, events: Int16(POLLIN), revents: 0), pollfd(fd: errors, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 2, milliseconds)
            if ready < 0 {
                if errno == EINTR { continue }
                return .died(cause: terminate(reason: "could not be waited for (\(errnoText()))"))
            }
            if fds[1].revents != 0 {
                let count = chunk.withUnsafeMutableBytes { read(errors, $0.baseAddress, $0.count) }
                if count > 0 { collectErrorLines(chunk[0..<count], onErrorLine: onErrorLine) }
            }
            if fds[0].revents != 0 {
                let count = chunk.withUnsafeMutableBytes { read(replies, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR || errno == EAGAIN { continue }
                if count <= 0 {
                    drainErrors(onErrorLine: onErrorLine)
                    return .died(cause: reap())
                }
                replyBuffer.append(contentsOf: chunk[0..<count])
            }
        }
    }

    /// Whether an idle worker has gone (the OOM killer, an operator): reaped if so, so its death is never
    /// blamed on the next file it would have been given.
    func hasExited() -> String? {
        guard !reaped else { return "exited" }
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return nil }
        reaped = true
        return Self.describe(status)
    }

    /// Ends a worker that stopped taking requests: reads its last words on standard error, then kills and
    /// reaps it.
    func end(reason: String, onErrorLine: (String) -> Void) -> String {
        drainErrors(onErrorLine: onErrorLine)
        return terminate(reason: reason)
    }

    /// Kills the worker (SIGKILL) and reaps it; the cause names why we did.
    @discardableResult
    func terminate(reason: String = "stopped") -> String {
        guard !reaped else { return reason }
        kill(pid, SIGKILL)
        let status = waitForExit()
        // Killed by us: our reason. Dead on its own first (a crash racing our kill): what killed it.
        if isSignalled(status), signalNumber(status) == SIGKILL { return reason }
        return Self.describe(status)
    }

    /// Waits for a worker whose reply pipe closed: it exited or was killed.
    private func reap() -> String {
        // The pipe closes a moment before the process is gone; a worker that closed it and lives on is
        // broken all the same.
        for _ in 0..<200 {
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid {
                reaped = true
                return Self.describe(status)
            }
            usleep(10_000)
        }
        return terminate(reason: "closed its reply pipe")
    }

    private func waitForExit() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        reaped = true
        return status
    }

    private func collectErrorLines(_ bytes: ArraySlice<UInt8>, onErrorLine: (String) -> Void) {
        errorBuffer.append(contentsOf: bytes)
        while let newline = errorBuffer.firstIndex(of: 0x0A) {
            onErrorLine(String(decoding: errorBuffer[..<newline], as: UTF8.self))
            errorBuffer.removeFirst(newline + 1)
        }
        // A library writing without newlines must not grow the buffer without end.
        if errorBuffer.count > 4096 { flushErrorLines(onErrorLine: onErrorLine) }
    }

    /// Reads what an ending worker still has on standard error (its last words say why it ended), for at
    /// most a moment: a descendant holding the pipe open must not stall the daemon.
    private func drainErrors(onErrorLine: (String) -> Void) {
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var fds = [pollfd(fd: errors, events: Int16(POLLIN), revents: 0)]
        while poll(&fds, 1, 100) > 0 {
            let count = chunk.withUnsafeMutableBytes { read(errors, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            collectErrorLines(chunk[0..<count], onErrorLine: onErrorLine)
        }
        flushErrorLines(onErrorLine: onErrorLine)
    }

    private func flushErrorLines(onErrorLine: (String) -> Void) {
        if !errorBuffer.isEmpty { onErrorLine(String(decoding: errorBuffer, as: UTF8.self)) }
        errorBuffer.removeAll()
    }

    /// `signal SIGSEGV`, `CPU time limit (SIGXCPU)`, `exit status 3`: no file, no path.
    static func describe(_ status: Int32) -> String {
        if isSignalled(status) {
            let number = signalNumber(status)
            switch number {
            case SIGXCPU: return "CPU time limit (SIGXCPU)"
            case SIGXFSZ: return "file size limit (SIGXFSZ)"
            case SIGKILL: return "killed (SIGKILL, e.g. the kernel out of memory)"
            case SIGABRT: return "aborted (SIGABRT, e.g. an allocation over the address-space limit)"
            case SIGSYS: return "seccomp violation (SIGSYS)"
            default:
                let name = strsignal(number).map { String(cString: $0) } ?? "signal"
                return "\(name) (signal \(number))"
            }
        }
        return "exit status \((status >> 8) & 0xFF)"
    }

    private static func isSignalled(_ status: Int32) -> Bool { (status & 0x7F) != 0 && (status & 0x7F) != 0x7F }
    private static func signalNumber(_ status: Int32) -> Int32 { status & 0x7F }
    private func isSignalled(_ status: Int32) -> Bool { Self.isSignalled(status) }
    private func signalNumber(_ status: Int32) -> Int32 { Self.signalNumber(status) }
}

private func errnoText() -> String { String(cString: strerror(errno)) }

/// A NULL-terminated C array of strings for `posix_spawn`, alive during `body`.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    pointers.append(nil)
    defer { for pointer in pointers { free(pointer) } }
    return body(pointers)
}
