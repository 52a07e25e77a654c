internal import CTesseract
import FileroomModel
import Foundation
import Pages
import Synchronization

/// A fixed set of OCR threads, each owning its own engines (`PageRecognizer`) for its whole life.
///
/// Tesseract calls block for a second or more per page, so they run on `Thread`s of their own rather
/// than Swift's cooperative pool, whose few threads would otherwise starve every other task. Callers
/// `await`; jobs wait in one FIFO queue; pages of several files can share one pool.
///
/// **OpenMP**: libgomp reads `OMP_THREAD_LIMIT` before `main`, so it must be set in the launch
/// environment (`export OMP_THREAD_LIMIT=1`: README commands, `.ci/run`, the systemd unit). Without it a
/// page takes 4-6x longer on a busy machine. As a guard each OCR thread also turns nested OpenMP
/// parallelism off for itself (`omp_set_max_active_levels(0)`).
public final class OCRPool: Sendable {
    public let workerCount: Int
    public let options: RecognitionOptions
    private let queue: JobQueue
    private let passes = PassCounter()

    /// Tesseract recognition passes run so far by all workers (a test that a page was, or was not, OCR'd).
    public var recognitionPasses: Int { passes.value.load(ordering: .relaxed) }

    /// Starts `workers` threads (default: one per active processor) and their engines; throws the first
    /// engine error (missing tessdata, bad language) after stopping the threads that did start.
    public init(
        workers: Int = ProcessInfo.processInfo.activeProcessorCount,
        options: RecognitionOptions = RecognitionOptions(),
        tessdata: Tessdata? = nil
    ) throws(OCRError) {
        let count = max(1, workers)
        let location: Tessdata
        if let tessdata { location = tessdata } else {
            location = try Tessdata.locate(languages: [options.language] + (options.orientation == .never ? [] : ["osd"]))
        }
        let queue = JobQueue()
        let orientation = options.orientation == .never ? nil : try OrientationService(tessdata: location)
        let startup = StartupReport<OCRError>(expected: count)
        for index in 0..<count {
            let thread = Thread {
                _ = CTesseract_limitOpenMPOnThisThread()
                let recognizer: PageRecognizer
                do throws(OCRError) {
                    recognizer = try PageRecognizer(options: options, tessdata: location, sharedOrientation: orientation)
                } catch {
                    startup.finished(with: error)
                    return
                }
                startup.finished(with: nil)
                while let job = queue.next() {
                    job.run(recognizer)
                    // Tesseract allocates and frees tens of MB per page; glibc keeps freed memory in each
                    // thread's arena, so without a trim a pool's RSS creeps far above what it is using.
                    releaseFreedMemory()
                }
            }
            thread.name = "ocr-\(index)"
            // Tesseract's layout analysis recurses; glibc's default for new threads is enough, Foundation's
            // may not be.
            thread.stackSize = 16 << 20
            thread.start()
        }
        if let error = startup.wait() {
            queue.close()
            throw error
        }
        self.workerCount = count
        self.options = options
        self.queue = queue
    }

    deinit { queue.close() }

    /// Stops leptonica writing raw lines to this process's standard error (the daemon's log) for good. Page
    /// worker processes keep them: the daemon reads their standard error and logs it at debug level, escaped.
    public static func silenceLeptonica() {
        CTesseract_silenceLeptonica()
    }

    /// Deskews, recognises and if need be turns one raster on the next free OCR thread.
    /// `deadline` is the page's time limit; cancelling the calling task stops the page at its next word.
    public func recognize(_ image: PageImage, pageNumber: Int, deadline: Duration) async throws(OCRError) -> PageText {
        try await run { recognizer, cancellation throws(OCRError) in
            try recognizer.recognize(image, pageNumber: pageNumber, timeLimit: deadline, cancellation: cancellation)
        }
    }

