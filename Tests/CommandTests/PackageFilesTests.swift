import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The files the package ships, applied the way its postinst applies them (systemd-sysusers, then
/// systemd-tmpfiles), in a scratch root: the folders get the README's permission table. Skipped where the
/// systemd tools are missing.
@Suite("package files")
struct PackageFilesTests {
    static let repository = PermissionTests.repository

    @Test func theShippedTmpfilesGiveThePermissionTable() throws {
        let tools = ["/usr/bin/systemd-sysusers", "/usr/bin/systemd-tmpfiles"]
        guard tools.allSatisfy(FileManager.default.isExecutableFile(atPath:)) else {
            print("skipped: systemd-sysusers or systemd-tmpfiles is not installed")
            return
        }
        try withTemporaryDirectory { root in
            try FileManager.default.createDirectory(atPath: root + "/etc", withIntermediateDirectories: true)
            #expect(try PermissionTests.run(tools[0], ["--root=\(root)", "\(Self.repository)/systemd/fileroom.sysusers.conf"]) == 0)
            #expect(try PermissionTests.run(tools[1], ["--root=\(root)", "--create", "\(Self.repository)/systemd/fileroom.tmpfiles.conf"]) == 0)
            let passwd = try String(contentsOfFile: root + "/etc/passwd", encoding: .utf8)
            let line = try #require(passwd.split(separator: "\n").first { $0.hasPrefix("fileroom:") })
            let fields = line.split(separator: ":", omittingEmptySubsequences: false)
            let (uid, gid) = (UInt32(fields[2]) ?? 0, UInt32(fields[3]) ?? 0)
            #expect(uid != 0 && gid != 0)
            let home = root + "/var/lib/fileroom"
            // README, "Permission model".
            let expected: [(String, mode_t)] = [
                ("", 0o750), ("spool", 0o2770), ("filed", 0o2750), ("review", 0o2750), ("unmatched", 0o2750),
                ("outbox", 0o2770), ("outbox/fhir", 0o2770), ("outbox/hl7", 0o2770), ("work", 0o700),
                ("archive", 0o700), ("quarantine", 0o700), ("metrics", 0o755),
            ]
            for (folder, mode) in expected {
                var info = stat()
                let path = folder.isEmpty ? home : home + "/" + folder
                #expect(stat(path, &info) == 0, "\(folder)")
                #expect(info.st_mode & 0o7777 == mode, "\(folder): \(String(info.st_mode & 0o7777, radix: 8))")
                #expect(info.st_uid == uid && info.st_gid == gid, "\(folder)")
            }
        }
    }

    /// The maintainer scripts are POSIX sh that parses, the package stops the daemon before its binary goes away,
    /// and nothing enables or starts it on a first install.
    @Test func theMaintainerScriptsParseAndStartNothingBySurprise() throws {
        let folder = Self.repository + "/packaging/debian"
        for script in ["postinst", "prerm", "postrm"] {
            let path = folder + "/" + script
            #expect(try PermissionTests.run("/bin/sh", ["-n", path]) == 0, "\(script)")
            let code = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
                .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }.joined(separator: "\n")
            #expect(!code.contains("enable"), "\(script) enables the unit")
        }
        let prerm = try String(contentsOfFile: folder + "/prerm", encoding: .utf8)
        #expect(prerm.contains(#""$1" = "remove""#) && prerm.contains("stop fileroom.service"))
        let postinst = try String(contentsOfFile: folder + "/postinst", encoding: .utf8).split(separator: "\n")
            .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }.joined(separator: "\n")
        // A start only on upgrade (`$2`, the old version, is set), and only of a running daemon (try-restart).
        #expect(!postinst.contains(" start ") && postinst.contains("try-restart"))
        let packager = try String(contentsOfFile: Self.repository + "/scripts/package-deb.sh", encoding: .utf8)
        #expect(packager.contains("for script in postinst prerm postrm"))
    }
}
