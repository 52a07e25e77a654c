import ArgumentParser
import FileroomModel
import Foundation
import Intake
import Logging
import Review
import Settings
import Store

/// `fileroom review`: the documents the daemon could not file with certainty. Without a subcommand, the
/// interactive loop; the subcommands do the same actions for scripts.
struct ReviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Work through the review queue: interactively, or one action at a time.",
        discussion: """
            Without a subcommand, shows one item at a time with single-key actions: [a]ccept the proposed case, \
            [1-9] choose a candidate, [c] type a case id, [t] change the type, [s] split at a page, [r] reject \
            with a reason, [n] skip, [q] quit. Reads keys from standard input when it is not a terminal.
            """,
        subcommands: [
            Interactive.self, List.self, Show.self, Assign.self, Confirm.self, Retype.self, Split.self, Reject.self,
            Reprocess.self, Refile.self, Unfile.self,
        ],
        // `fileroom review [--by WHO] [--queue Q]` is the loop: its options are the default subcommand's, so that
        // the subcommands' own `--by` and `--queue` stay theirs.
        defaultSubcommand: Interactive.self
    )

    struct Interactive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "loop", abstract: "The interactive review loop (what `fileroom review` runs)."
        )

        @OptionGroup var global: GlobalOptions

        @Option(name: .long, help: "On whose behalf, for the audit log (the actor is the operating-system user).")
        var by: String?

        @Option(name: .long, help: "Which queue to work through: review, unmatched (default: both).")
        var queue: ReviewQueueChoice?

        func run() async throws {
            let desk = try openDesk(global)
            let input = DescriptorInput(fd: STDIN_FILENO)
            let tty = isatty(STDOUT_FILENO) == 1
            let loop = ReviewLoop(
                desk: desk, actor: auditActor(by), input: input,
                kinds: queue.map { [$0.kind] } ?? [.review, .unmatched], colour: tty,
                screenRows: tty ? terminalRows() : nil
            ) { text in
                FileHandle.standardOutput.write(Data(text.utf8))
            }
            input.enterKeyMode()
            defer { input.restore() }
            let summary = try await runReview { try await loop.run() }
            print("\(summary.handled) handled, \(summary.skipped) skipped, \(summary.refused) refused")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List open review items, oldest first.")

        @OptionGroup var global: GlobalOptions

        @Option(name: .long, help: "review or unmatched (default: both).")
        var queue: ReviewQueueChoice?

        @Flag(name: .long, help: "One JSON object per line.")
        var json = false

        func run() async throws {
            let desk = try openDesk(global)
            let items = try await runReview { try await desk.openItems(queue.map { [$0.kind] } ?? [.review, .unmatched]) }
            printItems(items, json: json, empty: "no items waiting for review")
            guard !json else { return }
            // Incomplete faxes among them, once each: someone must request a resend.
            var seen = Set<String>()
            for item in items where seen.insert(item.sourceID).inserted {
                let source = try await runReview { try await desk.store.source(item.sourceID) }
                if let notice = ReviewPresentation.incompleteNotice(source) {
                    print("incomplete fax \(item.sourceID):\n  \(notice)")
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show an item: type, pages, fields with confidence, candidates and why, the PDF to open."
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The item id.")
        var item: String

        @Flag(name: .long, help: "Print one JSON object.")
        var json = false

        @Flag(name: .long, help: "Also hand the item's PDF to the desktop's viewer (xdg-open).")
        var open = false

        func run() async throws {
            let desk = try openDesk(global)
            let details = try await runReview { try await desk.details(of: item) }
            if json {
                try printJSON(QueueItemJSON(details.item, document: details.document, source: details.source))
            } else {
                for line in ReviewPresentation.sheet(details, maxCandidates: 9) { print(line) }
                let tty = isatty(STDOUT_FILENO) == 1
                for line in ReviewPresentation.evidence(
                    details, limits: desk.pageLimits, marking: tty ? .reverseVideo : .brackets,
                    style: .forStandardOutput(allowPixels: true)
                ) {
                    print(line)
                }
            }
            if open { try openInViewer(details.document.filedPath) }
        }
    }

    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "File an item to an open case (one the matcher's rules did not back needs --confirm)."
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The item id.") var item: String
        @Argument(help: "The case id.") var caseID: String
        @OptionGroup var onBehalf: OnBehalfOption
        @Option(name: .long, help: "Why, for the audit log.") var reason: String?
        @Flag(name: .long, help: "File even though a rule failed (DOB, rival, not the top candidate).") var confirm = false
        @Flag(name: .long, help: "Print the outcome as one JSON object.") var json = false

        func run() async throws {
            let id = try parseCaseID(caseID)
            let desk = try openDesk(global)
            let outcome = try await runReview {
                try await desk.assign(item, to: id, by: auditActor(onBehalf.by), reason: reason, confirmed: confirm)
            }
            try printOutcome(outcome, verb: "filed", json: json)
        }
    }

    struct Confirm: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Accept the proposed case of an item.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The item id.") var item: String
        @OptionGroup var onBehalf: OnBehalfOption
        @Flag(name: .long, help: "File even though a rule failed (DOB, rival).") var confirm = false
        @Flag(name: .long, help: "Print the outcome as one JSON object.") var json = false

        func run() async throws {
            let desk = try openDesk(global)
            let outcome = try await runReview {
                try await desk.confirm(item, by: auditActor(onBehalf.by), confirmed: confirm)
            }
            try printOutcome(outcome, verb: "filed", json: json)
        }
    }

    struct Retype: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change the document type of an item.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The item id.") var item: String
        @Argument(help: "The type: \(DocumentType.allCases.map(\.rawValue).joined(separator: ", ")).") var type: String
        @OptionGroup var onBehalf: OnBehalfOption
        @Option(name: .long, help: "Why, for the audit log.") var reason: String?
        @Flag(name: .long, help: "Print the outcome as one JSON object.") var json = false

        func run() async throws {
            guard let documentType = DocumentType(rawValue: type) else {
                printError(
                    "fileroom: unknown type '\(type)' (one of \(DocumentType.allCases.map(\.rawValue).joined(separator: ", ")))"
                )
                throw ExitCode(1)
            }
            let desk = try openDesk(global)
            let outcome = try await runReview {
                try await desk.retype(item, to: documentType, by: auditActor(onBehalf.by), reason: reason)
            }
            try printOutcome(outcome, verb: "retyped", json: json)
        }
    }

    struct Split: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Split an item before a page: the item keeps the first pages, a new item the rest."
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The item id.") var item: String
        @Option(name: .long, help: "The first page of the second part (a page number of the fax).") var at: Int
        @OptionGroup var onBehalf: OnBehalfOption
        @Flag(name: .long, help: "Print both parts, one JSON object per line.") var json = false

        func run() async throws {
            let desk = try openDesk(global)
            let (first, second) = try await runReview { try await desk.split(item, atPage: at, by: auditActor(onBehalf.by)) }
            if json {
                for part in [first, second] {
                    try printJSON(QueueItemJSON(part.item, document: part.document, source: nil, pdfPath: part.pdfPath))
                }
            } else {
                print(
                    "split \(item): pages \(first.document.firstPage)-\(first.document.lastPage) stay with it, pages "
                        + "\(second.document.firstPage)-\(second.document.lastPage) are item \(second.item?.id ?? "-")"
                )
                for part in [first, second] { print("  " + (part.pdfPath ?? "")) }
            }
        }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject an item (not ours, junk): filed nowhere.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The item id.") var item: String
        @Option(name: .long, help: "Why (required, audited).") var reason: String
        @OptionGroup var onBehalf: OnBehalfOption
        @Flag(name: .long, help: "Print the outcome as one JSON object.") var json = false

        func run() async throws {
            let desk = try openDesk(global)
            let outcome = try await runReview { try await desk.reject(item, reason: reason, by: auditActor(onBehalf.by)) }
            try printOutcome(outcome, verb: "rejected", json: json)
        }
    }

    struct Reprocess: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run understanding and matching again for a source from its stored pages; a rejected or poison source is read again from its original under the current settings."
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The source id.") var source: String
        @OptionGroup var onBehalf: OnBehalfOption
        @Flag(name: .long, help: "Print the outcome as one JSON object.") var json = false

        func run() async throws {
            let desk = try openDesk(global)
            let source = try await runReview { try await desk.resolve(self.source, as: .source) }
            var (state, documents) = try await runReview { try await desk.reprocess(source, by: auditActor(onBehalf.by)) }
            if state == .claimed {
                // A rejected or poison source, put back to claimed: read it again now, under the current settings,
                // unless a daemon holds the home (it reads it at its next start).
                if let runtime = try? Installation.open(global, for: .staff).runtime() {
                    state = try? await runtime.engine.process(sourceID: source)
                    documents = try await runReview { try await desk.store.documents(of: source) }
                } else {
                    printError("a daemon holds this home: it reads \(source) again at its next start")
                }
            }
            if json {
                try printJSON(
                    ReprocessJSON(
                        sourceID: source, state: state?.rawValue, documents: documents.map(CaseDocumentJSON.init)
                    )
                )
                return
            }
            print("reprocessed \(source): \(state?.rawValue ?? "unfinished"), \(documents.count) document(s)")
            for document in documents {
                print(
                    "  \(document.id)  \(document.type.rawValue)  pages \(document.firstPage)-\(document.lastPage)  "
                        + "\(document.status.rawValue)\(document.caseID.map { " \($0)" } ?? "")"
                )
            }
        }
    }
}

