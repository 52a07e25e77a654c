import ArgumentParser
import FileroomModel
import Foundation
import Intake
import Logging
import OCR
import Pages
import PostgresStore
import Settings
import Store

// Helpers every command shares: settings, the store, the runtime, output.

/// Loads the settings or ends the command with one line on stderr (exit 2: it could not run).
/// Run by root on a home another user owns, the command becomes that user first (`Home.actAsOwner`).
func loadSettings(_ global: GlobalOptions, flags: [String: String] = [:]) throws -> FileroomSettings {
    do {
        let settings = try FileroomSettings.load(
            homeFlag: global.home, configFlag: global.config, flags: global.settingFlags.merging(flags) { $1 }
        )
        let invoker = loginName()
        if try Home.actAsOwner(of: settings.home) != nil, InvokingUser.name == nil { InvokingUser.name = invoker }
        return settings
    } catch {
        printError("fileroom: \(error.description)")
        throw ExitCode(2)
    }
}

/// The settings for a command that reads files but leaves the installation alone (`pages`, `extract`): no change of
/// user, nothing created. Ends the command with one line on stderr (exit 2) when they do not load.
func readSettings(_ global: GlobalOptions, command: String) throws -> FileroomSettings {
    do {
        return try FileroomSettings.load(homeFlag: global.home, configFlag: global.config, flags: global.settingFlags)
    } catch {
        printError("fileroom \(command): \(error.description)")
        throw ExitCode(2)
    }
}

/// Runs the start-up checks or ends the command with one line on stderr: exit 1 when another daemon holds the
/// home, 2 when anything else stops it.
func startRuntime(settings: FileroomSettings, logger: Logger) throws -> IntakeRuntime {
    do {
        return try IntakeRuntime.start(settings: settings, logger: logger)
    } catch {
        printError("fileroom: cannot start: \(error.description)")
        throw ExitCode(error.exitCode)
    }
}


/// Loads the settings from the global options, prepares the home folder and opens the store, or throws an
/// `ExitCode(2)` after printing one line saying why.
func openStore(_ global: GlobalOptions) throws -> any FileroomStore {
    try openInstallation(global).store
}

/// The settings and the store of the installation the global options name (see `openStore`): the SQLite file in
/// the home, or the PostgreSQL database of `database_url` (connected at its first use: a failure to connect ends
/// the command there, with exit status 2).
func openInstallation(_ global: GlobalOptions) throws -> (settings: FileroomSettings, store: any FileroomStore) {
    let settings = try loadSettings(global)
    if let url = settings.databaseURL {
        umask(0o077)
        do {
            try Home.prepare(settings)
        } catch {
            printError("fileroom: \(error.description)")
            throw ExitCode(2)
        }
        return (settings, PostgresStore(url: url, home: settings.home, hostID: settings.hostID))
    }
    let (_, store) = try openSQLiteInstallation(global, settings: settings)
    return (settings, store)
}

/// As `openInstallation`, for the commands that work on the SQLite file itself (`backup`, `check`): refused, exit
/// 2, on PostgreSQL, whose own tools (pg_dump, amcheck) do that.
func openSQLiteInstallation(_ global: GlobalOptions, settings loaded: FileroomSettings? = nil, command: String? = nil)
    throws -> (settings: FileroomSettings, store: SQLiteStore)
{
    // Files and folders of an installation hold patient data: owner only (0600/0700), as the daemon does.
    umask(0o077)
    let settings = try loaded ?? loadSettings(global)
    if settings.databaseURL != nil {
        printError(
            "fileroom \(command ?? ""): works on the SQLite store only; with database_url use PostgreSQL's tools "
                + "(pg_dump for a backup) and fileroom audit verify"
        )
        throw ExitCode(2)
    }
    do {
        try Home.prepare(settings)
        return (settings, try SQLiteStore(path: settings.database, home: settings.home, hostID: settings.hostID))
    } catch let error as SettingsError {
        printError("fileroom: \(error.description)")
    } catch let error as StoreError {
        printError("fileroom: \(error.description)")
    }
    throw ExitCode(2)
}

/// Runs a command's store work: a store failure (busy past the timeout, disk full, unreadable value) means the
/// command could not run, so it ends with one line on stderr and exit status 2 instead of ArgumentParser's 1.
func withStoreErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as StoreError {
        printError("fileroom: \(error.description)")
        throw ExitCode(2)
    }
}

