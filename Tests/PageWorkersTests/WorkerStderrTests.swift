import Foundation
import Logging
import OCR
import PageWorkers
import Pages
import Synchronization
import Testing

/// Log records kept in memory.
final class RecordedLog: Sendable {
    struct Record: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    let records = Mutex<[Record]>([])

    var logger: Logger {
        var logger = Logger(label: "test") { _ in Handler(log: self) }
        logger.logLevel = .trace
        return logger
    }

    struct Handler: LogHandler {
        let log: RecordedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let record = Record(
                level: event.level, message: "\(event.message)",
                metadata: (event.metadata ?? [:]).mapValues { "\($0)" }
            )
            log.records.withLock { $0.append(record) }
        }
    }
}

@Suite struct WorkerStderrTests {
    /// What a worker prints on standard error (leptonica's raw lines) reaches the daemon's log only as
    /// escaped, capped debug records, never as raw lines at info or above.
    @Test func aWorkersStandardErrorIsLoggedOnlyAsEscapedDebugRecords() throws {
        let log = RecordedLog()
        // /bin/sh takes `page-worker` for a script it cannot open: it says so on standard error and exits.
        let configuration = PageWorkerConfiguration(
            recognition: .init(), tessdata: "/nonexistent", limits: PageLimits(), pageTimeLimit: .seconds(1)
        )
        #expect(throws: PageWorkerStartError.self) {
            _ = try PageWorkerPool(configuration: configuration, workers: 1, executable: "/bin/sh", logger: log.logger)
        }
        let records = log.records.withLock { $0 }
        let stderrLines = records.filter { $0.message == "page worker stderr" }
        #expect(!stderrLines.isEmpty)
        #expect(stderrLines.allSatisfy { $0.level == .debug })
        #expect(stderrLines.contains { $0.metadata["line"]?.contains("page-worker") == true })
        #expect(records.allSatisfy { $0.level <= .debug })
    }
}
