import FileroomModel
import Foundation
import Intake
import Matching
import Pages
import Review
import Store

/// How review items read to a person: the score breakdown in plain words, the item sheet of `review show` and the
/// interactive loop. May show names, dates of birth and file names: it is printed to the staff member who asked,
/// never logged.
public enum ReviewPresentation {
    /// "last name exact, first name nickname (known nickname: bob / robert), DOB exact, fax matches referring
    /// facility": every comparison that weighed something, strongest evidence first as the matcher listed it.
    public static func breakdown(_ candidate: MatchCandidate) -> String {
        candidate.comparisons.compactMap(words).joined(separator: ", ")
    }

    /// One comparison in plain words, nil for one that says nothing (a field missing on both sides).
    public static func words(_ comparison: FieldComparison) -> String? {
        var level = comparison.level
        var pooled = false
        if level.hasPrefix("pooled_") {
            level = String(level.dropFirst("pooled_".count))
            pooled = true
        }
        let field = fieldWords[comparison.field] ?? comparison.field.replacingOccurrences(of: "_", with: " ")
        var text: String
        switch (comparison.field, level) {
        case ("sender_fax", "exact"), ("provider_fax", "exact"): text = "\(field) matches referring facility"
        case ("sender_fax", "learned"), ("provider_fax", "learned"): text = "\(field) confirmed before for this facility"
        case (_, "missing"): text = "\(field) not found on the page"
        default: text = "\(field) " + (levelWords[level] ?? level.replacingOccurrences(of: "_", with: " "))
        }
        // Levels whose words already say it all; other details name the values compared ("Bob / Robert").
        let selfExplained: Set<String> = ["one_digit", "transposed", "not_ours", "outside", "missing", "exact"]
        if var detail = comparison.detail, !detail.isEmpty, !selfExplained.contains(level) {
            // "known nickname: bob / robert": the level already says what kind, the values are what helps.
            if let colon = detail.range(of: ": ") { detail = String(detail[colon.upperBound...]) }
            text += " (\(detail))"
        }
        if pooled { text += " [from another document of the fax]" }
        return text
    }

    static let fieldWords: [String: String] = [
        "last_name": "last name", "first_name": "first name", "dob": "DOB", "mrn": "MRN", "sex": "sex",
        "facility": "facility", "provider_fax": "provider fax", "sender_fax": "fax", "provider": "provider",
    ]

    static let levelWords: [String: String] = [
        "exact": "exact", "variant": "variant spelling", "part": "one part of the name", "ocr_near": "one OCR slip off",
        "nickname": "nickname", "initial": "initial agrees", "middle_name": "is the case's middle name",
        "similar": "similar", "transposed": "day and month swapped", "one_digit": "one digit off",
        "not_ours": "not ours (ignored)", "outside": "from an outside facility (ignored)", "learned": "learned",
        "different": "DIFFERS",
    ]

    /// The document's fields with their confidence, in reading order: (label, value, confidence).
    public static func fields(_ fields: DocumentFields) -> [(label: String, value: String, confidence: Double)] {
        var rows: [(String, String, Double)] = []
        func add<T>(_ label: String, _ field: Extracted<T>?, _ show: (T) -> String) {
            guard let field else { return }
            rows.append((label, show(field.value), field.confidence))
        }
        add("Last name", fields.patientLast) { $0 }
        add("First name", fields.patientFirst) { $0 }
        add("Middle name", fields.patientMiddle) { $0 }
        add("DOB", fields.dateOfBirth) { $0.iso }
        add("Sex", fields.sex) { $0 }
        add("MRN", fields.mrn) { $0 }
        add("Provider", fields.providerName) { $0 }
        add("Facility", fields.facility) { $0 }
        add("Provider phone", fields.providerPhone) { $0 }
        add("Provider fax", fields.providerFax) { $0 }
        add("NPI", fields.npi) { $0 }
        add("Service date", fields.serviceDate) { $0.iso }
        for key in fields.details.keys.sorted() {
            add(key.replacingOccurrences(of: "_", with: " ").capitalizedFirst, fields.details[key]) { $0 }
        }
        return rows
    }

