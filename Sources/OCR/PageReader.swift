import FileroomModel
import Foundation
import Pages
import Synchronization

/// Why a file's pages could not all be read.
public enum PageReadError: Error, Sendable, CustomStringConvertible {
    /// The file (or one of its pages) could not be decoded: the file is rejected.
    case rejected(PageError)
    /// A page could not be recognised (time limit, tesseract failure) or reading was cancelled.
    case ocr(OCRError)
    /// The `onPage` callback threw; reading stopped there.
    case callbackFailed(any Error)
    /// `shouldStop` turned true: no new page was started, the pages in flight were delivered.
    case stopped

    public var description: String {
        switch self {
        case let .rejected(error): error.description
        case let .ocr(error): error.description
        case let .callbackFailed(error): "page checkpoint failed: \(error)"
        case .stopped: "stopped before the last page (graceful shutdown)"
        }
    }
}

/// Turns one file into page texts: decodes its pages in order on a thread of its own (a few pages
/// ahead, no more), sends rasters to the shared `OCRPool`, and reads text layers as they are.
///
/// Normal-mode fax pages are squared before OCR and blank pages are not OCR'd; both happen on the OCR
/// thread, so the decoding thread stays ahead.
public struct PageReader: Sendable {
    public struct Options: Sendable, Hashable {
        public var limits: PageLimits
        /// Time limit for one page's OCR (all passes).
        public var pageTimeLimit: Duration
        /// Decoded pages allowed to wait for OCR; nil means one more than the pool has workers.
        public var lookAhead: Int?

        public init(limits: PageLimits = .default, pageTimeLimit: Duration = .seconds(60), lookAhead: Int? = nil) {
            self.limits = limits
            self.pageTimeLimit = pageTimeLimit
            self.lookAhead = lookAhead
        }
    }

    public let pool: OCRPool
    public let options: Options

    public init(pool: OCRPool, options: Options = Options()) {
        self.pool = pool
        self.options = options
    }

    /// Every page of `path` except those in `skip`, in page order.
    public func read(path: String, skip: Set<Int> = []) async throws(PageReadError) -> PageReadResult {
        try await read(path: path, skip: skip, onPage: { _ in })
    }

    /// Every page of `path` except those in `skip`, in page order. `onPage` is called once per finished
    /// page, in page order, before the next is reported (a daemon checkpoints there). When `shouldStop`
    /// turns true no new page is decoded, the pages in flight are finished and delivered, then `.stopped`
    /// is thrown.
    public func read(
        path: String, skip: Set<Int> = [],
        shouldStop: @escaping @Sendable () -> Bool = { false },
        onPage: @escaping @Sendable (PageText) async throws -> Void
    ) async throws(PageReadError) -> PageReadResult {
        let (events, sink) = AsyncStream.makeStream(of: ReadEvent.self)
        let decoder = PageDecoder(
            path: path, limits: options.limits, skip: skip,
            lookAhead: max(1, options.lookAhead ?? pool.workerCount + 1), shouldStop: shouldStop, sink: sink
        )
        decoder.start()
        defer { decoder.stop() }

        let pool = self.pool, timeLimit = options.pageTimeLimit
        let outcome: Result<PageReadResult, PageReadError> = await withTaskGroup(of: Void.self) { group in
            var finished: [Int: PageText] = [:]
            var order: [Int] = []
            var nextIndex = 0
            var decodingDone = false
            var stopped = false
            var pageCount = 0
            var results: [PageText] = []
            for await event in events {
                switch event {
                case let .opened(count):
                    pageCount = count
                case .stoppedEarly:
                    stopped = true
                    decodingDone = true
                case let .decoded(number, page, decodeMilliseconds):
                    order.append(number)
                    group.addTask {
                        let result = await Self.process(page, number: number, pool: pool, timeLimit: timeLimit)
                        decoder.pageFinished()
                        switch result {
                        case var .success(text):
                            text.timings.decodeMilliseconds = decodeMilliseconds
                            sink.yield(.recognized(text))
                        case let .failure(error):
                            sink.yield(.failed(.ocr(error)))
                        }
                    }
                case let .recognized(text):
                    finished[text.number] = text
                    while nextIndex < order.count, let ready = finished.removeValue(forKey: order[nextIndex]) {
                        do {
                            try await onPage(ready)
                        } catch {
                            group.cancelAll()
                            return .failure(.callbackFailed(error))
                        }
                        results.append(ready)
                        nextIndex += 1
                    }
                case .decodingFinished:
                    decodingDone = true
                case let .failed(error):
                    group.cancelAll()
                    return .failure(error)
                }
                if decodingDone && nextIndex == order.count { break }
            }
            if Task.isCancelled { return .failure(.ocr(.cancelled)) }
            if stopped { return .failure(.stopped) }
            return .success(PageReadResult(pageCount: pageCount, pages: results))
        }
        return try outcome.get()
    }