extension ReviewCommand {
    struct Refile: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move a document (filed, in review or unmatched) to another open case.",
            discussion: """
                The PDF and sidecar move to filed/<case>/<queue>/, its queue items follow, and what its old filing \
                taught (the sender fax for the old case) is withdrawn. A case the matcher's rules did not back needs \
                --confirm. Interrupted, a repeat (or the next daemon start) completes the file moves.
                """
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The document id (as export --json gives it).") var document: String
        @Argument(help: "The case id.") var caseID: String
        @Option(name: .long, help: "Why (required, audited).") var reason: String
        @OptionGroup var onBehalf: OnBehalfOption
        @Flag(name: .long, help: "Refile even though a rule failed (DOB, rival, not the top candidate).") var confirm = false
        @Flag(name: .long, help: "Print the outcome as one JSON object.") var json = false

        func run() async throws {
            let id = try parseCaseID(caseID)
            let desk = try openDesk(global)
            let outcome = try await runReview {
                try await desk.refile(document, to: id, by: auditActor(onBehalf.by), reason: reason, confirmed: confirm)
            }
            try printCorrection(outcome, verb: "refiled", json: json)
        }
    }

    struct Unfile: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send a filed document back to the review queue (nothing of it left under filed/)."
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The document id (as export --json gives it).") var document: String
        @Option(name: .long, help: "Why (required, audited).") var reason: String
        @OptionGroup var onBehalf: OnBehalfOption
        @Flag(name: .long, help: "Print the outcome as one JSON object.") var json = false

        func run() async throws {
            let desk = try openDesk(global)
            let outcome = try await runReview { try await desk.unfile(document, by: auditActor(onBehalf.by), reason: reason) }
            try printCorrection(outcome, verb: "unfiled", json: json)
        }
    }
}

