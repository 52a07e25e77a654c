import ArgumentParser
import FileroomModel
import Foundation
import OCR
import Pages
import Settings
import Store
import Understanding

/// `fileroom extract`: documents, types and fields of received files.
struct ExtractCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Split received files into documents with a type and fields.",
        discussion: """
            With --page-text, reads the page texts that `fileroom pages --json --words` prints (JSON Lines, \
            one {"file", "pages"} object per line; "-" for standard input) instead of running OCR.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Fax files (TIFF or PDF).")
    var files: [String] = []

    @Option(name: .customLong("page-text"), help: "JSON Lines of page texts to read instead of files ('-' for stdin).")
    var pageText: String?

    @Flag(help: "One JSON object per line and file.")
    var json = false

    @Option(name: .customLong("center-name"), help: "The receiving center's name (default: center.name of the settings).")
    var centerName: String?

    @Option(name: .customLong("center-fax"), help: "The receiving center's fax, never a sender's (default: center.fax).")
    var centerFax: String?

    @Flag(name: .customLong("show-layout"), help: .hidden)
    var showLayout = false

    @Option(help: "OCR workers for the FILE form (default: all cores).")
    var jobs: Int?

    @Option(help: "Today's date (YYYY-MM-DD) for expiry and two-digit years; defaults to the clock.")
    var today: String?

    func validate() throws {
        if pageText == nil && files.isEmpty { throw ValidationError("Give files or --page-text FILE.") }
        if pageText != nil && !files.isEmpty { throw ValidationError("Give either files or --page-text, not both.") }
        if let today, CalendarDate(iso: today) == nil { throw ValidationError("--today must be YYYY-MM-DD.") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() async throws {
        let installation = try Installation.open(global, for: .reader)
        let settings = installation.settings
        let interpreter = FaxInterpreter(
            today: today.flatMap(CalendarDate.init(iso:)) ?? Self.clockToday(),
            centerName: centerName ?? settings.center.name, centerFax: centerFax ?? settings.center.fax)
        // The daemon looks for the open cases on every page; extract does the same when the home has a case list,
        // so both give the same documents and fields.
        let known = await Self.knownPatients(installation)
        var failed = false
        if let pageText {
            let data: Data
            do {
                data = pageText == "-" ? FileHandle.standardInput.readDataToEndOfFile()
                    : try Data(contentsOf: URL(fileURLWithPath: pageText))
            } catch {
                throw CommandFailure.cannotRun("cannot read \(pageText): \(error.localizedDescription)")
            }
            let decoder = JSONDecoder()
            // `pages --json --words` writes snake_case keys; the plain Codable form of PageText is camelCase.
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            for (index, line) in data.split(separator: UInt8(ascii: "\n")).enumerated()
            where !line.allSatisfy({ $0 == 32 || $0 == 13 || $0 == 9 }) {
                do {
                    let input = try decoder.decode(PageTextInput.self, from: Data(line))
                    if input.status == "rejected" {
                        failed = true
                        emit(ExtractReport(
                            file: (input.file as NSString).lastPathComponent, error: input.error ?? "rejected by the page stage"))
                        continue
                    }
                    if showLayout {
                        for page in input.pages {
                            print("== \(input.file) page \(page.number)\n" + interpreter.layoutDescription(page))
                        }
                    }
                    // Named as the export names sources: by file name, not by the path `pages` was given.
                    let name = (input.file as NSString).lastPathComponent
                    emit(ExtractReport(file: name, understood: interpreter.interpret(input.pages, known: known)))
                } catch {
                    failed = true
                    emit(ExtractReport(file: "line \(index + 1)", error: "unreadable page text: \(error)"))
                }
            }
        } else {
            failed = try await extractFiles(interpreter: interpreter, known: known, installation: installation)
        }
        if failed { throw CommandFailure.quietlyFailed }
    }

    /// Runs the page stage (decode + OCR) on each file, then understanding; prints in argument order.
    /// Returns whether any file was rejected.
    private func extractFiles(
        interpreter: FaxInterpreter, known: KnownPatients, installation: Installation
    ) async throws -> Bool {
        // The configuration's limits, languages and tessdata, as the daemon reads.
        let (reader, workerCount) = try installation.pageReader(jobs: jobs)
        var anyRejected = false
        // Tasks are added from the loop itself, as `pages` does: a nested function capturing the task group
        // lost every child in release builds (Swift 6.3), so `extract FILE` printed nothing and exited 0.
        let files = self.files
        await withTaskGroup(of: (Int, Result<[PageText], PageReadError>).self) { group in
            var pending = files.indices.makeIterator()
            var nextToPrint = 0
            var done: [Int: Result<[PageText], PageReadError>] = [:]
            for _ in 0..<(workerCount + 1) {
                guard let index = pending.next() else { break }
                group.addTask { await PagesCommand.read(files[index], index: index, with: reader) }
            }
            for await (index, result) in group {
                done[index] = result
                if let next = pending.next() {
                    group.addTask { await PagesCommand.read(files[next], index: next, with: reader) }
                }
                while let ready = done.removeValue(forKey: nextToPrint) {
                    let name = (files[nextToPrint] as NSString).lastPathComponent
                    switch ready {
                    case let .success(pages):
                        emit(ExtractReport(file: name, understood: interpreter.interpret(pages, known: known)))
                    case let .failure(error):
                        anyRejected = true
                        emit(ExtractReport(file: name, error: error.description))
                    }
                    nextToPrint += 1
                }
            }
        }
        return anyRejected
    }

    /// The open cases of the home's store, when it has one; never creates a home or a database.
    static func knownPatients(_ installation: Installation) async -> KnownPatients {
        guard let store = try? installation.existingStore(), let cases = try? await store.openAndClosedCases()
        else { return .none }
        return KnownPatients(cases)
    }

    static func clockToday() -> CalendarDate? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        guard let y = parts.year, let m = parts.month, let d = parts.day else { return nil }
        return CalendarDate(year: y, month: m, day: d)
    }

    func emit(_ report: ExtractReport) {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            if let data = try? encoder.encode(report), let text = String(data: data, encoding: .utf8) {
                print(text)
            }
        } else {
            print(report.humanReadable)
        }
    }
}

/// One line of `fileroom pages --json --words` (or `{"file", "pages"}` with plain `PageText`s).
struct PageTextInput: Decodable {
    var file: String
    var status: String?
    var error: String?
    var pages: [PageText]

    enum CodingKeys: String, CodingKey { case file, status, error, pages }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        file = try c.decode(String.self, forKey: .file)
        status = try c.decodeIfPresent(String.self, forKey: .status)
        error = try c.decodeIfPresent(String.self, forKey: .error)
        pages = try c.decodeIfPresent([LenientPage].self, forKey: .pages)?.map(\.page) ?? []
    }
}

/// A page whose optional parts (timings, skew, lines without `--words`) may be missing.
struct LenientPage: Decodable {
    var page: PageText

    enum CodingKeys: String, CodingKey {
        case number, source, width, height, dpiX, dpiY, rotation, skew, confidence, lines, timings
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        page = PageText(
            number: try c.decode(Int.self, forKey: .number),
            source: try c.decodeIfPresent(TextSource.self, forKey: .source) ?? .ocr,
            width: try c.decodeIfPresent(Int.self, forKey: .width) ?? 0,
            height: try c.decodeIfPresent(Int.self, forKey: .height) ?? 0,
            dpiX: try c.decodeIfPresent(Double.self, forKey: .dpiX) ?? 200,
            dpiY: try c.decodeIfPresent(Double.self, forKey: .dpiY) ?? 200,
            rotation: try c.decodeIfPresent(Int.self, forKey: .rotation) ?? 0,
            skew: try c.decodeIfPresent(Double.self, forKey: .skew) ?? 0,
            confidence: try c.decodeIfPresent(Double.self, forKey: .confidence) ?? 0,
            lines: try c.decodeIfPresent([TextLine].self, forKey: .lines) ?? [],
            timings: try c.decodeIfPresent(PageTimings.self, forKey: .timings) ?? PageTimings())
    }
}

/// One file's extraction, in the shape of a source of the export format plus confidences and evidence.
struct ExtractReport: Encodable {
    var file: String
    var status: String
    var error: String?
    var pages: Int?
    var declaredPages: Int?
    var incomplete: Bool?
    var senderFax: String?
    var documents: [Document]

    struct Document: Encodable {
        var pages: [Int]
        var type: String
        var typeConfidence: Double
        var evidence: [String]
        var queue: String
        var fields: [String: String?]
        var fieldConfidence: [String: Double?]
        var fieldPage: [String: Int?]
        var patientMiddle: String?
        var sex: String?
        var mrnIssuer: String?
        var providerPhone: String?
        var npi: String?
        var details: [String: String]

        enum CodingKeys: String, CodingKey {
            case pages, type, evidence, queue, fields, details, sex, npi
            case typeConfidence = "type_confidence", fieldConfidence = "field_confidence", fieldPage = "field_page"
            case patientMiddle = "patient_middle", mrnIssuer = "mrn_issuer", providerPhone = "provider_phone"
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(pages, forKey: .pages)
            try c.encode(type, forKey: .type)
            try c.encode(Self.round(typeConfidence), forKey: .typeConfidence)
            try c.encode(evidence, forKey: .evidence)
            try c.encode(queue, forKey: .queue)
            try c.encode(NullableMap(fields), forKey: .fields)
            try c.encode(NullableMap(fieldConfidence.mapValues { $0.map(Self.round) }), forKey: .fieldConfidence)
            try c.encode(NullableMap(fieldPage), forKey: .fieldPage)
            try c.encode(patientMiddle, forKey: .patientMiddle)
            try c.encode(sex, forKey: .sex)
            try c.encode(mrnIssuer, forKey: .mrnIssuer)
            try c.encode(providerPhone, forKey: .providerPhone)
            try c.encode(npi, forKey: .npi)
            try c.encode(details, forKey: .details)
        }

        static func round(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }
    }

    enum CodingKeys: String, CodingKey {
        case file, status, error, pages, documents, incomplete
        case declaredPages = "declared_pages", senderFax = "sender_fax"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(file, forKey: .file)
        try c.encode(status, forKey: .status)
        try c.encode(error, forKey: .error)
        try c.encode(pages, forKey: .pages)
        try c.encode(declaredPages, forKey: .declaredPages)
        try c.encode(incomplete, forKey: .incomplete)
        try c.encode(senderFax, forKey: .senderFax)
        try c.encode(documents, forKey: .documents)
    }

    init(file: String, error: String) {
        self.file = file
        status = "rejected"
        self.error = error
        documents = []
    }

    init(file: String, understood: UnderstoodSource) {
        self.file = file
        status = "processed"
        pages = understood.receivedPages
        declaredPages = understood.declaredPages
        incomplete = understood.isIncomplete
        senderFax = understood.senderFax
        documents = understood.documents.map { document in
            let f = document.fields
            let extracted: [String: (Double, Int)?] = [
                "patient_last": f.patientLast.map { ($0.confidence, $0.page) },
                "patient_first": f.patientFirst.map { ($0.confidence, $0.page) },
                "dob": f.dateOfBirth.map { ($0.confidence, $0.page) },
                "mrn": f.mrn.map { ($0.confidence, $0.page) },
                "provider_name": f.providerName.map { ($0.confidence, $0.page) },
                "facility": f.facility.map { ($0.confidence, $0.page) },
                "provider_fax": f.providerFax.map { ($0.confidence, $0.page) },
                "service_date": f.serviceDate.map { ($0.confidence, $0.page) },
            ]
            return Document(
                pages: [document.firstPage, document.lastPage], type: document.type.rawValue,
                typeConfidence: document.typeConfidence, evidence: document.evidence,
                queue: document.type.queue.rawValue, fields: f.exportFields,
                fieldConfidence: extracted.mapValues { $0?.0 }, fieldPage: extracted.mapValues { $0?.1 },
                patientMiddle: f.patientMiddle?.value, sex: f.sex?.value, mrnIssuer: f.mrnIssuer?.rawValue,
                providerPhone: f.providerPhone?.value, npi: f.npi?.value, details: f.details.mapValues(\.value))
        }
    }

    var humanReadable: String {
        var lines: [String] = []
        if status == "rejected" {
            return "\(file): rejected: \(error ?? "unknown error")"
        }
        var head = "\(file): \(pages ?? 0) page(s)"
        if let declaredPages { head += ", \(declaredPages) declared" }
        if incomplete == true { head += " (INCOMPLETE)" }
        if let senderFax { head += ", sender fax \(senderFax)" }
        lines.append(head)
        for document in documents {
            let range = document.pages[0] == document.pages[1] ? "p\(document.pages[0])" : "p\(document.pages[0])-\(document.pages[1])"
            lines.append("  \(range) \(document.type) (\(Int(document.typeConfidence * 100))%): \(document.evidence.joined(separator: "; "))")
            for key in document.fields.keys.sorted() {
                guard let value = document.fields[key] ?? nil else { continue }
                let confidence = (document.fieldConfidence[key] ?? nil).map { " (\(Int($0 * 100))%)" } ?? ""
                lines.append("    \(key): \(value)\(confidence)")
            }
            for key in document.details.keys.sorted() {
                lines.append("    \(key): \(document.details[key] ?? "")")
            }
        }
        return lines.joined(separator: "\n")
    }
}

/// A dictionary whose nil values are written as JSON null rather than left out.
struct NullableMap<Value: Encodable>: Encodable {
    var values: [String: Value?]
    init(_ values: [String: Value?]) { self.values = values }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        for (key, value) in values {
            try c.encode(value, forKey: Key(stringValue: key))
        }
    }
}
