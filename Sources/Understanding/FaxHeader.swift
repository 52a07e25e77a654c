import Foundation
import FileroomModel

/// What the sending fax machine printed across the top of a page.
struct FaxHeaderLine: Sendable, Hashable {
    /// Numbers on the line, 10 digits each, in order, with whether a "to" marker preceded them.
    var numbers: [(digits: String, isRecipient: Bool)]
    var pageNumber: Int?
    var pageCount: Int?

    static func == (lhs: FaxHeaderLine, rhs: FaxHeaderLine) -> Bool {
        lhs.numbers.map(\.digits) == rhs.numbers.map(\.digits) && lhs.pageNumber == rhs.pageNumber
            && lhs.pageCount == rhs.pageCount
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(numbers.map(\.digits))
        hasher.combine(pageNumber)
        hasher.combine(pageCount)
    }
}

enum FaxHeader {
    /// The rows in the top band of the page form a fax header when together they read like one: a date or time of
    /// day plus a phone number or a page counter.
    static func detectRows(in layout: PageLayout) -> [Int] {
        let band = Double(layout.height) * 0.05
        let candidates = layout.rows.indices.prefix(4).filter { Double(layout.rows[$0].top) < band }
        guard !candidates.isEmpty else { return [] }
        func isHeader(_ rows: [Int]) -> Bool {
            let text = rows.map { layout.rows[$0].text }.joined(separator: " ")
            let hasTime = hasTimeOfDay(text)
            let hasNumber = !PhoneNumber.find(in: text).isEmpty
            let hasCounter = pageCounter(in: text) != nil
            let hasDate = !DateReader(today: nil).dates(in: text, kind: .event).isEmpty
            // A garbled date still leaves the sender's number next to a page counter.
            return (hasTime || hasDate) && (hasNumber || hasCounter) || (hasNumber && hasCounter)
        }
        guard isHeader(candidates) else { return [] }
        // The header is the fewest top rows that make one; a letterhead printed high on the page ("Three Rivers
        // Surgical Group   Printed on 11/19/2026 3:20 PM") is not part of it. A later row joins only as a piece of
        // the header line OCR split off (its own number or page counter: "TO: 6085550101 P.01/02").
        var chosen: [Int] = []
        for r in candidates {
            if chosen.isEmpty || !isHeader(chosen) {
                chosen.append(r)
                continue
            }
            let text = layout.rows[r].text
            if !PhoneNumber.find(in: text).isEmpty || pageCounter(in: text) != nil { chosen.append(r) }
        }
        return chosen
    }

    static func hasTimeOfDay(_ text: String) -> Bool {
        let chars = Array(DigitRepair.repair(text))
        guard chars.count >= 4 else { return false }
        for i in 1..<(chars.count - 2) where chars[i] == ":" {
            if chars[i - 1].isNumber, chars[i + 1].isNumber, chars[i + 2].isNumber { return true }
        }
        return false
    }

    /// "PAGE 01 OF 02", "page 1 of 3", "P.001/004", "P.1/3", "Page 2of2".
    static func pageCounter(in text: String) -> (page: Int, of: Int?)? {
        let tokens = TextMatching.tokens(text)
        for (i, token) in tokens.enumerated() {
            if TextMatching.fuzzyEqual(token, "page") || token == "pg" {
                // "page 1 of 3" / "page 2of2" / "page lof 1"
                guard i + 1 < tokens.count else { continue }
                var rest = Array(tokens[(i + 1)...].prefix(3))
                if let first = rest.first, first.hasSuffix("of"), first.count > 2 {
                    rest = [String(first.dropLast(2)), "of"] + rest.dropFirst()
                }
                if let first = rest.first, let ofRange = first.range(of: "of"), first.count > 2 {
                    rest = [String(first[..<ofRange.lowerBound]), "of", String(first[ofRange.upperBound...])]
                        + rest.dropFirst()
                }
                rest = rest.filter { !$0.isEmpty }
                guard let n = Int(DigitRepair.repair(rest.first ?? "")) else { continue }
                if rest.count >= 3, rest[1] == "of" || rest[1] == "0f", let m = Int(DigitRepair.repair(rest[2])) {
                    return (n, m)
                }
                return (n, nil)
            }
        }
        // "P.001/004", "P,002/004", "p.4"
        let chars = Array(text)
        for i in chars.indices where chars[i] == "P" || chars[i] == "p" {
            if i > 0, chars[i - 1].isLetter { continue }
            var j = i + 1
            while j < chars.count, chars[j] == "." || chars[j] == "," || chars[j] == " " { j += 1 }
            guard j > i + 1 || (j < chars.count && chars[j].isNumber) else { continue }
            var first = ""
            while j < chars.count, chars[j].isNumber || DigitRepair.lookalikes[chars[j]] != nil && chars[j] != "P" {
                first.append(DigitRepair.lookalikes[chars[j]] ?? chars[j])
                j += 1
            }
            guard let n = Int(first), !first.isEmpty, first.count <= 4 else { continue }
            if j < chars.count, chars[j] == "/" {
                var second = ""
                j += 1
                while j < chars.count, chars[j].isNumber || DigitRepair.lookalikes[chars[j]] != nil {
                    second.append(DigitRepair.lookalikes[chars[j]] ?? chars[j])
                    j += 1
                }
                if let m = Int(second), second.count <= 4 { return (n, m) }
            }
            if j >= chars.count || chars[j] == " " { return (n, nil) }
        }
        return nil
    }

    static func parse(_ row: LayoutRow) -> FaxHeaderLine {
        let text = row.text
        var numbers: [(String, Bool)] = []
        for found in PhoneNumber.find(in: text) {
            let before = String(Array(text)[..<found.offset]).suffix(8).lowercased()
            let isRecipient = before.contains("to") || before.contains("->") || before.contains(">")
                || before.contains("t0")
            numbers.append((found.digits, isRecipient))
        }
        let counter = pageCounter(in: text)
        return FaxHeaderLine(numbers: numbers, pageNumber: counter?.page, pageCount: counter?.of)
    }
}
