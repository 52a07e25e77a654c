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

    @Test func theUnitSetsWhatOpsRelyOn() throws {
        let text = try String(contentsOfFile: Self.unit, encoding: .utf8)
        for setting in ["Type=notify", "Environment=OMP_THREAD_LIMIT=1", "UMask=0027", "StateDirectoryMode=0750", "User=fileroom",
                        "WatchdogSec=", "ProtectSystem=strict", "ReadWritePaths=/var/lib/fileroom"] {
            #expect(text.contains(setting), "\(setting)")
        }
    }
}
