import ArgumentParser

// Placeholder until its issue lands: refuses to run rather than pretending.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Not built yet.")

    func run() async throws {
        throw ValidationError("'export' is not built yet")
    }
}