func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// The operating-system user running the command (`getpwuid(geteuid())`).
func loginName() -> String {
    // The operating-system user, not $USER: anyone can set an environment variable to be anyone. A command root
    // ran stays root's in the audit after it became the home's owner (`loadSettings`).
    if let invoker = InvokingUser.name { return invoker }
    if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return String(cString: name) }
    return "uid \(geteuid())"
}

/// `--by WHO`, the one option every audited staff command takes: the actor is the operating-system user, `--by`
/// is recorded beside it as "on behalf of" (CONTRACTS.md, "Review and audit").
struct OnBehalfOption: ParsableArguments {
    @Option(name: .long, help: "On whose behalf, for the audit log (the actor is the operating-system user).")
    var by: String?
}

/// Who a staff command acts as, for the audit log: the operating-system user, with `--by` as "on behalf of".
func auditActor(_ by: String?) -> String {
    AuditActor.make(user: loginName(), onBehalfOf: by)
}

/// `(608) 555-0142` from 10 digits.
func formatPhone(_ digits: String) -> String {
    guard digits.count == 10 else { return digits }
    let d = Array(digits)
    return "(\(String(d[0..<3]))) \(String(d[3..<6]))-\(String(d[6..<10]))"
}

/// Fixed-width columns that fit 80 characters; the last column takes what is left, long values end in "…".
struct TextTable {
    struct Column {
        var title: String
        /// 0: whatever is left of the line.
        var width: Int
    }
    var columns: [Column]
    var lineWidth = 80

    func header() -> String { row(columns.map(\.title)) }

    func row(_ values: [String]) -> String {
        var used = 0
        var parts: [String] = []
        for (index, column) in columns.enumerated() {
            let isLast = index == columns.count - 1
            let width = isLast || column.width == 0 ? max(1, lineWidth - used) : column.width
            let value = index < values.count ? values[index] : ""
            let cell = value.count > width ? String(value.prefix(width - 1)) + "…" : value
            parts.append(isLast ? cell : cell.padding(toLength: width, withPad: " ", startingAt: 0))
            used += width + 2
        }
        return parts.joined(separator: "  ")
    }
}

extension FileroomSettings {
    /// The folders `backup` copies and `check` verifies.
    var installationFolders: InstallationFolders {
        InstallationFolders(
            home: home, database: database, archive: archive, filed: filed, review: review, unmatched: unmatched,
            quarantine: quarantine
        )
    }
}

/// The page reader `pages` and `extract` read with: languages, tessdata, the `[pages]` limits and the OCR time limit
/// of the configuration, as the daemon reads (`IntakeRuntime.pageSettings`); a flag given overrides its value.
/// Ends the command with one line on stderr (exit 2) when the OCR data is missing.
func configuredPageReader(
    _ settings: FileroomSettings, command: String, jobs: Int?, language: String? = nil,
    orientation: OrientationPolicy? = nil, pageTimeLimit: Double? = nil, pdfDpi: Double? = nil, lookAhead: Int? = nil
) throws -> (reader: PageReader, workers: Int) {
    var configured = settings
    if let language { configured.ocr.languages = language }
    do {
        let page = try IntakeRuntime.pageSettings(configured)
        var options = page.options
        if let orientation { options.orientation = orientation }
        var limits = page.limits
        if let pdfDpi { limits.pdfRenderDPI = pdfDpi }
        let timeLimit = pageTimeLimit.map { Duration.milliseconds(Int64($0 * 1000)) } ?? page.pageTimeLimit
        let pool = try OCRPool(
            workers: jobs ?? ProcessInfo.processInfo.activeProcessorCount, options: options, tessdata: page.tessdata
        )
        var readerOptions = PageReader.Options(limits: limits, pageTimeLimit: timeLimit)
        if let lookAhead { readerOptions.lookAhead = lookAhead }
        return (PageReader(pool: pool, options: readerOptions), pool.workerCount)
    } catch let error as IntakeStartupError {
        printError("fileroom \(command): \(error.description)")
    } catch {
        printError("fileroom \(command): \(error)")
    }
    throw ExitCode(2)
}

/// Who started the command, kept across `Home.actAsOwner` for the audit log.
enum InvokingUser {
    /// Set at most once, in `loadSettings` before the command starts any concurrent work, and read after: no data
    /// race in practice, and a command is one process.
    nonisolated(unsafe) static var name: String?
}
