#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FileroomModel

/// One page of a filed PDF: what it shows and the words laid invisibly over it.
public struct FilingPage: Sendable {
    public enum Content: Sendable {
        /// A page image at its own resolution (fax, scan), compressed by `FilingPDFWriter`.
        case raster(PageImage)
        /// A black-and-white page (a fax) kept 1-bit from the file to the PDF: never widened to 8-bit grey.
        case bilevel(BilevelImage)
        /// A received PDF page carried over as vectors, turned clockwise by `quarterTurns` x 90 degrees.
        case vector(VectorPage, quarterTurns: Int)
    }

    public var content: Content
    /// The invisible text layer (OCR words), empty for a page that carries its own text.
    public var words: [PlacedWord]

    public init(content: Content, words: [PlacedWord] = []) {
        self.content = content
        self.words = words
    }

    /// The filed page's size, points.
    public var size: (width: Double, height: Double) {
        switch content {
        case .raster(let image):
            return Self.size(width: image.width, height: image.height, dpiX: image.dpiX, dpiY: image.dpiY)
        case .bilevel(let image):
            return Self.size(width: image.width, height: image.height, dpiX: image.dpiX, dpiY: image.dpiY)
        case .vector(let page, let turns):
            return turns % 2 == 0 ? (page.width, page.height) : (page.height, page.width)
        }
    }
}

extension FilingPage {
    /// Points for `width` x `height` pixels at the given resolution (72 dpi when it is unknown).
    static func size(width: Int, height: Int, dpiX: Double, dpiY: Double) -> (width: Double, height: Double) {
        (Double(width) * 72 / (dpiX > 0 ? dpiX : 72), Double(height) * 72 / (dpiY > 0 ? dpiY : 72))
    }

    /// A page image with `text`'s words (OCR, or a text layer's) laid over it.
    static func raster(_ image: PageImage, text: PageText?) -> FilingPage {
        FilingPage(content: .raster(image)).withWords(of: text)
    }

    /// A 1-bit page with `text`'s words laid over it.
    static func bilevel(_ image: BilevelImage, text: PageText?) -> FilingPage {
        FilingPage(content: .bilevel(image)).withWords(of: text)
    }

    private func withWords(of text: PageText?) -> FilingPage {
        var page = self
        if let text, !text.isBlank {
            let size = page.size
            page.words = InvisibleTextLayer.place(text, pageWidth: size.width, pageHeight: size.height)
        }
        return page
    }
}

/// What the filed PDF says about itself, in its Info dictionary and (identically) its XMP metadata.
public struct PDFDocumentInfo: Sendable, Hashable {
    public var title: String
    /// Seconds since 1970, UTC: the creation and modification date.
    public var created: Int
    public var producer: String
    public var creator: String
    /// Seeds the trailer's file identifier (a document id makes it stable across rewrites of one document).
    public var identifier: String

    public init(title: String, created: Int, producer: String = "Fileroom", creator: String = "Fileroom", identifier: String) {
        self.title = title
        self.created = created
        self.producer = producer
        self.creator = creator
        self.identifier = identifier
    }
}

/// Writes filed documents as searchable PDF/A-2b: page images at their own resolution (CCITT G4 for fax pages),
/// received PDF pages as vectors, an invisible OCR text layer in an embedded glyphless font, XMP metadata that
/// matches the Info dictionary, and an sRGB output intent with its ICC profile embedded.
///
/// When no sRGB profile is installed the file is written the same way but does not claim PDF/A (no `pdfaid` in the
/// XMP, no output intent): a claim the file cannot back is worse than none.
public enum FilingPDFWriter {
    public struct Options: Sendable, Hashable {
        public var grey: GreyImageCompression
        /// The sRGB ICC profile to embed; nil writes a PDF that does not claim PDF/A.
        public var iccProfile: [UInt8]?

        public init(grey: GreyImageCompression = .jpeg(quality: 85), iccProfile: [UInt8]? = ColorProfile.sRGB) {
            self.grey = grey
            self.iccProfile = iccProfile
        }
    }

    /// Writes the document to `path` (created or replaced; the caller renames a temporary file into place).
    public static func write(
        _ pages: [FilingPage], info: PDFDocumentInfo, options: Options = Options(), to path: String
    ) throws(PageError) {
        let bytes: [UInt8]
        do throws(PageError) {
            bytes = try document(pages, info: info, options: options)
        } catch {
            var located = error
            located.path = path
            throw located
        }
        try FileBytes.write(bytes, to: path)
    }

