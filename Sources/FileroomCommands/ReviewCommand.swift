import ArgumentParser

// Placeholder until its issue lands: refuses to run rather than pretending.
struct ReviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "review", abstract: "Not built yet.")

    func run() async throws {
        throw ValidationError("'review' is not built yet")
    }
}
