import ArgumentParser

// Placeholder until its issue lands: refuses to run rather than pretending.
struct ExtractCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "extract", abstract: "Not built yet.")

    func run() async throws {
        throw ValidationError("'extract' is not built yet")
    }
}
