import ArgumentParser

// Placeholder until its issue lands: refuses to run rather than pretending.
struct QueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "queue", abstract: "Not built yet.")

    func run() async throws {
        throw ValidationError("'queue' is not built yet")
    }
}
