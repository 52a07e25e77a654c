import ArgumentParser
import Foundation
import Review
import Store

/// `fileroom audit`: the append-only, hash-chained record of every change a person (or the daemon) made.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "List the audit trail, or verify that no entry was changed outside the tool.",
        subcommands: [List.self, Verify.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List audit entries, oldest first.")

        @OptionGroup var global: GlobalOptions

        @Option(name: .long, help: "Only entries about this item (queue item, document or source id).")
        var item: String?

        @Option(name: .long, help: "Only entries about this case.")
        var `case`: String?

        @Flag(name: .long, help: "One JSON object per line.")
        var json = false

        func run() async throws {
            let store = try openStore(global)
            // Unique prefixes as everywhere; an id no longer in the store is looked for as typed.
            var item = self.item
            if let typed = item { item = try await resolveID(typed, as: [.item, .document, .source], in: store) }
            var caseID = self.case
            if let typed = caseID { caseID = try await resolveID(typed, as: [.case], in: store) }
            let entries = try await withStoreErrors { [item, caseID] in try await store.auditEntries(item: item, caseID: caseID) }
            if json {
                for entry in entries { try printJSON(AuditEntryJSON(entry)) }
                return
            }
            guard !entries.isEmpty else {
                print("no audit entries")
                return
            }
            let table = TextTable(
                columns: [
                    .init(title: "ID", width: 5), .init(title: "WHEN (UTC)", width: 16), .init(title: "WHO", width: 8),
                    .init(title: "ACTION", width: 13), .init(title: "ITEM", width: 0),
                ]
            )
            print(table.header())
            for entry in entries {
                let when = entry.at.prefix(16).replacingOccurrences(of: "T", with: " ")
                print(table.row([String(entry.id), when, entry.actor, entry.action, entry.item ?? entry.caseID ?? ""]))
                // Ids are never cut: the case and the reason go on a line of their own.
                var notes: [String] = []
                if let person = entry.onBehalfOf { notes.append("on behalf of \(person)") }
                if let caseID = entry.caseID, entry.item != nil, caseID != entry.item { notes.append("case \(caseID)") }
                if let reason = entry.reason, !reason.isEmpty { notes.append("reason: " + reason) }
                if !notes.isEmpty {
                    for line in wrapped("       " + notes.joined(separator: "; ")) { print(line) }
                }
            }
        }

        private func wrapped(_ text: String) -> [String] {
            var lines: [String] = []
            var rest = Substring(text)
            while rest.count > 80 {
                lines.append(String(rest.prefix(80)))
                rest = "       " + rest.dropFirst(80)
            }
            lines.append(String(rest))
            return lines
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Walk the hash chain: exit 0 with the number of entries checked, exit 1 naming the first broken one."
        )

        @OptionGroup var global: GlobalOptions

        @Flag(name: .long, help: "Print the result as one JSON object.")
        var json = false

        func run() async throws {
            let store = try openStore(global)
            let result = try await withStoreErrors { try await store.verifyAudit() }
            if json {
                try printJSON(VerifyJSON(checked: result.checked, intact: result.isIntact, firstBroken: result.firstBroken))
            } else if let broken = result.firstBroken {
                var line = "audit chain broken at entry \(broken) (\(result.checked) entries before it hold)"
                if let problem = result.problem { line += ": " + problem }
                print(line)
            } else {
                print("audit chain intact: \(result.checked) entries checked")
            }
            if !result.isIntact { throw ExitCode(1) }
        }
    }

    struct VerifyJSON: Encodable {
        var checked: Int
        var intact: Bool
        var firstBroken: Int64?

        enum CodingKeys: String, CodingKey {
            case checked, intact
            case firstBroken = "first_broken"
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(checked, forKey: .checked)
            try c.encode(intact, forKey: .intact)
            try c.encode(firstBroken, forKey: .firstBroken)
        }
    }
}

struct AuditEntryJSON: Encodable {
    var entry: AuditEntry
    init(_ entry: AuditEntry) { self.entry = entry }

    enum Keys: String, CodingKey {
        case id, at, actor, action, item, reason, before, after, hash
        case caseID = "case_id", prevHash = "prev_hash", onBehalfOf = "on_behalf_of"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(entry.id, forKey: .id)
        try c.encode(entry.at, forKey: .at)
        try c.encode(entry.actor, forKey: .actor)
        try c.encode(entry.action, forKey: .action)
        try c.encode(entry.item, forKey: .item)
        try c.encode(entry.caseID, forKey: .caseID)
        try c.encode(entry.before, forKey: .before)
        try c.encode(entry.after, forKey: .after)
        try c.encode(entry.reason, forKey: .reason)
        try c.encode(entry.prevHash, forKey: .prevHash)
        try c.encode(entry.hash, forKey: .hash)
        try c.encode(entry.onBehalfOf, forKey: .onBehalfOf)
    }
}
