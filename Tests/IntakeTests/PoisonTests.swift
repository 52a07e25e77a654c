import FileroomModel
import Foundation
import Intake
import Logging
import OCR
import PageWorkers
import Pages
import Settings
import Store
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// An installation whose page stage is a pool of real page workers the test can reach into.
private struct WorkerInstallation {
    let settings: FileroomSettings
    let runtime: IntakeRuntime
    let pool: PageWorkerPool
    var store: SQLiteStore {
        // The test installations run on the embedded store.
        guard let store = runtime.sqliteStore else { preconditionFailure("test runtime without a SQLite store") }
        return store
    }

    static func make(home: String, replyDeadline: Duration? = nil) async throws -> WorkerInstallation {
        var settings = FileroomSettings(home: home, homeOrigin: .flag)
        settings.settleSeconds = 0
        settings.workers = 1
        settings.heartbeatSeconds = 3600
        let tessdata = try Tessdata.locate(languages: ["eng", "osd"])
        let pool = try PageWorkerPool(
            configuration: PageWorkerConfiguration(
                recognition: RecognitionOptions(), tessdata: tessdata.path, limits: .default,
                pageTimeLimit: .seconds(60), replyDeadline: replyDeadline
            ),
            workers: 1, executable: PageWorkerExecutable.path(), logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        )
        let runtime = try IntakeRuntime.start(
            settings: settings, logger: CapturedLog().logger(), pageStage: WorkerPageStage(pool: pool),
            today: CalendarDate(year: 2026, month: 11, day: 27)
        )
        _ = try await runtime.store.upsertCases(FixtureCases.standard, actor: "test")
        return WorkerInstallation(settings: settings, runtime: runtime, pool: pool)
    }

    /// A one-page fax that needs OCR (a second or more in a worker).
    func dropScannedFax(as name: String) throws {
        let page = try FaxFixture.page(FaxFixture.reportLines, geometry: .faxFine)
        try TIFFFixtureWriter.write([page], to: "\(settings.spool)/\(name)", options: .faxG4)
    }
}

private var workersAvailable: Bool { PageWorkerExecutable.path().hasSuffix("/fileroom") }

@Suite("Poison: only a file that kills two page workers is quarantined", .serialized)
struct PoisonTests {
    @Test(.enabled(if: workersAvailable, "needs the built fileroom binary"))
    func aFileThatKillsTwoWorkersIsQuarantinedAsPoison() async throws {
        try await withTemporaryDirectory { home in
            // A reply deadline no OCR'd page can meet: each attempt at the page kills its worker.
            let installation = try await WorkerInstallation.make(home: home, replyDeadline: .milliseconds(50))
            try installation.dropScannedFax(as: "killer.tif")
            let engine = installation.runtime.engine
            let source = try #require(try await engine.claim(spoolName: "killer.tif"))
            let final = try await engine.process(sourceID: source.id)
            #expect(final == .rejected)
            let record = try #require(try await installation.store.source(source.id))
            #expect(record.rejectReason == "poison")
            let deaths = try await installation.store.workerDeaths(of: source.id)
            #expect(deaths.map(\.page) == [1, 1])
            #expect(deaths.allSatisfy { $0.cause == "missed its deadline" })
            let exported = try #require(try await installation.store.export().first)
            #expect(exported.status == "rejected")
            #expect(exported.error?.hasPrefix("poison") == true)
            #expect(exported.error?.contains("page 1: missed its deadline") == true)
            let quarantined = TestInstallation.files(under: installation.settings.quarantine)
            #expect(quarantined.contains { $0.hasSuffix("killer.tif") })
            #expect(quarantined.contains { $0.hasSuffix("killer.tif.error.json") })
        }
    }

