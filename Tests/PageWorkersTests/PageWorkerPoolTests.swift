import FileroomModel
import Foundation
import Logging
import OCR
import PageWorkers
import Pages
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Pools of real `fileroom page-worker` processes (the `fileroom` built beside the test runner).
enum WorkerTestKit {
    static let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    static var isAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: PageWorkerExecutable.path())
            && PageWorkerExecutable.path().hasSuffix("/fileroom")
    }

    static func configuration(
        pageTimeLimit: Duration = .seconds(60), replyDeadline: Duration? = nil, addressSpaceBytes: Int? = nil
    ) throws -> PageWorkerConfiguration {
        let tessdata = try Tessdata.locate(languages: ["eng", "osd"])
        return PageWorkerConfiguration(
            recognition: RecognitionOptions(), tessdata: tessdata.path, limits: .default, pageTimeLimit: pageTimeLimit,
            addressSpaceBytes: addressSpaceBytes ?? PageWorkerConfiguration.defaultAddressSpaceBytes,
            replyDeadline: replyDeadline
        )
    }

    static func pool(workers: Int = 1, configuration: PageWorkerConfiguration? = nil) throws -> PageWorkerPool {
        try PageWorkerPool(
            configuration: configuration ?? self.configuration(), workers: workers,
            executable: PageWorkerExecutable.path(), logger: logger
        )
    }

    /// A two-page fine-mode fax: a report page (OCR'd, a second or more) and a blank page.
    static func writeFax(to path: String, pages: Int = 2) throws {
        var images = [try FaxFixture.page(FaxFixture.reportLines, geometry: .faxFine)]
        while images.count < pages { images.append(try FaxFixture.blankPage(geometry: .faxFine)) }
        try TIFFFixtureWriter.write(images, to: path, options: .faxG4)
    }

    /// Waits until a worker is on a page of `path`, and returns it.
    static func runningPage(of pool: PageWorkerPool, path: String) async throws -> PageWorkerPool.RunningPage {
        // Starting a worker and opening the file take seconds on a loaded machine: wait up to a minute.
        let giveUp = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < giveUp {
            if let running = pool.runningPages.first(where: { $0.path == path && $0.page != nil }) { return running }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw FixtureError("no worker started a page of the file")
    }
}

@Suite(.enabled(if: WorkerTestKit.isAvailable, "needs the built fileroom binary"))
struct PageWorkerPoolTests {
    @Test func pagesAreReadInAWorkerAsInProcess() async throws {
        let pool = try WorkerTestKit.pool()
        try await withTemporaryDirectory { folder in
            let path = "\(folder)/fax.tif"
            try WorkerTestKit.writeFax(to: path)
            #expect(try await pool.pageCount(of: path) == 2)
            let first = try await pool.readPage(1, of: path)
            let second = try await pool.readPage(2, of: path)
            #expect(first.number == 1 && first.source == .ocr)
            let words = Set(first.words.map { $0.text.lowercased().filter(\.isLetter) })
            let expected = FaxFixture.reportWords.map { $0.lowercased().filter(\.isLetter) }.filter { !$0.isEmpty }
            #expect(Double(expected.filter(words.contains).count) / Double(expected.count) >= 0.9)
            #expect(second.source == .blank)
            #expect(first.timings.decodeMilliseconds > 0)
        }
    }

    @Test func aBadFileIsRejectedWithItsReasonAndTheWorkerLivesOn() async throws {
        let pool = try WorkerTestKit.pool()
        try await withTemporaryDirectory { folder in
            try BadFileFixtures.writeHugeTIFFHeader(to: "\(folder)/huge.tif")
            do {
                _ = try await pool.readPage(1, of: "\(folder)/huge.tif")
                Issue.record("a 200000x200000 TIFF was read")
            } catch let error as PageWorkerFailure {
                guard case .rejected(let pageError) = error else {
                    Issue.record("unexpected \(error)")
                    return
                }
                #expect(pageError.reason == .imageTooLarge && pageError.limit == 20_000)
            }
            let before = pool.runningPages
            #expect(before.isEmpty)
            try WorkerTestKit.writeFax(to: "\(folder)/good.tif", pages: 1)
            #expect(try await pool.pageCount(of: "\(folder)/good.tif") == 1)
        }
    }

