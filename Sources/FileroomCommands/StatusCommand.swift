import ArgumentParser

// Placeholder until its issue lands: refuses to run rather than pretending.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Not built yet.")

    func run() async throws {
        throw ValidationError("'status' is not built yet")
    }
}
