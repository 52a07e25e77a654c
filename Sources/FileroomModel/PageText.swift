/// A rectangle in page pixels, origin top left.
public struct BoundingBox: Sendable, Hashable, Codable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var midY: Int { y + height / 2 }

    /// The smallest box holding both.
    public func union(_ other: BoundingBox) -> BoundingBox {
        let minX = min(x, other.x), minY = min(y, other.y)
        return BoundingBox(
            x: minX, y: minY,
            width: max(maxX, other.maxX) - minX, height: max(maxY, other.maxY) - minY
        )
    }
}

/// One recognised word with where it stands and how sure the recogniser was.
public struct RecognizedWord: Sendable, Hashable, Codable {
    public var text: String
    public var box: BoundingBox
    /// 0...1 (tesseract reports 0...100; text layers are 1).
    public var confidence: Double

    public init(text: String, box: BoundingBox, confidence: Double) {
        self.text = text
        self.box = box
        self.confidence = confidence
    }
}

/// A line of words in reading order, as the recogniser grouped them.
public struct TextLine: Sendable, Hashable, Codable {
    public var words: [RecognizedWord]

    public init(words: [RecognizedWord]) { self.words = words }

    public var text: String { words.map(\.text).joined(separator: " ") }
    public var box: BoundingBox? {
        guard var box = words.first?.box else { return nil }
        for word in words.dropFirst() { box = box.union(word.box) }
        return box
    }
    public var confidence: Double {
        words.isEmpty ? 0 : words.map(\.confidence).reduce(0, +) / Double(words.count)
    }
}

/// Where a page's text came from.
public enum TextSource: String, Sendable, Codable, Hashable {
    case ocr
    case textLayer = "text-layer"
    case blank
}

/// Milliseconds spent on one page, per stage.
public struct PageTimings: Sendable, Hashable, Codable {
    public var decodeMilliseconds: Double
    public var prepareMilliseconds: Double
    public var ocrMilliseconds: Double

    public init(decodeMilliseconds: Double = 0, prepareMilliseconds: Double = 0, ocrMilliseconds: Double = 0) {
        self.decodeMilliseconds = decodeMilliseconds
        self.prepareMilliseconds = prepareMilliseconds
        self.ocrMilliseconds = ocrMilliseconds
    }
}

/// The text of one page of a source: the output of the page stage and the input of understanding.
public struct PageText: Sendable, Hashable, Codable {
    /// 1-based page number within its file.
    public var number: Int
    public var source: TextSource
    /// Pixel size of the raster that was read (after squaring and rotation), or of the rendered page for a text layer.
    public var width: Int
    public var height: Int
    /// Horizontal and vertical resolution of that raster, dots per inch.
    public var dpiX: Double
    public var dpiY: Double
    /// Degrees clockwise the page was turned before OCR (0, 90, 180, 270).
    public var rotation: Int
    /// Degrees of skew corrected before OCR.
    public var skew: Double
    /// Mean word confidence 0...1 (1 for a text layer, 0 for a blank page).
    public var confidence: Double
    public var lines: [TextLine]
    public var timings: PageTimings

    public init(
        number: Int, source: TextSource, width: Int, height: Int, dpiX: Double, dpiY: Double,
        rotation: Int = 0, skew: Double = 0, confidence: Double, lines: [TextLine],
        timings: PageTimings = PageTimings()
    ) {
        self.number = number
        self.source = source
        self.width = width
        self.height = height
        self.dpiX = dpiX
        self.dpiY = dpiY
        self.rotation = rotation
        self.skew = skew
        self.confidence = confidence
        self.lines = lines
        self.timings = timings
    }

    public var words: [RecognizedWord] { lines.flatMap(\.words) }
    public var text: String { lines.map(\.text).joined(separator: "\n") }
    public var isBlank: Bool { source == .blank || lines.allSatisfy { $0.words.isEmpty } }
}