    /// A worker killed mid-page (SIGKILL from outside, as the kernel's OOM killer would): the death is
    /// reported with its page and cause, and the next page gets a fresh worker.
    @Test func aWorkerKilledMidPageIsAttributedAndReplaced() async throws {
        try await withTemporaryDirectory { folder in
            let path = "\(folder)/fax.tif"
            try WorkerTestKit.writeFax(to: path, pages: 1)
            // In a full parallel test run the page is now and then never seen running (the read ends or starts
            // late); such a try proves nothing either way, so it is made again with a fresh pool, three times.
            var observed: (PageWorkerPool, Task<Result<PageText, PageWorkerFailure>, Never>)?
            for _ in 0..<3 where observed == nil {
                let pool = try WorkerTestKit.pool()
                let reading = Task { () -> Result<PageText, PageWorkerFailure> in
                    do throws(PageWorkerFailure) { return .success(try await pool.readPage(1, of: path)) } catch { return .failure(error) }
                }
                if let running = try? await WorkerTestKit.runningPage(of: pool, path: path) {
                    kill(running.processID, SIGKILL)
                    observed = (pool, reading)
                } else {
                    _ = await reading.value
                }
            }
            let (pool, reading) = try #require(observed, "no worker was seen on the page in three tries")
            guard case .failure(.died(let death)) = await reading.value else {
                Issue.record("the page survived its worker")
                return
            }
            #expect(death.page == 1)
            #expect(death.cause.contains("SIGKILL"))
            let again = try await pool.readPage(1, of: path)
            #expect(again.source == .ocr)
            #expect(pool.runningPages.isEmpty)
        }
    }

    /// A worker that dies while idle is replaced before the next page: its death is no file's fault.
    @Test func aWorkerKilledWhileIdleIsNotBlamedOnTheNextFile() async throws {
        let pool = try WorkerTestKit.pool()
        let idle = try #require(pool.processIDs.first)
        kill(idle, SIGKILL)
        try await Task.sleep(for: .milliseconds(100))
        let text = try await pool.readPage(1, of: HostileCorpus.folder + "/good-uncompressed.tif")
        #expect(text.source == .blank)
        #expect(pool.processIDs.count == 1 && pool.processIDs.first != idle)
    }

    @Test func anIdleWorkerStopsAndTheNextPageStartsAFreshOne() async throws {
        var configuration = try WorkerTestKit.configuration()
        configuration.idleSeconds = 0.3
        let pool = try WorkerTestKit.pool(configuration: configuration)
        let first = try #require(pool.processIDs.first)
        for _ in 0..<50 where !pool.processIDs.isEmpty { try await Task.sleep(for: .milliseconds(100)) }
        #expect(pool.processIDs.isEmpty)
        #expect(kill(first, 0) != 0, "the idle worker is gone")
        #expect(try await pool.readPage(1, of: HostileCorpus.folder + "/good-uncompressed.tif").source == .blank)
    }

    @Test func aWorkerOverItsDeadlineIsKilledAndTheDeathNamesTheDeadline() async throws {
        let pool = try WorkerTestKit.pool(configuration: WorkerTestKit.configuration(replyDeadline: .milliseconds(50)))
        try await withTemporaryDirectory { folder in
            let path = "\(folder)/fax.tif"
            try WorkerTestKit.writeFax(to: path, pages: 1)
            do {
                _ = try await pool.readPage(1, of: path)
                Issue.record("a page was read within 50 ms")
            } catch let error as PageWorkerFailure {
                guard case .died(let death) = error else {
                    Issue.record("unexpected \(error)")
                    return
                }
                #expect(death.page == 1 && death.cause == "missed its deadline")
            }
        }
    }

    /// The backstop for a decoder that allocates more than anyone checked: the worker, not the daemon, runs
    /// out of address space, the death is attributed to the page, and a fresh worker reads the next one.
    @Test func aWorkerOverItsAddressSpaceDiesAloneAndThePoolLivesOn() async throws {
        try await withTemporaryDirectory { folder in
            // 100 megapixels, allowed by this pool's page limits: a few KB of G4, 100 MB once decoded.
            let path = "\(folder)/large.tif"
            let white = PageImage(
                width: 10_000, height: 10_000, dpiX: 400, dpiY: 400, pixels: [UInt8](repeating: 255, count: 100_000_000)
            )
            try TIFFFixtureWriter.write([white], to: path, options: .faxG4)
            var configuration = try WorkerTestKit.configuration(addressSpaceBytes: 360 << 20)
            configuration.limits.maxPixelsPerPage = 200_000_000
            // An idle worker has about 300 MB of address space mapped (engines, threads, malloc arenas).
            let pool = try WorkerTestKit.pool(configuration: configuration)
            do {
                let text = try await pool.readPage(1, of: path)
                Issue.record("read within 360 MB of address space: \(text.width)x\(text.height)")
            } catch let error as PageWorkerFailure {
                guard case .died(let death) = error else {
                    Issue.record("unexpected \(error)")
                    return
                }
                #expect(death.page == 1)
            }
            #expect(try await pool.readPage(1, of: HostileCorpus.folder + "/good-uncompressed.tif").source == .blank)
        }
    }

    @Test func theSandboxRefusesNetworkExecAndWrites() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: PageWorkerExecutable.path())
        process.arguments = ["page-worker", "--check-sandbox"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        let lines = text.split(separator: "\n").map(String.init)
        for operation in ["socket", "exec", "fork", "write-file", "create-file", "unlink", "ptrace", "kill-other"] {
            #expect(lines.contains("\(operation): refused"), "\(operation) in \(text)")
        }
        #expect(lines.contains("read-file: allowed"))
        #expect(lines.contains("thread: allowed"))
    }
}
