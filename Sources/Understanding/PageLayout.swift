import FileroomModel

/// A word with the page-level facts the extractors need.
struct LayoutWord: Sendable {
    var text: String
    var box: BoundingBox
    var confidence: Double
    /// Folded form ("Birth Date:" -> "birth date").
    var folded: String
}

/// Words that stand on one visual row, left to right. The recogniser's own lines are not trusted for this:
/// label and value columns often come back as separate lines.
struct LayoutRow: Sendable {
    var words: [LayoutWord]
    /// Index of the first word of each segment: a segment is a run of words without a column-sized gap.
    var segmentStarts: [Int]

    var text: String { words.map(\.text).joined(separator: " ") }
    var top: Int { words.map(\.box.y).min() ?? 0 }
    var bottom: Int { words.map(\.box.maxY).max() ?? 0 }
    var left: Int { words.first?.box.x ?? 0 }
    var height: Int { max(1, bottom - top) }
    var confidence: Double { words.isEmpty ? 0 : words.map(\.confidence).reduce(0, +) / Double(words.count) }
    var foldedTokens: [String] { words.flatMap { $0.folded.split(separator: " ").map(String.init) } }

    func segmentRange(containing index: Int) -> Range<Int> {
        var start = 0
        var end = words.count
        for s in segmentStarts {
            if s <= index { start = s } else {
                end = s
                break
            }
        }
        return start..<end
    }

    func text(_ range: Range<Int>) -> String { words[range].map(\.text).joined(separator: " ") }

    func confidence(_ range: Range<Int>) -> Double {
        guard !range.isEmpty else { return 0 }
        return words[range].map(\.confidence).reduce(0, +) / Double(range.count)
    }
}

/// A page regrouped into rows, with the facts that several stages use.
struct PageLayout: Sendable {
    var number: Int
    var rows: [LayoutRow]
    var height: Int
    var width: Int
    var wordCount: Int
    var meanConfidence: Double
    /// Median word height: the unit for "big" text and for gaps.
    var wordHeight: Double
    /// The fax machine's header line (one or more rows in the top band), when the page has one.
    var faxHeaderRows: [Int]

    init(page: PageText) {
        number = page.number
        let allWords = PageLayout.repairedWords(page.lines).flatMap(PageLayout.splitGlued).compactMap { word -> LayoutWord? in
            let trimmed = String(word.text.filter { !$0.isWhitespace })
            guard !trimmed.isEmpty else { return nil }
            return LayoutWord(
                text: trimmed, box: word.box, confidence: min(1, max(0, word.confidence)),
                folded: TextMatching.fold(trimmed))
        }
        // Punctuation specks (tiny boxes OCR reports with no confidence) would pull rows apart.
        let allHeights = allWords.map(\.box.height).filter { $0 > 0 }.sorted()
        let typicalHeight = allHeights.isEmpty ? 20 : allHeights[allHeights.count / 2]
        let words = allWords.filter { word in
            word.text.contains(where: { $0.isLetter || $0.isNumber }) || word.confidence >= 0.5
                || word.box.height * 2 >= typicalHeight
        }
        wordCount = words.count
        meanConfidence = words.isEmpty ? 0 : words.map(\.confidence).reduce(0, +) / Double(words.count)
        let heights = words.map(\.box.height).filter { $0 > 0 }.sorted()
        wordHeight = heights.isEmpty ? 20 : Double(heights[heights.count / 2])
        let maxY = words.map(\.box.maxY).max() ?? 0
        let maxX = words.map(\.box.maxX).max() ?? 0
        height = max(page.height, maxY, 1)
        width = max(page.width, maxX, 1)
        rows = PageLayout.group(words, unit: wordHeight, slope: PageLayout.slope(of: page.lines))
        faxHeaderRows = []
        faxHeaderRows = FaxHeader.detectRows(in: self)
    }