    /// The document's bytes.
    public static func document(_ pages: [FilingPage], info: PDFDocumentInfo, options: Options = Options())
        throws(PageError) -> [UInt8]
    {
        guard !pages.isEmpty else { throw PageError(.writeFailed, path: "", detail: "no pages to write") }
        var writer = PDFObjectWriter()
        let catalog = writer.reserve(), pageTree = writer.reserve(), infoObject = writer.reserve()
        let pageNumbers = pages.map { _ in writer.reserve() }
        let font = pages.contains { !$0.words.isEmpty } ? TextLayerFont.write(into: &writer) : nil

        for (index, page) in pages.enumerated() {
            let size = page.size
            var xobjects = PDFDictionary()
            var content: [UInt8] = []
            switch page.content {
            case .raster(let image):
                content += drawImage(try image.pdfEncoded(grey: options.grey), size: size, into: &writer, xobjects: &xobjects)
            case .bilevel(let image):
                content += drawImage(try image.pdfEncoded(), size: size, into: &writer, xobjects: &xobjects)
            case .vector(let vector, let turns):
                let form = vector.write(into: &writer)
                xobjects["Fm0"] = .reference(form)
                let (w, h) = (PDFValue.format(vector.width), PDFValue.format(vector.height))
                let matrix = switch ((turns % 4) + 4) % 4 {
                case 1: "0 -1 1 0 0 \(w)"
                case 2: "-1 0 0 -1 \(w) \(h)"
                case 3: "0 1 -1 0 \(h) 0"
                default: "1 0 0 1 0 0"
                }
                content += Array("q \(matrix) cm /Fm0 Do Q\n".utf8)
            }
            var resources = PDFDictionary([("XObject", .dictionary(xobjects))])
            if let font, !page.words.isEmpty {
                resources["Font"] = .dictionary(PDFDictionary([(TextLayerFont.resourceName, .reference(font))]))
                content += InvisibleTextLayer.contentStream(page.words, fontName: TextLayerFont.resourceName)
            }
            let contentNumber = writer.reserve()
            writer.writeStream(contentNumber, PDFDictionary(), plain: content)
            writer.write(pageNumbers[index], .dictionary(PDFDictionary([
                ("Type", .name("Page")), ("Parent", .reference(pageTree)),
                ("MediaBox", .array([.int(0), .int(0), .real(size.width), .real(size.height)])),
                ("Resources", .dictionary(resources)), ("Contents", .reference(contentNumber)),
            ])))
        }
        writer.write(pageTree, .dictionary(PDFDictionary([
            ("Type", .name("Pages")), ("Kids", .array(pageNumbers.map(PDFValue.reference))), ("Count", .int(pages.count)),
        ])))

        let date = PDFDate(seconds: info.created)
        writer.write(infoObject, .dictionary(PDFDictionary([
            ("Title", .text(info.title)), ("Creator", .text(info.creator)), ("Producer", .text(info.producer)),
            ("CreationDate", .string(Array(date.pdf.utf8))), ("ModDate", .string(Array(date.pdf.utf8))),
        ])))
        let metadata = writer.reserve()
        let claimsPDFA = options.iccProfile != nil
        writer.writeStream(
            metadata, PDFDictionary([("Type", .name("Metadata")), ("Subtype", .name("XML"))]),
            data: XMPPacket.make(info: info, date: date, pdfA: claimsPDFA)
        )
        var catalogDictionary = PDFDictionary([
            ("Type", .name("Catalog")), ("Pages", .reference(pageTree)), ("Metadata", .reference(metadata)),
        ])
        if let profile = options.iccProfile {
            let icc = writer.reserve()
            writer.writeStream(icc, PDFDictionary([("N", .int(3))]), plain: profile)
            catalogDictionary["OutputIntents"] = .array([.dictionary(PDFDictionary([
                ("Type", .name("OutputIntent")), ("S", .name("GTS_PDFA1")),
                ("OutputConditionIdentifier", .text("sRGB IEC61966-2.1")), ("RegistryName", .text("http://www.color.org")),
                ("Info", .text("sRGB IEC61966-2.1")), ("DestOutputProfile", .reference(icc)),
            ]))])
        }
        writer.write(catalog, .dictionary(catalogDictionary))
        var hasher = SHA256()
        hasher.update(Array("\(info.identifier)\n\(info.created)".utf8))
        return try writer.finish(root: catalog, info: infoObject, id: Array(hasher.finalize().prefix(16)))
    }

