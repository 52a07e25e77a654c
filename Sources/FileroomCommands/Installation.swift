import FileroomModel
import Foundation
import Intake
import Logging
import Matching
import OCR
import Pages
import PostgresStore
import Review
import Settings
import Store

/// One way to open an installation. Every command takes its settings, store, page reader, matcher, review desk,
/// runtime and logger from here, as the daemon does, so `fileroom.toml` means the same thing to `pages` as to the
/// service, and a broken configuration stops every command with the same line and exit status (`ExitStatus.of`).
/// Failures are thrown as they are (settings, store, start-up errors): the exit-status map turns them into lines.
struct Installation {
    /// What a command does with the installation it names.
    enum Use {
        /// Reads files, and the store only when one exists (`pages`, `extract`, `match`): no change of user, nothing
        /// created, so they run anywhere the configuration is readable.
        case reader
        /// Staff and ops commands: run by root, becomes the home's owner first; prepares the home, opens the store.
        case staff
        /// `daemon` and `ingest`: as staff, and logs with the configured format and level (journal priorities).
        case service
    }

    let settings: FileroomSettings
    let logger: Logger

    /// The settings of the installation the global options name (flags > environment > config file > defaults),
    /// and, for staff and service use, the home's owner as the process's user (`Home.actAsOwner`).
    static func open(_ global: GlobalOptions, for use: Use, flags: [String: String] = [:]) throws -> Installation {
        let settings = try FileroomSettings.load(
            homeFlag: global.home, configFlag: global.config, flags: global.settingFlags.merging(flags) { $1 }
        )
        if use != .reader {
            // Files and folders of an installation hold patient data: owner only (0600/0700), as the daemon does;
            // the packaged folders' modes (tmpfiles) and the filing code's explicit modes give the group its share.
            umask(0o077)
            let invoker = sudoInvoker(home: settings.home) ?? loginName()
            try Home.actAsOwner(of: settings.home)
            if InvokingUser.name == nil, invoker != loginName() { InvokingUser.name = invoker }
            try Home.checkAccess(settings)
        }
        let logger: Logger
        if use == .service {
            logger = LoggingBootstrap.bootstrap(settings)
        } else {
            // Staff commands keep the terminal for their own output; the review desk logs only ids anyway.
            logger = Logger(label: "fileroom.command") { _ in SwiftLogNoOpLogHandler() }
        }
        return Installation(settings: settings, logger: logger)
    }

    /// The person behind `sudo -u fileroom fileroom ...` (README, Operations: how staff run commands), for the
    /// audit log. Trusted only when the process runs as root or as the home's owner: only sudo, root or that user
    /// can set `SUDO_USER` for such a process, and root and that user can change the database anyway; a staff
    /// member who sets it in their own shell runs as themselves and is audited as themselves.
    static func sudoInvoker(home: String) -> String? {
        guard let person = ProcessInfo.processInfo.environment["SUDO_USER"], !person.isEmpty, getpwnam(person) != nil
        else { return nil }
        var info = stat()
        let owner = stat(home, &info) == 0 ? info.st_uid : nil
        return geteuid() == 0 || geteuid() == owner ? person : nil
    }

    /// The prepared home's store (folders created when missing, the database opened and migrated): the SQLite file
    /// in the home, or the PostgreSQL database of `database_url`, connected and migrated at its first use (a
    /// failure to connect ends the command there, as any store error does).
    func store() throws -> any FileroomStore {
        try Home.prepare(settings)
        if let url = settings.databaseURL {
            return PostgresStore(url: url, home: settings.home, hostID: settings.hostID)
        }
        return try SQLiteStore(path: settings.database, home: settings.home, hostID: settings.hostID)
    }

    /// The SQLite store, for the commands that work on its file itself (`backup`, `check`); with `database_url`
    /// they are refused (exit 2): PostgreSQL's own tools (pg_dump, amcheck) do that work there.
    func sqliteStore(command: String) throws -> SQLiteStore {
        guard settings.databaseURL == nil else {
            throw CommandFailure.cannotRun(
                "\(command) works on the SQLite store only; with database_url use PostgreSQL's tools (pg_dump for a "
                    + "backup) and fileroom audit verify"
            )
        }
        try Home.prepare(settings)
        return try SQLiteStore(path: settings.database, home: settings.home, hostID: settings.hostID)
    }

    /// The store when the home has a database; never creates a home or a database (`extract`, `match`).
    func existingStore() throws -> (any FileroomStore)? {
        if let url = settings.databaseURL { return PostgresStore(url: url, home: settings.home, hostID: settings.hostID) }
        guard FileManager.default.fileExists(atPath: settings.database) else { return nil }
        return try SQLiteStore(path: settings.database, home: settings.home)
    }

    /// The running installation after the start-up checks (`IntakeRuntime.start`): the lock, the store, the page
    /// stage `pages.isolation` asks for.
    func runtime() throws -> IntakeRuntime {
        try IntakeRuntime.start(settings: settings, logger: logger)
    }

    /// The review desk over the store.
    func desk() throws -> ReviewDesk {
        ReviewDesk(settings: settings, store: try store(), logger: logger)
    }

    /// The matcher with the configuration's thresholds, as the daemon matches.
    var matcher: Matcher { Matcher(settings: settings) }

    /// The page reader `pages` and `extract` read with: languages, tessdata, the `[pages]` limits and the OCR time
    /// limit of the configuration, as the daemon reads (`IntakeRuntime.pageSettings`); a flag given overrides its
    /// value. Throws an `IntakeStartupError` (exit 2) when the OCR data is missing.
    func pageReader(
        jobs: Int?, language: String? = nil, orientation: OrientationPolicy? = nil, pageTimeLimit: Double? = nil,
        pdfDpi: Double? = nil, lookAhead: Int? = nil
    ) throws -> (reader: PageReader, workers: Int) {
        var configured = settings
        if let language { configured.ocr.languages = language }
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
    }
}