    /// The sheet `review show` prints and the loop shows: at most 80 columns a line.
    public static func sheet(_ details: ReviewItemDetails, maxCandidates: Int = 5) -> [String] {
        let item = details.item
        let document = details.document
        var lines: [String] = []
        let pages = document.firstPage == document.lastPage
            ? "page \(document.firstPage)" : "pages \(document.firstPage)-\(document.lastPage)"
        let total = details.source?.pageCount.map { " of \($0)" } ?? ""
        lines.append("Item \(item.id)  [\(item.kind.rawValue), \(item.state.rawValue)]")
        lines.append(
            "Type      \(document.type.rawValue) (\(percent(document.typeConfidence)))   \(pages)\(total)"
        )
        var received = "Received  \(item.receivedAt)"
        if let fax = details.source?.senderFax { received += "  from fax \(fax)" }
        lines.append(received)
        if let name = details.source?.originalName { lines.append(clip("File      \(name)  (source \(item.sourceID))")) }
        if let incomplete = incompleteNotice(details.source) { lines.append(clip("Fax       " + incomplete)) }
        // What decides first (why it waits, whose case it may be), then what was read: the top of a screen.
        let why = plainReasons(details)
        if !why.isEmpty {
            lines.append("Why it waits for a person")
            for reason in why { lines += wrap("- " + reason, indent: "  ") }
        } else if let reason = document.decision?.reason {
            lines += wrap("Why: " + reason, indent: "  ")
        }
        let candidates = item.candidates.prefix(maxCandidates)
        if candidates.isEmpty {
            lines.append("Candidates  none")
        } else {
            lines.append("Candidates")
            for (index, candidate) in candidates.enumerated() {
                var head = "  \(index + 1). \(candidate.caseID.rawValue)  \(percent(candidate.probability))"
                if candidate.caseStatus == .closed { head += "  (closed)" }
                if candidate.caseID == document.caseID { head += "  proposed" }
                lines.append(head)
                if let record = details.cases[candidate.caseID] { lines.append(clip("     " + patientLine(record))) }
                lines += wrap(breakdown(candidate), indent: "     ")
            }
        }
        let rows = fields(document.fields)
        if rows.isEmpty {
            lines.append("Fields    none found")
        } else {
            lines.append("Fields")
            for row in rows {
                let label = row.label.padding(toLength: 16, withPad: " ", startingAt: 0)
                let value = row.value.count > 50 ? String(row.value.prefix(49)) + "…" : row.value
                lines.append("  \(label) " + value.padding(toLength: 50, withPad: " ", startingAt: 0) + " " + percent(row.confidence))
            }
        }
        // The path is printed whole, on a line of its own, so it can be copied even when longer than the screen.
        lines.append("PDF")
        lines.append("  " + (document.filedPath ?? "(not written yet)"))
        return lines
    }

    /// The page beside the decision: the pages' text with the fields marked, then where each field was read.
    public static func evidence(
        _ details: ReviewItemDetails, limits: PageLimits, marking: PageEvidence.Marking, style: PictureStyle
    ) -> [String] {
        guard !details.pages.isEmpty else { return [] }
        let sightings = PageEvidence.sightings(details.document.fields, pages: details.pages)
        var lines = [marking == .brackets ? "Text (fields read in [brackets])" : "Text (fields read highlighted)"]
        lines += PageEvidence.markedText(pages: details.pages, sightings: sightings, marking: marking)
        let crops = PageEvidence.crops(details, sightings: sightings, limits: limits, style: style)
        if !crops.isEmpty {
            lines.append("Where the fields were read")
            lines += crops
        }
        return lines
    }

    /// One line naming the item for the prompt: a short id (a unique prefix the commands take), type, pages and the
    /// proposed case. At most 80 columns.
    public static func identity(_ details: ReviewItemDetails) -> String {
        let document = details.document
        let pages = document.firstPage == document.lastPage
            ? "p\(document.firstPage)" : "p\(document.firstPage)-\(document.lastPage)"
        let proposed = document.caseID ?? details.item.candidates.first?.caseID
        var line = "[\(details.item.id.prefix(16))] \(document.type.rawValue) \(pages)"
        if let proposed { line += ", proposed \(proposed)" }
        return clip(line)
    }

