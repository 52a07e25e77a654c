import FileroomModel
import Store

/// `claimed`, not yet archived: keeps the original bytes once, immutably, keyed by hash.
struct ArchiveStep: SourceStep {
    static let step = IntakeStep.archive

    func run(_ source: SourceRecord, in engine: IntakeEngine) async throws -> StepResult {
        guard let archivePath = try engine.copyToArchive(source) else {
            // Nothing holds the bytes any more: rejected, so it is not retried for ever.
            throw IntakeFailure(
                .final, step: .archive, reason: "lost", sourceID: source.id,
                detail: "the claimed file is missing from the work folder"
            )
        }
        try await engine.store.setState(
            source.id, to: source.state, pageCount: nil, declaredPages: nil, senderFax: nil, archivePath: archivePath,
            claimedPath: nil
        )
        return .advanced
    }
}
