import FileroomModel
import Foundation

/// One row of a case list that can't be imported, with the line it starts on (1-based, the header is line 1).
public struct CaseCSVProblem: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var caseID: String?
    public var message: String

    public var description: String {
        "line \(line)" + (caseID.map { " (\($0))" } ?? "") + ": " + message
    }
}

/// A parsed case list: the valid rows and every problem found.
public struct CaseCSVResult: Sendable, Hashable {
    /// Valid rows in file order, with their line numbers.
    public var rows: [(line: Int, record: CaseRecord)]
    public var problems: [CaseCSVProblem]
    /// Whether the header has a `status` column (without one, every row reads as open).
    public var hasStatusColumn = true
    public var records: [CaseRecord] { rows.map(\.record) }

    public static func == (lhs: CaseCSVResult, rhs: CaseCSVResult) -> Bool {
        lhs.records == rhs.records && lhs.problems == rhs.problems && lhs.rows.map(\.line) == rhs.rows.map(\.line)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(records)
        hasher.combine(problems)
    }
}

/// The center's case list in the columns of `cases.csv`
/// (`case_id,status,patient_last,patient_first,patient_middle,dob,sex,mrn,phone,address,city,state,zip,
/// referring_provider,referring_facility,referring_fax,cancer_site,opened_on`), in any column order.
public enum CaseCSV {
    public static let columns = [
        "case_id", "status", "patient_last", "patient_first", "patient_middle", "dob", "sex", "mrn", "phone",
        "address", "city", "state", "zip", "referring_provider", "referring_facility", "referring_fax",
        "cancer_site", "opened_on",
    ]
    /// Columns a row can't do without.
    /// `status` is optional (issue 13): without it, an import opens new cases and leaves existing ones as they are.
    public static let requiredColumns = ["case_id", "patient_last", "patient_first", "dob"]

    /// Parses and checks a whole file. `today` bounds dates of birth (1900-01-01 through today).
    public static func parse(_ text: String, today: CalendarDate = CalendarDate.today()) -> CaseCSVResult {
        var result = CaseCSVResult(rows: [], problems: [])
        let records = splitRecords(text)
        guard let header = records.first else {
            result.problems.append(CaseCSVProblem(line: 1, message: "the file is empty (no header line)"))
            return result
        }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var index: [String: Int] = [:]
        for (position, name) in names.enumerated() where index[name] == nil { index[name] = position }
        let missing = requiredColumns.filter { index[$0] == nil }
        if !missing.isEmpty {
            result.problems.append(
                CaseCSVProblem(line: header.line, message: "the header lacks the column(s) " + missing.joined(separator: ", "))
            )
            return result
        }
        result.hasStatusColumn = index["status"] != nil
        if let error = header.error {
            result.problems.append(CaseCSVProblem(line: header.line, message: error))
            return result
        }

        var seen: [String: Int] = [:]
        for record in records.dropFirst() {
            if record.fields.count == 1, record.fields[0].trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let rawID = index["case_id"].flatMap { $0 < record.fields.count ? record.fields[$0] : nil }?
                .trimmingCharacters(in: .whitespaces)
            func problem(_ message: String) {
                result.problems.append(
                    CaseCSVProblem(line: record.line, caseID: rawID.flatMap { $0.isEmpty ? nil : $0 }, message: message)
                )
            }
            if let error = record.error {
                problem(error)
                continue
            }
            guard record.fields.count == names.count else {
                problem("\(record.fields.count) fields where the header has \(names.count)")
                continue
            }
            switch makeRecord(record.fields, index: index, today: today) {
            case .failure(let failure):
                problem(failure.message)
            case .success(let caseRecord):
                if let first = seen[caseRecord.caseID.rawValue] {
                    problem("case id \(caseRecord.caseID) repeats line \(first)")
                    continue
                }
                seen[caseRecord.caseID.rawValue] = record.line
                result.rows.append((record.line, caseRecord))
            }
        }
        return result
    }

    /// 10 digits from a North American phone or fax number as written (`(608) 555-0142`, `+1 608 555 0142`),
    /// nil when it doesn't have 10 digits.
    public static func tenDigits(_ raw: String) -> String? {
        let digits = raw.filter { $0.isASCII && $0.isNumber }
        if digits.count == 10 { return digits }
        if digits.count == 11, digits.hasPrefix("1") { return String(digits.dropFirst()) }
        return nil
    }

