import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Found installing the package: a fax server that writes its files 0600 left a fax the daemon's user could not
/// read. Claimed, it failed at every retry, paused every claim behind it, and `status` showed nothing. Now it stays
/// in the spool, `status` counts it as unreadable, the daemon logs a warning, and the faxes behind it are filed.
/// Needs root and setpriv to run the daemon as another user (root reads everything).
@Suite("an unreadable fax in the spool")
struct UnreadableFaxTests {
    @Test func itWaitsInTheSpoolWhileTheOthersAreFiled() throws {
        try Self.inScratchFolderForNobody { folder in
            let home = folder + "/home"
            let spool = home + "/spool"
            try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
            try MedicalFaxFixtures.write([MedicalFaxFixtures.radiologyPage(.omar)], to: spool + "/readable.pdf")
            try MedicalFaxFixtures.write([MedicalFaxFixtures.radiologyPage(.stranger)], to: spool + "/private.pdf")
            // The daemon's user (nobody here) owns the home; the fax server (root here) keeps one file to itself.
            for path in [home, spool, spool + "/readable.pdf"] { chown(path, 65534, 65534) }
            chmod(spool + "/private.pdf", 0o600)
            let config = try Self.configuration(in: folder)

            let daemon = try Self.asNobody(["daemon", "--once"], home: home, config: config)
            // The unreadable fax did not reach a final state: exit 3, as for any file left unfinished.
            #expect(daemon.status == 3, "\(daemon.output)")
            #expect(daemon.output.contains("unreadable: 1 file(s) left in the spool"), "\(daemon.output)")
            #expect(daemon.output.contains("level=warning msg=\"spool entry ignored\" kind=unreadable"), "\(daemon.output)")
            #expect(daemon.output.contains("claimed=1"), "\(daemon.output)")
            #expect(FileManager.default.fileExists(atPath: spool + "/private.pdf"), "the unreadable fax stays where it was")
            #expect(!FileManager.default.fileExists(atPath: spool + "/readable.pdf"))
            let status = try Self.asNobody(["status"], home: home, config: config)
            #expect(status.output.contains("ignored: unreadable=1"), "\(status.output)")

            // Once the fax server's file is readable, it is claimed like any other.
            chmod(spool + "/private.pdf", 0o644)
            let again = try Self.asNobody(["daemon", "--once"], home: home, config: config)
            #expect(again.status == 0 && again.output.contains("claimed=1"), "\(again.output)")
            #expect(!FileManager.default.fileExists(atPath: spool + "/private.pdf"))
        }
    }

    /// A fax claimed by a version that took unreadable files in sat in `work/`: every start failed its recovery and
    /// exited (systemd restarted it in a loop). Now the recovery puts it back into the spool.
    @Test func anUnreadableClaimLeftInWorkGoesBackToTheSpool() throws {
        try Self.inScratchFolderForNobody { folder in
            let home = folder + "/home"
            let work = home + "/work/src_01TESTUNREADABLE0000000000"
            try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: home + "/spool", withIntermediateDirectories: true)
            try Data(#"{"originalName":"left.pdf","receivedAt":786000000}"#.utf8).write(to: URL(fileURLWithPath: work + "/claim.json"))
            try MedicalFaxFixtures.write([MedicalFaxFixtures.radiologyPage(.omar)], to: work + "/original")
            for path in [home, home + "/spool", home + "/work", work, work + "/claim.json"] { chown(path, 65534, 65534) }
            chmod(work + "/original", 0o600)
            let config = try Self.configuration(in: folder)

            let daemon = try Self.asNobody(["daemon", "--once"], home: home, config: config)
            #expect(daemon.status == 3, "\(daemon.output)")
            #expect(daemon.output.contains("msg=\"claim returned to the spool\" reason=unreadable"), "\(daemon.output)")
            #expect(FileManager.default.fileExists(atPath: home + "/spool/left.pdf"))
            #expect(!FileManager.default.fileExists(atPath: work))
            let status = try Self.asNobody(["status"], home: home, config: config)
            #expect(status.output.contains("ignored: unreadable=1"), "\(status.output)")
        }
    }

    /// Runs `body` in a scratch folder every user may enter, when the tests run as root with setpriv (to run the
    /// binary as nobody); says why it skips otherwise.
    static func inScratchFolderForNobody(_ body: (String) throws -> Void) throws {
        guard geteuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else {
            print("skipped: needs root and setpriv")
            return
        }
        try withTemporaryDirectory { folder in
            chmod(folder, 0o755)
            try body(folder)
        }
    }

    /// A configuration of its own: the machine's /etc/fileroom/fileroom.toml must not change the test.
    static func configuration(in folder: String) throws -> String {
        let config = folder + "/fileroom.toml"
        try Data("settle_seconds = 0\nworkers = 1\n[pages]\nisolation = \"in-process\"\n".utf8)
            .write(to: URL(fileURLWithPath: config))
        chmod(config, 0o644)
        return config
    }

    /// Runs the built binary as nobody (uid 65534) on `home`.
    static func asNobody(_ arguments: [String], home: String, config: String? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", "--", try ReviewInstallation.binaryPath()]
            + arguments + ["--home", home]
        var environment = ProcessInfo.processInfo.environment
        environment["FILEROOM_CONFIG"] = config
        if config == nil { environment.removeValue(forKey: "FILEROOM_CONFIG") }
        environment.removeValue(forKey: "FILEROOM_HOME")
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }
}
