import ArgumentParser
import Foundation
import Settings
import Store

/// `fileroom backup DEST`: a consistent copy of the installation while the daemon runs.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the installation (database, archive, filed, review, unmatched, quarantine) into DEST.",
        discussion: """
            DEST must be new or empty. The database is copied with SQLite's online backup, then the files that copy \
            accounts for are hard-linked (same file system) or copied. Safe while the daemon runs. Verify with \
            `fileroom check --home DEST`.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "A new or empty folder.")
    var destination: String

    func run() async throws {
        let installation = try Installation.open(global, for: .staff)
        let target = URL(fileURLWithPath: destination).standardizedFileURL.path
        let summary = try await InstallationBackup.run(
            store: try installation.sqliteStore(command: "backup"), folders: installation.settings.installationFolders, destination: target
        )
        print(
            "backup     \(target): database and \(summary.files) files (\(summary.linked) hard-linked)"
                + (summary.attempts > 1 ? " after \(summary.attempts) attempts" : "")
        )
        for path in summary.outsideHome {
            print("not copied (outside the home): \(path)")
        }
    }
}
