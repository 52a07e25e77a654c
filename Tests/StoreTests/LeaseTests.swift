import FileroomModel
import Foundation
import Store
import Testing

/// Leases on both backends: one holder at a time, expiry hands a source to another host, concurrent hosts looking
/// for orphans each take different ones, and the audit chain stays one chain under concurrent writers.
@Suite struct LeaseTests {
    @Test(arguments: Backend.available) func aClaimIsLeasedToItsClaimerAndRefusedToOthersWhileLive(backend: Backend)
        async throws
    {
        try await withStore(backend) { store, _ in
            _ = try await store.recordClaim(newSource("src_L1"))
            let leases = try await store.leases()
            #expect(leases.map(\.sourceID) == ["src_L1"])
            #expect(leases.first?.hostID == "host-a")
            // Another host is refused while the lease is live; the holder renews.
            #expect(try await store.acquireLease(source: "src_L1", host: "host-b", duration: 60) == nil)
            let renewed = try #require(try await store.acquireLease(source: "src_L1", host: "host-a", duration: 60))
            #expect(renewed.tookOver == false)
            #expect(renewed.takeovers == 0)
            #expect(try await store.renewLeases(host: "host-a", duration: 60) == 1)
            #expect(try await store.renewLeases(host: "host-b", duration: 60) == 0)
            // Nothing is orphaned while its lease lives.
            #expect(try await store.claimOrphans(host: "host-b", duration: 60, limit: 10).isEmpty)
            // A release by another host changes nothing; the holder's frees it for anyone.
            try await store.releaseLease(source: "src_L1", host: "host-b")
            #expect(try await store.leases().count == 1)
            try await store.releaseLease(source: "src_L1", host: "host-a")
            #expect(try await store.leases().isEmpty)
            let taken = try await store.claimOrphans(host: "host-b", duration: 60, limit: 10)
            #expect(taken.map(\.sourceID) == ["src_L1"])
            #expect(taken.first?.hostID == "host-b")
            // A released lease taken again is no takeover: nobody died.
            #expect(taken.first?.tookOver == false)
            await #expect(throws: StoreError.self) {
                _ = try await store.acquireLease(source: "src_missing", host: "host-a", duration: 60)
            }
        }
    }

    @Test(arguments: Backend.available) func anExpiredLeaseIsTakenOverAndCountedNeverAsPoison(backend: Backend)
        async throws
    {
        try await withStore(backend) { store, _ in
            _ = try await store.recordClaim(newSource("src_E1"))
            try await store.checkpointPage(source: "src_E1", page(1))
            // host-a "dies": its lease runs out (1 s, the shortest) without renewal.
            _ = try #require(try await store.acquireLease(source: "src_E1", host: "host-a", duration: 1))
            _ = try await store.recordClaim(newSource("src_E2"))
            _ = try await store.setState("src_E2", to: .filed)
            try await Task.sleep(for: .milliseconds(2200))
            let taken = try await store.claimOrphans(host: "host-b", duration: 60, limit: 10)
            // Only the unfinished source is taken; the filed one is nobody's work.
            #expect(taken.map(\.sourceID) == ["src_E1"])
            #expect(taken.first?.tookOver == true)
            #expect(taken.first?.takeovers == 1)
            // The new holder resumes from the checkpoint; the death of a daemon is no worker death.
            #expect(try await store.finishedPageNumbers(of: "src_E1") == [1])
            #expect(try await store.source("src_E1")?.deaths == 0)
            #expect(try await store.acquireLease(source: "src_E1", host: "host-a", duration: 60) == nil)
        }
    }

    @Test(arguments: Backend.available) func hostsLookingForOrphansAtOnceEachTakeDifferentOnes(backend: Backend)
        async throws
    {
        try await withStore(backend) { store, _ in
            let count = 24
            for index in 0..<count {
                _ = try await store.recordClaim(newSource(String(format: "src_O%02d", index)))
                try await store.releaseLease(source: String(format: "src_O%02d", index), host: "host-a")
            }
            let hosts = ["host-b", "host-c", "host-d"]
            let grants = try await withThrowingTaskGroup(of: [SourceLease].self) { group in
                for host in hosts {
                    group.addTask {
                        var mine: [SourceLease] = []
                        while true {
                            let batch = try await store.claimOrphans(host: host, duration: 60, limit: 2)
                            if batch.isEmpty { return mine }
                            mine += batch
                        }
                    }
                }
                var all: [SourceLease] = []
                for try await batch in group { all += batch }
                return all
            }
            // Every source granted exactly once, to one host, and the lease table agrees.
            #expect(grants.count == count)
            #expect(Set(grants.map(\.sourceID)).count == count)
            let leases = try await store.leases()
            #expect(leases.count == count)
            for grant in grants {
                #expect(leases.first { $0.sourceID == grant.sourceID }?.hostID == grant.hostID)
            }
        }
    }

    @Test(arguments: Backend.available) func concurrentAuditAppendsMakeOneChain(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let writers = 6
            let each = 8
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        for entry in 0..<each {
                            _ = try await store.appendAudit(
                                AuditInput(actor: "w\(writer)", action: "test.append", item: "i\(writer)-\(entry)")
                            )
                        }
                    }
                }
                try await group.waitForAll()
            }
            let verification = try await store.verifyAudit()
            #expect(verification.checked == writers * each)
            #expect(verification.firstBroken == nil)
            let entries = try await store.auditEntries(item: nil, caseID: nil)
            #expect(entries.map(\.id) == Array(1...Int64(writers * each)))
            #expect(try await store.auditHead().count == Int64(writers * each))
        }
    }
}
