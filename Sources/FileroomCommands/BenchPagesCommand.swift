import ArgumentParser
import FileroomModel
import Foundation
import Intake
import Logging
import OCR
import PageWorkers
import Pages
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// `fileroom bench pages DIR`: pipeline throughput with one worker and with all, per-stage time, peak
/// memory, and the same raster pages through the tesseract CLI (one process per page, as many at once as
/// there are workers) for a side-by-side ratio. Run with OMP_THREAD_LIMIT=1 in the environment.
struct BenchPagesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pages",
        abstract: "Pages per second, per-stage ms and peak RSS against the tesseract CLI."
    )

    @Argument(help: "Folder of TIFF/PDF files (e.g. a spool).")
    var directory: String

    @Option(help: "Workers for the parallel run and CLI processes at once (default: all cores).")
    var jobs: Int?

    @Flag(help: "Skip the one-worker run.")
    var skipSingle = false

    @Flag(help: "Skip the tesseract CLI run.")
    var skipCli = false

    @Option(help: "Rounds of (all workers, CLI), alternated; the best round of each is reported. On a shared, noisy machine alternating keeps the comparison fair.")
    var rounds = 1

    @Option(help: "Where pages are read: in-process (daemon threads), workers (sandboxed page worker processes, as the daemon does), or both, alternated per round, with their ratio.")
    var isolation: BenchIsolation = .inProcess

    enum BenchIsolation: String, ExpressibleByArgument, CaseIterable {
        case inProcess = "in-process", workers, both
    }

    func validate() throws {
        if rounds < 1 { throw ValidationError("--rounds must be at least 1") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() async throws {
        let workers = jobs ?? ProcessInfo.processInfo.activeProcessorCount
        if ProcessInfo.processInfo.environment["OMP_THREAD_LIMIT"] != "1" {
            print("warning: OMP_THREAD_LIMIT=1 is not set; tesseract will be several times slower")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        let paths = names.map { (directory as NSString).appendingPathComponent($0) }
            .filter { var isFolder: ObjCBool = false; return FileManager.default.fileExists(atPath: $0, isDirectory: &isFolder) && !isFolder.boolValue }

        var runs: [(String, BenchRun)] = []
        let inProcess = isolation != .workers
        if !skipSingle, inProcess { runs.append(("fileroom, 1 worker", try await Self.measure(paths: paths, workers: 1))) }
        // Worker processes are started once, as the daemon starts them, and not timed.
        let workerStage = isolation == .inProcess ? nil : try Self.workerStage(workers: workers)
        var parallel = inProcess ? try await Self.measure(paths: paths, workers: workers) : nil
        var isolated: BenchRun?
        if let workerStage { isolated = try await Self.measure(paths: paths, workers: workers, stage: workerStage) }
        var cli: (pages: Int, seconds: Double, exportSeconds: Double)?
        for round in 1...rounds {
            if round > 1 {
                if inProcess, let best = parallel {
                    let again = try await Self.measure(paths: paths, workers: workers)
                    if again.seconds < best.seconds { parallel = again }
                }
                if let workerStage, let best = isolated {
                    let again = try await Self.measure(paths: paths, workers: workers, stage: workerStage)
                    if again.seconds < best.seconds { isolated = again }
                }
            }
            if !skipCli {
                let measured = try Self.measureCLI(paths: paths, workers: workers)
                if let best = cli, best.seconds <= measured.seconds { continue }
                cli = measured
            }
        }
        if let parallel { runs.append(("fileroom, \(workers) workers", parallel)) }
        if let isolated { runs.append(("fileroom, \(workers) processes", isolated)) }
        guard let parallel = parallel ?? isolated else { return }

        var lines: [String] = []
        if rounds > 1 { lines.append("best of \(rounds) alternated rounds") }
        lines.append("files: \(paths.count) (\(parallel.rejectedFiles) rejected); pages: \(parallel.pages.count) "
            + "(ocr \(parallel.count(.ocr)), text-layer \(parallel.count(.textLayer)), blank \(parallel.count(.blank))); "
            + "rotated \(parallel.pages.filter { $0.rotation != 0 }.count), deskewed \(parallel.pages.filter { $0.skew != 0 }.count)")
        for (label, run) in runs {
            lines.append(String(format: "%-26@ %6.2f pages/s  (%d pages, %.1f s wall; raster pages %.2f/s)",
                                label as NSString, Double(run.pages.count) / run.seconds, run.pages.count, run.seconds,
                                Double(run.rasterCount) / run.seconds))
        }
        let rasterPages = parallel.pages.filter { $0.source != .textLayer }
        let decode = rasterPages.map(\.timings.decodeMilliseconds).mean
        let prepare = rasterPages.map(\.timings.prepareMilliseconds).mean
        let ocr = rasterPages.map(\.timings.ocrMilliseconds).mean
        lines.append(String(format: "per raster page (ms, mean, %d workers): decode %.1f, prepare %.1f, ocr %.1f; decode+prepare = %.1f%% of ocr",
                            workers, decode, prepare, ocr, ocr > 0 ? 100 * (decode + prepare) / ocr : 0))
        let ocrPages = parallel.pages.filter { $0.source == .ocr }
        lines.append(String(format: "mean OCR confidence: %.3f over %d pages", ocrPages.map(\.confidence).mean, ocrPages.count))

        if let cli {
            lines.append(String(format: "%-26@ %6.2f pages/s  (%.1f s wall, %d raster pages, %d processes at once)",
                                "tesseract CLI" as NSString, Double(cli.pages) / cli.seconds, cli.seconds, cli.pages, workers))
            let ours = Double(parallel.rasterCount) / parallel.seconds
            let theirs = Double(cli.pages) / cli.seconds
            lines.append(String(format: "ratio fileroom/CLI (raster pages/s): %.2f (export for the CLI took %.1f s, not counted)",
                                theirs > 0 ? ours / theirs : 0, cli.exportSeconds))
        }
        if inProcess, let isolated {
            lines.append(String(format: "ratio workers/in-process (pages/s): %.3f", parallel.seconds / isolated.seconds))
        }
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        lines.append(String(format: "peak RSS: %.0f MB", Double(usage.ru_maxrss) / 1024))
        if let workerStage {
            // The workers are alive (the pool is): their high-water marks from /proc.
            let peaks = workerStage.pool.processIDs.compactMap { pid -> Double? in
                guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
                      let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
                      let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
                else { return nil }
                return kilobytes / 1024
            }
            lines.append(String(format: "peak RSS of the page workers: %@ MB",
                                peaks.map { String(format: "%.0f", $0) }.joined(separator: ", ")))
        }
        print(lines.joined(separator: "\n"))
    }

    struct BenchRun {
        var pages: [PageText]
        var rejectedFiles: Int
        var seconds: Double
        func count(_ source: TextSource) -> Int { pages.filter { $0.source == source }.count }
        var rasterCount: Int { pages.count - count(.textLayer) }
    }

    static func measure(paths: [String], workers: Int) async throws -> BenchRun {
        let pool = try OCRPool(workers: workers)
        let reader = PageReader(pool: pool, options: .init(lookAhead: 2))
        let clock = ContinuousClock()
        let started = clock.now
        // No nested function adding to the group: in release builds (Swift 6.3) one capturing the group
        // lost its children, and the loop below ended at once.
        let results = await withTaskGroup(of: Result<[PageText], PageReadError>.self) { group in
            var pending = paths.makeIterator()
            for _ in 0...workers {
                guard let path = pending.next() else { break }
                group.addTask { await read(path, with: reader) }
            }
            var results: [Result<[PageText], PageReadError>] = []
            for await result in group {
                results.append(result)
                if let path = pending.next() { group.addTask { await read(path, with: reader) } }
            }
            return results
        }
        let elapsed = clock.now - started
        var pages: [PageText] = []
        var rejected = 0
        for result in results {
            switch result {
            case let .success(texts): pages += texts
            case .failure: rejected += 1
            }
        }
        return BenchRun(pages: pages, rejectedFiles: rejected,
                        seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    static func workerStage(workers: Int) throws -> WorkerPageStage {
        let configuration = PageWorkerConfiguration(
            recognition: RecognitionOptions(), tessdata: try Tessdata.locate(languages: ["eng", "osd"]).path,
            limits: .default, pageTimeLimit: .seconds(60)
        )
        let pool = try PageWorkerPool(
            configuration: configuration, workers: workers, executable: PageWorkerExecutable.path(),
            logger: Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
        )
        return WorkerPageStage(pool: pool)
    }

    /// The same files through one of the daemon's page stages (worker processes), as many files at once as in process.
    static func measure(paths: [String], workers: Int, stage: any PageStage) async throws -> BenchRun {
        let clock = ContinuousClock()
        let started = clock.now
        let results = await withTaskGroup(of: [PageText]?.self) { group in
            var pending = paths.makeIterator()
            for _ in 0...workers {
                guard let path = pending.next() else { break }
                group.addTask { await read(path, with: stage) }
            }
            var results: [[PageText]?] = []
            for await result in group {
                results.append(result)
                if let path = pending.next() { group.addTask { await read(path, with: stage) } }
            }
            return results
        }
        let elapsed = clock.now - started
        return BenchRun(pages: results.compactMap { $0 }.flatMap { $0 }, rejectedFiles: results.filter { $0 == nil }.count,
                        seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    private static func read(_ path: String, with stage: any PageStage) async -> [PageText]? {
        let collected = CollectedPages()
        do {
            _ = try await stage.readPages(of: path, skipping: [], shouldStop: { false }) { page in
                collected.pages.withLock { $0.append(page) }
            }
        } catch {
            return nil
        }
        return collected.pages.withLock { $0 }.sorted { $0.number < $1.number }
    }

    /// Pages delivered by the stage's callback, which may run on any task.
    final class CollectedPages: Sendable {
        let pages = Mutex<[PageText]>([])
    }

    private static func read(_ path: String, with reader: PageReader) async -> Result<[PageText], PageReadError> {
        do throws(PageReadError) { return .success(try await reader.read(path: path).pages) } catch { return .failure(error) }
    }

    /// Decodes and squares every raster page once, writes it as PGM, then times `tesseract` over them with
    /// `xargs -P`. Blank pages are included: the CLI has no way to know them.
    static func measureCLI(paths: [String], workers: Int) throws -> (pages: Int, seconds: Double, exportSeconds: Double) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fileroom-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let exportStarted = Date()
        var list = ""
        var count = 0
        for path in paths {
            guard let file = try? SourceFile.open(path: path, limits: .default) else { continue }
            for number in 1...max(1, file.pageCount) where number <= file.pageCount {
                guard case let .raster(image)? = try? file.decodePage(number) else { continue }
                let squared = image.squaredForOCR()
                count += 1
                let name = folder.appendingPathComponent(String(format: "page%04d.pgm", count)).path
                var data = Data("P5\n\(squared.width) \(squared.height)\n255\n".utf8)
                data.append(contentsOf: squared.pixels)
                try data.write(to: URL(fileURLWithPath: name))
                list += "\(name) \(Int(min(squared.dpiX, squared.dpiY).rounded()))\n"
            }
        }
        let listPath = folder.appendingPathComponent("pages.txt").path
        try Data(list.utf8).write(to: URL(fileURLWithPath: listPath))
        let exportSeconds = Date().timeIntervalSince(exportStarted)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "xargs -P \(workers) -L 1 sh -c 'tesseract \"$0\" - --dpi \"$1\" >/dev/null 2>&1' < \"\(listPath)\""]
        var environment = ProcessInfo.processInfo.environment
        environment["OMP_THREAD_LIMIT"] = "1"
        process.environment = environment
        let started = Date()
        try process.run()
        process.waitUntilExit()
        return (count, Date().timeIntervalSince(started), exportSeconds)
    }
}

extension Array where Element == Double {
    fileprivate var mean: Double { isEmpty ? 0 : reduce(0, +) / Double(count) }
}
