import ArgumentParser

/// `fileroom bench`: benchmarks that print figures (never timed tests).
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks that print figures.",
        subcommands: [BenchPagesCommand.self, BenchMatchCommand.self, BenchIntakeCommand.self, BenchStoreCommand.self]
    )
}
