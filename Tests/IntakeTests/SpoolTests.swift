import Foundation
import Intake
import TestSupport
import Settings
import Store
import Testing

@Suite("Spool: only complete files are claimed")
struct SpoolTests {
    @Test(arguments: ["a.tmp", "b.part", "c.filepart", ".d.tif", "e.tif.error.json", "f.tif.meta.json"])
    func temporaryAndHiddenNamesAreNeverClaimed(name: String) {
        #expect(SpoolScanner.isIgnored(name: name))
    }

    @Test func aFaxIsClaimableOnlyAfterItStopsChangingForTheSettleTime() throws {
        try withTemporaryDirectory { spool in
            var scanner = SpoolScanner(spoolPath: spool, settleSeconds: 1)
            let path = "\(spool)/fax.tif"
            try Data("II*\0 first chunk".utf8).write(to: URL(fileURLWithPath: path))
            let second: Int64 = 1_000_000_000
            #expect(try scanner.claimable(now: 0).isEmpty)
            #expect(try scanner.claimable(now: second / 2).isEmpty)
            // The writer adds a chunk: the settle clock starts again.
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(" second chunk".utf8))
            try handle.close()
            #expect(try scanner.claimable(now: second).isEmpty)
            #expect(try scanner.claimable(now: second + second / 2).isEmpty)
            #expect(try scanner.claimable(now: 2 * second + second / 10) == ["fax.tif"])
        }
    }

    @Test func aFileAnotherProcessHoldsLockedWaits() throws {
        try withTemporaryDirectory { spool in
            var scanner = SpoolScanner(spoolPath: spool, settleSeconds: 0)
            let path = "\(spool)/receiving.tif"
            try Data("II*\0".utf8).write(to: URL(fileURLWithPath: path))
            // HylaFAX-style: a lock held on the file while the fax is received (a child process holds it,
            // because POSIX record locks are per process).
            let holder = Process()
            holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
            holder.arguments = [path, "sleep", "1"]
            try holder.run()
            var locked = false
            for _ in 0..<50 where !locked {
                Thread.sleep(forTimeInterval: 0.05)
                locked = try scanner.claimable(now: 10).isEmpty
            }
            #expect(locked)
            holder.waitUntilExit()
            #expect(try scanner.claimable(now: 20) == ["receiving.tif"])
        }
    }

    @Test func aSlowWriterIsNeverClaimedEarly() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await TestInstallation.make(home: home, settle: 0.6)
            let pdf = "\(home)/whole.pdf"
            try MedicalFaxFixtures.write([MedicalFaxFixtures.pathologyPage(TestInstallation.omar)], to: pdf)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: pdf))
            let target = "\(installation.settings.spool)/slow.pdf"
            // Written in 6 chunks 0.3 s apart: shorter pauses than the settle time, a longer write than it.
            let writer = Thread {
                FileManager.default.createFile(atPath: target, contents: nil)
                guard let handle = FileHandle(forWritingAtPath: target) else { return }
                let chunk = bytes.count / 6 + 1
                for start in stride(from: 0, to: bytes.count, by: chunk) {
                    handle.write(bytes[start..<min(bytes.count, start + chunk)])
                    Thread.sleep(forTimeInterval: 0.3)
                }
                try? handle.close()
            }
            writer.start()
            try await Task.sleep(for: .milliseconds(50))
            try await installation.runOnce()
            let source = try #require(try await installation.sourcesByName()["slow.pdf"])
            #expect(source.size == Int64(bytes.count))
            #expect(source.state == .filed)
        }
    }
}
