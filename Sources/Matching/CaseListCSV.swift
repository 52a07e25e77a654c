import Foundation

import FileroomModel

/// A row of a case list that could not be read, with its line number (1-based, the header is line 1).
public struct CaseListError: Error, Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var reason: String

    public init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }

    public var description: String { "line \(line): \(reason)" }
}

/// Reads a case list in the columns of `cases.csv` (`case_id,status,patient_last,patient_first,patient_middle,dob,
/// sex,mrn,phone,address,city,state,zip,referring_provider,referring_facility,referring_fax,cancer_site,opened_on`),
/// in any column order, RFC 4180 quoting (commas, doubled quotes and line breaks inside quotes).
/// `match --cases` uses it; the store's `cases import` validates more strictly.
public enum CaseListCSV {
    public static func parse(_ text: String) throws(CaseListError) -> [CaseRecord] {
        let rows = try records(text)
        guard let header = rows.first else { throw CaseListError(line: 1, reason: "empty file, no header") }
        let columns = Dictionary(
            header.fields.enumerated().map { ($1.trimmingCharacters(in: .whitespaces).lowercased(), $0) },
            uniquingKeysWith: { first, _ in first })
        for required in ["case_id", "status", "patient_last", "patient_first", "dob"] where columns[required] == nil {
            throw CaseListError(line: 1, reason: "header lacks column \(required)")
        }
        var cases: [CaseRecord] = []
        for row in rows.dropFirst() {
            if row.fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            func value(_ column: String) -> String? {
                guard let index = columns[column], index < row.fields.count else { return nil }
                let v = row.fields[index].trimmingCharacters(in: .whitespaces)
                return v.isEmpty ? nil : v
            }
            guard let rawID = value("case_id"), let caseID = CaseID(rawValue: rawID) else {
                throw CaseListError(line: row.line, reason: "case_id missing or not 1-64 letters, digits, - _ .")
            }
            guard let rawStatus = value("status"), let status = CaseStatus(rawValue: rawStatus.lowercased()) else {
                throw CaseListError(line: row.line, reason: "status is not open or closed")
            }
            guard let last = value("patient_last") else { throw CaseListError(line: row.line, reason: "patient_last missing") }
            guard let first = value("patient_first") else { throw CaseListError(line: row.line, reason: "patient_first missing") }
            guard let rawDOB = value("dob"), let dob = CalendarDate(iso: rawDOB) else {
                throw CaseListError(line: row.line, reason: "dob missing or not YYYY-MM-DD")
            }
            var openedOn: CalendarDate?
            if let raw = value("opened_on") {
                guard let date = CalendarDate(iso: raw) else {
                    throw CaseListError(line: row.line, reason: "opened_on not YYYY-MM-DD")
                }
                openedOn = date
            }
            cases.append(
                CaseRecord(
                    caseID: caseID, status: status, patientLast: last, patientFirst: first,
                    patientMiddle: value("patient_middle"), dateOfBirth: dob, sex: value("sex"), mrn: value("mrn"),
                    phone: value("phone"), address: value("address"), city: value("city"), state: value("state"),
                    zip: value("zip"), referringProvider: value("referring_provider"),
                    referringFacility: value("referring_facility"),
                    referringFax: value("referring_fax").map { CaseIndex.phoneDigits($0) ?? $0 },
                    cancerSite: value("cancer_site"), openedOn: openedOn
                )
            )
        }
        return cases
    }

    struct Row {
        var line: Int
        var fields: [String]
    }

    /// Splits CSV text into rows of fields, each with the line it starts on.
    static func records(_ text: String) throws(CaseListError) -> [Row] {
        var rows: [Row] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var line = 1
        var rowLine = 1
        var fieldWasQuoted = false
        var chars = Array(text.unicodeScalars)
        if chars.first == "\u{FEFF}" { chars.removeFirst() }
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if inQuotes {
                if c == "\"" {
                    if i + 1 < chars.count, chars[i + 1] == "\"" {
                        field.unicodeScalars.append("\"")
                        i += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" {
                if !field.isEmpty && !fieldWasQuoted {
                    throw CaseListError(line: line, reason: "quote inside an unquoted field")
                }
                inQuotes = true
                fieldWasQuoted = true
            } else if c == "," {
                fields.append(field)
                field = ""
                fieldWasQuoted = false
            } else if c == "\n" || c == "\r" {
                if c == "\r", i + 1 < chars.count, chars[i + 1] == "\n" { i += 1 }
                fields.append(field)
                rows.append(Row(line: rowLine, fields: fields))
                fields = []
                field = ""
                fieldWasQuoted = false
                line += 1
                rowLine = line
            } else {
                field.unicodeScalars.append(c)
            }
            i += 1
        }
        if inQuotes { throw CaseListError(line: rowLine, reason: "unterminated quoted field") }
        if !field.isEmpty || !fields.isEmpty {
            fields.append(field)
            rows.append(Row(line: rowLine, fields: fields))
        }
        return rows
    }
}
