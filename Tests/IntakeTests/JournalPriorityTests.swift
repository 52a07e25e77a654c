import Foundation
import Intake
import Logging
import Synchronization
import Testing

@Suite struct JournalPriorityTests {
    @Test func linesCarryTheirSyslogPriorityForTheJournal() {
        let lines = Mutex<[String]>([])
        var logger = Logger(label: "test") { label in
            LineLogHandler(label: label, format: .logfmt, level: .debug, syslogPriority: true) { line in
                lines.withLock { $0.append(line) }
            }
        }
        logger.logLevel = .debug
        logger.debug("d")
        logger.info("i")
        logger.notice("n")
        logger.warning("w")
        logger.error("e")
        logger.critical("c")
        let prefixes = lines.withLock { $0.map { String($0.prefix(3)) } }
        #expect(prefixes == ["<7>", "<6>", "<5>", "<4>", "<3>", "<2>"])
    }

    @Test func plainLinesWhenStandardErrorIsNotTheJournal() {
        #expect(!LineLogHandler.standardErrorIsJournal(environment: [:]))
        // A JOURNAL_STREAM inherited by a child whose stderr went elsewhere names another device and inode.
        #expect(!LineLogHandler.standardErrorIsJournal(environment: ["JOURNAL_STREAM": "1:1"]))
        var info = stat()
        #expect(fstat(2, &info) == 0)
        #expect(LineLogHandler.standardErrorIsJournal(environment: ["JOURNAL_STREAM": "\(info.st_dev):\(info.st_ino)"]))
    }
}
