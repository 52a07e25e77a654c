import ArgumentParser

// Placeholder until its issue lands: refuses to run rather than pretending.
struct DaemonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "daemon", abstract: "Not built yet.")

    func run() async throws {
        throw ValidationError("'daemon' is not built yet")
    }
}
