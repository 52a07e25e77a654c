import ArgumentParser

// Placeholder until its issue lands: refuses to run rather than pretending.
struct MatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "match", abstract: "Not built yet.")

    func run() async throws {
        throw ValidationError("'match' is not built yet")
    }
}
