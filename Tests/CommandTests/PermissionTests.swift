import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 14's permission model on the machine: the packaged sysusers file parses, the daemon runs as a dedicated
/// user, a staff command run by root acts as that user, and no file under the home is owned by root. Needs root
/// and useradd (skipped otherwise); the user and group it creates are removed at the end.
@Suite("permission model", .serialized)
struct PermissionTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static var canRun: Bool {
        geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/useradd")
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")
    }

    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test func theShippedSysusersFileParses() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-sysusers") else {
            print("skipped: systemd-sysusers is not installed")
            return
        }
        try withTemporaryDirectory { root in
            try FileManager.default.createDirectory(atPath: root + "/etc", withIntermediateDirectories: true)
            let status = try Self.run(
                "/usr/bin/systemd-sysusers", ["--root=\(root)", "\(Self.repository)/systemd/fileroom.sysusers.conf"]
            )
            #expect(status == 0)
            let passwd = try String(contentsOfFile: root + "/etc/passwd", encoding: .utf8)
            let group = try String(contentsOfFile: root + "/etc/group", encoding: .utf8)
            #expect(passwd.contains("fileroom:x:") && passwd.contains(":/var/lib/fileroom:/usr/sbin/nologin"))
            #expect(group.contains("fileroom:x:"))
        }
    }

    @Test func theDaemonsUserOwnsEverythingAlsoAfterARootStaffCommand() async throws {
        guard Self.canRun else {
            print("skipped: needs root, useradd and setpriv")
            return
        }
        // A scratch user and group like the sysusers line makes (system user, own group, no login).
        let name = "frtest\(getpid() % 100_000)"
        try Self.run("/usr/sbin/userdel", [name])
        #expect(try Self.run("/usr/sbin/useradd", ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", name]) == 0)
        defer {
            _ = try? Self.run("/usr/sbin/userdel", [name])
            _ = try? Self.run("/usr/sbin/groupdel", [name])
        }
        let entry = try #require(getpwnam(name))
        let (uid, gid) = (entry.pointee.pw_uid, entry.pointee.pw_gid)
        try await withTemporaryDirectory { root in
            // What the packaged tmpfiles make: the home 0750 and the spool 2770, owned by the user.
            chmod(root, 0o755)
            let home = root + "/home"
            #expect(mkdir(home, 0o750) == 0 && chown(home, uid, gid) == 0)
            #expect(mkdir(home + "/spool", 0o2770) == 0 && chown(home + "/spool", uid, gid) == 0)
            chmod(home + "/spool", 0o2770)
            let binary = try ReviewInstallation.binaryPath()

            // Staff command as root first: it creates the database, as the user.
            let imported = try ReviewInstallation.runBinary(
                ["cases", "import", ReadmeCommandsTests.casesCSV, "--home", home]
            )
            #expect(imported.status == 0, "\(imported.stderr)")
            // The fax server (a group member) drops a fax the reader cannot place: review.
            let fax = home + "/spool/fax_unsure.pdf"
            try MedicalFaxFixtures.write([MedicalFaxFixtures.pathologyPage(ReadmeCommandsTests.unsure)], to: fax)
            chown(fax, uid, gid)
            let daemon = try Self.run(
                "/usr/bin/setpriv",
                ["--reuid=\(uid)", "--regid=\(gid)", "--clear-groups", "--", binary, "daemon", "--once", "--home", home]
            )
            #expect(daemon == 0)
            let list = try ReviewInstallation.runBinary(["review", "list", "--json", "--home", home])
            let items: [String] = list.stdout.split(separator: "\n").compactMap { line in
                let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                return object?["id"] as? String
            }
            let item = try #require(items.first, "\(list.stdout)")
            // The root staff action that used to leave filed/<case>/ owned by root.
            let assign = try ReviewInstallation.runBinary(
                ["review", "assign", item, "SO-2026-00101", "--reason", "test", "--confirm", "--home", home]
            )
            #expect(assign.status == 0, "\(assign.stderr)")

            var rootOwned: [String] = []
            var worldReadable: [String] = []
            let enumerator = try #require(FileManager.default.enumerator(atPath: home))
            while let relative = enumerator.nextObject() as? String {
                var info = stat()
                guard lstat(home + "/" + relative, &info) == 0 else { continue }
                if info.st_uid != uid { rootOwned.append(relative) }
                // The metrics textfile alone is for everyone (node_exporter): counts, no patient data.
                if info.st_mode & 0o007 != 0 && relative != "metrics/fileroom.prom" { worldReadable.append(relative) }
            }
            #expect(rootOwned.isEmpty, "owned by someone else than the daemon's user: \(rootOwned)")
            #expect(worldReadable.isEmpty, "\(worldReadable)")
            // Group-readable documents, private database and archive.
            let filed = ReviewInstallation.files(under: home + "/filed").map { home + "/filed/" + $0 }
            #expect(!filed.isEmpty)
            for file in filed { #expect(Self.mode(file) == 0o640, "\(file)") }
            #expect(Self.mode(home + "/filed") == 0o2750)
            #expect(Self.mode(home + "/fileroom.db") == 0o600)
            for file in ReviewInstallation.files(under: home + "/archive") {
                #expect(Self.mode(home + "/archive/" + file) & 0o077 == 0)
            }
        }
    }

    static func mode(_ path: String) -> mode_t {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode & 0o7777 : 0
    }
}