    /// Prepares and recognises one decoded page on an OCR thread, or wraps a text layer. (Page worker
    /// processes call it too, one page at a time.)
    public static func process(
        _ page: DecodedPage, number: Int, pool: OCRPool, timeLimit: Duration
    ) async -> Result<PageText, OCRError> {
        switch page {
        case let .textLayer(lines, width, height, dpi):
            return .success(PageText(
                number: number, source: .textLayer, width: width, height: height, dpiX: dpi, dpiY: dpi,
                confidence: 1, lines: lines
            ))
        case let .raster(image):
            do throws(OCRError) {
                return .success(try await pool.run { recognizer, cancellation throws(OCRError) in
                    let clock = ContinuousClock()
                    let started = clock.now
                    let squared = image.squaredForOCR()
                    if squared.isBlank {
                        return PageText(
                            number: number, source: .blank, width: squared.width, height: squared.height,
                            dpiX: squared.dpiX, dpiY: squared.dpiY, confidence: 0, lines: [],
                            timings: PageTimings(prepareMilliseconds: PageRecognizer.fractionalMilliseconds(clock.now - started))
                        )
                    }
                    let squaring = clock.now - started
                    var text = try recognizer.recognize(squared, pageNumber: number, timeLimit: timeLimit, cancellation: cancellation)
                    text.timings.prepareMilliseconds += PageRecognizer.fractionalMilliseconds(squaring)
                    return text
                })
            } catch {
                return .failure(error)
            }
        }
    }
}

/// What `PageReader.read` found.
public struct PageReadResult: Sendable, Hashable {
    /// Pages in the file, including those skipped.
    public var pageCount: Int
    /// The pages read (not the skipped ones), in page order.
    public var pages: [PageText]
}

enum ReadEvent: Sendable {
    case opened(pageCount: Int)
    case stoppedEarly
    case decoded(number: Int, page: DecodedPage, decodeMilliseconds: Double)
    case recognized(PageText)
    case decodingFinished
    case failed(PageReadError)
}

/// The thread that opens a file and decodes its pages in order, never more than `lookAhead` pages ahead
/// of OCR. Decoders own C handles (libtiff, poppler) that stay on this one thread.
final class PageDecoder: Sendable {
    private let path: String
    private let limits: PageLimits
    private let skip: Set<Int>
    private let sink: AsyncStream<ReadEvent>.Continuation
    private let slots: DispatchSemaphore
    private let stopped = Atomic<Bool>(false)
    private let shouldStop: @Sendable () -> Bool

    init(
        path: String, limits: PageLimits, skip: Set<Int>, lookAhead: Int, shouldStop: @escaping @Sendable () -> Bool,
        sink: AsyncStream<ReadEvent>.Continuation
    ) {
        self.shouldStop = shouldStop
        self.path = path
        self.limits = limits
        self.skip = skip
        self.sink = sink
        // libdispatch traps (SIGILL, "semaphore object deallocated while in use") when a semaphore is freed
        // with a value below the one it was created with. A reader that stops early (a page's OCR time limit,
        // a failed checkpoint, cancellation) leaves decoded pages whose slots are never given back, so the
        // semaphore starts at 0 and the slots are added by signalling: its creation value is then a floor
        // no early stop can go below.
        slots = DispatchSemaphore(value: 0)
        for _ in 0..<max(1, lookAhead) { slots.signal() }
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "decode"
        thread.start()
    }

    /// Frees a look-ahead slot.
    func pageFinished() { slots.signal() }

    /// Ends decoding early (the reader is done or gave up); wakes the thread if it waits for a slot.
    func stop() {
        stopped.store(true, ordering: .relaxed)
        slots.signal()
    }

    private func run() {
        do throws(PageError) {
            let file = try SourceFile.open(path: path, limits: limits)
            sink.yield(.opened(pageCount: file.pageCount))
            let clock = ContinuousClock()
            for number in 1...max(1, file.pageCount) where number <= file.pageCount && !skip.contains(number) {
                slots.wait()
                if stopped.load(ordering: .relaxed) { return }
                if shouldStop() {
                    sink.yield(.stoppedEarly)
                    return
                }
                let started = clock.now
                let page = try file.decodePage(number)
                sink.yield(.decoded(number: number, page: page, decodeMilliseconds: PageRecognizer.fractionalMilliseconds(clock.now - started)))
            }
            sink.yield(.decodingFinished)
        } catch {
            sink.yield(.failed(.rejected(error)))
        }
    }
}
