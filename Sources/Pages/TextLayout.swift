import FileroomModel

/// Turns a PDF text layer (characters with boxes in points) into words and lines in page pixels.
enum TextLayout {
    struct PointBox {
        var x1: Double, y1: Double, x2: Double, y2: Double
        var midY: Double { (y1 + y2) / 2 }
        var height: Double { y2 - y1 }
    }

    /// Splits at whitespace into words, groups words whose vertical centres fall within half a word's
    /// height into one line (so "Patient Name: ...   DOB: ..." stays one line, as on paper), orders lines
    /// top to bottom and words left to right, and scales boxes by `scale` (pixels per point).
    static func lines(text: [Unicode.Scalar], boxes: [(Double, Double, Double, Double)], scale: Double) -> [TextLine] {
        var words: [(text: String, box: PointBox)] = []
        var current = ""
        var box: PointBox?
        var previous: PointBox?
        func flush() {
            if !current.isEmpty, let box { words.append((current, box)) }
            current = ""
            box = nil
            previous = nil
        }
        for (index, scalar) in text.enumerated() {
            if scalar.properties.isWhitespace || index >= boxes.count {
                flush()
                continue
            }
            let (x1, y1, x2, y2) = boxes[index]
            let charBox = PointBox(x1: min(x1, x2), y1: min(y1, y2), x2: max(x1, x2), y2: max(y1, y2))
            // A text layer may run one column's text into the next without a space ("From:" then the "Fax:" below
            // it, "Blackwood" then "DOB:" far right): a character that does not follow the previous one on the
            // line, or that stands a gap wider than a space away, starts a new word.
            if let previous, !Self.continues(previous, with: charBox) { flush() }
            previous = charBox
            if let existing = box {
                box = PointBox(x1: min(existing.x1, charBox.x1), y1: min(existing.y1, charBox.y1),
                               x2: max(existing.x2, charBox.x2), y2: max(existing.y2, charBox.y2))
            } else {
                box = charBox
            }
            current.unicodeScalars.append(scalar)
        }
        flush()

        var groups: [[(text: String, box: PointBox)]] = []
        for word in words.sorted(by: { $0.box.midY < $1.box.midY }) {
            if let last = groups.last, let anchor = last.first,
               abs(anchor.box.midY - word.box.midY) < 0.5 * max(1, min(anchor.box.height, word.box.height)) {
                groups[groups.count - 1].append(word)
            } else {
                groups.append([word])
            }
        }
        return groups.map { group in
            TextLine(words: group.sorted { $0.box.x1 < $1.box.x1 }.map { word in
                RecognizedWord(
                    text: word.text,
                    box: BoundingBox(
                        x: Int((word.box.x1 * scale).rounded(.down)), y: Int((word.box.y1 * scale).rounded(.down)),
                        width: max(1, Int(((word.box.x2 - word.box.x1) * scale).rounded(.up))),
                        height: max(1, Int(((word.box.y2 - word.box.y1) * scale).rounded(.up)))
                    ),
                    confidence: 1
                )
            })
        }
    }

    /// Whether `next` is the character after `previous` in one word: on the same line, not behind it, and closer
    /// than a space (about a quarter of the font's height; letter-spaced headings are split as OCR would split them).
    static func continues(_ previous: PointBox, with next: PointBox) -> Bool {
        let height = min(previous.height, next.height)
        // Degenerate boxes (some producers give no glyph heights) say nothing: keep the whitespace split alone.
        guard height >= 1 else { return true }
        guard abs(previous.midY - next.midY) < height * 0.5 else { return false }
        let gap = next.x1 - previous.x2
        return gap < height * 0.3 && next.x1 > previous.x1 - height * 0.5
    }
}
