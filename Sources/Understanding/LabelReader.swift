import FileroomModel

/// One label variant: its folded words and how sure a value after it is the field asked for.
struct LabelVariant: Sendable {
    var tokens: [String]
    var certainty: Double

    init(_ phrase: String, _ certainty: Double = 1) {
        tokens = TextMatching.tokens(phrase)
        self.certainty = certainty
    }
}

/// A value found next to a label.
struct LabelledValue: Sendable {
    var text: String
    /// Mean OCR confidence of the value's words.
    var ocrConfidence: Double
    var certainty: Double
    var row: Int
    var page: Int
    /// The value's words, for callers that need boxes.
    var words: [LayoutWord]
    /// The row's text from its segment start through the label ("Lakeshore MRN"), to tell whose value it is.
    var labelText: String = ""
    var confidence: Double { ocrConfidence * certainty }
}

/// Finds "Label: value" pairs on a page, whether the value is right of the label, in the next column, or below it.
enum LabelReader {
    /// Labels that end a value: when one of these starts, the value before it is complete. Every label of the
    /// vocabulary is one, so a new synonym there stops values everywhere.
    static var stopLabels: [[String]] { FieldVocabulary.stopLabels }

    /// Token index -> word index of a row, for mapping folded tokens back to boxes.
    static func tokenMap(_ row: LayoutRow) -> (tokens: [String], wordIndex: [Int]) {
        var tokens: [String] = []
        var wordIndex: [Int] = []
        for (i, word) in row.words.enumerated() {
            for t in word.folded.split(separator: " ") {
                tokens.append(String(t))
                wordIndex.append(i)
            }
        }
        return (tokens, wordIndex)
    }

    /// Every value labelled by one of the variants on the page, best label certainty first then reading order.
    static func find(
        _ variants: [LabelVariant], in layout: PageLayout, rows: [Int]? = nil, allowBelow: Bool = true,
        requireColon: Bool = false
    ) -> [LabelledValue] {
        var results: [LabelledValue] = []
        let rowIndices = rows ?? layout.bodyRowIndices
        for r in rowIndices {
            let row = layout.rows[r]
            let (tokens, wordIndex) = tokenMap(row)
            var claimed = Set<Int>()
            // Longest variants first so "date of birth" wins over "date".
            let ordered = variants.enumerated().sorted { $0.element.tokens.count > $1.element.tokens.count }
            // Each variant also as one run-together word: OCR drops spaces ("PATIENTNAME:").
            let spellings = ordered.flatMap { entry -> [LabelVariant] in
                let variant = entry.element
                guard variant.tokens.count > 1 else { return [variant] }
                var joined = variant
                joined.tokens = [variant.tokens.joined()]
                return [variant, joined]
            }
            for variant in spellings {
                for start in TextMatching.occurrences(of: variant.tokens, in: tokens) {
                    // A fuzzy match must not turn another field's label into this one ("Acc#" is not "Acct#").
                    if variant.tokens.count == 1, tokens[start] != variant.tokens[0],
                        Self.reservedLabels.contains(tokens[start])
                    {
                        continue
                    }
                    let firstWord = wordIndex[start]
                    let lastWord = wordIndex[start + variant.tokens.count - 1]
                    if (firstWord...lastWord).contains(where: { claimed.contains($0) }) { continue }
                    // The token must be the whole word run ("name" inside "Printed name" is another label), except
                    // across a slash: "Age/Sex", "Exam Date/Time", "DOB/Age".
                    let firstIsSlashed = row.words[firstWord].text.contains("/")
                    let lastIsSlashed = row.words[lastWord].text.contains("/")
                    if start > 0, wordIndex[start - 1] == firstWord, !firstIsSlashed { continue }
                    if start + variant.tokens.count < tokens.count, wordIndex[start + variant.tokens.count] == lastWord,
                        !lastIsSlashed
                    {
                        continue
                    }
                    let segment = row.segmentRange(containing: firstWord)
                    let qualifier = firstWord == segment.lowerBound + 1 ? row.words[segment.lowerBound] : nil
                    // "2. Name:", or a one-word qualifier naming whose value it is ("Lakeshore MRN:"), but not one
                    // naming another role ("Referring Physician:").
                    let atSegmentStart = firstWord == segment.lowerBound
                        || qualifier.map { isNumbering($0) || !otherRoleQualifiers.contains($0.folded) } ?? false
                    let endsWithColon = labelEndsWithColon(row, lastWord: lastWord)
                    if requireColon && !endsWithColon { continue }
                    // Capitalised abbreviations ("DOB 01/01/1950 MRN 12345") are labels even inside a line.
                    let isAbbreviation = variant.tokens.count == 1 && variant.tokens[0].count <= 4
                        && row.words[firstWord].text.contains(where: \.isLetter)
                        && row.words[firstWord].text == row.words[firstWord].text.uppercased()
                        && ["dob", "mrn", "mr#", "sex", "dos", "npi"].contains(variant.tokens[0])
                    if !atSegmentStart && !endsWithColon && !isAbbreviation { continue }
                    // "The patient has ...": a label after a qualifier word needs its colon.
                    if firstWord != segment.lowerBound, !endsWithColon, !isAbbreviation { continue }
                    if !atSegmentStart && !isAbbreviation && !precededByValueEnd(row, firstWord) { continue }
                    claimed.formUnion(firstWord...lastWord)
                    if let value = value(after: lastWord, in: r, layout: layout, allowBelow: allowBelow) {
                        let certainty = variant.certainty * (endsWithColon ? 1 : 0.85)
                        results.append(
                            LabelledValue(
                                text: value.text, ocrConfidence: value.confidence, certainty: certainty, row: value.row,
                                page: layout.number, words: value.words,
                                labelText: row.text(segment.lowerBound..<(lastWord + 1))))
                    }
                }
            }
        }
        return results.sorted { ($0.certainty, -$0.row) > ($1.certainty, -$1.row) }
    }

