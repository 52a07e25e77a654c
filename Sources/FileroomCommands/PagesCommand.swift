import ArgumentParser

// Placeholder until its issue lands: refuses to run rather than pretending.
struct PagesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pages", abstract: "Not built yet.")

    func run() async throws {
        throw ValidationError("'pages' is not built yet")
    }
}