/// Hands a PDF to the desktop's viewer (`xdg-open`, or `FILEROOM_VIEWER`), without waiting for it to close.
func openInViewer(_ path: String?) throws {
    guard let path, FileManager.default.fileExists(atPath: path) else {
        printError("fileroom: the item's PDF is not written yet: nothing to open")
        throw ExitCode(1)
    }
    let viewer = ProcessInfo.processInfo.environment["FILEROOM_VIEWER"] ?? "xdg-open"
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [viewer, path]
    process.standardInput = FileHandle.nullDevice
    do {
        try process.run()
    } catch {
        printError("fileroom: cannot start \(viewer): \(path) is the PDF to open")
        throw ExitCode(1)
    }
}

func printCorrection(_ outcome: CorrectionOutcome, verb: String, json: Bool) throws {
    if json {
        var object = QueueItemJSON(outcome.item, document: outcome.document, source: nil, pdfPath: outcome.pdfPath)
        object.changed = outcome.changed
        try printJSON(object)
        return
    }
    var line = "\(verb) \(outcome.document.id)"
    if outcome.document.status == .filed, let caseID = outcome.document.caseID { line += " to \(caseID)" }
    if let item = outcome.item { line += " (\(item.kind.rawValue) queue item \(item.id))" }
    if !outcome.changed { line += " (already done)" }
    print(line)
    if let path = outcome.pdfPath { print("  " + path) }
}

enum ReviewQueueChoice: String, ExpressibleByArgument, CaseIterable {
    case review, unmatched

    var kind: QueueKind { self == .review ? .review : .unmatched }
}

