import CChafa
import Foundation
import Pages

/// How a picture is drawn in the terminal.
public enum PictureStyle: Sendable, Equatable {
    /// Block and ASCII symbols with no colour or escape sequences: not a terminal, tests, or a terminal chafa does
    /// not know.
    case symbols
    /// Symbols in 256 colours: an interactive terminal without an image protocol, and the review loop (whose screen
    /// is counted in rows, which a pixel image does not keep to).
    case colourSymbols
    /// The terminal's own image protocol (sixel, kitty, iTerm), as chafa's terminal database detects it.
    case pixels(PixelProtocol)

    public enum PixelProtocol: Sendable, Equatable {
        case sixel, kitty, iterm
    }

    /// The best style for standard output: symbols unless it is a terminal; an image protocol when the terminal
    /// (from the environment, as chafa reads it) announces one and `allowPixels`.
    public static func forStandardOutput(allowPixels: Bool) -> PictureStyle {
        guard isatty(STDOUT_FILENO) == 1 else { return .symbols }
        guard allowPixels, let detected = TerminalImageSupport.detect() else { return .colourSymbols }
        return .pixels(detected)
    }
}

/// Asks chafa's terminal database which image protocol the terminal in the environment speaks.
enum TerminalImageSupport {
    static func detect() -> PictureStyle.PixelProtocol? {
        guard let info = termInfo() else { return nil }
        defer { chafa_term_info_unref(info) }
        if chafa_term_info_have_seq(info, CHAFA_TERM_SEQ_BEGIN_KITTY_IMMEDIATE_IMAGE_V1) != 0 { return .kitty }
        if chafa_term_info_have_seq(info, CHAFA_TERM_SEQ_BEGIN_ITERM2_IMAGE) != 0 { return .iterm }
        if chafa_term_info_have_seq(info, CHAFA_TERM_SEQ_BEGIN_SIXELS) != 0 { return .sixel }
        return nil
    }

    /// The terminal's description as chafa's database has it (the caller unrefs it), nil when unknown.
    static func termInfo() -> OpaquePointer? {
        guard let database = chafa_term_db_get_default() else { return nil }
        // chafa reads TERM, KITTY_WINDOW_ID, TERM_PROGRAM and the like from the environment it is given.
        var strings = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") }
        strings.append(nil)
        defer { for pointer in strings { free(pointer) } }
        let info = strings.withUnsafeMutableBufferPointer { buffer in
            chafa_term_db_detect(database, buffer.baseAddress)
        }
        return info
    }
}

/// The one owner of a chafa canvas with its configuration and symbol map: created together, drawn once, freed
/// together in `deinit`. Not shared across threads (a value of the drawing function's own).
final class ChafaCanvasOwner {
    private let symbols: OpaquePointer
    private let config: OpaquePointer
    private let canvas: OpaquePointer

    /// `nil` when chafa cannot allocate the canvas.
    init?(columns: Int, rows: Int, style: PictureStyle) {
        guard let symbols = chafa_symbol_map_new() else { return nil }
        guard let config = chafa_canvas_config_new() else {
            chafa_symbol_map_unref(symbols)
            return nil
        }
        // Block elements draw a scanned line legibly; ASCII keeps the plain form readable in any font.
        chafa_symbol_map_add_by_tags(symbols, ChafaSymbolTags(rawValue: CHAFA_SYMBOL_TAG_BLOCK.rawValue | CHAFA_SYMBOL_TAG_SPACE.rawValue))
        chafa_canvas_config_set_symbol_map(config, symbols)
        chafa_canvas_config_set_geometry(config, gint(max(1, columns)), gint(max(1, rows)))
        switch style {
        case .symbols:
            chafa_canvas_config_set_canvas_mode(config, CHAFA_CANVAS_MODE_FGBG)
        case .colourSymbols:
            chafa_canvas_config_set_canvas_mode(config, CHAFA_CANVAS_MODE_INDEXED_256)
        case .pixels(let kind):
            chafa_canvas_config_set_canvas_mode(config, CHAFA_CANVAS_MODE_TRUECOLOR)
            switch kind {
            case .sixel: chafa_canvas_config_set_pixel_mode(config, CHAFA_PIXEL_MODE_SIXELS)
            case .kitty: chafa_canvas_config_set_pixel_mode(config, CHAFA_PIXEL_MODE_KITTY)
            case .iterm: chafa_canvas_config_set_pixel_mode(config, CHAFA_PIXEL_MODE_ITERM2)
            }
        }
        guard let canvas = chafa_canvas_new(config) else {
            chafa_canvas_config_unref(config)
            chafa_symbol_map_unref(symbols)
            return nil
        }
        self.symbols = symbols
        self.config = config
        self.canvas = canvas
    }

    deinit {
        chafa_canvas_unref(canvas)
        chafa_canvas_config_unref(config)
        chafa_symbol_map_unref(symbols)
    }

    /// Draws 8-bit grey pixels (0 black, 255 white) and returns what the terminal is sent.
    func draw(grey image: PageImage, termInfo: OpaquePointer?, inverted: Bool) -> String {
        var rgba = [UInt8](repeating: 255, count: image.width * image.height * 4)
        for (index, pixel) in image.pixels.enumerated() {
            // Plain symbols draw in the terminal's own colour: ink becomes the symbols, paper the blank cells.
            let value = inverted ? 255 - pixel : pixel
            rgba[index * 4] = value
            rgba[index * 4 + 1] = value
            rgba[index * 4 + 2] = value
        }
        rgba.withUnsafeBufferPointer { buffer in
            chafa_canvas_draw_all_pixels(
                canvas, CHAFA_PIXEL_RGBA8_UNASSOCIATED, buffer.baseAddress, gint(image.width), gint(image.height),
                gint(image.width * 4)
            )
        }
        guard let printed = CChafa_printCanvas(canvas, termInfo) else { return "" }
        defer { free(printed) }
        return String(cString: printed)
    }
}

/// A crop of a page drawn for the terminal.
public enum TerminalPicture {
    /// `image` drawn `columns` wide and at most `rows` high, as lines (one string for a pixel protocol).
    /// `image` drawn `rows` high and as wide as its shape asks, at most `columns`, as lines (one string for a pixel
    /// protocol).
    public static func lines(_ image: PageImage, columns: Int, rows: Int, style: PictureStyle) -> [String] {
        guard image.width > 0, image.height > 0 else { return [] }
        // A character cell is about twice as high as wide: keep the crop's shape.
        let aspect = Double(image.width) * image.dpiY / max(1, Double(image.height) * image.dpiX)
        let width = max(1, min(columns, Int((Double(rows) * 2 * aspect).rounded())))
        let height = max(1, min(rows, Int((Double(width) / aspect / 2).rounded())))
        guard let owner = ChafaCanvasOwner(columns: width, rows: height, style: style) else { return [] }
        var termInfo: OpaquePointer? = nil
        if case .pixels = style { termInfo = TerminalImageSupport.termInfo() }
        defer { if let termInfo { chafa_term_info_unref(termInfo) } }
        let text = owner.draw(grey: image, termInfo: termInfo, inverted: style == .symbols)
        if case .pixels = style { return [text] }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            .filter { !$0.isEmpty }
    }
}
