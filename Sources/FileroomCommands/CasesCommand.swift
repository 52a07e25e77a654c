import ArgumentParser
import FileroomModel
import Foundation
import Intake
import Settings
import Store

/// `fileroom cases`: the center's second-opinion cases.
struct CasesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cases",
        abstract: "Import, list, show and close second-opinion cases.",
        subcommands: [Import.self, List.self, Show.self, Close.self, Reopen.self]
    )

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import or update cases from a CSV file (columns of cases.csv), by case id.",
            discussion: """
                Every bad row is reported with its line number. Nothing is imported unless every row is valid, \
                or --skip-invalid is given. Importing the same file twice changes nothing.
                """
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The case list, in the columns of cases.csv.")
        var file: String

        @Flag(name: .long, help: "Import the valid rows and report the invalid ones instead of importing nothing.")
        var skipInvalid = false

        @OptionGroup var onBehalf: OnBehalfOption

        @Flag(
            name: .long,
            help: "Let the list's status column reopen closed cases too (by default it only closes: a case closed with 'cases close' stays closed)."
        )
        var updateStatus = false

        @Flag(name: .long, help: "Print the summary as one JSON object.")
        var json = false

        func run() async throws {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: file))
            } catch {
                printError("fileroom: cannot read \(file): no such file or not readable")
                throw ExitCode(2)
            }
            guard let text = String(data: data, encoding: .utf8) else {
                printError("fileroom: \(file) is not UTF-8 text")
                throw ExitCode(2)
            }
            let store = try openStore(global)
            let report = try await withStoreErrors {
                try await store.importCases(
                    csv: text, skipInvalid: skipInvalid, actor: auditActor(onBehalf.by), updateStatus: updateStatus
                )
            }
            for problem in report.problems { printError(problem.description) }
            guard let summary = report.summary else {
                printError("nothing imported: \(report.problems.count) invalid row(s) (fix them, or use --skip-invalid)")
                throw ExitCode(1)
            }
            if json {
                try printJSON(
                    ImportSummaryJSON(
                        inserted: summary.inserted, updated: summary.updated, unchanged: summary.unchanged,
                        skipped: report.problems.count
                    )
                )
            } else {
                var line = "imported \(report.validRows) case(s): \(summary.inserted) new, \(summary.updated) updated, "
                    + "\(summary.unchanged) unchanged"
                if !report.problems.isEmpty { line += ", \(report.problems.count) invalid row(s) skipped" }
                print(line)
                if summary.keptClosed > 0 {
                    print(
                        "\(summary.keptClosed) closed case(s) listed as open were left closed "
                            + "(cases reopen CASE --reason TEXT, or import with --update-status)"
                    )
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List cases, by case id.")

        @OptionGroup var global: GlobalOptions

        @Option(name: .long, help: "Only cases with this status (open or closed).")
        var status: CaseStatus?

        @Flag(name: .long, help: "One JSON object per line.")
        var json = false

        func run() async throws {
            let store = try openStore(global)
            let cases = try await withStoreErrors { try await store.cases(status: status) }
            if json {
                for record in cases { try printJSON(CaseJSON(record)) }
                return
            }
            guard !cases.isEmpty else {
                print(status.map { "no \($0.rawValue) cases" } ?? "no cases")
                return
            }
            let table = TextTable(
                columns: [
                    .init(title: "CASE", width: 14), .init(title: "STATUS", width: 6),
                    .init(title: "PATIENT", width: 22), .init(title: "DOB", width: 10),
                    .init(title: "OPENED", width: 10), .init(title: "SITE", width: 0),
                ]
            )
            print(table.header())
            for record in cases {
                print(
                    table.row([
                        record.caseID.rawValue, record.status.rawValue,
                        record.patientLast + ", " + record.patientFirst, record.dateOfBirth.iso,
                        record.openedOn?.iso ?? "", record.cancerSite ?? "",
                    ])
                )
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a case and the documents the store holds for it.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The case id.")
        var caseID: String

        @Flag(name: .long, help: "Print one JSON object.")
        var json = false

        func run() async throws {
            guard CaseID(rawValue: caseID) != nil else {
                printError("'\(caseID)' is not a case id (1 to 64 letters, digits, '-', '_' or '.')")
                throw ExitCode(1)
            }
            let store = try openStore(global)
            let id = try await resolveCaseID(caseID, in: store)
            guard let record = try await withStoreErrors({ try await store.case(id) }) else {
                printError("no case \(id)")
                throw ExitCode(1)
            }
            let documents = try await withStoreErrors { try await store.documents(forCase: id) }
            let checklist = RecordsChecklist(documents: documents, today: CalendarDate.today())
            if json {
                try printJSON(
                    CaseShowJSON(
                        case: CaseJSON(record), documents: documents.map(CaseDocumentJSON.init),
                        checklist: checklist.items.map(ChecklistItemJSON.init)
                    )
                )
                return
            }
            let colour = isatty(STDOUT_FILENO) == 1
            print(caseSheet(record))
            // A fax of this case that delivered fewer pages than it declared: ask for the rest.
            var seen = Set<String>()
            for document in documents where seen.insert(document.sourceID).inserted {
                let source = try await withStoreErrors { try await store.source(document.sourceID) }
                if let notice = ReviewPresentation.incompleteNotice(source) {
                    print("Incomplete fax \(document.sourceID):\n  \(notice)")
                }
            }
            print("")
            print("Records for the second opinion:")
            for item in checklist.items {
                let mark: String
                switch item.state {
                case .ok: mark = "[x]"
                case .missing: mark = colour ? "\u{1B}[1;31m[ ]\u{1B}[0m" : "[ ]"
                case .unsigned, .expired: mark = colour ? "\u{1B}[1;33m[!]\u{1B}[0m" : "[!]"
                }
                var line = "  \(mark) " + item.title.padding(toLength: 21, withPad: " ", startingAt: 0)
                switch item.state {
                case .ok:
                    let dates = item.documents.compactMap { $0.fields.serviceDate?.value.iso }
                    line += "\(item.documents.count) on file"
                    if !dates.isEmpty { line += " (" + dates.joined(separator: ", ") + ")" }
                case .missing: line += "MISSING"
                case .unsigned: line += "NOT SIGNED"
                case .expired: line += "EXPIRED"
                }
                if let note = item.note { line += "; " + note }
                if item.inReview > 0 { line += "; \(item.inReview) waiting in review" }
                print(String(line.prefix(colour ? 110 : 80)))
            }
            if !checklist.otherFiled.isEmpty {
                print("  Also filed: " + checklist.otherFiled.map(\.type.rawValue).joined(separator: ", "))
            }
            print("")
            guard !documents.isEmpty else {
                print("No documents filed or proposed for this case yet.")
                return
            }
            print("Documents (\(documents.count)):")
            let table = TextTable(
                columns: [
                    .init(title: "DATE", width: 10), .init(title: "TYPE", width: 16), .init(title: "PAGES", width: 5),
                    .init(title: "STATUS", width: 9), .init(title: "DOCUMENT", width: 0),
                ]
            )
            print(table.header())
            for document in documents {
                let pages = document.firstPage == document.lastPage
                    ? "\(document.firstPage)" : "\(document.firstPage)-\(document.lastPage)"
                print(
                    table.row([
                        document.fields.serviceDate?.value.iso ?? "", document.type.rawValue, pages,
                        document.status.rawValue, document.id,
                    ])
                )
                if let path = document.filedPath { print("  " + path) }
            }
        }

        private func caseSheet(_ record: CaseRecord) -> String {
            var lines: [String] = []
            func add(_ label: String, _ value: String?) {
                guard let value, !value.isEmpty else { return }
                lines.append(label.padding(toLength: 20, withPad: " ", startingAt: 0) + value)
            }
            add("Case", record.caseID.rawValue)
            add("Status", record.status.rawValue)
            add(
                "Patient",
                [record.patientLast + ",", record.patientFirst, record.patientMiddle ?? ""]
                    .filter { !$0.isEmpty }.joined(separator: " ")
            )
            add("Date of birth", record.dateOfBirth.iso)
            add("Sex", record.sex)
            add("MRN", record.mrn)
            add("Phone", record.phone.map(formatPhone))
            let place = [record.city, record.state, record.zip].compactMap { $0 }.joined(separator: " ")
            add("Address", [record.address, place.isEmpty ? nil : place].compactMap { $0 }.joined(separator: ", "))
            add("Referring provider", record.referringProvider)
            add("Referring facility", record.referringFacility)
            add("Referring fax", record.referringFax.map(formatPhone))
            add("Cancer site", record.cancerSite)
            add("Opened", record.openedOn?.iso)
            return lines.joined(separator: "\n")
        }
    }

    struct Close: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Close a case: it takes no more documents (audited)."
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The case id.")
        var caseID: String

        @OptionGroup var onBehalf: OnBehalfOption

        @Option(name: .long, help: "Why, for the audit log.")
        var reason: String?

        @Flag(name: .long, help: "Print the outcome as one JSON object.")
        var json = false

        func run() async throws {
            guard CaseID(rawValue: caseID) != nil else {
                printError("'\(caseID)' is not a case id (1 to 64 letters, digits, '-', '_' or '.')")
                throw ExitCode(1)
            }
            let store = try openStore(global)
            let id = try await resolveCaseID(caseID, in: store)
            guard try await withStoreErrors({ try await store.case(id) }) != nil else {
                printError("no case \(id)")
                throw ExitCode(1)
            }
            let closed = try await withStoreErrors { try await store.closeCase(id, actor: auditActor(onBehalf.by), reason: reason) }
            if json {
                try printJSON(CloseJSON(caseID: id.rawValue, status: CaseStatus.closed.rawValue, changed: closed))
            } else if closed {
                print("closed \(id)")
            } else {
                print("\(id) was already closed")
            }
        }
    }
}

extension CasesCommand {
    struct Reopen: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reopen a closed case (audited).")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The case id.") var caseID: String
        @Option(name: .long, help: "Why (required, audited).") var reason: String
        @OptionGroup var onBehalf: OnBehalfOption

        func run() async throws {
            guard CaseID(rawValue: caseID) != nil else {
                printError("'\(caseID)' is not a case id (1 to 64 letters, digits, '-', '_' or '.')")
                throw ExitCode(1)
            }
            guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
                printError("fileroom: reopening a case needs a reason")
                throw ExitCode(1)
            }
            let store = try openStore(global)
            let id = try await resolveCaseID(caseID, in: store)
            guard try await withStoreErrors({ try await store.case(id) }) != nil else {
                printError("no case \(id)")
                throw ExitCode(1)
            }
            let reopened = try await withStoreErrors { try await store.reopenCase(id, actor: auditActor(onBehalf.by), reason: reason) }
            print(reopened ? "reopened \(id)" : "\(id) was already open")
        }
    }
}

