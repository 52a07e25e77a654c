/// Lays out one page top to bottom in points (US Letter, 612 x 792), in one default font.
struct LayoutSheet {
    private(set) var lines: [FixtureLine] = []
    var y: Double
    var left: Double
    var font: FixtureFont
    var size: Double

    init(top: Double = 56, left: Double = 50, font: FixtureFont = .sans, size: Double = 9) {
        y = top
        self.left = left
        self.font = font
        self.size = size
    }

    /// A line at the current baseline, then down by 1.4 x its size.
    mutating func text(_ text: String, x: Double? = nil, size: Double? = nil, bold: Bool = false, font: FixtureFont? = nil) {
        let size = size ?? self.size
        place(text, x: x ?? left, size: size, bold: bold, font: font)
        y += size * 1.4
    }

    /// Texts on the current baseline at the given x positions (columns), then one line down.
    mutating func row(_ cells: [(Double, String)], size: Double? = nil, bold: Bool = false) {
        let size = size ?? self.size
        for (x, text) in cells where !text.isEmpty { place(text, x: x, size: size, bold: bold, font: nil) }
        y += size * 1.4
    }

    /// A text on the current baseline that does not move the baseline.
    mutating func place(_ text: String, x: Double, size: Double? = nil, bold: Bool = false, font: FixtureFont? = nil) {
        lines.append(FixtureLine(text, x: x, y: y, size: size ?? self.size, bold: bold, font: font ?? self.font))
    }

    /// A line at a fixed height, for running headers and footers.
    mutating func fixed(_ text: String, x: Double? = nil, y: Double, size: Double = 7.5, bold: Bool = false) {
        lines.append(FixtureLine(text, x: x ?? left, y: y, size: size, bold: bold, font: font))
    }

    /// A line placed anywhere (stickers, boxes) without moving the baseline.
    mutating func put(_ line: FixtureLine) { lines.append(line) }

    mutating func gap(_ points: Double = 6) { y += points }

    /// A rule of a repeated character (the renderer draws text only).
    mutating func rule(_ character: Character = "_", count: Int = 92, size: Double = 8) {
        place(String(repeating: character, count: count), x: left, size: size)
        // Underscores hang below the baseline: keep the next line's capitals clear of them.
        y += size * 1.3 + 4
    }

    /// A bold heading followed by its lines.
    mutating func section(_ title: String, _ body: [String], titleSize: Double? = nil) {
        gap(3)
        text(title, size: titleSize, bold: true)
        for line in body { text(line) }
    }
}
