import FileroomModel
import Foundation
import Logging
import OCR
import Pages
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A page worker process died (crash, resource limit, deadline kill) while reading a file. Thrown by the
/// page stage; the engine records it against the file, and the second one makes the file poison.
public struct PageWorkerDeath: Error, Sendable, Hashable, CustomStringConvertible {
    /// The page the worker was reading; nil while it opened the file.
    public var page: Int?
    /// Why it died, in words that name no file (`CPU time limit (SIGXCPU)`, `missed its deadline`).
    public var cause: String

    public init(page: Int?, cause: String) {
        self.page = page
        self.cause = cause
    }

    public var description: String {
        "page worker died \(page.map { "on page \($0)" } ?? "opening the file"): \(cause)"
    }
}

/// Why the pool could not read a page, besides the file's own rejection.
public enum PageWorkerFailure: Error, Sendable {
    /// The file (or the page) is rejected: reason, page and limit.
    case rejected(PageError)
    /// The worker died on this file and page.
    case died(PageWorkerDeath)
    /// No worker could be started (a transient failure of the host, not of the file).
    case unavailable(String)
    /// The calling task was cancelled before the reply came.
    case cancelled
}

/// Why the pool could not start.
public struct PageWorkerStartError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// A fixed set of page worker processes (`fileroom page-worker`), each driven by a thread of the daemon
/// that owns it: the thread sends one request, waits for the reply under the deadline, and replaces a
/// worker that died, telling the caller exactly which file and page it was on.
///
/// Requests wait in one FIFO queue, so pages of several files share the workers as they share OCR threads
/// in process. Standard error of the workers is read by their threads and logged at debug level as
/// escaped, length-capped lines: nothing a library prints reaches the daemon's log raw.
public final class PageWorkerPool: Sendable {
    public let workerCount: Int
    public let configuration: PageWorkerConfiguration
    private let queue: WorkerJobQueue
    private let running: RunningPages

    /// What a worker is doing now (tests kill a worker mid-page with it).
    public struct RunningPage: Sendable, Hashable {
        public var processID: Int32
        public var path: String
        public var page: Int?
    }

    /// Starts `workers` worker processes of `executable` and waits until each has loaded its engines and
    /// closed its sandbox; throws the first start-up error (after stopping the others).
    public init(
        configuration: PageWorkerConfiguration, workers: Int, executable: String, logger: Logger
    ) throws(PageWorkerStartError) {
        let count = max(1, workers)
        let queue = WorkerJobQueue()
        let running = RunningPages()
        var environment = ProcessInfo.processInfo.environment
        // libgomp reads it before main: a worker must never start a team of threads per page.
        environment["OMP_THREAD_LIMIT"] = "1"
        // Each malloc arena reserves 64 MB of address space, and glibc makes up to 8 per core: on a big host
        // the reservations alone would eat RLIMIT_AS. A worker reads one page at a time; two arenas do.
        environment["MALLOC_ARENA_MAX"] = "2"
        let startup = StartupReport<String>(expected: count)
        for index in 0..<count {
            let slot = WorkerSlot(
                index: index, executable: executable, environment: environment, configuration: configuration,
                running: running, logger: logger
            )
            let thread = Thread {
                if let failure = slot.start() {
                    startup.finished(with: failure)
                    return
                }
                startup.finished(with: nil)
                while let wait = queue.next(waitingAtMost: configuration.idleSeconds) {
                    switch wait {
                    case .job(let job): slot.run(job)
                    // An idle worker gives its memory back; the next page starts a fresh one (under a second).
                    case .idle: slot.stop()
                    }
                }
                slot.stop()
            }
            thread.name = "page-worker-\(index)"
            thread.start()
        }
        if let error = startup.wait() {
            queue.close()
            throw PageWorkerStartError(description: error)
        }
        self.workerCount = count
        self.configuration = configuration
        self.queue = queue
        self.running = running
    }

    deinit { queue.close() }

    /// Stops the workers once the queued pages are done.
    public func shutdown() { queue.close() }