    static let reservedLabels: Set<String> = [
        "acc#", "acc", "accn", "accession", "dos", "age", "sex", "mr", "ms", "fax", "to", "re", "cc", "pcp", "npi",
    ]

    static let otherRoleQualifiers: Set<String> = [
        "referring", "referred", "printed", "assistant", "primary", "pcp", "emergency", "contact", "insurance",
        "guarantor", "family", "responsible", "admitting", "copy", "cc", "requesting", "submitting",
    ]

    static func isNumbering(_ word: LayoutWord) -> Bool {
        word.text.count <= 3 && word.text.first?.isNumber == true
    }

    /// "Name:" or "Name :" or "MR#".
    static func labelEndsWithColon(_ row: LayoutRow, lastWord: Int) -> Bool {
        let text = row.words[lastWord].text
        if text.hasSuffix(":") || text.hasSuffix("#") || text.hasSuffix(";") || text.hasSuffix("#:") { return true }
        if lastWord + 1 < row.words.count {
            let next = row.words[lastWord + 1].text
            if next == ":" || next == "#:" || next == "#" || next.hasPrefix(":") { return true }
            if next.hasPrefix("(") {
                // "Patient Name (Last, First, MI):"
                var i = lastWord + 1
                while i < row.words.count, i < lastWord + 6 {
                    if row.words[i].text.hasSuffix("):") || row.words[i].text.hasSuffix(")") { return true }
                    i += 1
                }
            }
        }
        return false
    }

    /// A label in the middle of a row must follow a complete value, not sit inside a sentence.
    static func precededByValueEnd(_ row: LayoutRow, _ firstWord: Int) -> Bool {
        guard firstWord > 0 else { return true }
        let previous = row.words[firstWord - 1]
        let gap = row.words[firstWord].box.x - previous.box.maxX
        if Double(gap) > Double(row.height) * 0.9 { return true }
        let last = previous.text.last
        return last?.isNumber == true || last == "." || last == "_" || last == "|" || last == "-"
            || last == ";" || last == "," || previous.text.count <= 2
            || previous.text.allSatisfy { $0.isUppercase || !$0.isLetter }
    }

    /// Whether a stop label starts at `word` of `row`.
    static func stopLabelStarts(
        at word: Int, in row: LayoutRow, tokens: [String], wordIndex: [Int], requireColon: Bool = true
    ) -> Bool {
        guard let tokenStart = wordIndex.firstIndex(of: word) else { return false }
        for label in stopLabels where tokenStart + label.count <= tokens.count {
            var match = true
            for (k, t) in label.enumerated() where tokens[tokenStart + k] != t {
                match = false
                break
            }
            guard match else { continue }
            let lastWord = wordIndex[tokenStart + label.count - 1]
            // The label must end at a word boundary and carry its colon (or be a one-word "#" label).
            if tokenStart + label.count < tokens.count, wordIndex[tokenStart + label.count] == lastWord { continue }
            if !requireColon || labelEndsWithColon(row, lastWord: lastWord) { return true }
        }
        return false
    }

    static func cleanValueWords(_ words: ArraySlice<LayoutWord>) -> [LayoutWord] {
        var out = Array(words)
        func isNoise(_ w: LayoutWord) -> Bool {
            w.text.allSatisfy { !$0.isLetter && !$0.isNumber } || (w.folded.count <= 1 && w.text.count <= 1
                && !w.text.allSatisfy(\.isLetter) && !w.text.allSatisfy(\.isNumber))
        }
        while let f = out.first, isNoise(f) { out.removeFirst() }
        // A parenthetical right after the label belongs to it: "(if known):", "(Last, First, MI):".
        if let f = out.first, f.text.hasPrefix("(") {
            if let close = out.firstIndex(where: { $0.text.contains(")") }), close < 6 {
                out.removeFirst(close + 1)
            }
        }
        while let f = out.first, isNoise(f) { out.removeFirst() }
        while let l = out.last, isNoise(l) { out.removeLast() }
        return out
    }

