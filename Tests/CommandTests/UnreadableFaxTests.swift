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
        guard geteuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else {
            print("skipped: needs root and setpriv")
            return
        }
        try withTemporaryDirectory { folder in
            chmod(folder, 0o755)
            let home = folder + "/home"
            let spool = home + "/spool"
            try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
            try MedicalFaxFixtures.write([MedicalFaxFixtures.radiologyPage(.omar)], to: spool + "/readable.pdf")
            try MedicalFaxFixtures.write([MedicalFaxFixtures.radiologyPage(.stranger)], to: spool + "/private.pdf")
            // The daemon's user (nobody here) owns the home; the fax server (root here) keeps one file to itself.
            for path in [home, spool, spool + "/readable.pdf"] { chown(path, 65534, 65534) }
            chmod(spool + "/private.pdf", 0o600)
            // A configuration of its own: the machine's /etc/fileroom/fileroom.toml must not change the test.
            let config = folder + "/fileroom.toml"
            try Data("settle_seconds = 0\nworkers = 1\n[pages]\nisolation = \"in-process\"\n".utf8)
                .write(to: URL(fileURLWithPath: config))
            chmod(config, 0o644)

            func asNobody(_ arguments: [String]) throws -> (status: Int32, output: String) {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
                process.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", "--", try ReviewInstallation.binaryPath()]
                    + arguments + ["--home", home]
                var environment = ProcessInfo.processInfo.environment
                environment["FILEROOM_CONFIG"] = config
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

            let daemon = try asNobody(["daemon", "--once"])
            #expect(daemon.status == 0, "\(daemon.output)")
            #expect(daemon.output.contains("level=warning msg=\"spool entry ignored\" kind=unreadable"), "\(daemon.output)")
            #expect(daemon.output.contains("claimed=1"), "\(daemon.output)")
            #expect(FileManager.default.fileExists(atPath: spool + "/private.pdf"), "the unreadable fax stays where it was")
            #expect(!FileManager.default.fileExists(atPath: spool + "/readable.pdf"))
            let status = try asNobody(["status"])
            #expect(status.output.contains("ignored: unreadable=1"), "\(status.output)")

            // Once the fax server's file is readable, it is claimed like any other.
            chmod(spool + "/private.pdf", 0o644)
            let again = try asNobody(["daemon", "--once"])
            #expect(again.status == 0 && again.output.contains("claimed=1"), "\(again.output)")
            #expect(!FileManager.default.fileExists(atPath: spool + "/private.pdf"))
        }
    }
}
