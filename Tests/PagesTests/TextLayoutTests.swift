import FileroomModel
@testable import Pages
import Testing

/// A text layer's characters become words by position, not only by the whitespace the producer wrote.
@Suite struct TextLayoutTests {
    /// Characters of `text` set left to right from `x` on a line at `y` (points), 6 points wide, 10 high.
    static func glyphs(_ text: String, x: Double, y: Double) -> [(Unicode.Scalar, (Double, Double, Double, Double))] {
        text.unicodeScalars.enumerated().map { i, s in (s, (x + Double(i) * 6, y, x + Double(i) * 6 + 6, y + 10)) }
    }

    static func words(_ runs: [[(Unicode.Scalar, (Double, Double, Double, Double))]]) -> [[String]] {
        let all = runs.flatMap { $0 }
        return TextLayout.lines(text: all.map(\.0), boxes: all.map(\.1), scale: 1).map { $0.words.map(\.text) }
    }

    @Test func columnsRunTogetherWithoutASpaceAreSplit() {
        // "Patient:William Blackwood" then "DOB:09-16-1947" far right, in one run of characters; "From:" then the
        // "Fax:" of the line below, also without a space.
        let lines = Self.words([
            Self.glyphs("Patient:", x: 50, y: 100), Self.glyphs("William", x: 104, y: 100), [(" ", (0, 0, 0, 0))],
            Self.glyphs("Blackwood", x: 152, y: 100), Self.glyphs("DOB:09-16-1947", x: 330, y: 100),
            Self.glyphs("From:", x: 50, y: 130), Self.glyphs("Fax:", x: 50, y: 145),
        ])
        #expect(lines == [["Patient:", "William", "Blackwood", "DOB:09-16-1947"], ["From:"], ["Fax:"]])
    }

    @Test func lettersOfOneWordStayTogether() {
        // Touching or slightly kerned glyphs, and producers that give no glyph heights, keep the word whole.
        var kerned = Self.glyphs("Lakeshore", x: 50, y: 100)
        kerned[3].1.0 -= 1
        kerned[3].1.2 -= 1
        let flat = "Institute".unicodeScalars.enumerated().map { i, s in (s, (200 + Double(i) * 6, 100.0, 206 + Double(i) * 6, 100.0)) }
        #expect(Self.words([kerned]) == [["Lakeshore"]])
        #expect(Self.words([flat]) == [["Institute"]])
    }
}
