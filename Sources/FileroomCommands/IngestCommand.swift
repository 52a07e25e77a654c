import ArgumentParser

// Placeholder until its issue lands: refuses to run rather than pretending.
struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ingest", abstract: "Not built yet.")

    func run() async throws {
        throw ValidationError("'ingest' is not built yet")
    }
}
