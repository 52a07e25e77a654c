import FileroomModel
import Foundation
import Settings
import Store
import TestSupport
import Testing

@testable import Intake

/// Start-up checks: one daemon per home, the database present and sound, the spool beside work.
@Suite("Start-up: one instance per home, a sound database, one file system")
struct StartupTests {
    static func start(_ home: String) throws(IntakeStartupError) -> IntakeRuntime {
        var settings = FileroomSettings(home: home, homeOrigin: .flag)
        settings.workers = 1
        return try IntakeRuntime.start(settings: settings, logger: CapturedLog().logger())
    }

    @Test func aSecondRuntimeOnTheSameHomeIsRefusedNamingTheLockAndThePid() async throws {
        try await withTemporaryDirectory { home in
            let first = try Self.start(home)
            do {
                _ = try Self.start(home)
                Issue.record("a second runtime started on a locked home")
            } catch let error as IntakeStartupError {
                #expect(error.exitCode == 1)
                #expect(error.description.contains("\(home)/fileroom.lock"))
                #expect(error.description.contains("pid \(getpid())"))
            }
            // Staff commands that only read or make audited changes open the store beside it.
            let staff = try SQLiteStore(path: first.settings.database)
            #expect(try await staff.counts().sourcesByState[.claimed] == 0)
            _ = first
        }
    }

    @Test func theLockEndsWithItsHolder() throws {
        try withTemporaryDirectory { home in
            do { _ = try Self.start(home) }
            _ = try Self.start(home)
        }
    }

    @Test(.enabled(if: FileroomBinary.path != nil, "needs the built fileroom binary"))
    func aSecondDaemonProcessExitsOneWithOneLineNamingTheHolder() throws {
        try withTemporaryDirectory { home in
            let holder = try Self.start(home)
            let (status, lines) = try FileroomBinary.runForErrors(
                ["daemon", "--once", "--home", home], environment: ["OMP_THREAD_LIMIT": "1"]
            )
            #expect(status == 1)
            #expect(lines.count == 1)
            #expect(lines.first?.contains("fileroom.lock") == true)
            #expect(lines.first?.contains("pid \(getpid())") == true)
            _ = holder
        }
    }

    @Test func aMissingDatabaseBesideArchivedFaxesIsAnErrorNamingTheFix() async throws {
        try await withTemporaryDirectory { home in
            do {
                let installation = try await TestInstallation.make(home: home)
                try installation.drop([MedicalFaxFixtures.pathologyPage(TestInstallation.omar)], as: "fax.pdf")
                try await installation.runOnce()
            }
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: "\(home)/fileroom.db\(suffix)") }
            do {
                _ = try Self.start(home)
                Issue.record("a home with archived faxes started with an empty new database")
            } catch let error as IntakeStartupError {
                #expect(error.description.contains("is missing"))
                #expect(error.description.contains("backup"))
            }
            #expect(!FileManager.default.fileExists(atPath: "\(home)/fileroom.db"))
            // A new, empty home is still set up by the first command.
            try withTemporaryDirectory { fresh in _ = try Self.start(fresh) }
        }
    }

    @Test func aDamagedDatabaseStopsTheStartWithAClearLine() async throws {
        try await withTemporaryDirectory { home in
            do {
                let installation = try await TestInstallation.make(home: home)
                try installation.drop([MedicalFaxFixtures.pathologyPage(TestInstallation.omar)], as: "fax.pdf")
                try await installation.runOnce()
            }
            // The installation is closed: its last connection folded the WAL into the main file.
            let handle = try FileHandle(forUpdating: URL(fileURLWithPath: "\(home)/fileroom.db"))
            let size = try handle.seekToEnd()
            // Scribble over every page after the first (the header stays, so the file still opens).
            var offset: UInt64 = 4096
            while offset + 4096 <= size {
                try handle.seek(toOffset: offset + 8)
                try handle.write(contentsOf: Data(repeating: 0xA5, count: 64))
                offset += 4096
            }
            try handle.close()
            do {
                _ = try Self.start(home)
                Issue.record("a damaged database was opened")
            } catch let error as IntakeStartupError {
                #expect(error.exitCode == 2)
                #expect(error.description.contains("database"))
                #expect(error.description.contains("backup"))
            }
        }
    }

    @Test(.enabled(if: ScratchMount.isAvailable, "needs root to mount a small tmpfs"))
    func aSpoolOnAnotherFileSystemIsAClearStartUpError() throws {
        try withTemporaryDirectory { home in
            let mount = try #require(ScratchMount.make(sizeKiB: 256))
            defer { mount.remove() }
            let configFile = "\(home)/fileroom.toml"
            try Data("spool = \"\(mount.path)\"\n".utf8).write(to: URL(fileURLWithPath: configFile))
            var settings = try FileroomSettings.load(
                configFlag: configFile, environment: [:], systemConfigPath: "/nonexistent"
            )
            settings.home = home
            settings.work = "\(home)/work"
            settings.workers = 1
            do {
                _ = try IntakeRuntime.start(settings: settings, logger: CapturedLog().logger())
                Issue.record("a cross-device spool started")
            } catch let error as IntakeStartupError {
                #expect(error.description.contains("different file systems"))
                #expect(error.description.contains(mount.path))
            }
        }
    }
}
