import FileroomModel
import Foundation
import Settings
import Store
import TestSupport
import Testing

/// The built `fileroom` binary, run as a child process the way systemd runs it.
enum FileroomBinary {
    static var path: String? {
        if let path = ProcessInfo.processInfo.environment["FILEROOM_BIN"] { return path }
        // Tests/IntakeTests/ProcessTests.swift -> package root -> .build/debug/fileroom
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let candidate = root.appendingPathComponent(".build/debug/fileroom").path
        return FileManager.default.isExecutableFile(atPath: candidate) ? candidate : nil
    }

    /// Runs the binary to its end; returns its exit status and the lines it wrote on stderr.
    static func runForErrors(_ arguments: [String], environment: [String: String]) throws -> (Int32, [Substring]) {
        let errors = Pipe()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(path))
        process.arguments = arguments
        process.environment = environment
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text.split(separator: "\n"))
    }

    static func start(_ arguments: [String], home: String, stderr: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(path))
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["FILEROOM_HOME"] = home
        environment["OMP_THREAD_LIMIT"] = "1"
        environment["FILEROOM_SETTLE_SECONDS"] = "0.2"
        environment["FILEROOM_RESCAN_SECONDS"] = "1"
        environment["FILEROOM_WORKERS"] = "1"
        environment["FILEROOM_SHUTDOWN_DEADLINE_SECONDS"] = "20"
        process.environment = environment
        FileManager.default.createFile(atPath: stderr, contents: nil)
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderr))
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return process
    }
}

@Suite("The daemon as a process: kill -9, SIGTERM", .serialized)
struct ProcessTests {
    /// A spool of distinct faxes: text-layer PDFs (fast) and a few OCR'd TIFF pages (slow enough to be killed in).
    static func fillSpool(_ spool: String, count: Int) throws {
        for index in 0..<count {
            var patient = index % 2 == 0 ? TestInstallation.jane : TestInstallation.omar
            patient.mrn = "E77\(String(format: "%05d", index))"
            let pages = [MedicalFaxFixtures.pathologyPage(patient, accession: "S26-\(10_000 + index)")]
                + (index % 3 == 0 ? [MedicalFaxFixtures.radiologyPage(patient)] : [])
            try MedicalFaxFixtures.write(pages, to: "\(spool)/fax_\(String(format: "%04d", index)).pdf")
        }
        for index in 0..<3 {
            let page = try FaxFixture.page(
                FaxFixture.reportLines + ["Specimen number S26-\(20_000 + index)"], geometry: .faxNormal
            )
            try TIFFFixtureWriter.write([page], to: "\(spool)/scan_\(index).tif")
        }
        try BadFileFixtures.writeEmpty(to: "\(spool)/empty.tif")
    }

    /// A fresh installation in `<base>/home`, its logs beside it in `<base>`; the caller removes `<base>`.
    static func prepareHome() async throws -> (base: String, home: String) {
        let base = try makeTemporaryDirectory(prefix: "fileroom-process")
        let home = "\(base)/home"
        _ = try await TestInstallation.make(home: home)
        return (base, home)
    }

    @Test(.enabled(if: FileroomBinary.path != nil, "needs the built fileroom binary"))
    func killNineAtRandomMomentsLosesNothingAndFilesNothingTwice() async throws {
        let (base, home) = try await Self.prepareHome()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let spool = "\(home)/spool"
        try Self.fillSpool(spool, count: 14)
        let dropped = Set(try FileManager.default.contentsOfDirectory(atPath: spool))
        var generator = SystemRandomNumberGenerator()
        for round in 0..<5 {
            let daemon = try FileroomBinary.start(["daemon"], home: home, stderr: "\(base)/kill-\(round).log")
            try await Task.sleep(for: .milliseconds(Int64.random(in: 300...2500, using: &generator)))
            kill(daemon.processIdentifier, SIGKILL)
            daemon.waitUntilExit()
            #expect(daemon.terminationReason == .uncaughtSignal)
        }
        let finisher = try FileroomBinary.start(["daemon", "--once"], home: home, stderr: "\(base)/once.log")
        finisher.waitUntilExit()
        #expect(finisher.terminationStatus == 0)

        let store = try SQLiteStore(path: "\(home)/fileroom.db")
        #expect(try await store.integrityCheck() == ["ok"])
        #expect(try await store.unfinishedSources().isEmpty)
        let exported = try await store.export()
        // Every dropped file reached exactly one final state; none was claimed twice.
        #expect(exported.count == dropped.count)
        #expect(Set(exported.map(\.file)) == dropped)
        #expect(exported.allSatisfy { ["processed", "rejected", "duplicate"].contains($0.status) })
        #expect(exported.first { $0.file == "empty.tif" }?.status == "rejected")
        // Each filed document has exactly one PDF, and no PDF exists without its document.
        let documentIDs = Set(exported.flatMap(\.documents).map(\.documentID))
        let written = TestInstallation.files(under: "\(home)/filed") + TestInstallation.files(under: "\(home)/review")
            + TestInstallation.files(under: "\(home)/unmatched")
        // Files are named `<date>_<type>_<last 8 characters of the document id>.pdf`.
        let pdfs = written.filter { $0.hasSuffix(".pdf") }.map {
            String(URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent.split(separator: "_").last ?? "")
        }
        #expect(pdfs.count == Set(pdfs).count)
        #expect(Set(pdfs).isSubset(of: Set(documentIDs.compactMap { $0.map { String($0.suffix(8)) } })))
        let filedDocuments = exported.flatMap(\.documents).filter { $0.status == "filed" && $0.type != "cover_sheet" }
        #expect(filedDocuments.count == TestInstallation.files(under: "\(home)/filed").filter { $0.hasSuffix(".pdf") }.count)
        #expect(try FileManager.default.contentsOfDirectory(atPath: spool).isEmpty)
        #expect(TestInstallation.files(under: "\(home)/work").isEmpty)
    }

