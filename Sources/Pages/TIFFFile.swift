internal import CTIFF

/// Collects what libtiff says about one handle, instead of letting it print to stderr.
final class TIFFMessages {
    private(set) var errors: [String] = []
    private(set) var warnings: [String] = []
    private static let keep = 20
    /// libtiff names the file (the full spool path) in some messages; ours name it once, by its last component.
    private let path: String

    init(path: String) { self.path = path }

    func add(isError: Bool, module: String, message: String) {
        var line = module.isEmpty || module == path ? message : "\(module): \(message)"
        if !path.isEmpty { line = line.replacingAll(path, with: "the file") }
        if isError {
            if errors.count < Self.keep { errors.append(line) }
        } else if warnings.count < Self.keep {
            warnings.append(line)
        }
    }

    func clear() {
        errors.removeAll()
        warnings.removeAll()
    }

    /// The first error, for a one-line rejection.
    var summary: String { errors.first ?? "libtiff reported no detail" }
}

/// The fields of one TIFF directory (page) that decoding needs, read before any pixel is.
struct TIFFPageInfo {
    var width: Int
    var height: Int
    var bitsPerSample: Int
    var samplesPerPixel: Int
    var photometric: Int
    var compression: Int
    var planarConfig: Int
    var isTiled: Bool
    var rowsPerStrip: Int
    /// From XResolution/YResolution in inches, or nil when the tags are missing or meaningless.
    var dpi: (x: Double, y: Double)?
}

/// Owns one libtiff handle, opened with per-handle error and warning handlers and an allocation cap.
final class TIFFFile {
    private let handle: OpaquePointer
    let messages: TIFFMessages
    private let sink: UnsafeMutablePointer<CTIFF_MessageSink>
    let path: String

    init(path: String, limits: PageLimits) throws(PageError) {
        let messages = TIFFMessages(path: path)
        let sink = UnsafeMutablePointer<CTIFF_MessageSink>.allocate(capacity: 1)
        // The handle keeps `messages` alive (a stored property) for as long as libtiff may call back.
        sink.initialize(to: CTIFF_MessageSink(
            context: Unmanaged.passUnretained(messages).toOpaque(),
            callback: { context, isError, module, message in
                guard let context else { return }
                let messages = Unmanaged<TIFFMessages>.fromOpaque(context).takeUnretainedValue()
                messages.add(
                    isError: isError != 0, module: module.map { String(cString: $0) } ?? "",
                    message: message.map { String(cString: $0) } ?? ""
                )
            }
        ))
        guard let options = TIFFOpenOptionsAlloc() else {
            sink.deallocate()
            throw PageError(.unreadable, path: path, detail: "libtiff could not allocate its open options")
        }
        defer { TIFFOpenOptionsFree(options) }
        TIFFOpenOptionsSetMaxSingleMemAlloc(options, tmsize_t(limits.tiffMaxSingleAllocation))
        CTIFF_OpenOptionsSetSink(options, sink)
        guard let handle = TIFFOpenExt(path, "r", options) else {
            let detail = messages.summary
            sink.deallocate()
            throw PageError(.truncatedOrCorrupt, path: path, detail: "libtiff could not open the file (\(detail))")
        }
        self.handle = handle
        self.messages = messages
        self.sink = sink
        self.path = path
    }

    deinit {
        TIFFClose(handle)
        sink.deallocate()
    }

    /// Counts the directories, checking each one's size and strip extents, without reading pixels.
    /// Throws at the first page over a limit, and when the directory chain is broken or cut short.
    func scanDirectories(limits: PageLimits, fileBytes: Int) throws(PageError) -> Int {
        var count = 0
        repeat {
            count += 1
            if count > limits.maxPagesPerFile {
                throw PageError(
                    .tooManyPages, path: path, limit: limits.maxPagesPerFile, actual: count,
                    detail: "more than \(limits.maxPagesPerFile) pages (raise pages.max_pages)"
                )
            }
            let info = currentInfo()
            try limits.checkRaster(width: info.width, height: info.height, path: path, page: count)
            try checkStripExtents(fileBytes: fileBytes, page: count)
        } while TIFFReadDirectory(handle) == 1
        if !messages.errors.isEmpty {
            throw PageError(.truncatedOrCorrupt, path: path, page: count + 1,
                            detail: "the file is cut short or damaged after page \(count) (\(messages.summary))")
        }
        return count
    }