    /// Writes the page's image and returns the content that draws it over the whole page.
    private static func drawImage(
        _ image: EncodedImage, size: (width: Double, height: Double), into writer: inout PDFObjectWriter,
        xobjects: inout PDFDictionary
    ) -> [UInt8] {
        let number = writer.reserve()
        writeImage(image, number: number, into: &writer)
        xobjects["Im0"] = .reference(number)
        return Array("q \(PDFValue.format(size.width)) 0 0 \(PDFValue.format(size.height)) 0 0 cm /Im0 Do Q\n".utf8)
    }

    private static func writeImage(_ image: EncodedImage, number: Int, into writer: inout PDFObjectWriter) {
        var dictionary = PDFDictionary([
            ("Type", .name("XObject")), ("Subtype", .name("Image")), ("Width", .int(image.width)),
            ("Height", .int(image.height)), ("ColorSpace", .name("DeviceGray")),
            ("BitsPerComponent", .int(image.bitsPerComponent)),
        ])
        switch image.filter {
        case .ccittG4:
            dictionary["Filter"] = .name("CCITTFaxDecode")
            dictionary["DecodeParms"] = .dictionary(PDFDictionary([
                ("K", .int(-1)), ("Columns", .int(image.width)), ("Rows", .int(image.height)),
                ("BlackIs1", .bool(false)),
            ]))
        case .dct: dictionary["Filter"] = .name("DCTDecode")
        case .flate: dictionary["Filter"] = .name("FlateDecode")
        }
        writer.writeStream(number, dictionary, data: image.data)
    }
}

/// The text layer's font objects: a Type 0 font over the glyphless CIDFontType2, codes = CIDs (Identity-H), every
/// CID drawn with glyph 1 (never `.notdef`, which PDF/A forbids showing), and a ToUnicode CMap that reads each
/// two-byte code back as the UTF-16 unit it is.
enum TextLayerFont {
    static let resourceName = "FTL"

    /// Writes the objects and returns the Type 0 font's number.
    static func write(into writer: inout PDFObjectWriter) -> Int {
        let type0 = writer.reserve(), cidFont = writer.reserve(), descriptor = writer.reserve()
        let program = writer.reserve(), cidToGID = writer.reserve(), toUnicode = writer.reserve()
        let name = PDFValue.name(GlyphlessFont.postScriptName)
        writer.write(type0, .dictionary(PDFDictionary([
            ("Type", .name("Font")), ("Subtype", .name("Type0")), ("BaseFont", name), ("Encoding", .name("Identity-H")),
            ("DescendantFonts", .array([.reference(cidFont)])), ("ToUnicode", .reference(toUnicode)),
        ])))
        writer.write(cidFont, .dictionary(PDFDictionary([
            ("Type", .name("Font")), ("Subtype", .name("CIDFontType2")), ("BaseFont", name),
            ("CIDSystemInfo", .dictionary(PDFDictionary([
                ("Registry", .string(Array("Adobe".utf8))), ("Ordering", .string(Array("Identity".utf8))),
                ("Supplement", .int(0)),
            ]))),
            ("FontDescriptor", .reference(descriptor)), ("DW", .int(GlyphlessFont.advance)),
            ("CIDToGIDMap", .reference(cidToGID)),
        ])))
        writer.write(descriptor, .dictionary(PDFDictionary([
            ("Type", .name("FontDescriptor")), ("FontName", name), ("Flags", .int(5)),
            // Descent -1, not 0: readers take a zero descent as missing and assume about -0.35 em, which would make
            // each word's box reach below its line (tesseract's glyphless font says -1 for the same reason).
            ("FontBBox", .array([.int(0), .int(-1), .int(GlyphlessFont.advance), .int(GlyphlessFont.unitsPerEm)])),
            ("ItalicAngle", .int(0)), ("Ascent", .int(GlyphlessFont.unitsPerEm)), ("Descent", .int(-1)),
            ("CapHeight", .int(GlyphlessFont.unitsPerEm)), ("StemV", .int(80)), ("FontFile2", .reference(program)),
        ])))
        writer.writeStream(
            program, PDFDictionary([("Length1", .int(GlyphlessFont.program.count))]), prepared: Self.programStream
        )
        writer.writeStream(cidToGID, PDFDictionary(), prepared: Self.cidToGIDStream)
        writer.writeStream(toUnicode, PDFDictionary(), prepared: Self.toUnicodeStream)
        return type0
    }

    // The same in every filed PDF: deflated once, at zlib's best.
    static let programStream = PreparedStream(GlyphlessFont.program, level: 9)
    static let toUnicodeStream = PreparedStream(Array(identityToUnicode.utf8), level: 9)
    static let cidToGIDStream: PreparedStream = {
        // Codes stop at the last block the layer writes: CIDs past the map's end would be glyph 0, never shown.
        let highest = Int(InvisibleTextLayer.writtenBlocks.max() ?? 0) * 256 + 256
        var map = [UInt8](repeating: 0, count: 2 * highest)
        for index in stride(from: 1, to: map.count, by: 2) { map[index] = 1 }
        return PreparedStream(map, level: 9)
    }()