    /// Words with the degenerate boxes OCR sometimes reports (2x2 pixels for a whole word) get a box estimated
    /// from their line, so gaps and rows stay right.
    static func repairedWords(_ lines: [TextLine]) -> [RecognizedWord] {
        var out: [RecognizedWord] = []
        for line in lines {
            let normal = line.words.filter { $0.box.height >= 6 && $0.box.width >= max(3, $0.text.count * 2) }
            guard !normal.isEmpty else {
                out.append(contentsOf: line.words)
                continue
            }
            let heights = normal.map(\.box.height).sorted()
            let tops = normal.map(\.box.y).sorted()
            let height = heights[heights.count / 2], top = tops[tops.count / 2]
            for var word in line.words {
                if word.box.height < 6 || word.box.width < max(3, word.text.count * 2), word.text.count >= 2 {
                    let width = max(word.box.width, Int(Double(word.text.count * height) * 0.55))
                    word.box = BoundingBox(x: word.box.x, y: top, width: width, height: height)
                }
                out.append(word)
            }
        }
        return out
    }

    /// A label glued to its value ("DOB/Age/Sex:01-04-1973", "Patient:William", "Fax:Intake") or a value glued to
    /// the label after it ("BlackwoodDOB:"), as text layers and OCR sometimes print them, becomes two words with
    /// boxes shared out by characters, so labels and values are found as on paper. Times ("10:15"), URLs and
    /// ratios stay whole: the part before the colon must be a word of two letters or more.
    static func splitGlued(_ word: RecognizedWord) -> [RecognizedWord] {
        let chars = Array(word.text)
        guard chars.count >= 4 else { return [word] }
        var cut: Int?
        if let colon = chars.firstIndex(of: ":"), colon >= 2, colon + 1 < chars.count {
            let label = chars[..<colon]
            let value = chars[(colon + 1)...]
            let isLabel = label.filter(\.isLetter).count >= 2 && label.last?.isLetter == true
                && label.allSatisfy { $0.isLetter || "/#.-'".contains($0) }
            let isValue = value.first.map { $0.isLetter || $0.isNumber || $0 == "(" } == true && !value.starts(with: ["/", "/"])
            if isLabel, isValue { cut = colon + 1 }
        }
        if cut == nil {
            // "BlackwoodDOB:": a lowercase letter, then a capitalised label of the birth date or record number.
            for label in ["DOB", "MRN", "DOS"] {
                let l = Array(label)
                guard let start = (1..<max(1, chars.count - l.count + 1)).first(where: { i in
                    Array(chars[i..<(i + l.count)]) == l && chars[i - 1].isLowercase
                        && (i + l.count == chars.count || !chars[i + l.count].isLetter)
                }) else { continue }
                if start >= 2 { cut = start }
                break
            }
        }
        guard let cut else { return [word] }
        let left = String(chars[..<cut]), right = String(chars[cut...])
        let share = Double(cut) / Double(chars.count)
        let leftWidth = max(1, Int(Double(word.box.width) * share))
        let first = RecognizedWord(
            text: left, box: BoundingBox(x: word.box.x, y: word.box.y, width: leftWidth, height: word.box.height),
            confidence: word.confidence)
        let second = RecognizedWord(
            text: right,
            box: BoundingBox(
                x: word.box.x + leftWidth, y: word.box.y, width: max(1, word.box.width - leftWidth), height: word.box.height),
            confidence: word.confidence)
        // The rest may hold another glued pair ("Company:Voice:Medical").
        return [first] + splitGlued(second)
    }

    /// The residual skew of the text lines (pixels down per pixel right), from the recogniser's own lines, which
    /// follow the skew: rows are then built on de-skewed heights so a label and its value far right still pair up.
    static func slope(of lines: [TextLine]) -> Double {
        var slopes: [Double] = []
        for line in lines where line.words.count >= 3 {
            guard let first = line.words.first, let last = line.words.last else { continue }
            let dx = Double(last.box.x + last.box.width / 2 - first.box.x - first.box.width / 2)
            guard dx > 200 else { continue }
            slopes.append(Double(last.box.midY - first.box.midY) / dx)
        }
        guard slopes.count >= 3 else { return 0 }
        slopes.sort()
        let median = slopes[slopes.count / 2]
        return abs(median) < 0.002 || abs(median) > 0.08 ? 0 : median
    }

