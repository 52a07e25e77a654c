import Store

/// The work of one source state: moves a source to its next state (one store transaction, with the idempotent
/// file work that goes with it). Steps hold no state of their own; the engine picks one per state.
protocol SourceStep: Sendable {
    /// The step's name in logs and failures.
    static var step: IntakeStep { get }

    /// Runs the step for `source` (in the state the step is for). Throws what failed; the engine sorts it into
    /// transient or final.
    func run(_ source: SourceRecord, in engine: IntakeEngine) async throws -> StepResult
}

enum StepResult: Sendable {
    /// The source moved on (or its state's work is done): the engine reads it back and picks the next step.
    case advanced
    /// Graceful shutdown: the source resumes at this step on the next start.
    case stopped
}