    /// The pages being read now, by worker.
    public var runningPages: [RunningPage] { running.pages.withLock { Array($0.values) } }

    /// The worker processes started and not known to have ended.
    public var processIDs: [Int32] { running.processes.withLock { Array($0.values) } }

    /// Seconds the workers have spent on requests since the pool started, summed over workers: against
    /// wall time x workers, how busy the daemon kept them (`bench intake`).
    public var busySeconds: Double { Double(running.busyNanoseconds.load(ordering: .relaxed)) / 1e9 }

    /// Opens `path` in a worker and returns its page count.
    public func pageCount(of path: String) async throws(PageWorkerFailure) -> Int {
        switch try await submit(path: path, page: nil) {
        case .opened(let count): return count
        default: throw .unavailable("the page worker answered out of turn")
        }
    }

    /// Decodes and recognises page `number` of `path` in a worker.
    public func readPage(_ number: Int, of path: String) async throws(PageWorkerFailure) -> PageText {
        switch try await submit(path: path, page: number) {
        case .page(let text): return text
        default: throw .unavailable("the page worker answered out of turn")
        }
    }

    private func submit(path: String, page: Int?) async throws(PageWorkerFailure) -> WorkerReply {
        let reply = OnceReply()
        let result: Result<WorkerReply, PageWorkerFailure> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                reply.set(continuation)
                let job = WorkerJob(path: path, page: page, reply: reply)
                if !queue.add(job) { reply.resume(.failure(.unavailable("the page workers have stopped"))) }
            }
        } onCancel: {
            // The worker finishes the page (it cannot be stopped mid-page without counting as a death);
            // its reply is dropped.
            reply.resume(.failure(.cancelled))
        }
        switch result {
        case .success(.rejected(let error)): throw .rejected(error)
        case .success(let value): return value
        case .failure(let failure): throw failure
        }
    }
}

/// What each worker is reading now, and each worker's process, by worker index.
final class RunningPages: Sendable {
    let pages = Mutex<[Int: PageWorkerPool.RunningPage]>([:])
    let processes = Mutex<[Int: Int32]>([:])
    let busyNanoseconds = Atomic<UInt64>(0)
}

/// One request: open a file (`page == nil`) or read one of its pages.
struct WorkerJob: Sendable {
    let path: String
    let page: Int?
    let reply: OnceReply
}

/// A continuation resumed once: by the worker's reply or by cancellation, whichever comes first.
final class OnceReply: Sendable {
    private let state = Mutex<(continuation: CheckedContinuation<Result<WorkerReply, PageWorkerFailure>, Never>?, early: Result<WorkerReply, PageWorkerFailure>?, done: Bool)>((nil, nil, false))

    var isDone: Bool { state.withLock { $0.done } }

    func set(_ continuation: CheckedContinuation<Result<WorkerReply, PageWorkerFailure>, Never>) {
        let early: Result<WorkerReply, PageWorkerFailure>? = state.withLock { state in
            if let early = state.early {
                state.early = nil
                return early
            }
            state.continuation = continuation
            return nil
        }
        if let early { continuation.resume(returning: early) }
    }

    func resume(_ result: Result<WorkerReply, PageWorkerFailure>) {
        let continuation: CheckedContinuation<Result<WorkerReply, PageWorkerFailure>, Never>? = state.withLock { state in
            guard !state.done else { return nil }
            state.done = true
            guard let continuation = state.continuation else {
                // Cancelled before the continuation was installed: `set` resumes it.
                state.early = result
                return nil
            }
            state.continuation = nil
            return continuation
        }
        continuation?.resume(returning: result)
    }
}

/// One worker process and the thread-side logic around it. Only its own thread calls it.
// @unchecked Sendable: it moves once into its thread's closure and is used by that thread only.
final class WorkerSlot: @unchecked Sendable {
    let index: Int
    let executable: String
    let environment: [String: String]
    let configuration: PageWorkerConfiguration
    let running: RunningPages
    let logger: Logger
    private var process: WorkerProcess?