    /// "Whitcombe, Jane  DOB 1971-03-14  MRN E7712399  open": the case's patient, to set beside what was read.
    static func patientLine(_ record: CaseRecord) -> String {
        var text = "\(record.patientLast), \(record.patientFirst)  DOB \(record.dateOfBirth.iso)"
        if let mrn = record.mrn { text += "  MRN \(mrn)" }
        return text + "  case \(record.status.rawValue)"
    }

    /// "4 of 6 pages received, request a resend from 6085550141", nil for a complete fax.
    public static func incompleteNotice(_ source: SourceRecord?) -> String? {
        guard let source, let received = source.pageCount else { return nil }
        return FaxArrival(declaredPages: source.declaredPages, receivedPages: received, senderFax: source.senderFax)
            .incompleteNotice
    }

    /// Why the matcher did not file the document, in plain words for staff (not the matcher's codes).
    public static func plainReasons(_ details: ReviewItemDetails) -> [String] {
        let candidates = details.item.candidates
        guard let top = candidates.first else {
            return details.item.kind == .unmatched || details.document.status == .unmatched
                ? ["no open case is close enough to what was read"] : []
        }
        var reasons: [String] = []
        if details.document.decision?.rule == .multiplePatients {
            reasons.append("the document names several patients: none of them is proposed")
        }
        switch top.levels["dob"] {
        case nil, "missing": reasons.append("date of birth not found on the page")
        case "exact": break
        case let level?:
            reasons.append("date of birth on the page differs from \(top.caseID)'s (\(levelWords[level] ?? level))")
        }
        if top.caseStatus != .open { reasons.append("case \(top.caseID) is closed") }
        // Two candidates for one surname: "two open cases named Arias".
        if let record = details.cases[top.caseID] {
            let namesakes = candidates.filter {
                details.cases[$0.caseID]?.patientLast.lowercased() == record.patientLast.lowercased()
                    && $0.caseStatus == .open
            }
            if namesakes.count > 1 {
                let count = namesakes.count == 2 ? "two" : "\(namesakes.count)"
                reasons.append("\(count) open cases named \(record.patientLast)")
            }
        }
        if let rival = candidates.dropFirst().first(where: { top.probability - $0.probability <= 0.25 }) {
            reasons.append("\(rival.caseID) scores close to \(top.caseID) (\(percent(rival.probability)) against \(percent(top.probability)))")
        }
        if let notice = incompleteNotice(details.source) {
            reasons.append("the fax is incomplete: \(notice)")
        }
        return reasons
    }

    public static func percent(_ value: Double) -> String { "\(Int((value * 100).rounded()))%" }

    /// `clip` for a line that may hold terminal escapes (reverse video, colour symbols): only what shows counts.
    static func clipVisible(_ line: String, width: Int = 80) -> String {
        guard line.contains("\u{1B}") else { return clip(line, width: width) }
        var result = ""
        var visible = 0
        var inEscape = false
        for character in line {
            if character == "\u{1B}" { inEscape = true }
            if !inEscape {
                if visible == width { return result + "\u{1B}[0m" }
                visible += 1
            }
            result.append(character)
            if inEscape, character.isLetter { inEscape = false }
        }
        return result
    }

    static func clip(_ line: String, width: Int = 80) -> String {
        line.count > width ? String(line.prefix(width - 1)) + "…" : line
    }

    /// Word-wraps at `width` columns (a word longer than a line is cut).
    public static func wrap(_ text: String, indent: String, width: Int = 80) -> [String] {
        var lines: [String] = []
        var current = indent
        for word in text.split(separator: " ") {
            let candidate = current == indent ? current + word : current + " " + word
            if candidate.count > width, current != indent {
                lines.append(current)
                current = clip(indent + word, width: width)
            } else {
                current = clip(candidate, width: width)
            }
        }
        if current != indent { lines.append(current) }
        return lines
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