    private static func makeRecord(_ fields: [String], index: [String: Int], today: CalendarDate)
        -> Result<CaseRecord, CaseCSVProblemMessage>
    {
        func value(_ column: String) -> String? {
            guard let position = index[column], position < fields.count else { return nil }
            let trimmed = fields[position].trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? nil : trimmed
        }
        guard let rawID = value("case_id") else { return .failure("case_id is empty") }
        guard let caseID = CaseID(rawValue: rawID) else {
            return .failure("case_id '\(rawID)' is not 1 to 64 letters, digits, '-', '_' or '.'")
        }
        guard let rawStatus = index["status"] == nil ? "open" : value("status") else {
            return .failure("status is empty (open or closed)")
        }
        guard let status = CaseStatus(rawValue: rawStatus.lowercased()) else {
            return .failure("status '\(rawStatus)' is not open or closed")
        }
        guard let last = value("patient_last") else { return .failure("patient_last is empty") }
        guard let first = value("patient_first") else { return .failure("patient_first is empty") }
        guard let rawDOB = value("dob") else { return .failure("dob is empty") }
        guard let dob = CalendarDate(iso: rawDOB) else { return .failure("dob '\(rawDOB)' is not a date YYYY-MM-DD") }
        let earliest = CalendarDate(year: 1900, month: 1, day: 1)
        if let earliest, dob < earliest || dob > today {
            return .failure("dob \(rawDOB) is not between 1900-01-01 and today")
        }
        var opened: CalendarDate?
        if let rawOpened = value("opened_on") {
            guard let date = CalendarDate(iso: rawOpened) else {
                return .failure("opened_on '\(rawOpened)' is not a date YYYY-MM-DD")
            }
            opened = date
        }
        var phone: String?
        if let raw = value("phone") {
            guard let digits = tenDigits(raw) else { return .failure("phone '\(raw)' does not have 10 digits") }
            phone = digits
        }
        var fax: String?
        if let raw = value("referring_fax") {
            guard let digits = tenDigits(raw) else { return .failure("referring_fax '\(raw)' does not have 10 digits") }
            fax = digits
        }
        return .success(
            CaseRecord(
                caseID: caseID, status: status, patientLast: last, patientFirst: first,
                patientMiddle: value("patient_middle"), dateOfBirth: dob, sex: value("sex")?.uppercased(),
                mrn: value("mrn"), phone: phone, address: value("address"), city: value("city"),
                state: value("state"), zip: value("zip"), referringProvider: value("referring_provider"),
                referringFacility: value("referring_facility"), referringFax: fax, cancerSite: value("cancer_site"),
                openedOn: opened
            )
        )
    }

    struct RawRecord {
        var line: Int
        var fields: [String]
        var error: String?
    }

    /// RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks; each record keeps the
    /// line it starts on.
    static func splitRecords(_ text: String) -> [RawRecord] {
        var records: [RawRecord] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var afterQuote = false
        var line = 1
        var recordLine = 1
        var error: String?
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        var atRecordStart = true
        var i = 0
        func endRecord() {
            fields.append(field)
            records.append(RawRecord(line: recordLine, fields: fields, error: error))
            fields = []
            field = ""
            error = nil
            afterQuote = false
            atRecordStart = true
        }
        while i < scalars.count {
            let c = scalars[i]
            if atRecordStart {
                recordLine = line
                atRecordStart = false
            }
            if inQuotes {
                if c == "\"" {
                    if i + 1 < scalars.count, scalars[i + 1] == "\"" {
                        field.unicodeScalars.append("\"")
                        i += 1
                    } else {
                        inQuotes = false
                        afterQuote = true
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
            } else {
                switch c {
                case ",":
                    fields.append(field)
                    field = ""
                    afterQuote = false
                case "\r":
                    if i + 1 < scalars.count, scalars[i + 1] == "\n" { i += 1 }
                    endRecord()
                    line += 1
                case "\n":
                    endRecord()
                    line += 1
                case "\"":
                    if field.unicodeScalars.allSatisfy({ $0 == " " }) && !afterQuote {
                        field = ""
                        inQuotes = true
                    } else if error == nil {
                        error = "a quote inside an unquoted field"
                    }
                default:
                    if afterQuote && c != " " && error == nil { error = "text after a closing quote" }
                    if !afterQuote { field.unicodeScalars.append(c) }
                }
            }
            i += 1
        }
        if inQuotes {
            error = "a quoted field is never closed"
            endRecord()
        } else if !atRecordStart {
            endRecord()
        }
        return records
    }
}

/// A row's problem in words (a `Result` failure needs an `Error`).
struct CaseCSVProblemMessage: Error, ExpressibleByStringLiteral, ExpressibleByStringInterpolation {
    var message: String
    init(stringLiteral value: String) { message = value }
    init(stringInterpolation: DefaultStringInterpolation) { message = String(stringInterpolation: stringInterpolation) }
}

extension CalendarDate {
    static let epochFallback: CalendarDate = {
        guard let date = CalendarDate(year: 2000, month: 1, day: 1) else { preconditionFailure("2000-01-01 is a date") }
        return date
    }()

    /// Today's date where this process runs.
    public static func today(now: Date = Date()) -> CalendarDate {
        let parts = Calendar(identifier: .gregorian).dateComponents(in: TimeZone.current, from: now)
        // Components of a real date always make a valid one; the fallback only satisfies the type.
        return CalendarDate(year: parts.year ?? 2000, month: parts.month ?? 1, day: parts.day ?? 1)
            ?? CalendarDate(iso: "2000-01-01") ?? CalendarDate.epochFallback
    }
}

/// What `importCases` did.
public struct CaseImportReport: Sendable, Hashable {
    /// Every invalid row, in file order.
    public var problems: [CaseCSVProblem]
    /// Nil when nothing was imported (invalid rows without `skipInvalid`).
    public var summary: CaseUpsertSummary?
    /// Valid rows read.
    public var validRows: Int
}

extension CaseDirectory {
    /// `fileroom cases import`: parses a case list and upserts it by case id in one transaction. Nothing is imported
    /// when a row is invalid, unless `skipInvalid`, which imports the valid rows.
    public func importCases(
        csv text: String, skipInvalid: Bool, actor: String, updateStatus: Bool = false,
        today: CalendarDate = CalendarDate.today()
    ) async throws(StoreError) -> CaseImportReport {
        let parsed = CaseCSV.parse(text, today: today)
        var report = CaseImportReport(problems: parsed.problems, summary: nil, validRows: parsed.rows.count)
        guard parsed.problems.isEmpty || skipInvalid else { return report }
        let policy: CaseStatusPolicy = !parsed.hasStatusColumn ? .keep : updateStatus ? .asListed : .neverReopen
        report.summary = try await upsertCases(parsed.records, actor: actor, status: policy)
        return report
    }
}