    /// Code `<XXYY>` reads as U+XXYY, for the blocks the layer writes. Each range stays within one first byte, as
    /// CMap ranges must.
    static let identityToUnicode: String = {
        var text = """
            /CIDInit /ProcSet findresource begin
            12 dict begin
            begincmap
            /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
            /CMapName /Adobe-Identity-UCS def
            /CMapType 2 def
            1 begincodespacerange
            <0000> <FFFF>
            endcodespacerange

            """
        let hex = { (value: Int) in
            let digits = Array("0123456789ABCDEF")
            return String([digits[value >> 4], digits[value & 15]])
        }
        let blocks = InvisibleTextLayer.writtenBlocks.sorted().map(Int.init)
        text += "\(blocks.count) beginbfrange\n"
        for high in blocks { text += "<\(hex(high))00> <\(hex(high))FF> <\(hex(high))00>\n" }
        text += "endbfrange\n"
        text += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
        return text
    }()
}

/// A date in the two spellings PDF/A wants to agree: the Info dictionary's and XMP's.
struct PDFDate {
    let pdf: String
    let xmp: String

    init(seconds: Int) {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let year = String(Int(parts.tm_year) + 1900)
        let (month, day) = (two(parts.tm_mon + 1), two(parts.tm_mday))
        let (hour, minute, second) = (two(parts.tm_hour), two(parts.tm_min), two(parts.tm_sec))
        pdf = "D:\(year)\(month)\(day)\(hour)\(minute)\(second)+00'00'"
        xmp = "\(year)-\(month)-\(day)T\(hour):\(minute):\(second)+00:00"
    }
}

/// The XMP packet: Dublin Core title and format, XMP dates and creator tool, PDF producer, and the PDF/A
/// identification (part 2, conformance B) when the file makes that claim.
enum XMPPacket {
    static func make(info: PDFDocumentInfo, date: PDFDate, pdfA: Bool) -> [UInt8] {
        // Simple properties as attributes of the one description (RDF's abbreviated form): the same metadata in a
        // third fewer bytes than one element each.
        let identification = pdfA ? " pdfaid:part=\"2\" pdfaid:conformance=\"B\"" : ""
        let text = "<?xpacket begin=\"\u{FEFF}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
            + "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
            + "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\""
            + " xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\""
            + " xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"\n"
            + " dc:format=\"application/pdf\" xmp:CreateDate=\"\(date.xmp)\" xmp:ModifyDate=\"\(date.xmp)\""
            + " xmp:CreatorTool=\"\(escape(info.creator))\" pdf:Producer=\"\(escape(info.producer))\"\(identification)>\n"
            + "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">\(escape(info.title))</rdf:li></rdf:Alt></dc:title>\n"
            + "</rdf:Description></rdf:RDF></x:xmpmeta>\n<?xpacket end=\"w\"?>"
        return Array(text.utf8)
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }
}

/// The sRGB profile from the system's colour profiles (Debian `icc-profiles-free`, else `colord-data`).
public enum ColorProfile {
    public static let searchPaths = [
        "/usr/share/color/icc/sRGB.icc",
        "/usr/share/color/icc/colord/sRGB.icc",
    ]

    /// The first profile found, or nil.
    public static let sRGB: [UInt8]? = searchPaths.lazy.compactMap { try? FileBytes.read($0, limit: 1 << 20) }.first
}

/// Whole-file reads and writes with plain system calls (Pages stays free of Foundation).
enum FileBytes {
    static func read(_ path: String, limit: Int) throws(PageError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw PageError(.unreadable, path: path, detail: "cannot open (errno \(errno))") }
        defer { close(descriptor) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw PageError(.unreadable, path: path, detail: "read failed (errno \(errno))")
            }
            if count == 0 { return out }
            out += chunk[0..<count]
            guard out.count <= limit else { throw PageError(.fileTooLarge, path: path, limit: limit, actual: out.count, detail: "larger than \(limit) bytes") }
        }
    }

    static func write(_ bytes: [UInt8], to path: String) throws(PageError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw PageError(.writeFailed, path: path, detail: "cannot create (errno \(errno))") }
        defer { close(descriptor) }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if count < 0 {
                if errno == EINTR { continue }
                throw PageError(.writeFailed, path: path, detail: "write failed (errno \(errno))")
            }
            written += count
        }
    }
}
