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
    /// The fax machine's header line, when the first row is one.
    var faxHeaderRow: Int?

    init(page: PageText) {
        number = page.number
        let words = page.words.compactMap { word -> LayoutWord? in
            let trimmed = String(word.text.filter { !$0.isWhitespace })
            guard !trimmed.isEmpty else { return nil }
            return LayoutWord(
                text: trimmed, box: word.box, confidence: min(1, max(0, word.confidence)),
                folded: TextMatching.fold(trimmed))
        }
        wordCount = words.count
        meanConfidence = words.isEmpty ? 0 : words.map(\.confidence).reduce(0, +) / Double(words.count)
        let heights = words.map(\.box.height).filter { $0 > 0 }.sorted()
        wordHeight = heights.isEmpty ? 20 : Double(heights[heights.count / 2])
        let maxY = words.map(\.box.maxY).max() ?? 0
        let maxX = words.map(\.box.maxX).max() ?? 0
        height = max(page.height, maxY, 1)
        width = max(page.width, maxX, 1)
        rows = PageLayout.group(words, unit: wordHeight)
        faxHeaderRow = nil
        faxHeaderRow = FaxHeader.detectRow(in: self)
    }

    static func group(_ words: [LayoutWord], unit: Double) -> [LayoutRow] {
        let sorted = words.sorted { ($0.box.midY, $0.box.x) < ($1.box.midY, $1.box.x) }
        var rows: [[LayoutWord]] = []
        var rowMid: [Double] = []
        for word in sorted {
            let mid = Double(word.box.midY)
            if let last = rowMid.last, abs(mid - last) <= max(4, unit * 0.55) {
                rows[rows.count - 1].append(word)
                let count = Double(rows[rows.count - 1].count)
                rowMid[rowMid.count - 1] = last + (mid - last) / count
            } else {
                rows.append([word])
                rowMid.append(mid)
            }
        }
        return rows.map { rowWords in
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
    var bodyRowIndices: [Int] { rows.indices.filter { $0 != faxHeaderRow } }

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