extension CaseStatus: ExpressibleByArgument {}

// MARK: - JSON shapes

/// A case as `cases list --json` and `cases show --json` print it (snake_case, nulls written).
struct CaseJSON: Encodable {
    var record: CaseRecord
    init(_ record: CaseRecord) { self.record = record }

    enum Keys: String, CodingKey {
        case caseID = "case_id", status, patientLast = "patient_last", patientFirst = "patient_first"
        case patientMiddle = "patient_middle", dob, sex, mrn, phone, address, city, state, zip
        case referringProvider = "referring_provider", referringFacility = "referring_facility"
        case referringFax = "referring_fax", cancerSite = "cancer_site", openedOn = "opened_on"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(record.caseID.rawValue, forKey: .caseID)
        try c.encode(record.status.rawValue, forKey: .status)
        try c.encode(record.patientLast, forKey: .patientLast)
        try c.encode(record.patientFirst, forKey: .patientFirst)
        try c.encode(record.patientMiddle, forKey: .patientMiddle)
        try c.encode(record.dateOfBirth.iso, forKey: .dob)
        try c.encode(record.sex, forKey: .sex)
        try c.encode(record.mrn, forKey: .mrn)
        try c.encode(record.phone, forKey: .phone)
        try c.encode(record.address, forKey: .address)
        try c.encode(record.city, forKey: .city)
        try c.encode(record.state, forKey: .state)
        try c.encode(record.zip, forKey: .zip)
        try c.encode(record.referringProvider, forKey: .referringProvider)
        try c.encode(record.referringFacility, forKey: .referringFacility)
        try c.encode(record.referringFax, forKey: .referringFax)
        try c.encode(record.cancerSite, forKey: .cancerSite)
        try c.encode(record.openedOn?.iso, forKey: .openedOn)
    }
}

