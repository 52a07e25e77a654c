import ArgumentParser
import FileroomModel
import Foundation
import Matching
import Settings
import Store

/// `fileroom match`: "whose is this?" for fields or extracted documents read as JSON Lines on stdin.
struct MatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "Match documents' fields to cases: reads JSON Lines on stdin, prints one decision per document.",
        discussion: """
            Each input line is a bare fields object (patient_last, patient_first, patient_middle, dob, mrn, \
            provider_name, facility, provider_fax, service_date; any may be null or absent), a document (an object \
            with "fields"), or a whole `extract --json` line (an object with "documents"; its documents support each \
            other and each decision carries "file" and "document"). A field may be a plain value or an object with \
            "value" and "confidence". Cases come from the store in the home folder, or from --cases FILE.csv.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Print JSON Lines.")
    var json = false

    @Option(name: .long, help: "Read cases from this CSV (the columns of cases.csv) instead of the store.")
    var cases: String?

    func run() async throws {
        let installation = try Installation.open(global, for: .reader)
        let matcher = installation.matcher
        let (records, learned) = try await loadCases(installation)
        let index = CaseIndex(records)

        var lineNumber = 0
        var sawBadLine = false
        while let line = readLine(strippingNewline: true) {
            lineNumber += 1
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let inputs: [MatchInput]
            do {
                inputs = try MatchInput.parse(line)
            } catch {
                sawBadLine = true
                FileHandle.standardError.write(Data("line \(lineNumber): \(error.description)\n".utf8))
                continue
            }
            for input in inputs {
                var context = input.context
                context.learnedSenderFacilities = learned
                let decision = matcher.decide(input.fields, context: context, in: index)
                print(json ? MatchOutput.jsonLine(decision, input: input) : MatchOutput.text(decision, input: input))
            }
        }
        if sawBadLine { throw CommandFailure.quietlyFailed }
    }

    private func loadCases(_ installation: Installation) async throws -> ([CaseRecord], [String: [String]]) {
        if let path = cases {
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw CommandFailure.cannotRun("cannot read case list \(path): \(error.localizedDescription)")
            }
            let parsed = CaseCSV.parse(text)
            if let problem = parsed.problems.first {
                let more = parsed.problems.count > 1 ? " (and \(parsed.problems.count - 1) more)" : ""
                throw CommandFailure.cannotRun("case list \(path): \(problem.description)\(more)")
            }
            return (parsed.records, [:])
        }
        guard let store = try installation.existingStore() else {
            throw CommandFailure.cannotRun(
                "no case store at \(installation.settings.database): import cases first (fileroom cases import) or "
                    + "pass --cases FILE.csv")
        }
        let records = try await store.openAndClosedCases()
        var learned: [String: [String]] = [:]
        for entry in try await store.learnedFaxNumbers() {
            if let facility = entry.facility { learned[entry.fax, default: []].append(facility) }
        }
        return (records, learned)
    }
}

/// One document to decide, with where it came from.
struct MatchInput {
    var fields: DocumentFields
    var context: MatchContext
    /// For documents of an `extract` line: the source file and the 0-based document index.
    var file: String?
    var document: Int?

    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    /// The documents a line holds: one for bare fields or a document, one per document for an extract line.
    static func parse(_ line: String) throws(ParseError) -> [MatchInput] {
        let object: [String: Any]
        do {
            guard let parsed = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw ParseError(description: "not a JSON object")
            }
            object = parsed
        } catch let error as ParseError {
            throw error
        } catch {
            throw ParseError(description: "not valid JSON")
        }

        if let documents = object["documents"] as? [Any] {
            let file = object["file"] as? String ?? object["path"] as? String
            let senderFax = (object["sender_fax"] as? String ?? object["senderFax"] as? String).flatMap(digits10)
            let all = documents.map { ($0 as? [String: Any]).map(documentFields) ?? DocumentFields() }
            return all.enumerated().map { position, fields in
                var siblings = all
                siblings.remove(at: position)
                return MatchInput(
                    fields: fields, context: MatchContext(senderFax: senderFax, siblings: siblings), file: file,
                    document: position)
            }
        }
        return [MatchInput(fields: documentFields(object), context: MatchContext(senderFax: nil))]
    }

    /// Fields of a document object (`{"fields": {...}}`, as `extract --json` prints it with `field_confidence`,
    /// `field_page` and `patient_middle`, `sex`, `mrn_issuer` beside the fields) or of a bare fields object.
    static func documentFields(_ object: [String: Any]) -> DocumentFields {
        let raw = object["fields"] as? [String: Any] ?? object
        let confidences = object["field_confidence"] as? [String: Any] ?? [:]
        let pages = object["field_page"] as? [String: Any] ?? [:]
        let firstPage = (object["pages"] as? [Any])?.first as? Int ?? 1
        // Keys as the contract spells them, then as `DocumentFields` encodes itself; inside `fields` first.
        func find(_ key: String) -> Any? {
            for container in [raw, object] {
                if let value = container[key], !(value is NSNull) { return value }
            }
            return nil
        }
        func text(_ keys: String...) -> Extracted<String>? {
            for key in keys {
                guard let value = find(key) else { continue }
                let confidence = (confidences[key] as? NSNumber)?.doubleValue ?? 1
                let page = pages[key] as? Int ?? firstPage
                if let s = value as? String {
                    return s.trimmingCharacters(in: .whitespaces).isEmpty ? nil : Extracted(s, confidence: confidence, page: page)
                }
                if let nested = value as? [String: Any], let s = nested["value"] as? String, !s.isEmpty {
                    let nestedConfidence = (nested["confidence"] as? NSNumber)?.doubleValue ?? confidence
                    return Extracted(s, confidence: nestedConfidence, page: nested["page"] as? Int ?? page)
                }
                if let n = value as? NSNumber { return Extracted(n.stringValue, confidence: confidence, page: page) }
            }
            return nil
        }
        func date(_ keys: String...) -> Extracted<CalendarDate>? {
            for key in keys {
                guard let value = text(key) else { continue }
                guard let parsed = CalendarDate(iso: value.value.trimmingCharacters(in: .whitespaces)) else { return nil }
                return Extracted(parsed, confidence: value.confidence, page: value.page)
            }
            return nil
        }
        let issuer = (text("mrn_issuer", "mrnIssuer")?.value).flatMap(MRNIssuer.init(rawValue:))
        return DocumentFields(
            patientLast: text("patient_last", "patientLast"), patientFirst: text("patient_first", "patientFirst"),
            patientMiddle: text("patient_middle", "patientMiddle"), dateOfBirth: date("dob", "dateOfBirth", "date_of_birth"),
            sex: text("sex"), mrn: text("mrn"), mrnIssuer: issuer, providerName: text("provider_name", "providerName"),
            facility: text("facility"), providerPhone: text("provider_phone", "providerPhone"),
            providerFax: text("provider_fax", "providerFax"), npi: text("npi"),
            serviceDate: date("service_date", "serviceDate")
        )
    }

    static func digits10(_ raw: String) -> String? {
        var digits = raw.filter(\.isASCII).filter(\.isNumber)
        if digits.count == 11, digits.hasPrefix("1") { digits.removeFirst() }
        return digits.count == 10 ? digits : nil
    }
}

/// How `match` prints a decision.
enum MatchOutput {
    static func object(_ decision: MatchDecision, input: MatchInput) -> [String: Any] {
        var object: [String: Any] = [
            "status": decision.status.rawValue,
            "case_id": decision.caseID?.rawValue ?? NSNull(),
            "confidence": rounded(decision.confidence),
            "candidates": decision.candidates.map { candidate -> [String: Any] in
                [
                    "case_id": candidate.caseID.rawValue,
                    "case_status": candidate.caseStatus.rawValue,
                    "probability": rounded(candidate.probability),
                    "levels": candidate.levels,
                    "weights": Dictionary(
                        candidate.comparisons.map { ($0.field, rounded($0.weight)) }, uniquingKeysWith: { a, _ in a }),
                ]
            },
            "reason": decision.reason,
        ]
        if let file = input.file { object["file"] = file }
        if let document = input.document { object["document"] = document }
        return object
    }

    static func jsonLine(_ decision: MatchDecision, input: MatchInput) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object(decision, input: input), options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    static func text(_ decision: MatchDecision, input: MatchInput) -> String {
        var lines: [String] = []
        let origin = input.file.map { "\($0) #\(input.document ?? 0): " } ?? ""
        lines.append(
            "\(origin)\(decision.status.rawValue) \(decision.caseID?.rawValue ?? "-") confidence \(rounded(decision.confidence))")
        lines.append("  \(decision.reason)")
        for candidate in decision.candidates {
            lines.append("  \(candidate.caseID.rawValue) (\(candidate.caseStatus.rawValue)) p=\(rounded(candidate.probability))")
            for comparison in candidate.comparisons {
                let sign = comparison.weight >= 0 ? "+" : ""
                let detail = comparison.detail.map { " - \($0)" } ?? ""
                lines.append("    \(comparison.field): \(comparison.level) \(sign)\(rounded(comparison.weight))\(detail)")
            }
        }
        return lines.joined(separator: "\n")
    }

    static func rounded(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }
}
