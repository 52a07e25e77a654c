internal import CTIFF
public import Pages

/// How a fixture TIFF stores its pages.
public struct TIFFFixtureOptions: Sendable, Hashable, CustomStringConvertible {
    public enum Compression: String, Sendable, Hashable, CaseIterable {
        case none, packBits, lzw, deflate, g3OneD, g3TwoD, g4

        /// CCITT codecs only take 1-bit pages.
        public var isBilevelOnly: Bool { self == .g3OneD || self == .g3TwoD || self == .g4 }
    }

    public enum PixelFormat: String, Sendable, Hashable, CaseIterable {
        /// 1 bit, 0 = white (the fax convention).
        case bilevelMinIsWhite
        /// 1 bit, 0 = black.
        case bilevelMinIsBlack
        /// 8-bit grey, 0 = black.
        case grey
        /// 8-bit RGB with R = G = B.
        case rgb
        /// 8-bit palette of 256 greys.
        case palette

        public var isBilevel: Bool { self == .bilevelMinIsWhite || self == .bilevelMinIsBlack }
    }

    public enum FillOrder: String, Sendable, Hashable { case msbToLsb, lsbToMsb }

    public enum Resolution: Sendable, Hashable {
        /// XResolution/YResolution from each page's dpi, unit inch.
        case inch
        /// The same in pixels per centimetre (ResolutionUnit = 3).
        case centimeter
        /// No resolution tags at all.
        case none
    }

    public var compression: Compression
    public var pixelFormat: PixelFormat
    public var fillOrder: FillOrder
    public var resolution: Resolution
    /// Rows per strip; nil writes each page as one strip, as most fax servers do.
    public var rowsPerStrip: Int?

    public init(
        compression: Compression = .g4, pixelFormat: PixelFormat = .bilevelMinIsWhite, fillOrder: FillOrder = .msbToLsb,
        resolution: Resolution = .inch, rowsPerStrip: Int? = nil
    ) {
        self.compression = compression
        self.pixelFormat = pixelFormat
        self.fillOrder = fillOrder
        self.resolution = resolution
        self.rowsPerStrip = rowsPerStrip
    }

    public static let faxG4 = TIFFFixtureOptions()
    public static let faxG3 = TIFFFixtureOptions(compression: .g3OneD)

    public var description: String { "\(compression.rawValue)/\(pixelFormat.rawValue)/\(fillOrder.rawValue)/\(resolution)" }
}

/// Writes page rasters as a multi-page TIFF with libtiff, in any of the encodings faxes arrive in.
///
/// Bilevel formats threshold the page at 128, so compare a decoded page with `page.thresholded()`.
public enum TIFFFixtureWriter {
    public static func write(_ pages: [PageImage], to path: String, options: TIFFFixtureOptions = .faxG4) throws {
        if options.compression.isBilevelOnly && !options.pixelFormat.isBilevel {
            throw FixtureError("\(options.compression) needs a 1-bit pixel format")
        }
        guard let tif = TIFFOpen(path, "w") else { throw FixtureError("libtiff could not create \(path)") }
        defer { TIFFClose(tif) }
        for (index, page) in pages.enumerated() {
            try writePage(page, number: index, of: pages.count, to: tif, options: options)
            guard TIFFWriteDirectory(tif) == 1 else { throw FixtureError("TIFFWriteDirectory failed on page \(index + 1)") }
        }
    }

