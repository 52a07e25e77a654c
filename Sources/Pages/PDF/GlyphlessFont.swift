/// The font of the invisible text layer: a TrueType program with two empty glyphs (`.notdef` and one more),
/// every character code mapped to the second, each 500 units wide on a 1000-unit em.
///
/// Built here rather than read from a file so that filing never depends on a font being installed, and so its
/// widths are known to match the PDF font dictionary (`/DW 500`) exactly, as PDF/A asks of every embedded font.
/// Text shown with it in render mode 3 is invisible but selectable, searchable and copyable, which is all an
/// OCR text layer needs (tesseract and OCRmyPDF use the same idea).
enum GlyphlessFont {
    static let unitsPerEm = 1000
    /// Advance width of every glyph, in font units: text is laid out as n glyphs of half an em.
    static let advance = 500
    static let postScriptName = "GlyphLessFont"

    /// The TrueType file.
    static let program: [UInt8] = build()

    private static func build() -> [UInt8] {
        var head = FontBytes()
        head.u32(0x0001_0000)  // version
        head.u32(0x0001_0000)  // fontRevision
        head.u32(0)  // checkSumAdjustment, set below
        head.u32(0x5F0F_3CF5)  // magicNumber
        head.u16(0x000B)  // flags: baseline at y=0, left sidebearing at x=0, integer scaling
        head.u16(UInt16(unitsPerEm))
        head.u64(0)  // created
        head.u64(0)  // modified
        head.i16(0); head.i16(-1); head.i16(Int16(advance)); head.i16(Int16(unitsPerEm))  // xMin yMin xMax yMax
        head.u16(0)  // macStyle
        head.u16(8)  // lowestRecPPEM
        head.i16(2)  // fontDirectionHint
        head.i16(0)  // indexToLocFormat: short offsets
        head.i16(0)  // glyphDataFormat

        var hhea = FontBytes()
        hhea.u32(0x0001_0000)
        hhea.i16(Int16(unitsPerEm))  // ascender
        hhea.i16(-1)  // descender, as the font descriptor says
        hhea.i16(0)  // lineGap
        hhea.u16(UInt16(advance))  // advanceWidthMax
        hhea.i16(0); hhea.i16(0); hhea.i16(0)  // minLeftSideBearing minRightSideBearing xMaxExtent
        hhea.i16(1); hhea.i16(0); hhea.i16(0)  // caretSlopeRise caretSlopeRun caretOffset
        for _ in 0..<4 { hhea.i16(0) }
        hhea.i16(0)  // metricDataFormat
        hhea.u16(2)  // numberOfHMetrics

        var maxp = FontBytes()
        maxp.u32(0x0001_0000)
        maxp.u16(2)  // numGlyphs
        for value: UInt16 in [0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0] { maxp.u16(value) }

        var os2 = FontBytes()
        os2.u16(4)  // version
        os2.i16(Int16(advance))  // xAvgCharWidth
        os2.u16(400)  // usWeightClass
        os2.u16(5)  // usWidthClass
        os2.u16(0)  // fsType: installable embedding, no restriction
        for _ in 0..<10 { os2.i16(0) }  // subscript, superscript, strikeout sizes and offsets
        os2.i16(0)  // sFamilyClass
        for _ in 0..<10 { os2.u8(0) }  // panose
        for _ in 0..<4 { os2.u32(0) }  // ulUnicodeRange1-4
        os2.bytes += Array("NONE".utf8)  // achVendID
        os2.u16(0x0040)  // fsSelection: regular
        os2.u16(0x0020); os2.u16(0xFFFF)  // usFirstCharIndex usLastCharIndex
        os2.i16(Int16(unitsPerEm)); os2.i16(-1); os2.i16(0)  // sTypoAscender sTypoDescender sTypoLineGap
        os2.u16(UInt16(unitsPerEm)); os2.u16(1)  // usWinAscent usWinDescent
        os2.u32(1); os2.u32(0)  // ulCodePageRange1-2
        os2.i16(0); os2.i16(Int16(unitsPerEm))  // sxHeight sCapHeight
        os2.u16(0); os2.u16(0x20); os2.u16(1)  // usDefaultChar usBreakChar usMaxContext

        var hmtx = FontBytes()
        for _ in 0..<2 { hmtx.u16(UInt16(advance)); hmtx.i16(0) }

        // Glyph 0 (.notdef) has no data; glyph 1 is a simple glyph with no contours (ten bytes of header and an
        // empty instruction list), so the one glyph the text shows exists in the font yet draws nothing.
        var loca = FontBytes()
        for offset: UInt16 in [0, 0, 6] { loca.u16(offset) }  // short format: offsets / 2
        let glyf = [UInt8](repeating: 0, count: 12)

        // A format 4 cmap with only the closing segment: the PDF selects glyphs by CID, never through the cmap.
        var cmap = FontBytes()
        cmap.u16(0); cmap.u16(1)  // version, one subtable
        cmap.u16(3); cmap.u16(1); cmap.u32(12)  // Windows, Unicode BMP, offset
        cmap.u16(4); cmap.u16(24); cmap.u16(0)  // format, length, language
        cmap.u16(2); cmap.u16(2); cmap.u16(0); cmap.u16(0)  // segCountX2 searchRange entrySelector rangeShift
        cmap.u16(0xFFFF)  // endCode
        cmap.u16(0)  // reservedPad
        cmap.u16(0xFFFF)  // startCode
        cmap.i16(1)  // idDelta
        cmap.u16(0)  // idRangeOffset

        var name = FontBytes()
        let records: [(UInt16, String)] = [(1, postScriptName), (2, "Regular"), (4, postScriptName), (6, postScriptName)]
        let strings = records.map { record in record.1.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] } }
        name.u16(0); name.u16(UInt16(records.count)); name.u16(UInt16(6 + 12 * records.count))
        var offset = 0
        for (index, record) in records.enumerated() {
            name.u16(3); name.u16(1); name.u16(0x0409); name.u16(record.0)
            name.u16(UInt16(strings[index].count)); name.u16(UInt16(offset))
            offset += strings[index].count
        }
        for string in strings { name.bytes += string }

        var post = FontBytes()
        post.u32(0x0003_0000)  // version 3: no glyph names
        post.u32(0)  // italicAngle
        post.i16(-100); post.i16(50)  // underlinePosition underlineThickness
        post.u32(1)  // isFixedPitch
        for _ in 0..<4 { post.u32(0) }

        let tables: [(String, [UInt8])] = [
            ("OS/2", os2.bytes), ("cmap", cmap.bytes), ("glyf", glyf), ("head", head.bytes), ("hhea", hhea.bytes),
            ("hmtx", hmtx.bytes), ("loca", loca.bytes), ("maxp", maxp.bytes), ("name", name.bytes), ("post", post.bytes),
        ]
        var file = FontBytes()
        file.u32(0x0001_0000)
        file.u16(UInt16(tables.count))
        file.u16(128); file.u16(3); file.u16(UInt16(tables.count * 16 - 128))  // searchRange entrySelector rangeShift
        var dataOffset = 12 + 16 * tables.count
        var headOffset = 0
        for (tag, data) in tables {
            file.bytes += Array(tag.utf8)
            file.u32(checksum(data))
            file.u32(UInt32(dataOffset))
            file.u32(UInt32(data.count))
            if tag == "head" { headOffset = dataOffset }
            dataOffset += (data.count + 3) & ~3
        }
        for (_, data) in tables {
            file.bytes += data
            file.bytes += [UInt8](repeating: 0, count: ((data.count + 3) & ~3) - data.count)
        }
        let adjustment = 0xB1B0_AFBA &- checksum(file.bytes)
        file.bytes.replaceSubrange(headOffset + 8..<headOffset + 12, with: FontBytes.bigEndian(adjustment))
        return file.bytes
    }

    /// The TrueType table checksum: the sum of big-endian 32-bit words, the last one padded with zeros.
    static func checksum(_ data: [UInt8]) -> UInt32 {
        var sum: UInt32 = 0
        var index = 0
        while index < data.count {
            var word: UInt32 = 0
            for byte in 0..<4 {
                word = word << 8 | UInt32(index + byte < data.count ? data[index + byte] : 0)
            }
            sum = sum &+ word
            index += 4
        }
        return sum
    }
}

/// Big-endian field writer for font tables.
private struct FontBytes {
    var bytes: [UInt8] = []

    mutating func u8(_ value: UInt8) { bytes.append(value) }
    mutating func u16(_ value: UInt16) { bytes += [UInt8(value >> 8), UInt8(value & 0xFF)] }
    mutating func i16(_ value: Int16) { u16(UInt16(bitPattern: value)) }
    mutating func u32(_ value: UInt32) { bytes += Self.bigEndian(value) }
    mutating func u64(_ value: UInt64) { u32(UInt32(value >> 32)); u32(UInt32(value & 0xFFFF_FFFF)) }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}