    /// How long a worker may take to load its engines.
    static let startDeadline: Duration = .seconds(120)
    /// How long opening a file may take (preflight, page count, every TIFF page's tags).
    static let openDeadline: Duration = .seconds(120)

    init(
        index: Int, executable: String, environment: [String: String], configuration: PageWorkerConfiguration,
        running: RunningPages, logger: Logger
    ) {
        self.index = index
        self.executable = executable
        self.environment = environment
        self.configuration = configuration
        self.running = running
        self.logger = logger
    }

    /// Starts a worker and waits until it is ready; the error in words, or nil.
    func start() -> String? {
        let worker: WorkerProcess
        do {
            worker = try WorkerProcess.spawn(executable: executable, environment: environment)
        } catch {
            return error.description
        }
        guard worker.send(.configure(configuration)) else {
            return "page worker: \(worker.end(reason: "exited at start", onErrorLine: logErrorLine))"
        }
        switch worker.receive(deadline: .now + Self.startDeadline, onErrorLine: logErrorLine) {
        case .reply(.ready):
            process = worker
            running.processes.withLock { $0[index] = worker.pid }
            return nil
        case .reply(.startFailed(let message)):
            worker.terminate()
            return "page worker: \(message)"
        case .reply:
            return "page worker: \(worker.terminate(reason: "answered out of turn at start"))"
        case .died(let cause):
            return "page worker: \(cause)"
        }
    }

    func stop() {
        process?.terminate()
        forget()
    }

    private func forget() {
        process = nil
        _ = running.processes.withLock { $0.removeValue(forKey: index) }
    }

    func run(_ job: WorkerJob) {
        if job.reply.isDone { return }  // cancelled while queued
        if let idle = process, let cause = idle.hasExited() {
            logger.debug("page worker replaced", metadata: ["worker": "\(index)", "worker.pid": "\(idle.pid)", "cause": "\(cause) while idle"])
            forget()
        }
        if process == nil, let failure = start() {
            job.reply.resume(.failure(.unavailable(failure)))
            return
        }
        guard let worker = process else { return }
        let request: WorkerRequest = job.page.map { .page(path: job.path, number: $0) } ?? .open(path: job.path)
        let deadline: Duration = job.page == nil ? Self.openDeadline : configuration.replyDeadline
        running.pages.withLock { $0[index] = .init(processID: worker.pid, path: job.path, page: job.page) }
        let started = ContinuousClock.now
        let received: WorkerProcess.Received
        if worker.send(request) {
            received = worker.receive(deadline: .now + deadline, onErrorLine: logErrorLine)
        } else {
            received = .died(cause: worker.end(reason: "closed its request pipe", onErrorLine: logErrorLine))
        }
        // Before the caller hears back, so what it sees next is the pool's state after this page.
        _ = running.pages.withLock { $0.removeValue(forKey: index) }
        let busy = started.duration(to: .now).components
        running.busyNanoseconds.add(
            UInt64(max(0, busy.seconds)) * 1_000_000_000 + UInt64(max(0, busy.attoseconds) / 1_000_000_000),
            ordering: .relaxed
        )
        switch received {
        case .reply(let reply):
            job.reply.resume(.success(reply))
        case .died(let cause):
            forget()
            logger.debug(
                "page worker replaced",
                metadata: ["worker": "\(index)", "worker.pid": "\(worker.pid)", "cause": "\(cause)"]
            )
            job.reply.resume(.failure(.died(PageWorkerDeath(page: job.page, cause: cause))))
        }
    }

    /// A line a worker wrote to standard error (leptonica and tesseract messages), escaped and capped.
    private func logErrorLine(_ line: String) {
        let escaped = line.prefix(300).unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F ? String($0) : "?" }
            .joined()
        logger.debug("page worker stderr", metadata: ["worker": "\(index)", "line": "\(escaped)"])
    }
}

typealias WorkerJobQueue = BlockingQueue<WorkerJob>