    static func value(after lastWord: Int, in r: Int, layout: PageLayout, allowBelow: Bool)
        -> (text: String, confidence: Double, row: Int, words: [LayoutWord])?
    {
        let row = layout.rows[r]
        let (tokens, wordIndex) = tokenMap(row)
        var start = lastWord + 1
        var segmentEnd = row.segmentRange(containing: lastWord).upperBound
        // "Patient Name (Last, First, MI): ...": the parenthetical belongs to the label, words in it are no labels.
        if start < segmentEnd, row.words[start].text.hasPrefix("(") {
            if let close = (start..<min(segmentEnd, start + 6)).first(where: { row.words[$0].text.contains(")") }) {
                start = close + 1
            }
        }
        var cleaned: [LayoutWord] = []
        // The value runs to the end of the label's column or the next label; when that leaves only noise, it sits
        // in the next column of the same row.
        for _ in 0..<3 {
            var end = start
            var valueWords: [LayoutWord] = []
            while end < segmentEnd {
                // Right after the label only a word label ("DOB:") ends the value, not the label's own "#:".
                let mayStop = end > lastWord + 1 || row.words[end].folded.count > 2
                if mayStop, stopLabelStarts(at: end, in: row, tokens: tokens, wordIndex: wordIndex) { break }
                valueWords.append(row.words[end])
                end += 1
            }
            // A value OCR spaced widely ("Melissa    Brown / Clinic") goes on into the next column when that one
            // holds only words: no label, no colon, no digits, and not far away.
            while end == segmentEnd, end < row.words.count, !valueWords.isEmpty {
                let next = row.segmentRange(containing: end)
                let gap = Double(row.words[end].box.x - row.words[end - 1].box.maxX)
                let words = row.words[next]
                guard gap < layout.wordHeight * 6,
                    !words.contains(where: { $0.text.contains(":") || $0.text.contains(where: \.isNumber) }),
                    !stopLabelStarts(at: end, in: row, tokens: tokens, wordIndex: wordIndex, requireColon: false)
                else { break }
                valueWords.append(contentsOf: words)
                end = next.upperBound
                segmentEnd = end
            }
            cleaned = cleanValueWords(valueWords[...])
            if !cleaned.isEmpty { return (cleaned.map(\.text).joined(separator: " "), mean(cleaned), r, cleaned) }
            // A table header has no colons: the next column starting with any label is another header cell.
            guard end == segmentEnd, segmentEnd < row.words.count,
                !stopLabelStarts(at: segmentEnd, in: row, tokens: tokens, wordIndex: wordIndex, requireColon: false)
            else { break }
            start = segmentEnd
            segmentEnd = row.segmentRange(containing: segmentEnd).upperBound
        }
        guard allowBelow else { return nil }
        // Below the label: the next row's words that start under it (a form or a table header).
        let labelSegment = row.segmentRange(containing: lastWord)
        let labelLeft = row.words[labelSegment.lowerBound].box.x
        // The column ends at the next label on the row ("Name: DOB: MRN:" over a row of values), else the next column.
        let nextLabel = ((lastWord + 1)..<row.words.count).first {
            stopLabelStarts(at: $0, in: row, tokens: tokens, wordIndex: wordIndex)
        }
        let nextLabelX = nextLabel.map { row.words[$0].box.x }
            ?? (labelSegment.upperBound < row.words.count ? row.words[labelSegment.upperBound].box.x : layout.width)
        let slack = Int(layout.wordHeight * 1.5)
        for below in (r + 1)..<min(layout.rows.count, r + 3) {
            let candidate = layout.rows[below]
            if Double(candidate.top - row.bottom) > layout.wordHeight * 2.5 { break }
            let inColumn = candidate.words.indices.filter {
                let w = candidate.words[$0]
                return w.box.x >= labelLeft - slack && w.box.x < nextLabelX - slack / 2
            }
            guard let first = inColumn.first else { continue }
            let (ct, cw) = tokenMap(candidate)
            if stopLabelStarts(at: first, in: candidate, tokens: ct, wordIndex: cw) { return nil }
            let seg = candidate.segmentRange(containing: first)
            let words = candidate.words[seg].filter { $0.box.x < nextLabelX - slack / 2 }
            cleaned = cleanValueWords(words[...])
            if !cleaned.isEmpty {
                return (cleaned.map(\.text).joined(separator: " "), mean(cleaned), below, cleaned)
            }
        }
        return nil
    }

    static func mean(_ words: [LayoutWord]) -> Double {
        words.isEmpty ? 0 : words.map(\.confidence).reduce(0, +) / Double(words.count)
    }
}