// MARK: - Shared by review, queue and audit

/// The review desk of the installation, through the one factory (`Installation`).
func openDesk(_ global: GlobalOptions) throws -> ReviewDesk {
    try Installation.open(global, for: .staff).desk()
}

/// Runs review work. A refusal (exit 1, nothing changed) or a store or file failure (exit 2) reaches the one
/// exit-status map (`ExitStatus.of`) as it is.
func runReview<T>(_ body: () async throws -> T) async throws -> T {
    try await body()
}

/// The full id meant by `text` (a unique prefix, as git does) among `kinds`; an ambiguous prefix is refused, exit 1,
/// listing the matches. For commands that open the store themselves (cases, queue, audit).
func resolveID(_ text: String, as kinds: [IdentifiedKind], in store: any FileroomStore) async throws -> String {
    try await runReview { try await IdentifierResolver(store: store).resolve(text, as: kinds) }
}

/// `resolveID` for a case id typed on the command line: refused when it cannot be a case id at all.
func resolveCaseID(_ text: String, in store: any FileroomStore) async throws -> CaseID {
    _ = try parseCaseID(text)
    return try parseCaseID(try await resolveID(text, as: [.case], in: store))
}

func parseCaseID(_ text: String) throws -> CaseID {
    guard let id = CaseID(rawValue: text) else {
        printError("fileroom: '\(text)' is not a case id (1 to 64 letters, digits, '-', '_' or '.')")
        throw ExitCode(1)
    }
    return id
}

/// `review list` and `queue list`: a table that fits 80 columns, or JSON Lines.
func printItems(_ items: [QueueItem], json: Bool, empty: String) {
    if json {
        for item in items { try? printJSON(QueueItemJSON(item)) }
        return
    }
    guard !items.isEmpty else {
        print(empty)
        return
    }
    let colour = isatty(STDOUT_FILENO) == 1
    let table = TextTable(
        columns: [
            // Ids are 28 characters and never cut; the month and day of arrival leave the case its room.
            .init(title: "ITEM", width: 28), .init(title: "RCVD", width: 5), .init(title: "TYPE", width: 16),
            .init(title: "PAGES", width: 5), .init(title: "CASE", width: 0),
        ]
    )
    let header = table.header()
    print(colour ? "\u{1B}[1m\(header)\u{1B}[0m" : header)
    for item in items {
        let pages = item.firstPage == item.lastPage ? "\(item.firstPage)" : "\(item.firstPage)-\(item.lastPage)"
        var caseText = item.caseID?.rawValue ?? "-"
        if item.kind == .review || item.kind == .unmatched,
            let best = item.candidates.first(where: { $0.caseID == item.caseID }) ?? item.candidates.first
        {
            caseText = "\(best.caseID) \(ReviewPresentation.percent(best.probability))"
            if item.caseID == nil { caseText = "(\(caseText))" }
        }
        let received = String(item.receivedAt.dropFirst(5).prefix(5))
        print(table.row([item.id, received, item.type.rawValue, pages, caseText]))
    }
}

func printOutcome(_ outcome: ReviewOutcome, verb: String, json: Bool) throws {
    if let warning = outcome.warning { printError(warning) }
    if json {
        var object = QueueItemJSON(outcome.item, document: outcome.document, source: nil, pdfPath: outcome.pdfPath)
        object.changed = outcome.changed
        try printJSON(object)
        return
    }
    var line = "\(verb) \(outcome.document.id)"
    if outcome.document.status == .filed, let caseID = outcome.document.caseID { line += " to \(caseID)" }
    if let item = outcome.item, item.kind != .review, item.kind != .unmatched {
        line += " (\(item.kind.rawValue) queue item \(item.id))"
    }
    if !outcome.changed { line += " (already done)" }
    print(line)
    if let path = outcome.pdfPath { print("  " + path) }
}

// MARK: - JSON shapes

/// A review or queue item as CONTRACTS.md gives it: `id`, `source_id`, `pages`, `type`, `case_id`, `candidates`.
struct QueueItemJSON: Encodable {
    struct Candidate: Encodable {
        var caseID: String
        var probability: Double
        var status: String
        var breakdown: String
        var levels: [String: String]

        enum CodingKeys: String, CodingKey {
            case probability, status, breakdown, levels
            case caseID = "case_id"
        }
    }