struct CaseDocumentJSON: Encodable {
    var id: String
    var sourceID: String
    var pages: [Int]
    var type: String
    var status: String
    var queue: String
    var confidence: Double?
    var filedPath: String?

    init(_ document: DocumentRecord) {
        id = document.id
        sourceID = document.sourceID
        pages = [document.firstPage, document.lastPage]
        type = document.type.rawValue
        status = document.status.rawValue
        queue = document.queue.rawValue
        confidence = document.confidence
        filedPath = document.filedPath
    }

    enum CodingKeys: String, CodingKey {
        case id, pages, type, status, queue, confidence
        case sourceID = "source_id", filedPath = "filed_path"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(sourceID, forKey: .sourceID)
        try c.encode(pages, forKey: .pages)
        try c.encode(type, forKey: .type)
        try c.encode(status, forKey: .status)
        try c.encode(queue, forKey: .queue)
        try c.encode(confidence, forKey: .confidence)
        try c.encode(filedPath, forKey: .filedPath)
    }
}

/// `cases show --json`: the case's own keys, plus its documents and the records checklist.
struct CaseShowJSON: Encodable {
    var `case`: CaseJSON
    var documents: [CaseDocumentJSON]
    var checklist: [ChecklistItemJSON]

    enum Keys: String, CodingKey { case documents, checklist }

