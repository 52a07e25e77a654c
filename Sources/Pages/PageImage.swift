/// A decoded page raster: 8-bit grey, one byte per pixel, row-major, 0 = black, 255 = white.
///
/// Every decoder (fax TIFF, scanned PDF image, rendered PDF page) produces this one shape, so the
/// preparation and OCR stages have a single input to handle. A fax page (1728 x 2200) is ~3.8 MB.
public struct PageImage: Sendable, Hashable {
    public var width: Int
    public var height: Int
    /// Horizontal and vertical resolution in dots per inch.
    public var dpiX: Double
    public var dpiY: Double
    /// `width * height` bytes.
    public var pixels: [UInt8]

    public init(width: Int, height: Int, dpiX: Double, dpiY: Double, pixels: [UInt8]) {
        precondition(pixels.count == width * height, "pixel buffer does not match the page size")
        self.width = width
        self.height = height
        self.dpiX = dpiX
        self.dpiY = dpiY
        self.pixels = pixels
    }

    /// A white page of the given size.
    public init(width: Int, height: Int, dpiX: Double, dpiY: Double) {
        self.init(width: width, height: height, dpiX: dpiX, dpiY: dpiY,
                  pixels: [UInt8](repeating: 255, count: width * height))
    }
}
