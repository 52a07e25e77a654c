import FileroomModel
import Foundation
import Logging
import OCR
import PageWorkers
import Pages
import PostgresStore
import Settings
import Store

/// Why the daemon could not start. One line each, naming what to fix.
public struct IntakeStartupError: Error, CustomStringConvertible {
    public var description: String
    /// The command's exit status: 1 when another daemon holds the home (CONTRACTS.md), 2 for anything else that
    /// stops it from running.
    public var exitCode: Int32 = 2
}

/// Everything a running installation needs, built once after the start-up checks: the folders exist and are
/// writable, the spool, work and quarantine share a file system, no other daemon holds the home, the database is
/// present (or the home is new), opens, passes `PRAGMA quick_check` and is migrated, the unit's task limit fits
/// the workers, tessdata holds the OCR languages. The daemon, `--once`, `ingest` and the tests all build it
/// through `start`.
public struct IntakeRuntime: Sendable {
    public let settings: FileroomSettings
    /// The SQLite file in the home, or the PostgreSQL database `database_url` names.
    public let store: any FileroomStore
    public let engine: IntakeEngine
    /// The home's instance lock, held as long as this runtime (or a copy of it) lives. Only with SQLite: on
    /// PostgreSQL several daemons share the home, coordinated by leases.
    public let instanceLock: InstanceLock?

    /// The store when it is the embedded SQLite file (diagnostics that only SQLite has).
    public var sqliteStore: SQLiteStore? { store as? SQLiteStore }

    public static func start(
        settings: FileroomSettings, logger: Logger, pageStage: (any PageStage)? = nil, today: CalendarDate? = nil
    ) throws(IntakeStartupError) -> IntakeRuntime {
        // Files and folders of an installation hold patient data: owner only.
        umask(0o077)
        let lock: InstanceLock?
        do {
            try Home.prepare(settings)
            try Home.checkFileSystems(settings)
            lock = settings.databaseURL == nil ? try InstanceLock.acquire(home: settings.home) : nil
        } catch {
            if case .instanceLocked = error { throw IntakeStartupError(description: error.description, exitCode: 1) }
            throw IntakeStartupError(description: error.description)
        }
        if let problem = TaskBudget.check(workers: settings.workers) {
            throw IntakeStartupError(description: problem)
        }
        let store: any FileroomStore
        do {
            if let url = settings.databaseURL {
                // Connects and migrates in the background; a server that is down is a transient failure of the
                // first step, retried as a full disk is.
                store = PostgresStore(
                    url: url, home: settings.home, hostID: settings.hostID, leaseDuration: IntakeEngine.leaseSeconds,
                    maximumConnections: settings.workers + 4
                )
                return IntakeRuntime(
                    settings: settings, store: store,
                    engine: try makeEngine(settings: settings, store: store, logger: logger, pageStage: pageStage, today: today),
                    instanceLock: lock
                )
            }
            let sqlite = try SQLiteStore(path: settings.database, home: settings.home, hostID: settings.hostID)
            store = sqlite
            let check = try sqlite.quickCheck()
            guard check == ["ok"] else {
                throw IntakeStartupError(
                    description: "database \(settings.database) fails PRAGMA quick_check (\(check.prefix(3).joined(separator: "; "))): "
                        + "restore it from a backup (fileroom backup writes one)"
                )
            }
        } catch let error as IntakeStartupError {
            throw error
        } catch let error as StoreError {
            let damaged = error.reason == "database_corrupt" || error.description.contains("malformed")
                || error.description.contains("not a database")
            let fix = damaged ? ": the file is damaged; restore it from a backup (fileroom backup writes one)" : ""
            throw IntakeStartupError(description: "database: \(error.description)\(fix)")
        } catch {
            throw IntakeStartupError(description: "database: \(error)")
        }
        let engine = try makeEngine(settings: settings, store: store, logger: logger, pageStage: pageStage, today: today)
        return IntakeRuntime(settings: settings, store: store, engine: engine, instanceLock: lock)
    }

    static func makeEngine(
        settings: FileroomSettings, store: any FileroomStore, logger: Logger, pageStage: (any PageStage)?,
        today: CalendarDate?
    ) throws(IntakeStartupError) -> IntakeEngine {
        let stage: any PageStage
        if let pageStage {
            stage = pageStage
        } else {
            stage = try makePageStage(settings: settings, logger: logger)
        }
        return IntakeEngine(
            settings: settings, store: store, pageStage: stage, logger: logger, today: today ?? CalendarDate.today()
        )
    }

    /// The page stage `pages.isolation` asks for: page worker processes (the default) or daemon threads.
    public static func makePageStage(settings: FileroomSettings, logger: Logger) throws(IntakeStartupError) -> any PageStage {
        let (options, limits, pageTimeLimit, tessdata) = try pageSettings(settings)
        switch settings.pages.isolation {
        case .inProcess:
            OCRPool.silenceLeptonica()
            do {
                let pool = try OCRPool(workers: settings.workers, options: options, tessdata: tessdata)
                let reader = PageReader(pool: pool, options: PageReader.Options(limits: limits, pageTimeLimit: pageTimeLimit))
                return OCRPageStage(reader: reader)
            } catch {
                throw IntakeStartupError(description: "OCR: \(error)")
            }
        case .workers:
            let configuration = PageWorkerConfiguration(
                recognition: options, tessdata: tessdata.path, limits: limits, pageTimeLimit: pageTimeLimit
            )
            do {
                let pool = try PageWorkerPool(
                    configuration: configuration, workers: settings.workers, executable: PageWorkerExecutable.path(),
                    logger: logger
                )
                return WorkerPageStage(pool: pool)
            } catch {
                throw IntakeStartupError(description: "page workers: \(error)")
            }
        }
    }

    /// What the configuration says about reading pages (languages, tessdata, limits, the OCR time limit): the one
    /// place the daemon, `pages` and `extract` take them from.
    public static func pageSettings(_ settings: FileroomSettings) throws(IntakeStartupError) -> (
        options: RecognitionOptions, limits: PageLimits, pageTimeLimit: Duration, tessdata: Tessdata
    ) {
        let options = RecognitionOptions(language: settings.ocr.languages)
        let limits = PageLimits(
            maxFileBytes: settings.pages.maxFileBytes, maxPagesPerFile: settings.pages.maxPages,
            maxPixelsPerPage: settings.pages.maxPixels, maxPixelsPerSide: settings.pages.maxSide,
            pdfRenderDPI: settings.pages.renderDPI
        )
        let pageTimeLimit = Duration.milliseconds(Int64(settings.pages.ocrPageTimeoutSeconds * 1000))
        do {
            let languages = settings.ocr.languages.split(separator: "+").map(String.init) + ["osd"]
            let tessdata =
                try settings.ocr.tessdata.map { path throws(OCRError) in
                    let location = Tessdata(path: path)
                    for language in languages { try location.require(language) }
                    return location
                } ?? Tessdata.locate(languages: languages)
            return (options, limits, pageTimeLimit, tessdata)
        } catch {
            throw IntakeStartupError(description: "OCR: \(error)")
        }
    }
}
