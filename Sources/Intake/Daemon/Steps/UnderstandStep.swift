import FileroomModel
import Logging
import Matching
import Store
import Understanding

/// `decoded`: splits the fax into documents and reads their fields, then `understood`.
struct UnderstandStep: SourceStep {
    static let step = IntakeStep.understand

    func run(_ source: SourceRecord, in engine: IntakeEngine) async throws -> StepResult {
        let pages = try await engine.pageCache.pages(of: source, in: engine.store).values.sorted { $0.number < $1.number }
        let understood = engine.interpreter.interpret(
            pages, known: try await engine.caseIndexCache.index(from: engine.store).knownPatients
        )
        _ = try await engine.store.recordUnderstood(source: source.id, understood)
        if understood.isIncomplete {
            engine.logger.info(
                "source incomplete",
                metadata: [
                    "source.id": "\(source.id)", "pages.declared": "\(understood.declaredPages ?? 0)",
                    "pages.received": "\(understood.receivedPages)",
                ]
            )
        }
        return .advanced
    }
}
