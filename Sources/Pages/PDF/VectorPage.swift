internal import CPoppler

/// A PDF page carried over as vector content: poppler draws the received page onto a cairo PDF surface (fonts
/// embedded, text kept as text), and the one page of that small PDF is taken apart here so the filed PDF can hold
/// it as a form XObject beside its own objects.
public struct VectorPage: Sendable {
    /// The page's size as displayed, points.
    public var width: Double
    public var height: Double
    /// The page's content stream as cairo wrote it, still encoded by `contentFilter`.
    var content: [UInt8]
    var contentFilter: PDFValue?
    /// The page's resources, referring into `objects` by cairo's object numbers.
    var resources: PDFValue
    /// Every object the resources reach, by cairo's object number.
    var objects: [Int: PDFObject]

    /// Limits on what one page may bring along (objects and bytes), so a pathological page is filed as an image.
    static let maximumObjects = 50_000
    static let maximumBytes = 200 * 1024 * 1024

    /// Takes apart the single-page PDF cairo wrote.
    init(cairoPDF bytes: [UInt8]) throws(PDFImportError) {
        let table = try PDFObjectTable(bytes)
        guard let catalog = try table.resolve(table.trailer["Root"])?.dictionaryValue,
              let pages = try table.resolve(catalog["Pages"])?.dictionaryValue,
              let kids = try table.resolve(pages["Kids"])?.arrayValue, kids.count == 1,
              let page = try table.resolve(kids[0])?.dictionaryValue
        else { throw PDFImportError("no single page") }
        guard page["Type"]?.nameValue == "Page" else { throw PDFImportError("the page tree is nested") }
        guard let box = try table.resolve(page["MediaBox"] ?? pages["MediaBox"])?.arrayValue, box.count == 4,
              let x0 = box[0].numberValue, let y0 = box[1].numberValue, let x1 = box[2].numberValue,
              let y1 = box[3].numberValue, x1 - x0 > 0, y1 - y0 > 0, x0 == 0, y0 == 0
        else { throw PDFImportError("no media box at the origin") }
        width = x1
        height = y1
        resources = try table.resolve(page["Resources"] ?? pages["Resources"]) ?? .dictionary(PDFDictionary())

        // One content stream as it is; several (cairo writes one) are inflated and joined.
        var streams: [PDFValue] = []
        switch page["Contents"] {
        case .reference?: streams = [page["Contents"]!]
        case .array(let items)?: streams = items
        case nil: streams = []
        default: throw PDFImportError("page contents are not a stream")
        }
        if streams.count == 1, let number = streams[0].referenceValue,
           case .stream(let dictionary, let data) = try table.object(number), dictionary["DecodeParms"] == nil {
            content = data
            contentFilter = dictionary["Filter"]
        } else {
            var joined: [UInt8] = []
            for stream in streams {
                guard let number = stream.referenceValue, case .stream(let dictionary, let data) = try table.object(number)
                else { throw PDFImportError("page contents are not streams") }
                switch dictionary["Filter"] {
                case nil: joined += data
                case .name("FlateDecode")?:
                    guard let inflated = Deflate.decompress(data, limit: Self.maximumBytes) else {
                        throw PDFImportError("a content stream does not inflate")
                    }
                    joined += inflated
                default: throw PDFImportError("a content stream with an unsupported filter")
                }
                joined.append(0x0A)
            }
            content = joined
            contentFilter = nil
        }

        // Everything the resources reach, each object once.
        var objects: [Int: PDFObject] = [:]
        var pending: [Int] = []
        resources.forEachReference { pending.append($0) }
        var total = content.count
        while let number = pending.popLast() {
            if objects[number] != nil { continue }
            let object = try table.object(number)
            objects[number] = object
            switch object {
            case .value(let value):
                value.forEachReference { pending.append($0) }
            case .stream(let dictionary, let data):
                PDFValue.dictionary(dictionary).forEachReference { pending.append($0) }
                total += data.count
            }
            guard objects.count <= Self.maximumObjects, total <= Self.maximumBytes else {
                throw PDFImportError("the page needs more than \(Self.maximumObjects) objects or \(Self.maximumBytes) bytes")
            }
        }
        self.objects = objects
    }
}

extension VectorPage {
    /// Writes the page's objects into `writer` and returns the form XObject's object number. Stream lengths are
    /// rewritten, references renumbered, and images made to follow PDF/A (no `/Interpolate true`).
    func write(into writer: inout PDFObjectWriter) -> Int {
        var numbers: [Int: Int] = [:]
        for number in objects.keys.sorted() { numbers[number] = writer.reserve() }
        for number in objects.keys.sorted() {
            guard let target = numbers[number], let object = objects[number] else { continue }
            switch object {
            case .value(let value):
                writer.write(target, value.renumbered(numbers))
            case .stream(var dictionary, let data):
                dictionary["Length"] = nil
                if dictionary["Subtype"]?.nameValue == "Image", dictionary["Interpolate"] != nil {
                    dictionary["Interpolate"] = .bool(false)
                }
                guard case .dictionary(let renumbered) = PDFValue.dictionary(dictionary).renumbered(numbers) else { continue }
                writer.writeStream(target, renumbered, data: data)
            }
        }
        let form = writer.reserve()
        var dictionary = PDFDictionary([
            ("Type", .name("XObject")), ("Subtype", .name("Form")),
            ("BBox", .array([.int(0), .int(0), .real(width), .real(height)])),
            ("Resources", resources.renumbered(numbers)),
        ])
        if let contentFilter { dictionary["Filter"] = contentFilter }
        if contentFilter == nil {
            writer.writeStream(form, dictionary, plain: content)
        } else {
            writer.writeStream(form, dictionary, data: content)
        }
        return form
    }
}

extension PDFPage {
    /// The page drawn by poppler onto a cairo PDF surface of its displayed size, as the bytes of a one-page PDF,
    /// or nil when cairo reports an error. `forPrinting` draws what a printout shows (form field values, no
    /// on-screen-only annotations).
    func renderedAsPDF() -> [UInt8]? {
        let (width, height) = size
        guard width > 0, height > 0 else { return nil }
        let sink = ByteSink()
        let closure = Unmanaged.passUnretained(sink).toOpaque()
        // `sink` stays alive until the surface is destroyed below: the write callback never outlives it.
        guard let surface = cairo_pdf_surface_create_for_stream({ closure, data, length in
            guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
            Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue().bytes
                += UnsafeBufferPointer(start: data, count: Int(length))
            return CAIRO_STATUS_SUCCESS
        }, closure, width, height) else { return nil }
        defer { cairo_surface_destroy(surface) }
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else { return nil }
        cairo_pdf_surface_restrict_to_version(surface, CAIRO_PDF_VERSION_1_5)
        guard let context = cairo_create(surface) else { return nil }
        poppler_page_render_for_printing(handle, context)
        let drawn = cairo_status(context)
        cairo_destroy(context)
        cairo_surface_finish(surface)
        guard drawn == CAIRO_STATUS_SUCCESS, cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else { return nil }
        return withExtendedLifetime(sink) { sink.bytes }
    }
}

/// Collects what cairo writes.
private final class ByteSink {
    var bytes: [UInt8] = []
}
