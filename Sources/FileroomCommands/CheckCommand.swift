import ArgumentParser
import Foundation
import Settings
import Store

/// `fileroom check`: does the installation agree with its database?
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Verify the database, archived originals (sha256) and every document's files; exit 1 on any disagreement.",
        discussion: """
            Prints one line per disagreement naming the source or document id (or an orphan file's path under the \
            home) and exits 1; prints `ok` and exits 0 when everything agrees.
            """
    )

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let installation = try Installation.open(global, for: .staff)
        let findings = try await InstallationCheck.run(
            store: try installation.sqliteStore(command: "check"), folders: installation.settings.installationFolders
        )
        guard !findings.isEmpty else {
            print("ok")
            return
        }
        for finding in findings { print(finding.description) }
        throw CommandFailure.quietlyFailed
    }
}