    var id: String?
    var documentID: String
    var sourceID: String
    var queue: String?
    var state: String?
    var pages: [Int]
    var type: String
    var caseID: String?
    var status: String?
    var confidence: Double?
    var candidates: [Candidate]
    var receivedAt: String?
    var createdAt: String?
    var pdfPath: String?
    var fields: [String: String?]?
    /// Every extracted field with its confidence, as `review show` lists them.
    var extracted: [ExtractedFieldJSON]?
    var file: String?
    var changed: Bool?

    enum CodingKeys: String, CodingKey {
        case id, queue, state, pages, type, status, confidence, candidates, fields, extracted, file, changed
        case documentID = "document_id", sourceID = "source_id", caseID = "case_id", receivedAt = "received_at"
        case createdAt = "created_at", pdfPath = "pdf_path"
    }

    init(_ item: QueueItem) {
        id = item.id
        documentID = item.documentID
        sourceID = item.sourceID
        queue = item.kind.rawValue
        state = item.state.rawValue
        pages = [item.firstPage, item.lastPage]
        type = item.type.rawValue
        caseID = item.caseID?.rawValue
        confidence = item.confidence
        candidates = item.candidates.map(Self.candidate)
        receivedAt = item.receivedAt
        createdAt = item.createdAt
        pdfPath = item.filedPath
    }

    init(_ item: QueueItem?, document: DocumentRecord, source: SourceRecord?, pdfPath: String? = nil) {
        id = item?.id
        documentID = document.id
        sourceID = document.sourceID
        queue = item?.kind.rawValue
        state = item?.state.rawValue
        createdAt = item?.createdAt
        receivedAt = item?.receivedAt
        candidates = (item?.candidates ?? document.decision?.candidates ?? []).map(Self.candidate)
        pages = [document.firstPage, document.lastPage]
        type = document.type.rawValue
        caseID = document.caseID?.rawValue
        status = document.status.rawValue
        confidence = document.confidence
        self.pdfPath = pdfPath ?? document.filedPath
        if let source {
            fields = document.fields.exportFields
            extracted = ReviewPresentation.fields(document.fields).map {
                ExtractedFieldJSON(field: $0.label, value: $0.value, confidence: $0.confidence)
            }
            file = source.originalName
            receivedAt = source.receivedAt
        }
    }

    static func candidate(_ candidate: MatchCandidate) -> Candidate {
        Candidate(
            caseID: candidate.caseID.rawValue, probability: candidate.probability,
            status: candidate.caseStatus.rawValue, breakdown: ReviewPresentation.breakdown(candidate),
            levels: candidate.levels
        )
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        // The contract's keys are always written, null where unknown.
        try c.encode(id, forKey: .id)
        try c.encode(sourceID, forKey: .sourceID)
        try c.encode(pages, forKey: .pages)
        try c.encode(type, forKey: .type)
        try c.encode(caseID, forKey: .caseID)
        try c.encode(candidates, forKey: .candidates)
        try c.encode(documentID, forKey: .documentID)
        try c.encodeIfPresent(queue, forKey: .queue)
        try c.encodeIfPresent(state, forKey: .state)
        try c.encodeIfPresent(status, forKey: .status)
        try c.encode(confidence, forKey: .confidence)
        try c.encode(receivedAt, forKey: .receivedAt)
        try c.encodeIfPresent(createdAt, forKey: .createdAt)
        try c.encode(pdfPath, forKey: .pdfPath)
        try c.encodeIfPresent(fields, forKey: .fields)
        try c.encodeIfPresent(extracted, forKey: .extracted)
        try c.encodeIfPresent(file, forKey: .file)
        try c.encodeIfPresent(changed, forKey: .changed)
    }
}

struct ExtractedFieldJSON: Encodable {
    var field: String
    var value: String
    var confidence: Double
}

struct ReprocessJSON: Encodable {
    var sourceID: String
    var state: String?
    var documents: [CaseDocumentJSON]

    enum CodingKeys: String, CodingKey {
        case state, documents
        case sourceID = "source_id"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(sourceID, forKey: .sourceID)
        try c.encode(state, forKey: .state)
        try c.encode(documents, forKey: .documents)
    }
}

/// The terminal's height in rows (24 when it does not say).
func terminalRows() -> Int {
    var size = winsize()
    guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0 else { return 24 }
    return Int(size.ws_row)
}
