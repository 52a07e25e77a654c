#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
public import FileroomModel

/// One word of a page's text layer, placed in PDF user space.
public struct PlacedWord: Sendable, Hashable {
    public var text: String
    /// Start of the baseline, points, origin at the bottom left of the page.
    public var x: Double
    public var y: Double
    /// Length along the baseline and height above it, points.
    public var width: Double
    public var height: Double
    /// Direction of the baseline, radians anticlockwise from the page's x axis.
    public var angle: Double

    public init(text: String, x: Double, y: Double, width: Double, height: Double, angle: Double = 0) {
        self.text = text
        self.x = x
        self.y = y
        self.width = width
        self.height = height
        self.angle = angle
    }
}

/// Places recognised words on the filed page and writes them as invisible text.
public enum InvisibleTextLayer {
    /// The words of `text` on a filed page of `width` x `height` points that shows the page as received, turned as
    /// OCR turned it (`text.rotation`) but neither squared nor deskewed.
    ///
    /// OCR read a page that was squared (fax normal mode rows doubled), deskewed by `text.skew` degrees (leptonica:
    /// clockwise positive, about the centre) and then turned; the boxes are in that frame. Scaling to the page's
    /// physical size undoes the squaring (both frames cover the same paper), and turning back by the skew about the
    /// centre undoes the deskew: the two commute with the quarter turn, which both frames share.
    /// Each line's words share the line's baseline and height, so a viewer selects and copies them as one line.
    public static func place(_ text: PageText, pageWidth: Double, pageHeight: Double) -> [PlacedWord] {
        guard text.width > 0, text.height > 0, pageWidth > 0, pageHeight > 0 else { return [] }
        let scaleX = pageWidth / Double(text.width), scaleY = pageHeight / Double(text.height)
        let theta = text.skew * .pi / 180
        let (sine, cosine) = (sin(theta), cos(theta))
        let centreX = pageWidth / 2, centreY = pageHeight / 2
        var placed: [PlacedWord] = []
        for line in text.lines {
            guard let lineBox = line.box, lineBox.height > 0 else { continue }
            let baseline = Double(lineBox.maxY) * scaleY
            let height = max(1, Double(lineBox.height) * scaleY)
            for word in line.words {
                let clean = word.text.trimmingCharacters(inSpaces: ())
                guard !clean.isEmpty, word.box.width > 0 else { continue }
                // The deskewed point, in points with y down, turned back about the centre by -skew.
                let dx = Double(word.box.x) * scaleX - centreX, dy = baseline - centreY
                let x = centreX + cosine * dx + sine * dy
                let yDown = centreY - sine * dx + cosine * dy
                placed.append(PlacedWord(
                    text: clean, x: x, y: pageHeight - yDown, width: Double(word.box.width) * scaleX,
                    height: height, angle: theta
                ))
            }
        }
        return placed
    }

    /// The content-stream operators showing `words` invisibly (render mode 3) in the glyphless font named
    /// `fontName` in the page resources. Words that share a baseline (a line, as `place` gives them) share one text
    /// matrix; each word moves along the baseline (`Td`) and is stretched to its box (`Tz`): a few bytes a word.
    /// Positions to a tenth of a point (1/720 inch, finer than a 300 dpi pixel) and whole percents of stretch keep the
    /// layer small: it is most of what a filed fax adds to the fax's own bytes.
    static func contentStream(_ words: [PlacedWord], fontName: String) -> [UInt8] {
        guard !words.isEmpty else { return [] }
        var out = Array("BT\n3 Tr\n".utf8)
        let glyphWidth = Double(GlyphlessFont.advance) / Double(GlyphlessFont.unitsPerEm)
        var line: (x: Double, y: Double, height: Double, angle: Double)?
        func number(_ value: Double, _ decimals: Double = 10) -> String {
            PDFValue.format((value * decimals).rounded() / decimals)
        }
        for word in words {
            let codes = utf16Codes(word.text)
            guard !codes.isEmpty, word.height > 0, word.width > 0 else { continue }
            let (sine, cosine) = (sin(word.angle), cos(word.angle))
            if let current = line, current.height == word.height, current.angle == word.angle,
               abs(-(word.x - current.x) * sine + (word.y - current.y) * cosine) < 0.005 {
                // Same baseline: move along it from the previous word's start.
                let advance = (word.x - current.x) * cosine + (word.y - current.y) * sine
                out += Array("\(number(advance)) 0 Td ".utf8)
            } else {
                PDFValue.writeName(fontName, to: &out)
                out += Array(" \(number(word.height)) Tf \(number(cosine, 10000)) \(number(sine, 10000)) ".utf8)
                out += Array("\(number(-sine, 10000)) \(number(cosine, 10000)) \(number(word.x)) \(number(word.y)) Tm ".utf8)
            }
            line = (word.x, word.y, word.height, word.angle)
            let scale = 100 * word.width / (Double(codes.count / 2) * glyphWidth * word.height)
            out += Array("\(number(scale, 1)) Tz<".utf8)
            PDFValue.appendHex(codes, to: &out)
            out += Array(">Tj\n".utf8)
        }
        out += Array("ET\n".utf8)
        return out
    }

    /// Unicode blocks (by high byte) the layer writes; other characters become `?`. Latin, Greek, Cyrillic,
    /// punctuation, letter-like symbols, arrows, mathematical operators and box drawing cover what a medical record
    /// prints; keeping the set small keeps the font's CMaps a few hundred bytes.
    static let writtenBlocks: Set<UInt32> = [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x1E, 0x20, 0x21, 0x22, 0x25]

    /// Two bytes per character (the code is the UTF-16 unit, mapped back by the font's ToUnicode CMap), one glyph
    /// each so the width is exact. Controls and characters outside `writtenBlocks` become `?`.
    static func utf16Codes(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        for scalar in text.unicodeScalars {
            let value = scalar.value < 0x20 || !writtenBlocks.contains(scalar.value >> 8)
                ? UInt32(UInt8(ascii: "?")) : scalar.value
            out += [UInt8(value >> 8), UInt8(value & 0xFF)]
        }
        return out
    }
}

extension String {
    /// Without leading and trailing spaces and tabs (Foundation-free).
    fileprivate func trimmingCharacters(inSpaces: ()) -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" && $0 != "\n" }),
              let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" && $0 != "\n" })
        else { return "" }
        return String(scalars[first...last])
    }
}
