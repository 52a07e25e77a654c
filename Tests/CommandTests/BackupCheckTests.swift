import FileroomModel
import Foundation
import GRDB
import Settings
import Store
import TestSupport
import Testing

/// Issue 14: relocatable homes, `fileroom backup` and `fileroom check`, through the built binary.
@Suite("backup, check and relocatable homes")
struct BackupCheckTests {
    /// `cp -a`, as an ops engineer copies a home.
    static func copyTree(_ from: String, to destination: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/cp")
        process.arguments = ["-a", from, destination]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    static func storedPaths(_ database: String) throws -> [String] {
        let queue = try DatabaseQueue(path: database)
        return try queue.read { db in
            try String.fetchAll(db, sql: "SELECT archive_path FROM sources WHERE archive_path IS NOT NULL")
                + String.fetchAll(db, sql: "SELECT filed_path FROM documents WHERE filed_path IS NOT NULL")
        }
    }

    @Test func aCopiedHomeIsIndependentOfTheOriginal() async throws {
        try await withTemporaryDirectory { root in
            let installation = try await ReviewInstallation.scene(home: root + "/a")
            let paths = try Self.storedPaths(installation.settings.database)
            #expect(!paths.isEmpty)
            #expect(paths.allSatisfy { !$0.hasPrefix("/") }, "paths inside the database are relative to the home")
            let before = installation.documentFiles()

            let copy = root + "/b"
            try Self.copyTree(installation.home, to: copy)
            let item = try #require(try await installation.openItems(.review).first)
            let assign = try ReviewInstallation.runBinary(
                ["review", "assign", item.id, "SO-T-001", "--home", copy, "--reason", "test", "--confirm"]
            )
            #expect(assign.status == 0, "\(assign.stderr)")
            #expect(assign.stdout.contains(copy + "/filed/SO-T-001/"), "the copy files into its own tree")

            // The original is untouched: same files, the item still open, and it still checks out.
            #expect(installation.documentFiles() == before)
            #expect(try await installation.openItems(.review).contains { $0.id == item.id })
            #expect(try installation.fileroom(["check"]).status == 0)
            let copied = try ReviewInstallation.runBinary(["check", "--home", copy])
            #expect(copied.status == 0, "\(copied.stdout)")
        }
    }

    @Test func aBackupTakenWhileTheDaemonFilesChecksOut() async throws {
        try await withTemporaryDirectory { root in
            let installation = try await ReviewInstallation.scene(home: root + "/home")
            for index in 0..<4 {
                try installation.drop(
                    [MedicalFaxFixtures.radiologyPage(ReviewInstallation.omar)], as: "fax_more_\(index).pdf"
                )
                try installation.drop(
                    [MedicalFaxFixtures.pathologyPage(ReviewInstallation.janeUnsure)], as: "fax_unsure_\(index).pdf"
                )
            }
            let daemon = Task { try await installation.runOnce() }
            var backups: [String] = []
            for index in 0..<3 {
                let destination = root + "/backup\(index)"
                let run = try ReviewInstallation.runBinary(["backup", destination, "--home", installation.home])
                #expect(run.status == 0, "\(run.stderr)")
                #expect(run.stdout.hasPrefix("backup "))
                backups.append(destination)
            }
            try await daemon.value
            backups.append(root + "/after")
            #expect(try ReviewInstallation.runBinary(["backup", root + "/after", "--home", installation.home]).status == 0)
            for backup in backups {
                let check = try ReviewInstallation.runBinary(["check", "--home", backup])
                #expect(check.status == 0, "\(backup): \(check.stdout)")
                #expect(FileManager.default.fileExists(atPath: backup + "/fileroom.db"))
            }
            // The last copy holds every document the daemon filed.
            let files = Set(ReviewInstallation.files(under: root + "/after/filed"))
            #expect(files == Set(ReviewInstallation.files(under: installation.settings.filed)))
            // A backup goes into a new or empty folder only.
            let again = try ReviewInstallation.runBinary(["backup", root + "/after", "--home", installation.home])
            #expect(again.status == 2)
            #expect(again.stderr.contains("not empty"))
        }
    }

    @Test func checkNamesAMissingArchiveFileADamagedOneAndAnOrphan() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await ReviewInstallation.scene(home: home)
            #expect(try installation.fileroom(["check"]).lines == ["ok"])
            let sources = try await installation.sourcesByName()
            let omar = try #require(sources["fax_omar.pdf"])
            let stranger = try #require(sources["fax_stranger.pdf"])
            try FileManager.default.removeItem(atPath: try #require(omar.archivePath))
            // A damaged original: same name, other bytes.
            let damaged = try #require(stranger.archivePath)
            chmod(damaged, 0o600)
            try Data("not the fax".utf8).write(to: URL(fileURLWithPath: damaged))
            try Data("stray".utf8).write(to: URL(fileURLWithPath: installation.settings.filed + "/stray.pdf"))
            let filedDocument = try #require(
                try await installation.store.documents(of: omar.id).first { $0.filedPath != nil }
            )
            let sidecar = String(try #require(filedDocument.filedPath).dropLast(4)) + ".json"
            try FileManager.default.removeItem(atPath: sidecar)

            let run = try installation.fileroom(["check"])
            #expect(run.status == 1)
            #expect(run.lines.contains("\(omar.id): archived original missing"))
            #expect(run.lines.contains("\(stranger.id): archived original does not match its sha256"))
            #expect(run.lines.contains("orphan: filed/stray.pdf"))
            #expect(run.lines.contains("\(filedDocument.id): JSON sidecar missing"))
            #expect(run.lines.count == 4, "\(run.lines)")
        }
    }
}