    static func group(_ words: [LayoutWord], unit: Double, slope: Double = 0) -> [LayoutRow] {
        func level(_ word: LayoutWord) -> Double { Double(word.box.midY) - slope * Double(word.box.x) }
        let sorted = words.sorted { (level($0), $0.box.x) < (level($1), $1.box.x) }
        var rows: [[LayoutWord]] = []
        var rowMid: [Double] = []
        for word in sorted {
            let mid = level(word)
            // Tall words (bold headings, boxes OCR drew loosely) may sit further off the row's centre line.
            let tolerance = max(4, unit * 0.55, Double(word.box.height) * 0.45)
            // The closest of the last few rows: a word OCR placed a little high must not open a row of its own.
            let recent = rowMid.indices.suffix(3)
            if let best = recent.min(by: { abs(rowMid[$0] - mid) < abs(rowMid[$1] - mid) }),
                abs(rowMid[best] - mid) <= tolerance
            {
                rows[best].append(word)
                let count = Double(rows[best].count)
                rowMid[best] += (mid - rowMid[best]) / count
            } else {
                rows.append([word])
                rowMid.append(mid)
            }
        }
        // A short row just above or below another is often a word OCR placed off its line ("Deborah" beside
        // "Name: Walker,"): move each of its words into the neighbouring row when it fits there without colliding.
        var merged = rows
        var mids = rowMid
        for index in merged.indices where merged[index].count <= 3 {
            var kept: [LayoutWord] = []
            for word in merged[index] {
                let candidates = [index - 1, index + 1].filter { merged.indices.contains($0) && merged[$0].count > merged[index].count }
                let target = candidates.first { other in
                    abs(mids[other] - level(word)) < max(unit * 0.75, Double(word.box.height) * 0.6)
                        && !merged[other].contains { $0.box.x < word.box.maxX && word.box.x < $0.box.maxX }
                }
                if let target {
                    merged[target].append(word)
                } else {
                    kept.append(word)
                }
            }
            merged[index] = kept
            if kept.isEmpty { mids[index] = .infinity }
        }
        merged.removeAll { $0.isEmpty }
        return merged.map { rowWords in
            let ordered = rowWords.sorted { $0.box.x < $1.box.x }
            var starts = [0]
            for i in ordered.indices.dropFirst() {
                let gap = Double(ordered[i].box.x - ordered[i - 1].box.maxX)
                if gap > unit * 2.2 { starts.append(i) }
            }
            return LayoutRow(words: ordered, segmentStarts: starts)
        }
    }

    /// Rows other than the fax header line.
    var bodyRowIndices: [Int] { rows.indices.filter { !faxHeaderRows.contains($0) } }

    /// The header line's words as one row, left to right.
    var faxHeaderLine: LayoutRow? {
        guard !faxHeaderRows.isEmpty else { return nil }
        let words = faxHeaderRows.flatMap { rows[$0].words }.sorted { $0.box.x < $1.box.x }
        return LayoutRow(words: words, segmentStarts: [0])
    }

    var isNearlyEmpty: Bool {
        let bodyWords = bodyRowIndices.reduce(0) { $0 + rows[$1].words.count }
        return bodyWords < 6
    }

    /// Low-confidence noise (an unreadable page): nothing on it should decide anything.
    var isUnreadable: Bool { wordCount > 0 && meanConfidence < 0.45 }

    /// Rows in the top part of the page, above the first labelled row: where a letterhead sits.
    func topRows(fraction: Double = 0.3) -> [Int] {
        let limit = Double(height) * fraction
        return bodyRowIndices.filter { Double(rows[$0].top) < limit }
    }
}
