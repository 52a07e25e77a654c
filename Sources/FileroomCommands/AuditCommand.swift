import ArgumentParser

// Placeholder until its issue lands: refuses to run rather than pretending.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "Not built yet.")

    func run() async throws {
        throw ValidationError("'audit' is not built yet")
    }
}
