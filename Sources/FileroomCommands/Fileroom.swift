import ArgumentParser

/// `fileroom`: the intake daemon and the staff command line.
public struct Fileroom: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "fileroom",
        abstract: "Files the faxes a cancer center receives into second-opinion cases.",
        version: "fileroom \(FileroomVersion.current)",
        subcommands: [
            DaemonCommand.self, IngestCommand.self, StatusCommand.self, ExportCommand.self, EvaluateCommand.self,
            PagesCommand.self, ExtractCommand.self, MatchCommand.self,
            CasesCommand.self, ReviewCommand.self, QueueCommand.self, AuditCommand.self,
            BackupCommand.self, CheckCommand.self, BenchCommand.self, PageWorkerCommand.self,
        ]
    )

    public init() {}
}

/// Options every command that touches an installation takes.
public struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "Home folder for the database and every folder (overrides FILEROOM_HOME and the config file).")
    public var home: String?

    @Option(name: .long, help: "Configuration file (overrides FILEROOM_CONFIG and /etc/fileroom/fileroom.toml).")
    public var config: String?

    public init() {}
}

extension Fileroom {
    /// The process entry point: parses the arguments, runs the command, exits with its status.
    public static func runAsMain() async {
        await Self.main(nil)
    }
}