    @Test(.enabled(if: FileroomBinary.path != nil, "needs the built fileroom binary"))
    func sigtermStopsAfterThePagesInFlightAndTheRestResumes() async throws {
        let (base, home) = try await Self.prepareHome()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let spool = "\(home)/spool"
        let pages = try (0..<4).map { index in
            try FaxFixture.page(FaxFixture.reportLines + ["Block \(index)"], header: FaxFixture.headerLine(page: index + 1, of: 4))
        }
        try TIFFFixtureWriter.write(pages, to: "\(spool)/long.tif")
        let log = "\(base)/term.log"
        let daemon = try FileroomBinary.start(["daemon"], home: home, stderr: log)
        // Wait until the fax is claimed and in flight, then ask the daemon to stop.
        for _ in 0..<200 {
            if let text = try? String(contentsOfFile: log, encoding: .utf8), text.contains("source claimed") { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        try await Task.sleep(for: .milliseconds(300))
        kill(daemon.processIdentifier, SIGTERM)
        daemon.waitUntilExit()
        #expect(daemon.terminationReason == .exit)
        #expect(daemon.terminationStatus == 0)
        let text = try String(contentsOfFile: log, encoding: .utf8)
        #expect(text.contains("shutdown requested"))

        let store = try SQLiteStore(path: "\(home)/fileroom.db")
        let source = try #require(try await store.export().first)
        // Stopped part-way, or done if the pages were quick: never rejected, never lost.
        #expect(["pending", "processed"].contains(source.status))
        let finisher = try FileroomBinary.start(["daemon", "--once"], home: home, stderr: "\(base)/term-once.log")
        finisher.waitUntilExit()
        #expect(finisher.terminationStatus == 0)
        let done = try #require(try await store.export().first)
        #expect(done.status == "processed")
        #expect(done.pages == 4)
    }

    @Test(.enabled(if: FileroomBinary.path != nil, "needs the built fileroom binary"))
    func ingestRunsNamedFilesAndSaysWhichWereRejected() async throws {
        let (base, home) = try await Self.prepareHome()
        defer { try? FileManager.default.removeItem(atPath: base) }
        try MedicalFaxFixtures.write([MedicalFaxFixtures.pathologyPage(TestInstallation.omar)], to: "\(base)/good.pdf")
        try BadFileFixtures.writeEmpty(to: "\(base)/bad.tif")
        let output = Pipe()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(FileroomBinary.path))
        process.arguments = ["ingest", "--home", home, "\(base)/good.pdf", "\(base)/bad.tif"]
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("1: src_") == true && lines.first?.hasSuffix(" filed") == true)
        #expect(lines.last?.hasPrefix("2: src_") == true && lines.last?.hasSuffix(" rejected empty_file") == true)
        // The staff's originals stay where they were.
        #expect(FileManager.default.fileExists(atPath: "\(base)/good.pdf"))
    }

    @Test(.enabled(if: FileroomBinary.path != nil, "needs the built fileroom binary"))
    func startupFailsWithOneClearLineWhenTessdataIsMissing() async throws {
        let (base, home) = try await Self.prepareHome()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let (status, lines) = try FileroomBinary.runForErrors(
            ["daemon", "--once", "--home", home],
            environment: ["FILEROOM_OCR_TESSDATA": "\(base)/no-tessdata", "OMP_THREAD_LIMIT": "1"]
        )
        #expect(status == 2)
        #expect(lines.count == 1)
        #expect(lines.first?.contains("tessdata") == true)
    }
}
