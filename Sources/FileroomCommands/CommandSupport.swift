import ArgumentParser
import FileroomModel
import Foundation
import Intake
import Logging
import OCR
import Pages
import Settings
import Store

// Helpers every command shares: settings, the store, the runtime, output.

/// The store of the installation the global options name, through the one factory (`Installation`).
func openStore(_ global: GlobalOptions) throws -> any FileroomStore {
    try Installation.open(global, for: .staff).store()
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
    // ran stays root's in the audit after it became the home's owner (`Installation.open`).
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

/// Who started the command, kept across `Home.actAsOwner` for the audit log.
enum InvokingUser {
    /// Set at most once, in `Installation.open` before the command starts any concurrent work, and read after: no data
    /// race in practice, and a command is one process.
    nonisolated(unsafe) static var name: String?
}