    private static func writePage(
        _ page: PageImage, number: Int, of total: Int, to tif: OpaquePointer, options: TIFFFixtureOptions
    ) throws {
        let set32 = { (tag: Int32, value: UInt32) in _ = CTIFF_SetFieldUInt32(tif, UInt32(tag), value) }
        let set16 = { (tag: Int32, value: Int32) in _ = CTIFF_SetFieldUInt16(tif, UInt32(tag), UInt16(value)) }
        set32(TIFFTAG_IMAGEWIDTH, UInt32(page.width))
        set32(TIFFTAG_IMAGELENGTH, UInt32(page.height))
        set32(TIFFTAG_SUBFILETYPE, UInt32(FILETYPE_PAGE))
        _ = CTIFF_SetFieldPageNumber(tif, UInt16(number), UInt16(total))
        set16(TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG)
        set16(TIFFTAG_FILLORDER, options.fillOrder == .msbToLsb ? FILLORDER_MSB2LSB : FILLORDER_LSB2MSB)
        switch options.pixelFormat {
        case .bilevelMinIsWhite, .bilevelMinIsBlack:
            set16(TIFFTAG_BITSPERSAMPLE, 1)
            set16(TIFFTAG_SAMPLESPERPIXEL, 1)
            set16(TIFFTAG_PHOTOMETRIC,
                  options.pixelFormat == .bilevelMinIsWhite ? PHOTOMETRIC_MINISWHITE : PHOTOMETRIC_MINISBLACK)
        case .grey:
            set16(TIFFTAG_BITSPERSAMPLE, 8)
            set16(TIFFTAG_SAMPLESPERPIXEL, 1)
            set16(TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK)
        case .rgb:
            set16(TIFFTAG_BITSPERSAMPLE, 8)
            set16(TIFFTAG_SAMPLESPERPIXEL, 3)
            set16(TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_RGB)
        case .palette:
            set16(TIFFTAG_BITSPERSAMPLE, 8)
            set16(TIFFTAG_SAMPLESPERPIXEL, 1)
            set16(TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_PALETTE)
            var ramp = (0..<256).map { UInt16($0) * 257 }
            var green = ramp, blue = ramp
            _ = CTIFF_SetFieldColormap(tif, &ramp, &green, &blue)
        }
        switch options.compression {
        case .none: set16(TIFFTAG_COMPRESSION, COMPRESSION_NONE)
        case .packBits: set16(TIFFTAG_COMPRESSION, COMPRESSION_PACKBITS)
        case .lzw: set16(TIFFTAG_COMPRESSION, COMPRESSION_LZW)
        case .deflate: set16(TIFFTAG_COMPRESSION, COMPRESSION_ADOBE_DEFLATE)
        case .g3OneD, .g3TwoD:
            set16(TIFFTAG_COMPRESSION, COMPRESSION_CCITTFAX3)
            set32(TIFFTAG_GROUP3OPTIONS, options.compression == .g3TwoD ? UInt32(GROUP3OPT_2DENCODING) : 0)
        case .g4: set16(TIFFTAG_COMPRESSION, COMPRESSION_CCITTFAX4)
        }
        switch options.resolution {
        case .inch:
            _ = CTIFF_SetFieldDouble(tif, UInt32(TIFFTAG_XRESOLUTION), page.dpiX)
            _ = CTIFF_SetFieldDouble(tif, UInt32(TIFFTAG_YRESOLUTION), page.dpiY)
            set16(TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH)
        case .centimeter:
            _ = CTIFF_SetFieldDouble(tif, UInt32(TIFFTAG_XRESOLUTION), page.dpiX / 2.54)
            _ = CTIFF_SetFieldDouble(tif, UInt32(TIFFTAG_YRESOLUTION), page.dpiY / 2.54)
            set16(TIFFTAG_RESOLUTIONUNIT, RESUNIT_CENTIMETER)
        case .none:
            break
        }
        set32(TIFFTAG_ROWSPERSTRIP, UInt32(options.rowsPerStrip ?? page.height))

        var row = [UInt8](repeating: 0, count: Int(TIFFScanlineSize(tif)))
        for y in 0..<page.height {
            fill(&row, from: page, y: y, format: options.pixelFormat)
            guard TIFFWriteScanline(tif, &row, UInt32(y), 0) == 1 else {
                throw FixtureError("TIFFWriteScanline failed at row \(y) of page \(number + 1)")
            }
        }
    }

    private static func fill(_ row: inout [UInt8], from page: PageImage, y: Int, format: TIFFFixtureOptions.PixelFormat) {
        let base = y * page.width
        switch format {
        case .bilevelMinIsWhite, .bilevelMinIsBlack:
            let blackBit: UInt8 = format == .bilevelMinIsWhite ? 1 : 0
            for i in row.indices { row[i] = blackBit == 1 ? 0 : 0xFF }
            for x in 0..<page.width where page.pixels[base + x] < 128 {
                let mask = UInt8(0x80) >> UInt8(x & 7)
                if blackBit == 1 { row[x >> 3] |= mask } else { row[x >> 3] &= ~mask }
            }
        case .grey, .palette:
            for x in 0..<page.width { row[x] = page.pixels[base + x] }
        case .rgb:
            for x in 0..<page.width {
                let v = page.pixels[base + x]
                row[3 * x] = v
                row[3 * x + 1] = v
                row[3 * x + 2] = v
            }
        }
    }
}
