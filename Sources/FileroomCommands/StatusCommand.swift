import ArgumentParser
import FileroomModel
import Foundation
import Intake
import Settings
import Store

/// `fileroom status`: what the installation holds, for ops (ids only) and, with `--by-case`, for staff.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Counts per state and queue, the oldest items and the last errors (ids only)."
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print one JSON object.")
    var json = false

    @Flag(name: .customLong("by-case"), help: "Also list what was filed, case by case (document types and pages).")
    var byCase = false

    func run() async throws {
        let installation = try Installation.open(global, for: .staff)
        let (settings, store) = (installation.settings, try installation.store())
        let spool = SpoolScanner.census(spoolPath: settings.spool)
        let daemon = InstanceLock.holder(home: settings.home)
        let counts = try await store.counts()
        let filed = byCase ? try await filedByCase(store) : []
        if json {
            try printJSON(StatusJSON(counts: counts, spool: spool, daemon: daemon, byCase: byCase ? filed : nil))
            return
        }
        if let daemon {
            print("daemon     running, pid \(daemon.pid.map(String.init) ?? "?") since \(Timestamp.rfc3339(daemon.since))")
        } else {
            print("daemon     not running")
        }
        // Final states one by one, the steps in between as one figure: the line fits 80 columns.
        let finals = SourceState.allCases.filter(\.isFinal).map { "\($0.rawValue)=\(counts.sourcesByState[$0] ?? 0)" }
        let unfinished = SourceState.allCases.filter { !$0.isFinal }.reduce(0) { $0 + (counts.sourcesByState[$1] ?? 0) }
        print("sources    " + finals.joined(separator: " ") + " unfinished=\(unfinished)"
            + (counts.poison > 0 ? " poison=\(counts.poison)" : ""))
        let statuses = DocumentStatus.allCases.map { "\($0.rawValue)=\(counts.documentsByStatus[$0] ?? 0)" }
        print("documents  " + statuses.joined(separator: " "))
        let queues = QueueKind.allCases.map { "\($0.rawValue)=\(counts.openQueueItems[$0] ?? 0)" }
        print("open items " + queues.joined(separator: " "))
        // Entries never claimed (FIFOs, folders, symlinks, files still being written), by kind: no names.
        print("spool      waiting=\(spool.waiting)" + (spool.ignored.isEmpty ? "" : " ignored: \(spool.ignoredSummary)"))
        if counts.retrying > 0 {
            print("retrying \(counts.retrying), oldest since \(counts.oldestRetrySince ?? "-")")
            // Which step the system refused and why (permission_denied, disk_full, ...): ids only.
            let retrying = try await store.unfinishedSources().filter { $0.retryCount > 0 }
            for source in retrying.prefix(5) {
                print("  \(source.id) \(source.retryReason ?? "-") x\(source.retryCount) since \(source.retrySince ?? "-")")
            }
        }
        if let oldest = counts.oldestUnfinished {
            print("oldest unfinished: \(oldest.id) since \(oldest.receivedAt)")
        }
        if let review = counts.oldestOpenReview {
            print("oldest review:     \(review.id) since \(review.createdAt)")
        }
        for error in counts.lastErrors.prefix(5) {
            print("rejected:          \(error.sourceID) \(error.reason)")
        }
        // Faxes that delivered fewer pages than they declared: someone must ask the sender to send again.
        let finished = try await store.sources(in: [.filed, .review, .unmatched])
        for source in finished.sorted(by: { $0.receivedAt < $1.receivedAt }) {
            if let notice = ReviewPresentation.incompleteNotice(source) { print("incomplete:        \(source.id) \(notice)") }
        }
        guard byCase else { return }
        print("")
        if filed.isEmpty { print("nothing filed yet") }
        for entry in filed {
            print("\(entry.caseID)")
            for document in entry.documents {
                let pages = document.pages.count == 2 ? "pages \(document.pages[0])-\(document.pages[1])" : ""
                print("  \(document.type.padding(toLength: 18, withPad: " ", startingAt: 0)) \(document.queue.padding(toLength: 11, withPad: " ", startingAt: 0)) \(pages)  \(document.documentID ?? "-")")
            }
        }
    }

    struct CaseFilings: Encodable {
        var caseID: String
        var documents: [ExportDocument]

        enum CodingKeys: String, CodingKey {
            case caseID = "case_id"
            case documents
        }
    }

    /// Filed documents grouped by case, cases in id order, documents in arrival order.
    private func filedByCase(_ store: any FileroomStore) async throws -> [CaseFilings] {
        var byCase: [String: [ExportDocument]] = [:]
        for source in try await store.export() {
            for document in source.documents where document.status == "filed" {
                if let caseID = document.caseID { byCase[caseID, default: []].append(document) }
            }
        }
        return byCase.keys.sorted().map { CaseFilings(caseID: $0, documents: byCase[$0] ?? []) }
    }

    /// `{"waiting": 2, "ignored": {"fifo": 1, "folder": 1}}`.
    struct SpoolJSON: Encodable {
        var waiting: Int
        var ignored: [String: Int]

        init(_ census: SpoolCensus) {
            waiting = census.waiting
            ignored = Dictionary(uniqueKeysWithValues: census.ignored.map { ($0.key.rawValue, $0.value) })
        }
    }

    struct StatusJSON: Encodable {
        var counts: StoreCounts
        var spool: SpoolCensus
        var daemon: InstanceLock.Holder?
        var byCase: [CaseFilings]?

        enum CodingKeys: String, CodingKey {
            case spool, daemon, retrying, retryingOldestSince = "retrying_oldest_since"
            case sources, poison, documents, queues, oldestUnfinished = "oldest_unfinished"
            case oldestOpenReview = "oldest_open_review", lastErrors = "last_errors", byCase = "by_case"
        }

        enum DaemonKeys: String, CodingKey { case running, pid, since }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(
                Dictionary(uniqueKeysWithValues: counts.sourcesByState.map { ($0.key.rawValue, $0.value) }),
                forKey: .sources
            )
            try c.encode(counts.poison, forKey: .poison)
            try c.encode(counts.retrying, forKey: .retrying)
            try c.encode(counts.oldestRetrySince, forKey: .retryingOldestSince)
            try c.encode(SpoolJSON(spool), forKey: .spool)
            // {"running": true, "pid": 123, "since": "..."}; {"running": false} when no daemon holds the home.
            var running = c.nestedContainer(keyedBy: DaemonKeys.self, forKey: .daemon)
            try running.encode(daemon != nil, forKey: .running)
            try running.encodeIfPresent(daemon?.pid, forKey: .pid)
            try running.encodeIfPresent(daemon.map { Timestamp.rfc3339($0.since) }, forKey: .since)
            try c.encode(
                Dictionary(uniqueKeysWithValues: counts.documentsByStatus.map { ($0.key.rawValue, $0.value) }),
                forKey: .documents
            )
            try c.encode(
                Dictionary(uniqueKeysWithValues: counts.openQueueItems.map { ($0.key.rawValue, $0.value) }),
                forKey: .queues
            )
            try c.encode(
                counts.oldestUnfinished.map { ["id": $0.id, "received_at": $0.receivedAt] }, forKey: .oldestUnfinished
            )
            try c.encode(
                counts.oldestOpenReview.map { ["id": $0.id, "created_at": $0.createdAt] }, forKey: .oldestOpenReview
            )
            try c.encode(
                counts.lastErrors.map { ["source_id": $0.sourceID, "reason": $0.reason, "at": $0.at] },
                forKey: .lastErrors
            )
            try c.encodeIfPresent(byCase, forKey: .byCase)
        }
    }
}
