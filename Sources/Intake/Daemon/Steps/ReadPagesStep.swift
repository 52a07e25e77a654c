import FileroomModel
import Foundation
import Logging
import PageWorkers
import Pages
import Store

/// `claimed` and archived: decodes and OCRs the pages not yet checkpointed, then `decoded`.
struct ReadPagesStep: SourceStep {
    static let step = IntakeStep.read

    /// Worker processes that may die reading one file before it is quarantined as poison.
    static let workerDeathsForPoison = 2

    func run(_ source: SourceRecord, in engine: IntakeEngine) async throws -> StepResult {
        let store = engine.store
        let sourceID = source.id
        let progress = engine.progress
        let counters = engine.counters
        let cache = engine.pageCache
        let path = source.archivePath ?? engine.claimedOriginal(of: sourceID)
        var pageCount: Int?
        while pageCount == nil {
            let done = try await store.finishedPageNumbers(of: sourceID)
            do {
                let shutdown = engine.shutdown
                pageCount = try await engine.pageStage.readPages(
                    of: path, skipping: done, shouldStop: { shutdown.isSet }
                ) { page in
                    try await store.checkpointPage(source: sourceID, page)
                    cache.add(page, source: sourceID)
                    progress.mark()
                    counters.add(page: page)
                }
            } catch var error as PageError {
                // Read from the archive, the error would name the file by its hash: staff know it by its name.
                error.path = source.originalName
                throw error
            } catch let death as PageWorkerDeath {
                // Only a worker process dying on this file counts against it (CONTRACTS.md, "Crash safety and
                // poison"): the daemon's own deaths leave no record here, so kill -9 never poisons a good fax.
                let deaths = try await store.recordWorkerDeath(source: sourceID, page: death.page, cause: death.cause)
                engine.logger.warning(
                    "page worker died",
                    metadata: [
                        "source.id": "\(sourceID)", "page": "\(death.page.map(String.init) ?? "open")",
                        "cause": "\(death.cause)", "deaths": "\(deaths)",
                    ]
                )
                if deaths >= Self.workerDeathsForPoison {
                    let history = try await store.workerDeaths(of: sourceID)
                        .map { "\($0.page.map { "page \($0)" } ?? "opening"): \($0.cause)" }
                        .joined(separator: "; ")
                    throw IntakeFailure(
                        .final, step: .read, reason: "poison", sourceID: sourceID, page: death.page,
                        detail: "poison: page worker processes died \(deaths) times reading this file (\(history))"
                    )
                }
            } catch {
                if error is CancellationError || Task.isCancelled { return .stopped }
                throw error
            }
        }
        try await store.setState(
            sourceID, to: .decoded, pageCount: pageCount, declaredPages: nil, senderFax: nil, archivePath: nil,
            claimedPath: nil
        )
        if Task.isCancelled || engine.shutdown.isSet { return .stopped }
        return .advanced
    }
}
