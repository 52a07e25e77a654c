import ArgumentParser
import FileroomModel
import Foundation
import Intake
import Review
import Store

/// `fileroom queue`: what waits for each reading service (pathology, radiology, records).
struct QueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "The readers' queues: list what is waiting, mark an item done.",
        subcommands: [List.self, Done.self]
    )

    enum Reader: String, ExpressibleByArgument, CaseIterable {
        case pathology, radiology, records

        var kind: QueueKind {
            switch self {
            case .pathology: .pathology
            case .radiology: .radiology
            case .records: .records
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List open items of a reader queue, oldest first.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "pathology, radiology or records.")
        var queue: Reader

        @Option(name: .long, help: "Only items of this case.")
        var `case`: String?

        @Flag(name: .long, help: "One JSON object per line.")
        var json = false

        func run() async throws {
            _ = try self.case.map(parseCaseID)
            let desk = try openDesk(global)
            var caseID: CaseID? = nil
            if let typed = self.case { caseID = try await resolveCaseID(typed, in: desk.store) }
            let items = try await runReview { try await desk.store.openQueueItems(queue.kind, caseID: caseID) }
            printItems(
                items, json: json,
                empty: "nothing waiting in the \(queue.rawValue) queue" + (caseID.map { " for \($0)" } ?? "")
            )
        }
    }

    struct Done: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark a reader-queue item done (audited).")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The item id.")
        var item: String

        @OptionGroup var onBehalf: OnBehalfOption

        @Option(name: .long, help: "A note for the audit log.")
        var reason: String?

        @Flag(name: .long, help: "Print the outcome as one JSON object.")
        var json = false

        func run() async throws {
            let desk = try openDesk(global)
            let changed = try await runReview { try await desk.queueDone(item, by: auditActor(onBehalf.by), reason: reason) }
            if json {
                try printJSON(DoneJSON(id: item, state: QueueItemState.done.rawValue, changed: changed))
            } else {
                print(changed ? "done \(item)" : "\(item) was already done")
            }
        }
    }

    struct DoneJSON: Encodable {
        var id: String
        var state: String
        var changed: Bool
    }
}
