import ArgumentParser
import Foundation
import Intake
import OCR
import Review
import Settings
import Store

// The one place failures become exit statuses (CONTRACTS.md, "Exit status"). Commands throw what went wrong (a
// settings, store, start-up or review error, or a `CommandFailure`); `Fileroom.runAsMain` prints its one line and
// exits with the status this file gives it, so the same failure ends every command the same way.

/// The exit statuses of every command.
enum ExitStatus {
    /// The command ran, but something it was asked to do failed (a file rejected, an action refused).
    static let failed: Int32 = 1
    /// The command could not run at all (settings, home, database, OCR data).
    static let cannotRun: Int32 = 2
    /// `daemon --once` and `ingest` left a file unfinished (the disk or database kept failing).
    static let unfinished: Int32 = 3
}

/// A failure a command names itself: the line for stderr and what kind of failure it is.
struct CommandFailure: Error, CustomStringConvertible {
    enum Kind {
        /// Exit 1: something asked for failed or was refused; nothing changed that should not have.
        case failed
        /// Exit 2: the command could not run.
        case cannotRun
        /// Exit 3: work was left unfinished.
        case unfinished
    }

    var kind: Kind
    /// One line, safe to log (ids, paths the user gave, reasons), without the "fileroom: " prefix.
    var description: String

    /// Exit 1 with this line.
    static func failed(_ line: String) -> CommandFailure { CommandFailure(kind: .failed, description: line) }
    /// Exit 2 with this line.
    static func cannotRun(_ line: String) -> CommandFailure { CommandFailure(kind: .cannotRun, description: line) }
    /// Exit 3 with this line.
    static func unfinished(_ line: String) -> CommandFailure { CommandFailure(kind: .unfinished, description: line) }
    /// Exit 1 with nothing more to say (the command printed its findings).
    static let quietlyFailed = CommandFailure(kind: .failed, description: "")
    /// Exit 3 with nothing more to say (the command printed its summary).
    static let quietlyUnfinished = CommandFailure(kind: .unfinished, description: "")
}

extension ExitStatus {
    /// The exit status of a failure and the line to print on stderr (nil: the failure printed what it had to say).
    static func of(_ error: any Error) -> (status: Int32, line: String?) {
        func line(_ text: String) -> String? { text.isEmpty ? nil : "fileroom: " + text }
        switch error {
        case let failure as CommandFailure:
            let status = switch failure.kind {
            case .failed: failed
            case .cannotRun: cannotRun
            case .unfinished: unfinished
            }
            return (status, line(failure.description))
        case let refusal as ReviewRefusal:
            return (failed, line(refusal.description))
        case let needed as ReviewConfirmationNeeded:
            return (failed, line(needed.description))
        case let error as SettingsError:
            // A second daemon on a home is "ran, refused" (CONTRACTS.md: exit 1 naming the lock and the pid).
            if case .instanceLocked = error { return (failed, line(error.description)) }
            return (cannotRun, line(error.description))
        case let error as IntakeStartupError:
            return (error.exitCode, line("cannot start: " + error.description))
        case let error as StoreError:
            return (cannotRun, line(error.description))
        case let error as FileStepError:
            return (cannotRun, line(error.description))
        case let error as OCRError:
            return (cannotRun, line("OCR: " + error.description))
        case let error as any CustomStringConvertible:
            return (cannotRun, line(error.description))
        default:
            return (cannotRun, line("\(error)"))
        }
    }

    /// Errors ArgumentParser reports itself: usage (64), help and version (0), an explicit `ExitCode`, and its own
    /// internal errors (`fileroom help` throws one from `run()` to print the help).
    static func isParserOutcome(_ error: any Error) -> Bool {
        error is ExitCode || error is CleanExit || error is ValidationError
            || String(reflecting: type(of: error)).hasPrefix("ArgumentParser.")
    }
}