    private func checkStripExtents(fileBytes: Int, page: Int) throws(PageError) {
        var offsets: UnsafeMutablePointer<UInt64>?
        var counts: UnsafeMutablePointer<UInt64>?
        guard CTIFF_GetFieldUInt64Array(handle, UInt32(TIFFTAG_STRIPOFFSETS), &offsets) == 1,
              CTIFF_GetFieldUInt64Array(handle, UInt32(TIFFTAG_STRIPBYTECOUNTS), &counts) == 1,
              let offsets, let counts
        else {
            throw PageError(.truncatedOrCorrupt, path: path, page: page, detail: "the page has no image data")
        }
        let strips = Int(TIFFNumberOfStrips(handle))
        for index in 0..<strips {
            let (end, overflow) = offsets[index].addingReportingOverflow(counts[index])
            if overflow || end > UInt64(fileBytes) {
                throw PageError(
                    .truncatedOrCorrupt, path: path, page: page,
                    detail: "image data runs past the end of the file (\(fileBytes) bytes): the transfer was cut short"
                )
            }
        }
    }

    func select(page: Int) throws(PageError) {
        messages.clear()
        guard TIFFSetDirectory(handle, tdir_t(page - 1)) == 1 else {
            throw PageError(.truncatedOrCorrupt, path: path, page: page, detail: "cannot read the page directory (\(messages.summary))")
        }
    }

    func currentInfo() -> TIFFPageInfo {
        func u32(_ tag: Int32) -> Int {
            var value: UInt32 = 0
            return CTIFF_GetFieldDefaultedUInt32(handle, UInt32(tag), &value) == 1 ? Int(value) : 0
        }
        func u16(_ tag: Int32, default fallback: Int) -> Int {
            var value: UInt16 = 0
            return CTIFF_GetFieldDefaultedUInt16(handle, UInt32(tag), &value) == 1 ? Int(value) : fallback
        }
        var width: UInt32 = 0, height: UInt32 = 0
        _ = CTIFF_GetFieldUInt32(handle, UInt32(TIFFTAG_IMAGEWIDTH), &width)
        _ = CTIFF_GetFieldUInt32(handle, UInt32(TIFFTAG_IMAGELENGTH), &height)
        var photometric: UInt16 = 0
        let hasPhotometric = CTIFF_GetFieldUInt16(handle, UInt32(TIFFTAG_PHOTOMETRIC), &photometric) == 1
        let bits = u16(TIFFTAG_BITSPERSAMPLE, default: 1)
        return TIFFPageInfo(
            width: Int(width), height: Int(height),
            bitsPerSample: bits,
            samplesPerPixel: u16(TIFFTAG_SAMPLESPERPIXEL, default: 1),
            // A missing photometric on a 1-bit page is a fax writer's omission: white is 0.
            photometric: hasPhotometric ? Int(photometric) : Int(PHOTOMETRIC_MINISWHITE),
            compression: u16(TIFFTAG_COMPRESSION, default: 1),
            planarConfig: u16(TIFFTAG_PLANARCONFIG, default: 1),
            isTiled: TIFFIsTiled(handle) != 0,
            rowsPerStrip: max(1, min(u32(TIFFTAG_ROWSPERSTRIP), Int(height))),
            dpi: resolution()
        )
    }

    private func resolution() -> (x: Double, y: Double)? {
        var x: Float = 0, y: Float = 0
        guard CTIFF_GetFieldFloat(handle, UInt32(TIFFTAG_XRESOLUTION), &x) == 1,
              CTIFF_GetFieldFloat(handle, UInt32(TIFFTAG_YRESOLUTION), &y) == 1
        else { return nil }
        var unit: UInt16 = UInt16(RESUNIT_INCH)
        _ = CTIFF_GetFieldDefaultedUInt16(handle, UInt32(TIFFTAG_RESOLUTIONUNIT), &unit)
        let scale: Double
        switch Int32(unit) {
        case RESUNIT_INCH: scale = 1
        case RESUNIT_CENTIMETER: scale = 2.54
        default: return nil  // RESUNIT_NONE: only an aspect ratio
        }
        let dpiX = (Double(x) * scale * 100).rounded() / 100
        let dpiY = (Double(y) * scale * 100).rounded() / 100
        guard dpiX.isFinite, dpiY.isFinite, (10...10_000).contains(dpiX), (10...10_000).contains(dpiY) else { return nil }
        return (dpiX, dpiY)
    }

