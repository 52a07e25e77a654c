internal import CTesseract
import Pages

/// Owns one leptonica `Pix`; every transform returns a new owner so no Pix outlives its class.
final class LeptonicaImage {
    private(set) var pix: UnsafeMutablePointer<Pix>
    let dpiX: Double
    let dpiY: Double

    /// Copies an 8-bit grey page into a new Pix with its resolution set.
    init(_ image: PageImage, page: Int) throws(OCRError) {
        let created = image.pixels.withUnsafeBufferPointer { buffer -> UnsafeMutablePointer<Pix>? in
            guard let base = buffer.baseAddress else { return nil }
            return CTesseract_pixFromGrey(base, Int32(image.width), Int32(image.height))
        }
        guard let created else { throw .ocrFailed(page: page) }
        pix = created
        dpiX = image.dpiX
        dpiY = image.dpiY
        pixSetResolution(pix, Int32(image.dpiX.rounded()), Int32(image.dpiY.rounded()))
    }

    private init(owning pix: UnsafeMutablePointer<Pix>, dpiX: Double, dpiY: Double) {
        self.pix = pix
        self.dpiX = dpiX
        self.dpiY = dpiY
    }

    deinit {
        var owned: UnsafeMutablePointer<Pix>? = pix
        pixDestroy(&owned)
    }

    var width: Int { Int(pixGetWidth(pix)) }
    var height: Int { Int(pixGetHeight(pix)) }

    /// Skew in degrees as leptonica measures it on a binarised copy, with its confidence; nil when the
    /// page holds too little text for a measurement.
    func measureSkew() -> (degrees: Double, confidence: Double)? {
        guard let binary = pixConvertTo1(pix, 128) else { return nil }
        defer {
            var owned: UnsafeMutablePointer<Pix>? = binary
            pixDestroy(&owned)
        }
        var angle: Float = 0, confidence: Float = 0
        guard pixFindSkew(binary, &angle, &confidence) == 0 else { return nil }
        return (Double(angle), Double(confidence))
    }

    /// Rotated by `degrees` (leptonica's deskew sign), white brought in at the corners, same size.
    func rotated(degrees: Double, page: Int) throws(OCRError) -> LeptonicaImage {
        let radians = Float(degrees * .pi / 180)
        guard let turned = pixRotate(pix, radians, Int32(L_ROTATE_AREA_MAP), Int32(L_BRING_IN_WHITE), 0, 0)
        else { throw .ocrFailed(page: page) }
        return LeptonicaImage(owning: turned, dpiX: dpiX, dpiY: dpiY)
    }

    /// Turned clockwise by `quarterTurns` x 90 degrees.
    func turnedClockwise(quarterTurns: Int, page: Int) throws(OCRError) -> LeptonicaImage {
        let turns = ((quarterTurns % 4) + 4) % 4
        guard let turned = pixRotateOrth(pix, Int32(turns)) else { throw .ocrFailed(page: page) }
        let swapsAxes = turns % 2 == 1
        return LeptonicaImage(owning: turned, dpiX: swapsAxes ? dpiY : dpiX, dpiY: swapsAxes ? dpiX : dpiY)
    }

    /// Back to the pipeline's grey page (converting to 8 bpp first if a transform changed the depth).
    func pageImage(page: Int) throws(OCRError) -> PageImage {
        var source = pix
        var converted: UnsafeMutablePointer<Pix>?
        if pixGetDepth(pix) != 8 || pixGetColormap(pix) != nil {
            guard let eight = pixConvertTo8(pix, 0) else { throw .ocrFailed(page: page) }
            converted = eight
            source = eight
        }
        defer { if converted != nil { pixDestroy(&converted) } }
        let width = Int(pixGetWidth(source)), height = Int(pixGetHeight(source))
        var pixels = [UInt8](repeating: 255, count: width * height)
        pixels.withUnsafeMutableBufferPointer { buffer in
            if let base = buffer.baseAddress { CTesseract_greyFromPix(source, base) }
        }
        return PageImage(width: width, height: height, dpiX: dpiX, dpiY: dpiY, pixels: pixels)
    }
}
