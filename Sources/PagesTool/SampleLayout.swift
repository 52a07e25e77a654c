import TestSupport

/// Lays out a fax page top to bottom in points, the way a report template would.
struct SampleLayout {
    private(set) var lines: [FixtureLine] = []
    var y: Double
    let left: Double

    init(top: Double = 60, left: Double = 54) {
        self.y = top
        self.left = left
    }

    /// The fax machine's header line, printed across the very top of every received page.
    static func faxHeader(_ stamp: String, from sender: String, facility: String, page: Int, of total: Int) -> FixtureLine {
        let two = { (n: Int) in n < 10 ? "0\(n)" : "\(n)" }
        return FixtureLine("\(stamp) \(sender) -> 6085550101 \(facility) PAGE \(two(page)) OF \(two(total))",
                           x: 18, y: 14, size: 7.5)
    }

    mutating func add(_ line: FixtureLine) { lines.append(line) }

    mutating func text(_ text: String, size: Double = 10, bold: Bool = false, indent: Double = 0, spacing: Double = 1.45) {
        lines.append(FixtureLine(text, x: left + indent, y: y, size: size, bold: bold))
        y += size * spacing
    }

    /// Two texts on one baseline, the second starting at `column` points from the left margin.
    mutating func pair(_ first: String, _ second: String, column: Double = 290, size: Double = 10) {
        lines.append(FixtureLine(first, x: left, y: y, size: size))
        lines.append(FixtureLine(second, x: left + column, y: y, size: size))
        y += size * 1.45
    }

    mutating func gap(_ points: Double = 8) { y += points }

    mutating func letterhead(_ name: String, address: String, phoneFax: String) {
        text(name, size: 15, bold: true, spacing: 1.3)
        text(address, size: 9, spacing: 1.3)
        text(phoneFax, size: 9, spacing: 1.3)
        rule()
    }

    /// A horizontal rule drawn with underscores (the fixture renderer draws text only).
    mutating func rule() {
        lines.append(FixtureLine(String(repeating: "_", count: 86), x: left, y: y - 4, size: 9))
        y += 14
    }

    mutating func section(_ title: String, _ paragraphs: [String]) {
        gap(4)
        text(title, size: 10, bold: true)
        for paragraph in paragraphs { text(paragraph) }
    }
}