    /// Decodes the selected page to 8-bit grey, 0 = black.
    func decodeCurrent(page: Int, info: TIFFPageInfo) throws(PageError) -> [UInt8] {
        let isBilevel = info.bitsPerSample == 1 && info.samplesPerPixel == 1
            && (info.photometric == Int(PHOTOMETRIC_MINISWHITE) || info.photometric == Int(PHOTOMETRIC_MINISBLACK))
        let isGrey8 = info.bitsPerSample == 8 && info.samplesPerPixel == 1
            && (info.photometric == Int(PHOTOMETRIC_MINISWHITE) || info.photometric == Int(PHOTOMETRIC_MINISBLACK))
        if !info.isTiled && (isBilevel || isGrey8) {
            return try decodeStrips(page: page, info: info, bilevel: isBilevel,
                                    minIsWhite: info.photometric == Int(PHOTOMETRIC_MINISWHITE))
        }
        return try decodeRGBA(page: page, info: info)
    }

    private func decodeStrips(page: Int, info: TIFFPageInfo, bilevel: Bool, minIsWhite: Bool) throws(PageError) -> [UInt8] {
        let width = info.width
        let rowBytes = bilevel ? (width + 7) / 8 : width
        let scanline = Int(TIFFScanlineSize(handle))
        guard scanline == rowBytes else {
            throw PageError(.truncatedOrCorrupt, path: path, page: page,
                            detail: "unexpected row size \(scanline) for a \(width)-pixel row")
        }
        let stripSize = Int(TIFFStripSize(handle))
        var strip = [UInt8](repeating: 0, count: max(stripSize, rowBytes * info.rowsPerStrip))
        var out = [UInt8](repeating: 255, count: width * info.height)
        let table = bilevel ? Self.bitTable(minIsWhite: minIsWhite) : []
        let strips = Int(TIFFNumberOfStrips(handle))
        var row = 0
        for index in 0..<strips where row < info.height {
            let rows = min(info.rowsPerStrip, info.height - row)
            let wanted = rows * rowBytes
            let read = strip.withUnsafeMutableBytes { buffer in
                TIFFReadEncodedStrip(handle, UInt32(index), buffer.baseAddress, tmsize_t(wanted))
            }
            if read < 0 || !messages.errors.isEmpty {
                throw PageError(.truncatedOrCorrupt, path: path, page: page,
                                detail: "cannot decode image data at row \(row) (\(messages.summary))")
            }
            strip.withUnsafeBufferPointer { source in
                out.withUnsafeMutableBufferPointer { target in
                    if bilevel {
                        table.withUnsafeBufferPointer { table in
                            for r in 0..<rows {
                                let src = r * rowBytes
                                var dst = (row + r) * width
                                let rowEnd = dst + width
                                for byteIndex in 0..<rowBytes {
                                    let bits = table[Int(source[src + byteIndex])]
                                    var shift: UInt64 = 56
                                    for _ in 0..<8 where dst < rowEnd {
                                        target[dst] = UInt8(truncatingIfNeeded: bits >> shift)
                                        dst += 1
                                        shift &-= 8
                                    }
                                }
                            }
                        }
                    } else {
                        let count = rows * width
                        let base = row * width
                        for i in 0..<count { target[base + i] = minIsWhite ? 255 - source[i] : source[i] }
                    }
                }
            }
            row += rows
        }
        return out
    }

    /// The selected page as it is filed when it is black and white in strips (a fax): its own G4 code when a PDF
    /// can hold that unchanged (one strip, no uncompressed mode, min-is-white) and `keepCode` allows it, else its
    /// rows decoded to 1 bit.
    /// Nil for any other layout (grey, colour, tiles), which is filed from 8-bit pixels.
    func bilevelPage(
        page: Int, info: TIFFPageInfo, dpi: (x: Double, y: Double), keepCode: Bool = true
    ) throws(PageError) -> BilevelImage? {
        let minIsWhite = info.photometric == Int(PHOTOMETRIC_MINISWHITE)
        guard info.bitsPerSample == 1, info.samplesPerPixel == 1, !info.isTiled,
              minIsWhite || info.photometric == Int(PHOTOMETRIC_MINISBLACK)
        else { return nil }
        func image(_ bits: BilevelImage.Bits) -> BilevelImage {
            BilevelImage(width: info.width, height: info.height, dpiX: dpi.x, dpiY: dpi.y, bits: bits)
        }
        if keepCode, minIsWhite, info.compression == Int(COMPRESSION_CCITTFAX4), TIFFNumberOfStrips(handle) == 1,
           let code = rawG4Strip(info: info)
        {
            return image(.g4(code))
        }
        let rowBytes = (info.width + 7) / 8
        guard Int(TIFFScanlineSize(handle)) == rowBytes else {
            throw PageError(.truncatedOrCorrupt, path: path, page: page,
                            detail: "unexpected row size \(TIFFScanlineSize(handle)) for a \(info.width)-pixel row")
        }
        var rows = [UInt8](repeating: 0, count: rowBytes * info.height)
        let strips = Int(TIFFNumberOfStrips(handle))
        var row = 0
        for index in 0..<strips where row < info.height {
            let count = min(info.rowsPerStrip, info.height - row)
            let read = rows.withUnsafeMutableBytes { buffer in
                TIFFReadEncodedStrip(handle, UInt32(index), buffer.baseAddress! + row * rowBytes, tmsize_t(count * rowBytes))
            }
            if read < 0 || !messages.errors.isEmpty {
                throw PageError(.truncatedOrCorrupt, path: path, page: page,
                                detail: "cannot decode image data at row \(row) (\(messages.summary))")
            }
            row += count
        }
        // Min-is-black: a set bit is white; the rows hold 1 = black.
        if !minIsWhite { for index in rows.indices { rows[index] = ~rows[index] } }
        return image(.rows(rows))
    }

