import FileroomModel
import Foundation
@testable import Intake
import Logging
import PageWorkers
import Settings
import Store
import Testing
import TestSupport

/// A runtime that is let go takes its page worker processes with it: a test (or a command) that builds one and
/// drops it leaves no reader alive behind it.
@Suite("Runtime lifetime", .serialized)
struct RuntimeLifetimeTests {
    @Test(.enabled(if: PageWorkerExecutable.path().hasSuffix("/fileroom"), "needs the built fileroom binary"))
    func aRuntimeLetGoStopsItsPageWorkers() async throws {
        try await withTemporaryDirectory { home in
            let processes = try await Self.runOnceWithWorkers(home: home)
            #expect(!processes.isEmpty)
            let giveUp = ContinuousClock.now + .seconds(10)
            while processes.contains(where: Self.isAlive), ContinuousClock.now < giveUp {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(!processes.contains(where: Self.isAlive), "page workers outlived their runtime")
        }
    }

    /// Builds a runtime reading pages in worker processes, processes one fax, and lets the runtime go.
    static func runOnceWithWorkers(home: String) async throws -> [Int32] {
        var settings = FileroomSettings(home: home, homeOrigin: .flag)
        settings.settleSeconds = 0
        settings.workers = 1
        settings.pages.isolation = .workers
        let runtime = try IntakeRuntime.start(
            settings: settings, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() },
            today: CalendarDate(year: 2026, month: 11, day: 27)
        )
        _ = try await runtime.store.upsertCases(FixtureCases.standard, actor: "test")
        try MedicalFaxFixtures.write([MedicalFaxFixtures.radiologyPage(TestPatient.omar)], to: "\(settings.spool)/fax.pdf")
        try await IntakeLoop(engine: runtime.engine, mode: .once).run()
        #expect(try await runtime.store.export().first?.status == "processed")
        return try #require(runtime.engine.pageStage as? WorkerPageStage).pool.processIDs
    }

    /// Running or a zombie nobody reaped: either way still there.
    static func isAlive(_ pid: Int32) -> Bool {
        FileManager.default.fileExists(atPath: "/proc/\(pid)")
    }
}
