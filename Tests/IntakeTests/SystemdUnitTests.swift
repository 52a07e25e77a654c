import Foundation
import TestSupport
import Testing

/// `systemd/fileroom.service` as shipped: it must verify and score at most 1.5 on systemd's exposure scale.
@Suite("systemd unit")
struct SystemdUnitTests {
    static let analyze = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let unit = "\(repository)/systemd/fileroom.service"

    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(analyze))
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test(.enabled(if: analyze != nil, "systemd-analyze is not installed"))
    func theUnitVerifiesWithTheBuiltBinary() throws {
        let binary = try #require(FileroomBinary.path, "build the fileroom binary first")
        try withTemporaryDirectory { folder in
            let text = try String(contentsOfFile: Self.unit, encoding: .utf8)
                .replacingOccurrences(of: "/usr/bin/fileroom", with: binary)
            let copy = "\(folder)/fileroom.service"
            try text.write(toFile: copy, atomically: true, encoding: .utf8)
            let result = try Self.run(["verify", copy])
            // Only this unit's own complaints count; a container without a booted systemd adds unrelated noise.
            let complaints = result.output.split(separator: "\n").filter { $0.contains("fileroom.service") }
            #expect(complaints.isEmpty, "\(result.output)")
        }
    }

    @Test(.enabled(if: analyze != nil, "systemd-analyze is not installed"))
    func theShippedUnitScoresAtMostOnePointFive() throws {
        let result = try Self.run(["security", "--offline=yes", Self.unit])
        let line = try #require(result.output.split(separator: "\n").first { $0.contains("Overall exposure level") })
        let score = line.split(separator: ":").last.flatMap { Double($0.split(separator: " ").first ?? "") }
        let value = try #require(score, "no score in: \(line)")
        #expect(value <= 1.5, "\(line)")
    }

    /// The unit with the PostgreSQL drop-in's [Service] lines applied (later lines win, as in a drop-in): network
    /// for the database's address only, exposure still at most 2.0.
    @Test(.enabled(if: analyze != nil, "systemd-analyze is not installed"))
    func thePostgreSQLDropInScoresAtMostTwo() throws {
        let dropIn = try String(contentsOfFile: "\(Self.repository)/systemd/fileroom.service.d/postgresql.conf", encoding: .utf8)
        let service = try #require(dropIn.components(separatedBy: "[Service]\n").last)
        #expect(service.contains("RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6"))
        #expect(service.contains("IPAddressAllow="))
        try withTemporaryDirectory { folder in
            let unit = try String(contentsOfFile: Self.unit, encoding: .utf8)
                .replacingOccurrences(of: "\n[Install]", with: "\n" + service + "\n[Install]")
            let copy = "\(folder)/fileroom.service"
            try unit.write(toFile: copy, atomically: true, encoding: .utf8)
            let result = try Self.run(["security", "--offline=yes", copy])
            #expect(result.output.contains("Service may allocate Internet sockets"), "the drop-in was not applied")
            let line = try #require(result.output.split(separator: "\n").first { $0.contains("Overall exposure level") })
            let score = line.split(separator: ":").last.flatMap { Double($0.split(separator: " ").first ?? "") }
            let value = try #require(score, "no score in: \(line)")
            #expect(value <= 2.0, "\(line)")
        }
    }

    @Test func theUnitSetsWhatOpsRelyOn() throws {
        let text = try String(contentsOfFile: Self.unit, encoding: .utf8)
        for setting in ["Type=notify", "Environment=OMP_THREAD_LIMIT=1", "UMask=0027", "StateDirectoryMode=0750", "User=fileroom",
                        "WatchdogSec=", "ProtectSystem=strict", "ReadWritePaths=/var/lib/fileroom"] {
            #expect(text.contains(setting), "\(setting)")
        }
    }
}