    /// Runs `work` on the next free OCR thread with that thread's engines. The cancellation flag is raised
    /// when the calling task is cancelled; work that has not started by then is not run.
    public func run<T: Sendable>(
        _ work: @escaping @Sendable (PageRecognizer, OCRCancellation) throws(OCRError) -> T
    ) async throws(OCRError) -> T {
        let cancellation = OCRCancellation()
        let passes = self.passes
        let result: Result<T, OCRError> = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, OCRError>, Never>) in
                let job = Job { recognizer in
                    guard let recognizer, !cancellation.isCancelled else {
                        continuation.resume(returning: .failure(.cancelled))
                        return
                    }
                    let before = recognizer.recognitionCount
                    let outcome = Result { () throws(OCRError) -> T in try work(recognizer, cancellation) }
                    passes.value.add(recognizer.recognitionCount - before, ordering: .relaxed)
                    continuation.resume(returning: outcome)
                }
                if !queue.add(job) { job.run(nil) }
            }
        } onCancel: {
            cancellation.cancel()
        }
        return try result.get()
    }
}

final class PassCounter: Sendable {
    let value = Atomic<Int>(0)
}

/// One unit of work; `run(nil)` means the pool is gone and the job must resume its caller as cancelled.
struct Job: Sendable {
    let body: @Sendable (PageRecognizer?) -> Void
    init(_ body: @escaping @Sendable (PageRecognizer?) -> Void) { self.body = body }
    func run(_ recognizer: PageRecognizer?) { body(recognizer) }
}

/// Returns free heap pages of every malloc arena to the system (a few milliseconds per page).
func releaseFreedMemory() {
    CTesseract_releaseFreedMemory()
}

typealias JobQueue = BlockingQueue<Job>

/// A FIFO that dedicated threads block on (OCR threads here, page worker threads in `PageWorkers`).
// @unchecked Sendable: `jobs`, `head` and `isClosed` are only touched while holding `condition`.
public final class BlockingQueue<Element: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    /// Taken slots are set to nil at once: a job holds a page raster (4-8 MB), and a slot kept until the
    /// next compaction held dozens of them.
    private var jobs: [Element?] = []
    private var head = 0
    private var isClosed = false

    public init() {}

    /// False when the pool has closed; the caller then fails the job itself.
    public func add(_ job: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !isClosed else { return false }
        jobs.append(job)
        condition.signal()
        return true
    }

    /// The next job, blocking while there is none; nil once closed and drained.
    public func next() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while head == jobs.count && !isClosed { condition.wait() }
        return take()
    }

    /// The job at the head, or nil when there is none. Called holding `condition`.
    private func take() -> Element? {
        guard head < jobs.count else { return nil }
        let job = jobs[head]
        jobs[head] = nil
        head += 1
        if head == jobs.count {
            jobs.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 64, head * 2 > jobs.count {
            jobs.removeFirst(head)
            head = 0
        }
        return job
    }

    /// The next job, waiting at most `timeout`: `.idle` when none came, nil once closed and drained.
    public func next(waitingAtMost timeout: TimeInterval) -> Wait? {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date(timeIntervalSinceNow: timeout)
        while head == jobs.count && !isClosed {
            if !condition.wait(until: deadline) { break }
        }
        if let job = take() { return .job(job) }
        return isClosed ? nil : .idle
    }

    public enum Wait {
        case job(Element)
        case idle
    }

    public func close() {
        condition.lock()
        isClosed = true
        condition.broadcast()
        condition.unlock()
    }
}

/// Collects each thread's start-up (OCR engines here, page worker processes in `PageWorkers`) so a pool's
/// init can fail cleanly with the first error.
public final class StartupReport<Failure: Sendable>: Sendable {
    private let state: Mutex<(remaining: Int, error: Failure?)>
    private let done = DispatchSemaphore(value: 0)

    public init(expected: Int) { state = Mutex((expected, nil)) }

    public func finished(with error: Failure?) {
        let last = state.withLock { state in
            state.remaining -= 1
            if state.error == nil { state.error = error }
            return state.remaining == 0
        }
        if last { done.signal() }
    }

    public func wait() -> Failure? {
        done.wait()
        return state.withLock { $0.error }
    }
}
