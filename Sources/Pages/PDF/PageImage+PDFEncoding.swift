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
        guard page.width > 0, page.height > 0 else { return nil }
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
        file.limit = UInt64(4 * page.width * page.height + 1 << 20)
        defer { free(file.data) }
        guard let tif = CTIFF_OpenMemoryWriter(&file, options) else { return nil }
        var closed = false
        defer { if !closed { TIFFClose(tif) } }

        let set32 = { (tag: Int32, value: UInt32) in CTIFF_SetFieldUInt32(tif, UInt32(tag), value) == 1 }
        let set16 = { (tag: Int32, value: Int32) in CTIFF_SetFieldUInt16(tif, UInt32(tag), UInt16(value)) == 1 }
        var ok = set32(TIFFTAG_IMAGEWIDTH, UInt32(page.width)) && set32(TIFFTAG_IMAGELENGTH, UInt32(page.height))
            && set16(TIFFTAG_SAMPLESPERPIXEL, 1) && set16(TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG)
            && set32(TIFFTAG_ROWSPERSTRIP, UInt32(page.height)) && set16(TIFFTAG_COMPRESSION, codec)
        let samples: [UInt8]
        switch compression {
        case .g4:
            // Ones are black (min-is-white): the runs G4 codes are then the page's own white and black runs.
            ok = ok && set16(TIFFTAG_BITSPERSAMPLE, 1) && set16(TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISWHITE)
                && set16(TIFFTAG_FILLORDER, FILLORDER_MSB2LSB)
            samples = page.packedBits(blackIsOne: true)
        case .jpeg(let quality):
            ok = ok && set16(TIFFTAG_BITSPERSAMPLE, 8) && set16(TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK)
                && CTIFF_SetFieldInt(tif, UInt32(TIFFTAG_JPEGQUALITY), Int32(max(1, min(100, quality)))) == 1
                && CTIFF_SetFieldInt(tif, UInt32(TIFFTAG_JPEGTABLESMODE), 0) == 1
            samples = page.pixels
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
