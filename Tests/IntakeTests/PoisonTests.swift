import FileroomModel
import Foundation
import Intake
import Settings
import Store
import TestSupport
import Testing

@Suite("Poison: a file that keeps killing the process is quarantined")
struct PoisonTests {
    @Test func threeDeathsWithoutProgressQuarantineTheSourceAsPoison() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await TestInstallation.make(home: home)
            try installation.drop([MedicalFaxFixtures.pathologyPage(TestInstallation.omar)], as: "killer.pdf")
            let engine = installation.runtime.engine
            let source = try #require(try await engine.claim(spoolName: "killer.pdf"))
            // Three attempts that began decoding and never ended, with no page finished: three deaths.
            for _ in 0..<3 {
                _ = try await installation.store.beginAttempt(source.id, processID: 99_999, poisonAfter: 3)
            }
            let final = try await engine.process(sourceID: source.id)
            #expect(final == .rejected)
            let record = try #require(try await installation.store.source(source.id))
            #expect(record.rejectReason == "poison")
            let exported = try #require(try await installation.store.export().first)
            #expect(exported.status == "rejected")
            #expect(exported.error?.hasPrefix("poison") == true)
            let quarantined = TestInstallation.files(under: installation.settings.quarantine)
            #expect(quarantined.contains { $0.hasSuffix("killer.pdf") })
            #expect(quarantined.contains { $0.hasSuffix("killer.pdf.error.json") })
        }
    }

    @Test func aGracefulStopIsNeverADeath() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await TestInstallation.make(home: home)
            try installation.drop([MedicalFaxFixtures.pathologyPage(TestInstallation.omar)], as: "good.pdf")
            let engine = installation.runtime.engine
            let source = try #require(try await engine.claim(spoolName: "good.pdf"))
            for _ in 0..<5 {
                guard case .started(let attempt, _) = try await installation.store.beginAttempt(
                    source.id, processID: 1, poisonAfter: 3)
                else {
                    Issue.record("a source stopped gracefully was taken for poison")
                    return
                }
                try await installation.store.endAttempt(attempt, .graceful)
            }
            #expect(try await engine.process(sourceID: source.id) == .filed)
        }
    }
}
