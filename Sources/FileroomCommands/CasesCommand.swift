import ArgumentParser

// Placeholder until its issue lands: refuses to run rather than pretending.
struct CasesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cases", abstract: "Not built yet.")

    func run() async throws {
        throw ValidationError("'cases' is not built yet")
    }
}
