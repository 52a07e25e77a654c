import Settings
import Store

/// `duplicate`: the bytes are an earlier source's; this copy gets its own archive entry (independent of the
/// original's progress) and its work folder goes.
struct DuplicateStep: SourceStep {
    static let step = IntakeStep.finish

    func run(_ source: SourceRecord, in engine: IntakeEngine) async throws -> StepResult {
        if source.archivePath == nil, let archivePath = try engine.copyToArchive(source) {
            try await engine.store.setState(
                source.id, to: .duplicate, pageCount: nil, declaredPages: nil, senderFax: nil,
                archivePath: archivePath, claimedPath: nil
            )
        }
        DurableFiles.removeTree(engine.workFolder(of: source.id))
        return .advanced
    }
}

/// A final state whose folder work a crash or a full disk interrupted: a rejected source's original goes to
/// quarantine with its report; any other's work folder goes.
struct FinishStep {
    func finish(_ source: SourceRecord, in engine: IntakeEngine) async throws {
        guard source.state == .rejected else {
            DurableFiles.removeTree(engine.workFolder(of: source.id))
            return
        }
        try Quarantine(settings: engine.settings).place(
            source, reason: source.rejectReason ?? "rejected", message: source.errorMessage ?? "", pageError: nil
        )
    }
}
