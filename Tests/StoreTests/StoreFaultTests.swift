import FileroomModel
import Foundation
import Settings
import Store
import Testing

@Suite("Store and home under faults: empty files, retries, locks, a missing database")
struct StoreFaultTests {
    @Test func everyEmptyFileIsItsOwnSourceNeverADuplicate() async throws {
        try await withStore { store, _ in
            for id in ["src_E1", "src_E2", "src_E3"] {
                let outcome = try await store.recordClaim(newSource(id, bytes: ""))
                guard case .recorded(let source) = outcome else {
                    Issue.record("empty file \(id) was recorded as \(outcome)")
                    continue
                }
                #expect(source.state == .claimed)
            }
            // Non-empty copies are still duplicates.
            _ = try await store.recordClaim(newSource("src_A", bytes: "same"))
            guard case .duplicate = try await store.recordClaim(newSource("src_B", bytes: "same")) else {
                Issue.record("a copy was not a duplicate")
                return
            }
        }
    }

    @Test func retriesAreCountedShownAndClearedWhenTheSourceMovesOn() async throws {
        try await withStore { store, _ in
            _ = try await store.recordClaim(newSource("src_R"))
            try await store.recordRetry(source: "src_R", reason: "disk_full")
            try await store.recordRetry(source: "src_R", reason: "database_busy")
            let source = try #require(try await store.source("src_R"))
            #expect(source.retryCount == 2)
            #expect(source.retryReason == "database_busy")
            let since = try #require(source.retrySince)
            let counts = try await store.counts()
            #expect(counts.retrying == 1)
            #expect(counts.oldestRetrySince == since)
            try await store.clearRetry(source: "src_R")
            #expect(try await store.source("src_R")?.retryCount == 0)
            #expect(try await store.counts().retrying == 0)
        }
    }

    @Test func quickCheckPassesOnASoundFile() async throws {
        try await withStore { store, _ in
            let result = try store.quickCheck()
            #expect(result == ["ok"])
        }
    }

    @Test func pageRotationsComeBackWithoutTheWords() async throws {
        try await withStore { store, _ in
            _ = try await store.recordClaim(newSource("src_P"))
            var turned = page(2)
            turned.rotation = 180
            try await store.checkpointPage(source: "src_P", page(1))
            try await store.checkpointPage(source: "src_P", turned)
            #expect(try await store.pageRotations(of: "src_P") == [1: 0, 2: 180])
        }
    }

    @Test func theInstanceLockRefusesASecondHolderNamingItsPid() async throws {
        try await withTemporaryFolder { home in
            let lock = try InstanceLock.acquire(home: home)
            #expect(throws: SettingsError.instanceLocked(lock: "\(home)/fileroom.lock", pid: getpid())) {
                _ = try InstanceLock.acquire(home: home)
            }
            _ = lock
        }
    }

    @Test func aMissingDatabaseIsAnErrorOnlyWhenTheHomeHoldsDocuments() async throws {
        try await withTemporaryFolder { home in
            let settings = FileroomSettings(home: home, homeOrigin: .flag)
            try Home.prepare(settings)
            try FileManager.default.createDirectory(atPath: "\(settings.archive)/ab", withIntermediateDirectories: true)
            #expect(throws: SettingsError.missingDatabase(path: settings.database, holding: settings.archive)) {
                try Home.prepare(settings)
            }
        }
    }
}
