import FileroomModel
import Foundation
import Pages
import Store

/// `claimed` and archived: decodes and OCRs the pages not yet checkpointed, then `decoded`.
struct ReadPagesStep: SourceStep {
    static let step = IntakeStep.read

    func run(_ source: SourceRecord, in engine: IntakeEngine) async throws -> StepResult {
        let attempt = try await engine.store.beginAttempt(source.id, processID: getpid(), poisonAfter: 3)
        let attemptID: Int64
        switch attempt {
        case .poison(let record):
            throw IntakeFailure(
                .final, step: .read, reason: "poison", sourceID: record.id,
                detail: "poison: the process died \(record.deaths) times in a row reading this file without progress"
            )
        case .started(let id, _):
            attemptID = id
        }
        let store = engine.store
        let sourceID = source.id
        let progress = engine.progress
        let done = try await store.finishedPageNumbers(of: sourceID)
        let path = source.archivePath ?? engine.claimedOriginal(of: sourceID)
        let pageCount: Int
        do {
            let shutdown = engine.shutdown
            pageCount = try await engine.pageStage.readPages(
                of: path, skipping: done, shouldStop: { shutdown.isSet }
            ) { page in
                try await store.checkpointPage(source: sourceID, page)
                progress.mark()
            }
        } catch var error as PageError {
            // Read from the archive, the error would name the file by its hash: staff know it by its name.
            error.path = source.originalName
            try await store.endAttempt(attemptID, .finished)
            throw error
        } catch {
            try? await store.endAttempt(attemptID, .graceful)
            if error is CancellationError || Task.isCancelled { return .stopped }
            throw error
        }
        try await store.setState(
            sourceID, to: .decoded, pageCount: pageCount, declaredPages: nil, senderFax: nil, archivePath: nil,
            claimedPath: nil
        )
        try await store.endAttempt(attemptID, .finished)
        if Task.isCancelled || engine.shutdown.isSet { return .stopped }
        return .advanced
    }
}
