import Intake
import Logging
import Settings
import Synchronization

/// Bootstraps swift-log once per process with the configured format and level (the library never does).
enum LoggingBootstrap {
    private static let done = Mutex(false)

    static func bootstrap(_ settings: FileroomSettings) -> Logger {
        let format: LineLogHandler.Format = settings.log.format == .json ? .json : .logfmt
        let level = Logger.Level(rawValue: settings.log.level.rawValue) ?? .info
        let first = done.withLock { done in
            defer { done = true }
            return !done
        }
        if first {
            let journal = LineLogHandler.standardErrorIsJournal()
            LoggingSystem.bootstrap { label in
                LineLogHandler(label: label, format: format, level: level, syslogPriority: journal)
            }
        }
        var logger = Logger(label: "fileroom")
        logger.logLevel = level
        return logger
    }
}
