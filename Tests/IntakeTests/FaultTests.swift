import FileroomModel
import Foundation
import Logging
import ServiceLifecycle
import ServiceLifecycleTestKit
import Settings
import Store
import Synchronization
import TestSupport
import Testing

@testable import Intake

/// The defects an adversarial run of the daemon found (issue 12), each reproduced first.
@Suite("Intake under faults: every file final, nothing blocks, nothing leaks")
struct FaultTests {
    static let omar = TestInstallation.omar

    /// An engine over the installation's store and settings whose page stage fails on purpose, with short backoff.
    static func faultyEngine(
        _ installation: TestInstallation, _ fault: FaultyPageStage.Fault
    ) throws -> (IntakeEngine, FaultyPageStage) {
        let stage = FaultyPageStage(base: installation.runtime.engine.pageStage, fault: fault)
        let engine = IntakeEngine(
            settings: installation.settings, store: installation.store, pageStage: stage,
            logger: installation.log.logger(), today: try #require(CalendarDate(year: 2026, month: 11, day: 27)),
            retries: RetrySchedule(firstDelay: .milliseconds(10), maximumDelay: .milliseconds(40))
        )
        return (engine, stage)
    }

    // MARK: Defect 3: a sidecar that is a FIFO or a symlink to /dev/zero

