internal import CPoppler
public import Pages

/// The pixel size and resolution of a page to render.
public struct PageGeometry: Sendable, Hashable {
    public var width: Int
    public var height: Int
    public var dpiX: Double
    public var dpiY: Double

    public init(width: Int, height: Int, dpiX: Double, dpiY: Double) {
        self.width = width
        self.height = height
        self.dpiX = dpiX
        self.dpiY = dpiY
    }

    /// Fax fine mode: 1728 x 2200 at 204 x 196 dpi.
    public static let faxFine = PageGeometry(width: 1728, height: 2200, dpiX: 204, dpiY: 196)
    /// Fax normal (standard) mode: 1728 x 1100 at 204 x 98 dpi; glyphs are squashed to half height.
    public static let faxNormal = PageGeometry(width: 1728, height: 1100, dpiX: 204, dpiY: 98)
    /// US Letter at 200 dpi, as a scanner or fax-to-PDF gateway writes it.
    public static let letter200 = PageGeometry(width: 1700, height: 2200, dpiX: 200, dpiY: 200)

    /// Page size in points (1/72 inch).
    public var widthPoints: Double { Double(width) * 72 / dpiX }
    public var heightPoints: Double { Double(height) * 72 / dpiY }
}

/// The installed DejaVu families a fixture line can be drawn in (fonts-dejavu-core).
public enum FixtureFont: String, Sendable, Hashable, CaseIterable {
    case sans = "DejaVu Sans"
    /// Letters and transcription-service reports.
    case serif = "DejaVu Serif"
    /// Lab-system and mainframe prints, HylaFAX cover pages.
    case mono = "DejaVu Sans Mono"
}

/// One line of text placed on a page, in points from the top left (y is the baseline).
public struct FixtureLine: Sendable, Hashable {
    public var text: String
    public var x: Double
    public var y: Double
    public var size: Double
    public var bold: Bool
    public var font: FixtureFont

    public init(_ text: String, x: Double, y: Double, size: Double = 11, bold: Bool = false, font: FixtureFont = .sans) {
        self.text = text
        self.x = x
        self.y = y
        self.size = size
        self.bold = bold
        self.font = font
    }

    /// Lays `texts` out top to bottom from (`x`, `top`) with 1.5 x `size` line spacing; an empty string is a blank line.
    public static func column(
        _ texts: [String], x: Double = 54, top: Double = 72, size: Double = 11, bold: Bool = false
    ) -> [FixtureLine] {
        texts.enumerated().compactMap { index, text in
            text.isEmpty ? nil : FixtureLine(text, x: x, y: top + Double(index) * size * 1.5, size: size, bold: bold)
        }
    }
}

/// Draws known text into page rasters with cairo and the DejaVu fonts (fontconfig), at any resolution.
///
/// Text is laid out in points and scaled per axis by dpi/72, so a 204x98 page gets the vertically
/// squashed glyphs a fax machine in normal mode sends.
public enum PageRenderer {
    public static let fontFamily = FixtureFont.sans.rawValue

    /// Renders `lines` on a white page. `bilevel` thresholds the antialiased result to pure 0/255, as
    /// a fax machine does; `skewDegrees` turns the content clockwise about the page centre.
    public static func render(
        _ lines: [FixtureLine], geometry: PageGeometry = .faxFine, bilevel: Bool = true, skewDegrees: Double = 0
    ) throws -> PageImage {
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_A8, Int32(geometry.width), Int32(geometry.height))
        else { throw FixtureError("cairo could not create a \(geometry.width)x\(geometry.height) surface") }
        defer { cairo_surface_destroy(surface) }
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS, let context = cairo_create(surface) else {
            throw FixtureError("cairo could not create a \(geometry.width)x\(geometry.height) surface")
        }
        if skewDegrees != 0 {
            let cx = Double(geometry.width) / 2, cy = Double(geometry.height) / 2
            cairo_translate(context, cx, cy)
            cairo_rotate(context, skewDegrees * .pi / 180)
            cairo_translate(context, -cx, -cy)
        }
        cairo_scale(context, geometry.dpiX / 72, geometry.dpiY / 72)
        cairo_set_source_rgba(context, 0, 0, 0, 1)
        for line in lines {
            cairo_select_font_face(context, line.font.rawValue, CAIRO_FONT_SLANT_NORMAL,
                                   line.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
            cairo_set_font_size(context, line.size)
            cairo_move_to(context, line.x, line.y)
            cairo_show_text(context, line.text)
        }
        let status = cairo_status(context)
        cairo_destroy(context)
        guard status == CAIRO_STATUS_SUCCESS else { throw FixtureError("cairo drawing failed: \(status.rawValue)") }
        cairo_surface_flush(surface)
        guard let data = cairo_image_surface_get_data(surface) else { throw FixtureError("cairo surface has no data") }
        let stride = Int(cairo_image_surface_get_stride(surface))
        let width = geometry.width
        var pixels = [UInt8](repeating: 255, count: width * geometry.height)
        pixels.withUnsafeMutableBufferPointer { target in
            for y in 0..<geometry.height {
                let row = data + y * stride
                let base = y * width
                for x in 0..<width {
                    let grey = 255 - row[x]
                    target[base + x] = bilevel ? (grey < 128 ? 0 : 255) : grey
                }
            }
        }
        return PageImage(width: geometry.width, height: geometry.height, dpiX: geometry.dpiX, dpiY: geometry.dpiY,
                         pixels: pixels)
    }

    /// Renders plain lines of text as a column from the top left margin.
    public static func render(
        text: [String], geometry: PageGeometry = .faxFine, size: Double = 11, bilevel: Bool = true,
        skewDegrees: Double = 0
    ) throws -> PageImage {
        try render(FixtureLine.column(text, size: size), geometry: geometry, bilevel: bilevel, skewDegrees: skewDegrees)
    }
}

extension PageImage {
    /// The page with `count` black specks of 1-2 pixels scattered at seeded-random places, like line noise.
    public func withSpeckles(count: Int, seed: UInt64 = 42) -> PageImage {
        var copy = self
        var rng = SeededGenerator(seed: seed)
        for _ in 0..<count {
            let x = Int.random(in: 0..<(width - 1), using: &rng)
            let y = Int.random(in: 0..<(height - 1), using: &rng)
            copy.pixels[y * width + x] = 0
            if Bool.random(using: &rng) { copy.pixels[y * width + x + 1] = 0 }
        }
        return copy
    }
}

/// A small deterministic generator (SplitMix64) so fixtures are the same on every run.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