    /// Issue 12: a worker killed mid-page (the OOM killer, an operator): the daemon carries on and the file
    /// completes; one death is recorded and is not poison.
    @Test(.enabled(if: workersAvailable, "needs the built fileroom binary"))
    func aWorkerKilledMidPageLeavesTheFileToComplete() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await WorkerInstallation.make(home: home)
            try installation.dropScannedFax(as: "scan.tif")
            let engine = installation.runtime.engine
            let source = try #require(try await engine.claim(spoolName: "scan.tif"))
            async let processing = engine.process(sourceID: source.id)
            var victim: PageWorkerPool.RunningPage?
            // Starting a worker and opening the file can take seconds on a loaded machine: wait up to a minute.
            let giveUp = ContinuousClock.now + .seconds(60)
            while victim == nil, ContinuousClock.now < giveUp {
                victim = installation.pool.runningPages.first { $0.page != nil }
                if victim == nil { try await Task.sleep(for: .milliseconds(10)) }
            }
            let running = try #require(victim)
            kill(running.processID, SIGKILL)
            let final = try await processing
            #expect(final != nil && final != .rejected)
            let record = try #require(try await installation.store.source(source.id))
            #expect(record.deaths == 1)
            #expect(try await installation.store.workerDeaths(of: source.id).first?.cause.contains("SIGKILL") == true)
            #expect(try await installation.store.export().first?.status == "processed")
        }
    }

    /// Issue 12 check: kill -9 of the daemon at random moments never quarantines a good fax. Kept short here (5
    /// kills); `scripts/kill-test.sh` runs the full check (16 kills 0.3-8 s apart over 150 faxes, against an
    /// uninterrupted run of the same spool).
    @Test(.enabled(if: FileroomBinary.path != nil, "needs the built fileroom binary"))
    func killingTheDaemonNeverPoisonsAGoodFax() async throws {
        let (base, home) = try await ProcessTests.prepareHome()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let spool = "\(home)/spool"
        try ProcessTests.fillSpool(spool, count: 8)
        try FileManager.default.removeItem(atPath: "\(spool)/empty.tif")
        var generator = SystemRandomNumberGenerator()
        for round in 0..<5 {
            let daemon = try FileroomBinary.start(["daemon"], home: home, stderr: "\(base)/kill-\(round).log")
            try await Task.sleep(for: .milliseconds(Int64.random(in: 300...2500, using: &generator)))
            kill(daemon.processIdentifier, SIGKILL)
            daemon.waitUntilExit()
        }
        let finisher = try FileroomBinary.start(["daemon", "--once"], home: home, stderr: "\(base)/once.log")
        finisher.waitUntilExit()
        #expect(finisher.terminationStatus == 0)
        let store = try SQLiteStore(path: "\(home)/fileroom.db")
        let exported = try await store.export()
        #expect(exported.count == 11)
        #expect(exported.allSatisfy { $0.status == "processed" }, "\(exported.filter { $0.status != "processed" }.map { "\($0.file): \($0.error ?? $0.status)" })")
        // Workers die with the daemon (PR_SET_PDEATHSIG), so no orphan reads on.
        try await Task.sleep(for: .milliseconds(200))
        #expect(!orphanWorkerExists(home: home))
    }

    /// Issue 12: a 1 s OCR page time limit killed the daemon (SIGILL in the decoder's teardown) in 3 of 3 runs.
    @Test(
        .enabled(if: FileroomBinary.path != nil, "needs the built fileroom binary"),
        arguments: ["in-process", "workers"]
    )
    func aOneSecondOCRTimeLimitEndsEveryFileWithoutACrash(isolation: String) async throws {
        let (base, home) = try await ProcessTests.prepareHome()
        defer { try? FileManager.default.removeItem(atPath: base) }
        for index in 0..<2 {
            let pages = try (0..<3).map { page in
                try FaxFixture.page(FaxFixture.reportLines + ["Block \(index)-\(page)"], geometry: .faxFine)
            }
            try TIFFFixtureWriter.write(pages, to: "\(home)/spool/long_\(index).tif", options: .faxG4)
        }
        setenv("FILEROOM_PAGES_OCR_PAGE_TIMEOUT_SECONDS", "1", 1)
        setenv("FILEROOM_PAGES_ISOLATION", isolation, 1)
        defer {
            unsetenv("FILEROOM_PAGES_OCR_PAGE_TIMEOUT_SECONDS")
            unsetenv("FILEROOM_PAGES_ISOLATION")
        }
        let daemon = try FileroomBinary.start(["daemon", "--once"], home: home, stderr: "\(base)/once.log")
        daemon.waitUntilExit()
        #expect(daemon.terminationReason == .exit)
        #expect(daemon.terminationStatus == 0)
        let exported = try await SQLiteStore(path: "\(home)/fileroom.db").export()
        #expect(exported.count == 2)
        #expect(exported.allSatisfy { ["processed", "rejected"].contains($0.status) })
        #expect(exported.allSatisfy { $0.status == "processed" || $0.error?.contains("ocr_failed") == true })
    }
}

/// Whether a page worker started for `home` is still alive (its environment names the home).
private func orphanWorkerExists(home: String) -> Bool {
    guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return false }
    for entry in entries where Int32(entry) != nil {
        guard let command = try? String(contentsOfFile: "/proc/\(entry)/cmdline", encoding: .utf8),
              command.contains("page-worker"),
              let environment = try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(entry)/environ"))
        else { continue }
        if String(decoding: environment, as: UTF8.self).contains(home) { return true }
    }
    return false
}
