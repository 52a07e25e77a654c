internal import CTIFF

/// A page raster compressed the way a PDF image XObject holds it.
struct EncodedImage: Sendable {
    enum Filter: Sendable {
        /// CCITT Group 4 (T.6), 1 bit: what fax machines send. Lossless.
        case ccittG4
        /// Baseline JPEG, 8-bit grey.
        case dct
        /// zlib, 1-bit or 8-bit samples. Lossless.
        case flate
    }

    var filter: Filter
    var width: Int
    var height: Int
    var bitsPerComponent: Int
    var data: [UInt8]
}

/// How a grey (not black-and-white) page is compressed.
public enum GreyImageCompression: Sendable, Hashable {
    /// JPEG at this quality (1...100): a tenth of the bytes of lossless for a scanned page.
    case jpeg(quality: Int)
    /// Lossless deflate.
    case flate
}

/// A black-and-white page kept 1-bit: a fax page from its TIFF to the filed PDF without passing through 8-bit grey
/// (a fifth of the memory, and no per-pixel work but the codec's).
public struct BilevelImage: Sendable, Hashable {
    public enum Bits: Sendable, Hashable {
        /// Rows of 1-bit samples, 1 = black, most significant bit first, each row padded to a whole byte.
        case rows([UInt8])
        /// The page's CCITT G4 (T.6) code as the file held it, black = 1 (what `/CCITTFaxDecode` with `/K -1`
        /// and `/BlackIs1 false` draws as the page): filed as it is, without decoding or encoding.
        case g4([UInt8])
    }

    public var width: Int
    public var height: Int
    public var dpiX: Double
    public var dpiY: Double
    public var bits: Bits

    public init(width: Int, height: Int, dpiX: Double, dpiY: Double, bits: Bits) {
        self.width = width
        self.height = height
        self.dpiX = dpiX
        self.dpiY = dpiY
        self.bits = bits
    }

    /// The page compressed for a PDF: its own G4 code as it is, or its rows as CCITT G4 (1-bit deflate if libtiff's
    /// encoder fails).
    func pdfEncoded() throws(PageError) -> EncodedImage {
        switch bits {
        case .g4(let code):
            return EncodedImage(filter: .ccittG4, width: width, height: height, bitsPerComponent: 1, data: code)
        case .rows(let rows):
            if let g4 = TIFFStripEncoder.encodeG4(rows: rows, width: width, height: height) {
                return EncodedImage(filter: .ccittG4, width: width, height: height, bitsPerComponent: 1, data: g4)
            }
            // DeviceGray reads 0 as black: the rows' bits inverted.
            guard let flate = Deflate.compress(rows.map { ~$0 }) else {
                throw PageError(.writeFailed, path: "", detail: "zlib could not compress a \(width)x\(height) page")
            }
            return EncodedImage(filter: .flate, width: width, height: height, bitsPerComponent: 1, data: flate)
        }
    }

    /// The page turned half a turn, when its rows are whole bytes (fax widths are): rows in reverse order, each
    /// row's bits reversed. Nil when a row ends mid-byte or the page is held as code.
    func turnedHalf() -> BilevelImage? {
        guard case .rows(let rows) = bits, width % 8 == 0 else { return nil }
        var turned = rows
        turned.reverse()
        for index in turned.indices { turned[index] = Self.reversedBits[Int(turned[index])] }
        var copy = self
        copy.bits = .rows(turned)
        return copy
    }

    private static let reversedBits: [UInt8] = (0..<256).map { value in
        var byte = UInt8(value), out: UInt8 = 0
        for _ in 0..<8 {
            out = (out << 1) | (byte & 1)
            byte >>= 1
        }
        return out
    }
}

extension PageImage {
    /// The page compressed for a PDF at its own size: a black-and-white page as CCITT G4 (1-bit deflate if libtiff's
    /// encoder fails), a grey one as `grey` says. Never JBIG2: its symbol matching can swap one digit for another.
    func pdfEncoded(grey: GreyImageCompression) throws(PageError) -> EncodedImage {
        if isBilevel {
            if let g4 = TIFFStripEncoder.encode(self, compression: .g4) {
                return EncodedImage(filter: .ccittG4, width: width, height: height, bitsPerComponent: 1, data: g4)
            }
            guard let flate = Deflate.compress(packedBits(blackIsOne: false)) else {
                throw PageError(.writeFailed, path: "", detail: "zlib could not compress a \(width)x\(height) page")
            }
            return EncodedImage(filter: .flate, width: width, height: height, bitsPerComponent: 1, data: flate)
        }
        if case .jpeg(let quality) = grey, let jpeg = TIFFStripEncoder.encode(self, compression: .jpeg(quality: quality)) {
            return EncodedImage(filter: .dct, width: width, height: height, bitsPerComponent: 8, data: jpeg)
        }
        guard let flate = Deflate.compress(pixels) else {
            throw PageError(.writeFailed, path: "", detail: "zlib could not compress a \(width)x\(height) page")
        }
        return EncodedImage(filter: .flate, width: width, height: height, bitsPerComponent: 8, data: flate)
    }

    /// Rows of 1-bit samples, most significant bit first, each row padded to a whole byte. `blackIsOne` picks the
    /// bit a black pixel (value below 128) gets.
    func packedBits(blackIsOne: Bool) -> [UInt8] {
        let rowBytes = (width + 7) / 8
        var out = [UInt8](repeating: blackIsOne ? 0 : 0xFF, count: rowBytes * height)
        pixels.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                for y in 0..<height {
                    let row = y * width, outRow = y * rowBytes
                    for x in 0..<width where source[row + x] < 128 {
                        let mask = UInt8(0x80) >> UInt8(x & 7)
                        if blackIsOne { target[outRow + x >> 3] |= mask } else { target[outRow + x >> 3] &= ~mask }
                    }
                }
            }
        }
        return out
    }
}

