import Foundation
@testable import Intake
import Review
import Settings
import Store
import TestSupport
import Testing

@testable import FileroomCommands

#if canImport(Glibc)
import Glibc
#endif

/// Issue 14, item 6: every command opens its installation through one factory (`Installation`) and ends through
/// one exit-status map (`ExitStatus.of`), so the same failure stops every command with the same line and status.
@Suite("one way to open an installation")
struct InstallationFactoryTests {
    /// Every top-level command that reads a configuration, with arguments that get it past parsing. A command added
    /// to `fileroom` without a line here fails `theListCoversEveryCommand`.
    static func commands(_ folder: String) throws -> [[String]] {
        let fax = folder + "/fax.pdf"
        try MedicalFaxFixtures.write([MedicalFaxFixtures.radiologyPage(.omar)], to: fax)
        let empty = folder + "/empty.csv"
        try Data("case_id\n".utf8).write(to: URL(fileURLWithPath: empty))
        return [
            ["daemon", "--once"], ["ingest", fax], ["status"], ["export"], ["check"], ["backup", folder + "/copy"],
            ["pages", fax], ["extract", fax], ["match"], ["cases", "list"], ["cases", "import", empty],
            ["cases", "show", "SO-1"], ["review", "list"], ["review", "show", "q_1"], ["queue", "list", "pathology"],
            ["audit", "verify"], ["audit", "list"],
        ]
    }

    /// Commands that open no installation: help, the benchmarks (synthetic data in homes of their own), the page
    /// worker (the daemon's child), and `evaluate`, which reads the named files before anything else.
    static let withoutInstallation: Set<String> = ["help", "bench", "page-worker", "evaluate"]

    @Test func theListCoversEveryCommand() throws {
        let help = try ReviewInstallation.runBinary(["--help"])
        // "  name   abstract": two spaces, then the name; wrapped abstracts are indented further.
        let listed = (help.stdout.components(separatedBy: "SUBCOMMANDS:").last ?? "").split(separator: "\n")
            .filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }
            .compactMap { $0.split(separator: " ").first.map(String.init) }
        #expect(listed.count > 10, "\(help.stdout)")
        let covered = Set(try withTemporaryDirectory { try Self.commands($0) }.map { $0[0] })
        for command in listed where command != "See" {
            #expect(covered.contains(command) || Self.withoutInstallation.contains(command), "\(command)")
        }
    }

    @Test func everyCommandStopsAlikeOnABrokenConfiguration() throws {
        try withTemporaryDirectory { folder in
            let config = folder + "/fileroom.toml"
            try Data("workers = \"many\"\n".utf8).write(to: URL(fileURLWithPath: config))
            let home = folder + "/home"
            var lines: Set<String> = []
            for arguments in try Self.commands(folder) {
                let run = try ReviewInstallation.runBinary(arguments + ["--home", home, "--config", config])
                #expect(run.status == 2, "\(arguments): \(run.stderr)")
                #expect(run.stdout.isEmpty, "\(arguments): \(run.stdout)")
                lines.insert(run.stderr)
            }
            #expect(lines == ["fileroom: bad value 'many' for workers (from \(config) key workers): expected a whole number from 1 to 256\n"])
            // Nothing was created before the configuration was known to be good.
            #expect(!FileManager.default.fileExists(atPath: home))
        }
    }

    @Test func everyStoreCommandStopsAlikeOnADamagedDatabase() throws {
        try withTemporaryDirectory { folder in
            let home = folder + "/home"
            try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
            try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: home + "/fileroom.db"))
            var lines: Set<String> = []
            for arguments in try Self.commands(folder) where !["pages", "extract", "daemon", "ingest"].contains(arguments[0]) {
                let run = try ReviewInstallation.runBinary(arguments + ["--home", home], input: "{}\n")
                #expect(run.status == 2, "\(arguments): \(run.stderr)")
                lines.insert(run.stderr)
            }
            #expect(lines.count == 1, "\(lines)")
            #expect(lines.first?.hasPrefix("fileroom: ") == true && lines.first?.contains("fileroom.db") == true, "\(lines)")
            // The daemon's start-up checks say the same and name the fix.
            let daemon = try ReviewInstallation.runBinary(["daemon", "--once", "--home", home])
            #expect(daemon.status == 2)
            #expect(daemon.stderr.hasPrefix("fileroom: cannot start: database") && daemon.stderr.contains("backup"), "\(daemon.stderr)")
        }
    }

    @Test func theMapGivesEachFailureItsStatus() {
        #expect(ExitStatus.of(CommandFailure.failed("no case X")) == (1, "fileroom: no case X"))
        #expect(ExitStatus.of(CommandFailure.quietlyFailed) == (1, nil))
        #expect(ExitStatus.of(CommandFailure.quietlyUnfinished) == (3, nil))
        #expect(ExitStatus.of(CommandFailure.cannotRun("x")).status == 2)
        #expect(ExitStatus.of(ReviewRefusal("no item q_1")) == (1, "fileroom: no item q_1"))
        #expect(ExitStatus.of(SettingsError.instanceLocked(lock: "/h/fileroom.lock", pid: 7)).status == 1)
        #expect(ExitStatus.of(SettingsError.notWritable(path: "/h")).status == 2)
        #expect(ExitStatus.of(IntakeStartupError(description: "locked", exitCode: 1)) == (1, "fileroom: cannot start: locked"))
        #expect(ExitStatus.of(IntakeStartupError(description: "no tessdata")).status == 2)
        #expect(ExitStatus.of(StoreError.busy("locked")).status == 2)
    }

    @Test func matchDecidesWithTheConfiguredThresholds() throws {
        try withTemporaryDirectory { folder in
            let fields = #"{"patient_last":"Brandvold","patient_first":"Harold","dob":"1948-09-17"}"# + "\n"
            let base = ["match", "--json", "--cases", ReadmeCommandsTests.casesCSV, "--home", folder + "/home"]
            let standard = try ReviewInstallation.runBinary(base, input: fields)
            #expect(standard.status == 0 && standard.stdout.contains(#""status":"filed""#), "\(standard.stdout)")
            let strict = folder + "/strict.toml"
            try Data("[match]\nauto_file_threshold = 1.0\n".utf8).write(to: URL(fileURLWithPath: strict))
            let configured = try ReviewInstallation.runBinary(base + ["--config", strict], input: fields)
            #expect(configured.status == 0 && configured.stdout.contains(#""status":"review""#), "\(configured.stdout)")
            #expect(!FileManager.default.fileExists(atPath: folder + "/home"), "match creates no home")
        }
    }

    /// A staff member who is neither root nor the home's owner is told whom to run the command as, instead of a
    /// bare "not writable".
    @Test func someoneElsesHomeNamesItsOwner() throws {
        guard geteuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else {
            print("skipped: needs root and setpriv")
            return
        }
        try withTemporaryDirectory { folder in
            chmod(folder, 0o755)
            let home = folder + "/home"
            #expect(mkdir(home, 0o750) == 0)
            chown(home, 0, 65534)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            process.arguments = [
                "--reuid=65534", "--regid=65534", "--clear-groups", "--", try ReviewInstallation.binaryPath(),
                "status", "--home", home,
            ]
            let stderr = Pipe()
            process.standardError = stderr
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let message = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 2)
            #expect(message == "fileroom: \(home) belongs to root, and only root can change it: run the command as that user (sudo -u root fileroom ...; README: Operations)\n")
        }
    }
}
