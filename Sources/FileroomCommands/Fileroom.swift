import ArgumentParser
import Foundation

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

    @Option(
        name: .long,
        help: "PostgreSQL database shared by several daemons: postgresql://USER[:PASSWORD]@[HOST][:PORT]/DB[?host=SOCKET_DIR&sslmode=...] (overrides FILEROOM_DATABASE_URL; unset: the SQLite file in the home)."
    )
    public var databaseURL: String?

    @Option(name: .long, help: "This daemon's name in leases (overrides FILEROOM_HOST_ID; default: the host name).")
    public var hostID: String?

    /// The settings given as flags here, keyed as in the config file.
    var settingFlags: [String: String] {
        var flags: [String: String] = [:]
        if let databaseURL { flags["database_url"] = databaseURL }
        if let hostID { flags["host_id"] = hostID }
        return flags
    }

    public init() {}
}

extension Fileroom {
    /// The process entry point: parses the arguments, runs the command, exits with its status.
    /// Failures a command throws become their exit status and one line on stderr in one place
    /// (`ExitStatus.of`); ArgumentParser keeps usage errors (64), help and `--version`.
    public static func runAsMain() async {
        let command: any ParsableCommand
        do {
            command = try await asyncParseAsRoot(nil)
        } catch {
            exit(withError: error)
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var command = command
                try command.run()
            }
        } catch where ExitStatus.isParserOutcome(error) {
            exit(withError: error)
        } catch {
            let (status, line) = ExitStatus.of(error)
            if let line { printError(line) }
            Foundation.exit(status)
        }
    }
}
