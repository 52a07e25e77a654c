import Foundation
import PageWorkers
import Pages
import TestSupport
import Testing

/// The hostile corpus (`TestSupport.HostileCorpus`) through page workers.
@Suite(.enabled(if: WorkerTestKit.isAvailable, "needs the built fileroom binary"))
struct HostileCorpusWorkerTests {
    /// Every file ends in its rejection or its pages; no worker dies on any; the pool reads a good fax after.
    @Test func everyHostileFileEndsClearlyInAWorker() async throws {
        let pool = try WorkerTestKit.pool(workers: 2)
        let entries = HostileCorpus.entries
        #expect(entries.count >= 20)
        for entry in entries {
            let path = entry.path
            do {
                let count = try await pool.pageCount(of: path)
                for number in 1...max(1, count) where number <= count { _ = try await pool.readPage(number, of: path) }
                #expect(entry.expected == nil || entry.expected == "any", "\(entry.file) was read")
            } catch {
                switch error {
                case .rejected(let pageError):
                    if entry.expected != "any" {
                        #expect(pageError.reason.rawValue == entry.expected, "\(entry.file): \(pageError)")
                    }
                default:
                    Issue.record("\(entry.file): \(error)")
                }
            }
        }
    }
}
