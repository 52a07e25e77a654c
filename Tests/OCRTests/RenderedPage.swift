import CPoppler
import Foundation
import Pages

/// Renders known lines of text into a 1-bit-looking fax raster (cairo's toy text API, DejaVu Sans).
/// Stand-in until TestSupport's renderer is on main.
enum RenderedPage {
    static let sample = [
        "Lakeshore Cancer Institute second opinion program",
        "Pathology report for the patient named below",
        "Specimen received from the outside hospital today",
        "Final diagnosis invasive ductal carcinoma grade two",
        "The margins are negative and the lymph nodes are clear",
        "Please call the office with any questions about this report",
    ]

    static func render(
        _ lines: [String] = sample, width: Int = 1728, height: Int = 700, dpi: Double = 200,
        fontPixels: Double = 34, rotationDegrees: Double = 0
    ) -> PageImage {
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(width), Int32(height)) else {
            return PageImage(width: width, height: height, dpiX: dpi, dpiY: dpi)
        }
        defer { cairo_surface_destroy(surface) }
        let context = cairo_create(surface)
        defer { cairo_destroy(context) }
        cairo_set_source_rgb(context, 1, 1, 1)
        cairo_paint(context)
        cairo_set_source_rgb(context, 0, 0, 0)
        cairo_translate(context, Double(width) / 2, Double(height) / 2)
        cairo_rotate(context, rotationDegrees * .pi / 180)
        cairo_translate(context, -Double(width) / 2, -Double(height) / 2)
        cairo_select_font_face(context, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(context, fontPixels)
        for (index, line) in lines.enumerated() {
            cairo_move_to(context, 120, 100 + Double(index) * fontPixels * 1.8)
            cairo_show_text(context, line)
        }
        cairo_surface_flush(surface)
        let stride = Int(cairo_image_surface_get_stride(surface))
        guard let data = cairo_image_surface_get_data(surface) else {
            return PageImage(width: width, height: height, dpiX: dpi, dpiY: dpi)
        }
        var pixels = [UInt8](repeating: 255, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                // RGB24 is one 32-bit word per pixel; green is the second byte on either endianness' read.
                let green = data[y * stride + x * 4 + 1]
                pixels[y * width + x] = green < 128 ? 0 : 255
            }
        }
        return PageImage(width: width, height: height, dpiX: dpi, dpiY: dpi, pixels: pixels)
    }

    static func turnedHalfway(_ image: PageImage) -> PageImage {
        PageImage(width: image.width, height: image.height, dpiX: image.dpiX, dpiY: image.dpiY, pixels: image.pixels.reversed())
    }
}

/// Share of expected words found among the recognised ones (each found word used once).
func wordAccuracy(expected: [String], recognized: [String]) -> Double {
    func normalise(_ word: String) -> String { word.lowercased().filter { $0.isLetter || $0.isNumber } }
    var pool: [String: Int] = [:]
    for word in recognized.map(normalise) where !word.isEmpty { pool[word, default: 0] += 1 }
    let wanted = expected.flatMap { $0.split(separator: " ").map { normalise(String($0)) } }.filter { !$0.isEmpty }
    var found = 0
    for word in wanted where (pool[word] ?? 0) > 0 {
        pool[word]! -= 1
        found += 1
    }
    return wanted.isEmpty ? 1 : Double(found) / Double(wanted.count)
}