/// Encodes one page with one of libtiff's codecs into an in-memory TIFF of a single strip, then lifts the strip's
/// bytes out: a CCITT G4 strip is what `/CCITTFaxDecode` with `/K -1` reads, and a JPEG strip written with
/// `JPEGTABLESMODE` 0 is a complete JPEG stream (its own tables), what `/DCTDecode` reads.
enum TIFFStripEncoder {
    enum Compression {
        case g4
        case jpeg(quality: Int)
    }

    /// The encoded strip, or nil when libtiff cannot encode it (a codec not built in, a memory limit): the caller
    /// falls back to deflate.
    static func encode(_ page: PageImage, compression: Compression) -> [UInt8]? {
        let samples: [UInt8]
        switch compression {
        case .g4: samples = page.packedBits(blackIsOne: true)
        case .jpeg: samples = page.pixels
        }
        return encode(samples: samples, width: page.width, height: page.height, compression: compression)
    }

    /// 1-bit rows (1 = black, rows padded to whole bytes) as CCITT G4, or nil.
    static func encodeG4(rows: [UInt8], width: Int, height: Int) -> [UInt8]? {
        guard rows.count == (width + 7) / 8 * height else { return nil }
        return encode(samples: rows, width: width, height: height, compression: .g4)
    }

    /// `samples`: 1-bit rows (1 = black) for G4, 8-bit grey (0 = black) for JPEG.
    private static func encode(samples: [UInt8], width: Int, height: Int, compression: Compression) -> [UInt8]? {
        guard width > 0, height > 0 else { return nil }
        let codec: Int32
        switch compression {
        case .g4: codec = COMPRESSION_CCITTFAX4
        case .jpeg: codec = COMPRESSION_JPEG
        }
        guard TIFFIsCODECConfigured(UInt16(codec)) == 1 else { return nil }
        let messages = TIFFMessages(path: "")
        let sink = UnsafeMutablePointer<CTIFF_MessageSink>.allocate(capacity: 1)
        defer { sink.deallocate() }
        // `messages` outlives every libtiff call below (it is a local used after them).
        sink.initialize(to: CTIFF_MessageSink(
            context: Unmanaged.passUnretained(messages).toOpaque(),
            callback: { context, isError, module, message in
                guard let context else { return }
                Unmanaged<TIFFMessages>.fromOpaque(context).takeUnretainedValue().add(
                    isError: isError != 0, module: module.map { String(cString: $0) } ?? "",
                    message: message.map { String(cString: $0) } ?? ""
                )
            }
        ))
        guard let options = TIFFOpenOptionsAlloc() else { return nil }
        defer { TIFFOpenOptionsFree(options) }
        CTIFF_OpenOptionsSetSink(options, sink)
        var file = CTIFF_MemoryFile()
        // The encoded page is never larger than a few times its raw pixels; past that something is wrong.
        file.limit = UInt64(4 * width * height + 1 << 20)
        defer { free(file.data) }
        guard let tif = CTIFF_OpenMemoryWriter(&file, options) else { return nil }
        var closed = false
        defer { if !closed { TIFFClose(tif) } }

        let set32 = { (tag: Int32, value: UInt32) in CTIFF_SetFieldUInt32(tif, UInt32(tag), value) == 1 }
        let set16 = { (tag: Int32, value: Int32) in CTIFF_SetFieldUInt16(tif, UInt32(tag), UInt16(value)) == 1 }
        var ok = set32(TIFFTAG_IMAGEWIDTH, UInt32(width)) && set32(TIFFTAG_IMAGELENGTH, UInt32(height))
            && set16(TIFFTAG_SAMPLESPERPIXEL, 1) && set16(TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG)
            && set32(TIFFTAG_ROWSPERSTRIP, UInt32(height)) && set16(TIFFTAG_COMPRESSION, codec)
        switch compression {
        case .g4:
            // Ones are black (min-is-white): the runs G4 codes are then the page's own white and black runs.
            ok = ok && set16(TIFFTAG_BITSPERSAMPLE, 1) && set16(TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISWHITE)
                && set16(TIFFTAG_FILLORDER, FILLORDER_MSB2LSB)
        case .jpeg(let quality):
            ok = ok && set16(TIFFTAG_BITSPERSAMPLE, 8) && set16(TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK)
                && CTIFF_SetFieldInt(tif, UInt32(TIFFTAG_JPEGQUALITY), Int32(max(1, min(100, quality)))) == 1
                && CTIFF_SetFieldInt(tif, UInt32(TIFFTAG_JPEGTABLESMODE), 0) == 1
        }
        guard ok else { return nil }
        let written = samples.withUnsafeBytes { raw in
            TIFFWriteEncodedStrip(tif, 0, UnsafeMutableRawPointer(mutating: raw.baseAddress), tmsize_t(raw.count))
        }
        guard written >= 0, messages.errors.isEmpty else { return nil }
        var offsets: UnsafeMutablePointer<UInt64>?
        var counts: UnsafeMutablePointer<UInt64>?
        guard CTIFF_GetFieldUInt64Array(tif, UInt32(TIFFTAG_STRIPOFFSETS), &offsets) == 1,
              CTIFF_GetFieldUInt64Array(tif, UInt32(TIFFTAG_STRIPBYTECOUNTS), &counts) == 1,
              let offset = offsets?.pointee, let count = counts?.pointee, count > 0
        else { return nil }
        // Close first: libtiff may still flush into the buffer, never into the strip already written.
        TIFFClose(tif)
        closed = true
        guard let data = file.data, offset + count <= file.size else { return nil }
        return Array(UnsafeBufferPointer(start: data + Int(offset), count: Int(count)))
    }
}
