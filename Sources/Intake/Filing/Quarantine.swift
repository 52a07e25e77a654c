import Foundation
import Pages
import Settings
import Store

/// Moves a rejected source's original to `quarantine/` with an `.error.json` beside it naming the file and the
/// reason. Idempotent: a repeat finishes whatever an interrupted run left undone.
package struct Quarantine {
    let settings: FileroomSettings

    /// Longest quarantine file name in bytes: with `.error.json` and the temporary suffix of a durable write
    /// (`.tmp-<pid>`) it stays well under the 255-byte limit of a file name, whatever the sender called the fax.
    static let maximumNameBytes = 200

    func place(_ source: SourceRecord, reason: String, message: String, pageError: PageError?) throws {
        try DurableFiles.makeDirectory(settings.quarantine)
        let target = "\(settings.quarantine)/\(Self.fileName(sourceID: source.id, originalName: source.originalName))"
        let claimed = "\(settings.work)/\(source.id)/original"
        if DurableFiles.exists(claimed) {
            try DurableFiles.move(claimed, to: target)
        } else if let archived = source.archivePath, DurableFiles.exists(archived), !DurableFiles.exists(target) {
            try DurableFiles.copy(archived, to: target)
        }
        let report = QuarantineReport(
            sourceID: source.id, file: source.originalName, sha256: source.sha256, reason: reason, message: message,
            page: pageError?.page, limit: pageError?.limit, actual: pageError?.actual,
            at: Timestamp.rfc3339(Date())
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try DurableFiles.write(Array(try encoder.encode(report)), to: "\(target).error.json")
        DurableFiles.removeTree("\(settings.work)/\(source.id)")
    }

    /// `<source id>-<original name>`, the name cut (at a character, keeping its extension) to fit
    /// `maximumNameBytes`; the report keeps the whole name.
    package static func fileName(sourceID: String, originalName: String) -> String {
        let clean = originalName.replacingOccurrences(of: "/", with: "_")
        let prefix = "\(sourceID)-"
        let budget = maximumNameBytes - prefix.utf8.count
        guard clean.utf8.count > budget else { return prefix + clean }
        let dot = clean.lastIndex(of: ".")
        let suffix = dot.map { String(clean[$0...]) }.flatMap { $0.utf8.count <= 12 ? $0 : nil } ?? ""
        var stem = suffix.isEmpty ? clean : String(clean[..<dot!])
        while stem.utf8.count + suffix.utf8.count + 1 > budget, !stem.isEmpty { stem.removeLast() }
        return prefix + stem + "~" + suffix
    }
}

/// The `.error.json` beside a quarantined file. Names the file: staff read it, the log never does.
struct QuarantineReport: Codable, Sendable {
    var sourceID: String
    var file: String
    var sha256: String
    var reason: String
    var message: String
    var page: Int?
    var limit: Int?
    var actual: Int?
    var at: String

    enum CodingKeys: String, CodingKey {
        case sourceID = "source_id"
        case file, sha256, reason, message, page, limit, actual, at
    }
}
