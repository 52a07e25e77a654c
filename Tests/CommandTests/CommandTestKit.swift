import FileroomModel
import Foundation
import Intake
import Logging
import Review
import Settings
import Store
import TestSupport

/// A fresh installation prepared by the real daemon pipeline (text-layer PDF faxes: no OCR), and the built
/// `fileroom` binary to run staff commands against it as a separate process, as staff do.
struct ReviewInstallation {
    let home: String
    let settings: FileroomSettings
    let runtime: IntakeRuntime

    var store: SQLiteStore {
        // The test installations run on the embedded store.
        guard let store = runtime.sqliteStore else { preconditionFailure("test runtime without a SQLite store") }
        return store
    }

    static let jane = TestPatient.jane
    static let omar = TestPatient.omar
    static let stranger = TestPatient.stranger
    /// Jane's name with a birth date that is neither Jane's: never filed on its own, a person decides.
    static let janeUnsure = TestPatient(last: "Whitcombe", first: "Jane", dob: "03/04/1971", mrn: "E7712399")

    static let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    static func make(home: String) async throws -> ReviewInstallation {
        var settings = FileroomSettings(home: home, homeOrigin: .flag)
        settings.settleSeconds = 0
        settings.workers = 1
        // Daemon threads: page workers have suites of their own (PageWorkersTests, PoisonTests, ProcessTests).
        settings.pages.isolation = .inProcess
        settings.heartbeatSeconds = 3600
        let runtime = try IntakeRuntime.start(
            settings: settings, logger: logger, today: CalendarDate(year: 2026, month: 11, day: 27)
        )
        _ = try await runtime.store.upsertCases(FixtureCases.standard, actor: "test")
        return ReviewInstallation(home: home, settings: settings, runtime: runtime)
    }

    func drop(_ pages: [TextPDFPage], as name: String) throws {
        try MedicalFaxFixtures.write(pages, to: "\(settings.spool)/\(name)")
    }

    func runOnce() async throws {
        try await IntakeLoop(engine: runtime.engine, mode: .once).run()
    }

    func desk() -> ReviewDesk {
        ReviewDesk(
            settings: settings, store: store, logger: Self.logger, today: CalendarDate(year: 2026, month: 11, day: 27)
        )
    }

    /// The standard scene: a two-document fax for Jane whose birth date fits no case (review, 2 pages of
    /// pathology + 1 of radiology), a stranger's report (unmatched), Omar's report (filed, radiology queue).
    static func scene(home: String) async throws -> ReviewInstallation {
        let installation = try await make(home: home)
        try installation.drop(
            [MedicalFaxFixtures.pathologyPage(janeUnsure), continuationPage(janeUnsure),
             MedicalFaxFixtures.radiologyPage(janeUnsure)],
            as: "fax_unsure.pdf"
        )
        // The fax server's sidecar: the sender number a confirmation teaches.
        try Data(#"{"sender_fax": "(608) 555-0141"}"#.utf8).write(
            to: URL(fileURLWithPath: "\(installation.settings.spool)/fax_unsure.pdf.meta.json")
        )
        try installation.drop([MedicalFaxFixtures.radiologyPage(stranger)], as: "fax_stranger.pdf")
        try installation.drop([MedicalFaxFixtures.radiologyPage(omar)], as: "fax_omar.pdf")
        try await installation.runOnce()
        return installation
    }

    /// The second page of a pathology report: no title of its own, so it belongs to the report before it.
    static func continuationPage(_ patient: TestPatient) -> TextPDFPage {
        TextPDFPage(lines: FixtureLine.column([
            "Patient Name: \(patient.last.uppercased()), \(patient.first.uppercased())     Accession #: S26-04417",
            "Page 2 of 2",
            "",
            "COMMENT: The findings were discussed with Dr. Whitfield on 10/24/2026.",
            "Margins cannot be assessed on core biopsy material.",
            "",
            "Electronically signed: Alan Prescott, MD, Pathologist  10/24/2026",
        ], top: 80))
    }

    func sourcesByName() async throws -> [String: SourceRecord] {
        var result: [String: SourceRecord] = [:]
        for source in try await store.sources(in: Set(SourceState.allCases)) { result[source.originalName] = source }
        return result
    }

    func openItems(_ kind: QueueKind) async throws -> [QueueItem] {
        try await store.openQueueItems(kind)
    }

    static func files(under folder: String) -> [String] { regularFiles(under: folder) }

    /// Every file under home's document folders, for "nothing changed" checks.
    func documentFiles() -> [String] {
        [settings.filed, settings.review, settings.unmatched].flatMap { folder in
            Self.files(under: folder).map { "\(folder)/\($0)" }
        }
    }

    // MARK: Running the binary

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String

        var lines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty } }
    }

    /// Runs `fileroom ARGS --home HOME` (the option goes after the subcommand path) with `input` on stdin.
    func fileroom(_ arguments: [String], input: String = "") throws -> Run {
        try Self.runBinary(arguments + ["--home", home], input: input)
    }

    static func runBinary(_ arguments: [String], input: String = "") throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try binaryPath())
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "FILEROOM_CONFIG")
        environment.removeValue(forKey: "FILEROOM_HOME")
        environment["USER"] = "tester"
        process.environment = environment
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        // A command that ends before reading its input must not take the test runner down with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        // Read both pipes to the end before waiting, so a chatty command cannot block on a full pipe.
        let group = DispatchGroup()
        // Written only by the reader below, and read only after group.wait() has seen it finish.
        nonisolated(unsafe) var errorData = Data()
        group.enter()
        DispatchQueue.global().async {
            errorData = stderr.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outputData = stdout.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, stdout: String(decoding: outputData, as: UTF8.self),
            stderr: String(decoding: errorData, as: UTF8.self)
        )
    }

    /// The `fileroom` executable built beside this test bundle, or `FILEROOM_BIN` when set (to run the
    /// command tests against a release build: some faults appear only there).
    static func binaryPath() throws -> String {
        if let path = ProcessInfo.processInfo.environment["FILEROOM_BIN"], !path.isEmpty { return path }
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        var folder = URL(fileURLWithPath: executable).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("fileroom").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        throw FixtureError("the fileroom binary is not built beside the tests: run `swift build` first")
    }
}