    /// The selected page's one strip of G4 code, most significant bit first, when the page uses no option a PDF
    /// reader lacks (uncompressed mode). Nil otherwise, or when the strip cannot be read whole.
    private func rawG4Strip(info: TIFFPageInfo) -> [UInt8]? {
        var options: UInt32 = 0
        _ = CTIFF_GetFieldDefaultedUInt32(handle, UInt32(TIFFTAG_T6OPTIONS), &options)
        var fillOrder: UInt16 = UInt16(FILLORDER_MSB2LSB)
        _ = CTIFF_GetFieldDefaultedUInt16(handle, UInt32(TIFFTAG_FILLORDER), &fillOrder)
        var counts: UnsafeMutablePointer<UInt64>?
        guard options == 0, CTIFF_GetFieldUInt64Array(handle, UInt32(TIFFTAG_STRIPBYTECOUNTS), &counts) == 1,
              let size = counts?.pointee, size > 0,
              // G4 never takes more than a few bytes per pixel row; more is not a fax page.
              size <= UInt64(8 * info.width * info.height / 8 + 4096)
        else { return nil }
        var code = [UInt8](repeating: 0, count: Int(size))
        let read = code.withUnsafeMutableBytes { buffer in
            TIFFReadRawStrip(handle, 0, buffer.baseAddress, tmsize_t(size))
        }
        guard read == tmsize_t(size), messages.errors.isEmpty else { return nil }
        if Int32(fillOrder) == FILLORDER_LSB2MSB {
            code.withUnsafeMutableBytes { buffer in
                TIFFReverseBits(buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), tmsize_t(buffer.count))
            }
        }
        return code
    }

    /// For each byte of 1-bit data, its 8 grey pixels, first pixel in the top byte.
    private static func bitTable(minIsWhite: Bool) -> [UInt64] {
        (0..<256).map { byte in
            var value: UInt64 = 0
            for bit in 0..<8 {
                let isSet = (byte >> (7 - bit)) & 1 == 1
                let grey: UInt64 = (isSet == minIsWhite) ? 0 : 255
                value = (value << 8) | grey
            }
            return value
        }
    }

    /// Anything that is not 1-bit or 8-bit grey strips (RGB, palette, tiles, 16-bit): libtiff's RGBA reader.
    private func decodeRGBA(page: Int, info: TIFFPageInfo) throws(PageError) -> [UInt8] {
        var reason = [CChar](repeating: 0, count: 1024)
        guard TIFFRGBAImageOK(handle, &reason) == 1 else {
            let text = String(decoding: reason.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw PageError(.unsupportedType, path: path, page: page,
                            detail: "this TIFF page layout cannot be read (\(text))")
        }
        let count = info.width * info.height
        var raster = [UInt32](repeating: 0, count: count)
        let ok = raster.withUnsafeMutableBufferPointer { buffer in
            TIFFReadRGBAImageOriented(handle, UInt32(info.width), UInt32(info.height), buffer.baseAddress,
                                      Int32(ORIENTATION_TOPLEFT), 0)
        }
        guard ok == 1 else {
            throw PageError(.truncatedOrCorrupt, path: path, page: page, detail: "cannot decode image data (\(messages.summary))")
        }
        var out = [UInt8](repeating: 255, count: count)
        raster.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                for i in 0..<count {
                    // ABGR packed: R in the low byte; alpha composited over white.
                    let pixel = source[i]
                    let r = pixel & 0xFF, g = (pixel >> 8) & 0xFF, b = (pixel >> 16) & 0xFF, a = pixel >> 24
                    let luma = (77 * r + 150 * g + 29 * b + 128) >> 8
                    target[i] = UInt8((luma * a + 255 * (255 - a) + 127) / 255)
                }
            }
        }
        return out
    }
}

extension String {
    /// Every occurrence of `target` replaced, without Foundation.
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
