import FileroomModel
import Foundation
import Intake
import Logging
import Settings
import Store
import Synchronization
import TestSupport

/// Log lines captured in memory, so tests can read what ops would see without bootstrapping swift-log.
final class CapturedLog: Sendable {
    private let lines = Mutex<[String]>([])

    var all: [String] { lines.withLock { $0 } }
    var text: String { all.joined(separator: "\n") }

    func logger(level: Logger.Level = .info) -> Logger {
        Logger(label: "test") { [self] label in
            LineLogHandler(label: label, format: .logfmt, level: level) { line in
                self.lines.withLock { $0.append(line) }
            }
        }
    }
}

/// A fresh installation in a temporary folder with the patients of the test faxes as open cases.
struct TestInstallation {
    let settings: FileroomSettings
    let runtime: IntakeRuntime
    let log: CapturedLog

    var store: SQLiteStore {
        // The test installations run on the embedded store.
        guard let store = runtime.sqliteStore else { preconditionFailure("test runtime without a SQLite store") }
        return store
    }

    static let jane = TestPatient.jane
    static let omar = TestPatient.omar
    static let stranger = TestPatient.stranger

    static func make(home: String, settle: Double = 0.2) async throws -> TestInstallation {
        var settings = FileroomSettings(home: home, homeOrigin: .flag)
        settings.settleSeconds = settle
        settings.workers = 1
        // Daemon threads: page workers have suites of their own (PageWorkersTests, PoisonTests, ProcessTests).
        settings.pages.isolation = .inProcess
        settings.heartbeatSeconds = 3600
        let log = CapturedLog()
        let runtime = try IntakeRuntime.start(
            settings: settings, logger: log.logger(), today: CalendarDate(year: 2026, month: 11, day: 27)
        )
        _ = try await runtime.store.upsertCases(FixtureCases.standard, actor: "test")
        return TestInstallation(settings: settings, runtime: runtime, log: log)
    }

    func drop(_ pages: [TextPDFPage], as name: String) throws {
        try MedicalFaxFixtures.write(pages, to: "\(settings.spool)/\(name)")
    }

    func runOnce() async throws {
        try await IntakeLoop(engine: runtime.engine, mode: .once).run()
    }

    /// Every source by original name.
    func sourcesByName() async throws -> [String: SourceRecord] {
        var result: [String: SourceRecord] = [:]
        for state in SourceState.allCases {
            for source in try await store.sources(in: [state]) { result[source.originalName] = source }
        }
        return result
    }

    static func files(under folder: String) -> [String] { regularFiles(under: folder) }
}
