import ArgumentParser

// Placeholder until its issue lands: refuses to run rather than pretending.
struct EvaluateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "evaluate", abstract: "Not built yet.")

    func run() async throws {
        throw ValidationError("'evaluate' is not built yet")
    }
}