    func encode(to encoder: any Encoder) throws {
        try self.case.encode(to: encoder)
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(documents, forKey: .documents)
        try c.encode(checklist, forKey: .checklist)
    }
}

struct ChecklistItemJSON: Encodable {
    var item: String
    /// `ok`, `missing`, `unsigned` or `expired`.
    var state: String
    var documents: [String]
    var serviceDates: [String]
    var inReview: Int
    var note: String?

    init(_ item: RecordsChecklist.Item) {
        self.item = item.key
        state = item.state.rawValue
        documents = item.documents.map(\.id)
        serviceDates = item.documents.compactMap { $0.fields.serviceDate?.value.iso }
        inReview = item.inReview
        note = item.note
    }

    enum CodingKeys: String, CodingKey {
        case item, state, documents, note
        case serviceDates = "service_dates"
        case inReview = "in_review"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(item, forKey: .item)
        try c.encode(state, forKey: .state)
        try c.encode(documents, forKey: .documents)
        try c.encode(serviceDates, forKey: .serviceDates)
        try c.encode(inReview, forKey: .inReview)
        try c.encode(note, forKey: .note)
    }
}

struct CloseJSON: Encodable {
    var caseID: String
    var status: String
    var changed: Bool

    enum CodingKeys: String, CodingKey {
        case status, changed
        case caseID = "case_id"
    }
}

struct ImportSummaryJSON: Encodable {
    var inserted: Int
    var updated: Int
    var unchanged: Int
    var skipped: Int
}