    @Test func aSidecarThatIsAFIFOOrASymlinkToDevZeroNeitherBlocksNorFloodsTheClaim() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await TestInstallation.make(home: home)
            let spool = installation.settings.spool
            try installation.drop([MedicalFaxFixtures.pathologyPage(Self.omar)], as: "fifo.pdf")
            try installation.drop([MedicalFaxFixtures.radiologyPage(Self.omar)], as: "zero.pdf")
            #expect(mkfifo("\(spool)/fifo.pdf.meta.json", 0o600) == 0)
            #expect(symlink("/dev/zero", "\(spool)/zero.pdf.meta.json") == 0)
            // Before the fix the FIFO blocked the claim for ever: a claim that does not return within 10 s fails.
            let claimed = try await withThrowingTaskGroup(of: Int.self) { group in
                group.addTask {
                    var count = 0
                    for name in ["fifo.pdf", "zero.pdf"] {
                        if try await installation.runtime.engine.claim(spoolName: name) != nil { count += 1 }
                    }
                    return count
                }
                group.addTask {
                    try await Task.sleep(for: .seconds(10))
                    return -1
                }
                let first = try await group.next() ?? -1
                group.cancelAll()
                return first
            }
            #expect(claimed == 2)
            let sources = try await installation.sourcesByName()
            #expect(sources["fifo.pdf"]?.sidecar == nil)
            #expect(sources["zero.pdf"]?.sidecar == nil)
        }
    }

    @Test func anOversizedSidecarIsIgnored() throws {
        try withTemporaryDirectory { folder in
            let path = "\(folder)/big.meta.json"
            try Data(repeating: 0x20, count: IntakeEngine.maximumSidecarBytes + 1).write(to: URL(fileURLWithPath: path))
            #expect(DurableFiles.readSmallRegularFile(path, maxBytes: IntakeEngine.maximumSidecarBytes) == nil)
            try Data(#"{"sender_fax": "6085550141"}"#.utf8).write(to: URL(fileURLWithPath: path))
            #expect(DurableFiles.readSmallRegularFile(path, maxBytes: IntakeEngine.maximumSidecarBytes) != nil)
        }
    }

    // MARK: Defect 4: a 14400-point page

    @Test func aTextPDFWithA14400PointPageReachesAFinalState() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await TestInstallation.make(home: home)
            var page = MedicalFaxFixtures.pathologyPage(Self.omar)
            page.heightPoints = 14400
            try installation.drop([page], as: "banner.pdf")
            try await installation.runOnce()
            let source = try #require(try await installation.sourcesByName()["banner.pdf"])
            #expect(source.state.isFinal)
            #expect(source.state != .rejected)
            #expect(!TestInstallation.files(under: installation.settings.filed).filter { $0.hasSuffix(".pdf") }.isEmpty)
        }
    }

    // MARK: Defect 5: retries never end while the daemon runs

    @Test func aTransientFailureIsRetriedPastEightTriesUntilItSucceedsAndShowsWhileItLasts() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await TestInstallation.make(home: home)
            let (engine, stage) = try Self.faultyEngine(installation, .filingDiskFull(times: 12))
            try installation.drop([MedicalFaxFixtures.pathologyPage(Self.omar)], as: "full.pdf")
            let sawRetrying = Recorder<Bool>()
            try await testGracefulShutdown { trigger in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await IntakeLoop(engine: engine, mode: .daemon).run() }
                    // Generous: the whole suite runs in parallel on a shared machine.
                    let filed = try await eventually(seconds: 120) {
                        guard let source = try await installation.store.unfinishedSources().first else {
                            return try await installation.sourcesByName()["full.pdf"]?.state == .filed
                        }
                        if source.retryCount > 0, try await installation.store.counts().retrying == 1 {
                            sawRetrying.append(true)
                        }
                        try await Task.sleep(for: .milliseconds(100))
                        return false
                    }
                    #expect(filed)
                    trigger.triggerGracefulShutdown()
                    try await group.waitForAll()
                }
            }
            #expect(stage.failuresSoFar == 12)
            #expect(!sawRetrying.all.isEmpty)
            let source = try #require(try await installation.sourcesByName()["full.pdf"])
            #expect(source.retryCount == 0)
            #expect(engine.retries.count == 0)
            // The log says why, without the file name the error carried.
            let retries = installation.log.all.filter { $0.contains("source retry") }
            #expect(retries.count == 12)
            #expect(retries.allSatisfy { $0.contains("reason=disk_full") && $0.contains("step=file") })
            #expect(!installation.log.text.contains("Peña"))
            #expect(!installation.log.text.contains("full.pdf"))
        }
    }

    @Test func onceGivesUpOnALastingTransientFailureAndLeavesTheSourceUnfinished() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await TestInstallation.make(home: home)
            let (engine, _) = try Self.faultyEngine(installation, .filingDiskFull(times: 1000))
            try installation.drop([MedicalFaxFixtures.pathologyPage(Self.omar)], as: "full.pdf")
            try await IntakeLoop(engine: engine, mode: .once).run()
            let source = try #require(try await installation.sourcesByName()["full.pdf"])
            #expect(!source.state.isFinal)
            #expect(source.retryCount == RetrySchedule.onceBudget)
            #expect(source.retryReason == "file: disk_full")  // the step and the reason, for status
            #expect(installation.log.text.contains("source left unfinished after retries"))
        }
    }

    // MARK: Defect 8: a 204-byte file name

    @Test func aRejectionWithA204ByteFileNameKeepsItsReasonItsReportAndNoWorkFolder() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await TestInstallation.make(home: home)
            let name = String(repeating: "ñ", count: 100) + ".tif"
            #expect(name.utf8.count == 204)
            try BadFileFixtures.writeTextFile(to: "\(installation.settings.spool)/\(name)")
            try await installation.runOnce()
            let source = try #require(try await installation.sourcesByName()[name])
            #expect(source.state == .rejected)
            #expect(source.rejectReason == "not_a_tiff")
            let quarantined = TestInstallation.files(under: installation.settings.quarantine)
            let report = try #require(quarantined.first { $0.hasSuffix(".error.json") })
            let json = try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: "\(installation.settings.quarantine)/\(report)"))
            ) as? [String: Any]
            #expect(json?["file"] as? String == name)
            #expect(json?["reason"] as? String == "not_a_tiff")
            #expect(quarantined.count == 2)
            #expect(quarantined.allSatisfy { $0.utf8.count + ".tmp-4194304-4294967295".utf8.count < 255 })
            #expect(TestInstallation.files(under: installation.settings.work).isEmpty)
            #expect(DurableFiles.listDirectory(installation.settings.work).isEmpty)
            #expect(installation.runtime.engine.counters.snapshot.rejected == 1)
        }
    }

    // MARK: Defect 12: smaller ones

    @Test func onceStopsWithAnErrorWhileALockedFileNeverSettles() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await TestInstallation.make(home: home, settle: 0)
            let path = "\(installation.settings.spool)/receiving.tif"
            try Data("II*\0".utf8).write(to: URL(fileURLWithPath: path))
            let holder = Process()
            holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
            // -o: the lock stays with flock itself (not the sleep it runs), so terminating it ends the lock; a long
            // sleep keeps the file locked however slowly a loaded machine gets to the loop.
            holder.arguments = ["-o", path, "sleep", "120"]
            try holder.run()
            defer { holder.terminate() }
            try await Task.sleep(for: .milliseconds(300))
            await #expect(throws: IntakeLoopError.self) {
                try await IntakeLoop(engine: installation.runtime.engine, mode: .once, unsettledGrace: .seconds(1)).run()
            }
            #expect(try await installation.sourcesByName()["receiving.tif"] == nil)
        }
    }

    @Test func fifosFoldersAndSymlinksInTheSpoolAreCountedByKindAndNeverBlock() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await TestInstallation.make(home: home)
            let spool = installation.settings.spool
            #expect(mkfifo("\(spool)/pipe.tif", 0o600) == 0)
            try FileManager.default.createDirectory(atPath: "\(spool)/folder.tif", withIntermediateDirectories: false)
            #expect(symlink("/dev/zero", "\(spool)/link.tif") == 0)
            try BadFileFixtures.writeTextFile(to: "\(spool)/incoming.pdf.part")
            try installation.drop([MedicalFaxFixtures.pathologyPage(Self.omar)], as: "good.pdf")
            try await installation.runOnce()
            let census = SpoolScanner.census(spoolPath: spool)
            #expect(census.waiting == 0)
            #expect(census.ignored == [.fifo: 1, .folder: 1, .symlink: 1, .inProgress: 1])
            #expect(census.ignoredSummary == "fifo=1 folder=1 symlink=1 in_progress=1")
            #expect(try await installation.sourcesByName().keys.sorted() == ["good.pdf"])
            let notices = installation.log.all.filter { $0.contains("spool entry ignored") }
            #expect(notices.count == 4)
            #expect(!notices.contains { $0.contains("pipe.tif") || $0.contains("link.tif") || $0.contains("folder.tif") })
        }
    }

    @Test func aFileBesideItsLockFileWaitsUntilTheLockGoes() throws {
        try withTemporaryDirectory { spool in
            var scanner = SpoolScanner(spoolPath: spool, settleSeconds: 0)
            try Data("II*\0".utf8).write(to: URL(fileURLWithPath: "\(spool)/fax.tif"))
            try Data().write(to: URL(fileURLWithPath: "\(spool)/fax.tif.lock"))
            #expect(try scanner.claimable(now: 1).isEmpty)
            try FileManager.default.removeItem(atPath: "\(spool)/fax.tif.lock")
            #expect(try scanner.claimable(now: 2) == ["fax.tif"])
        }
    }

    @Test func everyEmptyFileIsRejectedAsEmptyNotAsADuplicate() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await TestInstallation.make(home: home)
            for index in 1...3 { try BadFileFixtures.writeEmpty(to: "\(installation.settings.spool)/empty\(index).tif") }
            try await installation.runOnce()
            let sources = try await installation.sourcesByName()
            #expect(sources.count == 3)
            #expect(sources.values.allSatisfy { $0.state == .rejected && $0.rejectReason == "empty_file" }, "\(sources.values.map { ($0.state, $0.rejectReason ?? "-", $0.errorMessage ?? "-") })")
        }
    }

    @Test func ingestRefusesDevZeroAFIFOAndAFolderWithoutMakingASource() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await TestInstallation.make(home: home)
            let fifo = "\(home)/pipe.pdf"
            #expect(mkfifo(fifo, 0o600) == 0)
            for path in ["/dev/zero", fifo, home] {
                do {
                    _ = try await installation.runtime.engine.claim(copying: path)
                    Issue.record("\(path) was claimed")
                } catch {
                    let failure = error as? IntakeFailure
                    #expect(failure?.reason == "not_a_regular_file")
                    #expect(failure?.isTransient == false)
                }
            }
            #expect(DurableFiles.listDirectory(installation.settings.work).isEmpty)
            #expect(try await installation.store.export().isEmpty)
        }
    }

    @Test(.enabled(if: ScratchMount.isAvailable, "needs root to mount a small tmpfs"))
    func aFullDiskAtClaimLeavesNoWorkFolderAndLogsWhyWithoutTheName() async throws {
        let mount = try #require(ScratchMount.make(sizeKiB: 1024))
        defer { mount.remove() }
        let installation = try await TestInstallation.make(home: "\(mount.path)/home")
        try installation.drop([MedicalFaxFixtures.pathologyPage(Self.omar)], as: "Peña_Müller.pdf")
        let filler = fillFileSystem(at: mount.path)
        do {
            _ = try await installation.runtime.engine.claim(spoolName: "Peña_Müller.pdf")
            Issue.record("the claim succeeded on a full disk")
        } catch {
            #expect(error.reason == "disk_full")
            #expect(error.isTransient)
            #expect(!error.description.contains("Peña"))
        }
        #expect(DurableFiles.listDirectory(installation.settings.work).isEmpty)
        #expect(FileManager.default.fileExists(atPath: "\(installation.settings.spool)/Peña_Müller.pdf"))
        try FileManager.default.removeItem(atPath: filler)
        #expect(try await installation.runtime.engine.claim(spoolName: "Peña_Müller.pdf") != nil)
    }

    // MARK: Defect 7: the watchdog measures progress, not loop liveness

    @Test func theWatchdogIsNotFedWhileSourcesHangWithoutProgress() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await TestInstallation.make(home: home)
            let (engine, _) = try Self.faultyEngine(installation, .readHangs)
            try installation.drop([MedicalFaxFixtures.pathologyPage(Self.omar)], as: "hang.pdf")
            let passes = Recorder<Bool>()
            try await testGracefulShutdown { trigger in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        try await IntakeLoop(engine: engine, mode: .daemon, stallAfter: .milliseconds(600)) { healthy in
                            passes.append(healthy)
                        }.run()
                    }
                    let stalled = await eventually(seconds: 15) { passes.all.contains(false) }
                    #expect(stalled)
                    trigger.triggerGracefulShutdown()
                    try await group.waitForAll()
                }
            }
            // Healthy while idle at the start, then not once the read hung past the stall limit.
            #expect(passes.all.first == true)
            #expect(installation.log.text.contains("no progress"))
        }
    }

    @Test func aTaskLimitBelowWhatTheWorkersNeedIsRefusedNamingBothFigures() throws {
        // The adversarial run: 40 workers under TasksMax=64 hung 22 sources without a word.
        let problem = try #require(TaskBudget.check(workers: 40, limit: 64))
        #expect(problem.contains("workers=40"))
        #expect(problem.contains("64"))
        #expect(TaskBudget.check(workers: 64, limit: 512, cores: 64) == nil)
        #expect(TaskBudget.check(workers: 4, limit: nil) == nil)
    }

    @Test func theHeartbeatAndStatusShowRetriesAndIgnoredSpoolEntries() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await TestInstallation.make(home: home)
            let engine = installation.runtime.engine
            _ = engine.retries.schedule("src_waiting", reason: "disk_full")
            #expect(mkfifo("\(installation.settings.spool)/pipe.tif", 0o600) == 0)
            await Heartbeat(engine: engine, interval: .seconds(60)).beat()
            let beat = try #require(installation.log.all.last { $0.contains("heartbeat") })
            #expect(beat.contains("retrying=1"))
            // The same beat rewrites the node_exporter textfile with the retry level.
            let metrics = try String(contentsOfFile: installation.settings.metricsFile, encoding: .utf8)
            #expect(metrics.contains("fileroom_sources_retrying 1"))
            #expect(beat.contains("retrying.oldest_since="))
            #expect(beat.contains("spool.ignored=fifo:1"))
            guard let binary = FileroomBinary.path else { return }
            let output = Pipe()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["status", "--home", home]
            process.standardOutput = output
            try process.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(text.contains("spool      waiting=0 ignored: fifo=1"))
        }
    }
}
