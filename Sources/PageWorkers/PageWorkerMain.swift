import FileroomModel
import Foundation
import OCR
import Pages

#if canImport(Glibc)
import Glibc
#endif

/// The worker side: `fileroom page-worker`, started by `PageWorkerPool` with its requests on standard
/// input and its replies on standard output. Not for people: it speaks frames, not text.
public enum PageWorkerMain {
    /// Serves requests until the daemon closes the pipe. Returns the exit status.
    public static func run() async -> Int32 {
        Sandbox.dieWithParent()
        // The parent may have died before the line above: then no one reads our replies.
        if getppid() == 1 { return 0 }
        // Replies get a descriptor of their own and standard output goes to standard error, so a library
        // that prints (leptonica, tesseract) can never corrupt a frame.
        let replies = dup(1)
        guard replies >= 0, dup2(2, 1) >= 0 else { return 2 }
        var requests = BlockingFrameReader(fd: 0)
        func send(_ reply: WorkerReply) -> Bool {
            guard let bytes = try? Frames.encode(reply) else { return false }
            return Frames.writeAll(bytes, to: replies)
        }

        guard case .configure(let configuration)? = try? requests.next(WorkerRequest.self) else { return 2 }
        let pool: OCRPool
        do {
            pool = try OCRPool(
                workers: 1, options: configuration.recognition, tessdata: Tessdata(path: configuration.tessdata)
            )
            try Sandbox.enter(configuration)
        } catch {
            _ = send(.startFailed("\(error)"))
            return 3
        }
        guard send(.ready) else { return 0 }

        var files = OpenFiles(limits: configuration.limits)
        while let request = try? requests.next(WorkerRequest.self) {
            let reply: WorkerReply
            switch request {
            case .configure:
                continue
            case .open(let path):
                do throws(PageError) {
                    reply = .opened(pageCount: try files.open(path).pageCount)
                } catch {
                    reply = .rejected(error)
                }
            case .page(let path, let number):
                Sandbox.allowCPU(seconds: configuration.cpuSecondsPerPage)
                reply = await readPage(number, of: path, files: &files, pool: pool, configuration: configuration)
            }
            guard send(reply) else { return 0 }
        }
        return 0
    }

    private static func readPage(
        _ number: Int, of path: String, files: inout OpenFiles, pool: OCRPool, configuration: PageWorkerConfiguration
    ) async -> WorkerReply {
        let clock = ContinuousClock()
        let started = clock.now
        let decoded: DecodedPage
        do throws(PageError) {
            decoded = try files.open(path).decodePage(number)
        } catch {
            return .rejected(error)
        }
        let decodeMilliseconds = PageRecognizer.fractionalMilliseconds(clock.now - started)
        switch await PageReader.process(decoded, number: number, pool: pool, timeLimit: configuration.pageTimeLimit) {
        case .success(var text):
            text.timings.decodeMilliseconds = decodeMilliseconds
            return .page(text)
        case .failure(let error):
            // As in the in-process stage: a page tesseract cannot finish is a property of the file.
            return .rejected(PageError(.ocrFailed, path: path, page: error.page ?? number, detail: error.description))
        }
    }
}

/// The few files a worker has open, most recent last: the pages of one file are spread over all workers, so
/// each keeps the files it was recently asked about instead of reopening them for every page.
struct OpenFiles {
    let limits: PageLimits
    private var files: [SourceFile] = []
    private static let capacity = 4

    init(limits: PageLimits) { self.limits = limits }

    mutating func open(_ path: String) throws(PageError) -> SourceFile {
        if let index = files.firstIndex(where: { $0.path == path }) {
            let file = files.remove(at: index)
            files.append(file)
            return file
        }
        let file = try SourceFile.open(path: path, limits: limits)
        if files.count == Self.capacity { files.removeFirst() }
        files.append(file)
        return file
    }
}
