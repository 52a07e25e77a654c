import FileroomModel
import Foundation
import Pages
import Review
import Store

/// Where a field's value stands on its page: the words it was read from.
public struct FieldSighting: Sendable, Hashable {
    public var label: String
    public var page: Int
    /// (line, word) positions in the page's `lines`.
    public var words: [WordPosition]
    public var box: BoundingBox

    public struct WordPosition: Sendable, Hashable {
        public var line: Int
        public var word: Int
    }
}

/// The page beside the decision: the OCR text of an item's pages with the words each field was read from marked,
/// and the crop of the page image where each field stands. For the staff member's terminal, never a log.
public enum PageEvidence {
    /// How marked words look: brackets when not a terminal (and in tests), reverse video on one.
    public enum Marking: Sendable {
        case brackets, reverseVideo
    }

    /// Each field found among the words of its page (values are normalised, so dates and numbers are matched by
    /// their digits and names by their letters). Fields not found in the words are left out.
    public static func sightings(_ fields: DocumentFields, pages: [PageText]) -> [FieldSighting] {
        var result: [FieldSighting] = []
        for row in ReviewPresentation.fields(fields) {
            guard let page = pageNumber(of: row.label, in: fields),
                let text = pages.first(where: { $0.number == page }),
                let words = find(row.value, dated: row.label == "DOB" || row.label == "Service date", in: text)
            else { continue }
            var box = text.lines[words[0].line].words[words[0].word].box
            for position in words.dropFirst() { box = box.union(text.lines[position.line].words[position.word].box) }
            result.append(FieldSighting(label: row.label, page: page, words: words, box: box))
        }
        return result
    }

    /// The page text with marked fields, wrapped to `width` columns; a heading per page.
    public static func markedText(
        pages: [PageText], sightings: [FieldSighting], marking: Marking, width: Int = 80
    ) -> [String] {
        var lines: [String] = []
        for page in pages {
            lines.append("Page \(page.number) as read" + (page.source == .ocr ? " (OCR)" : ""))
            let marked = Set(sightings.filter { $0.page == page.number }.flatMap(\.words))
            for (lineIndex, line) in page.lines.enumerated() where !line.words.isEmpty {
                let words = line.words.enumerated().map { wordIndex, word in
                    marked.contains(.init(line: lineIndex, word: wordIndex))
                        ? (marking == .brackets ? "[\(word.text)]" : "\u{1B}[7m\(word.text)\u{1B}[0m") : word.text
                }
                lines += ReviewPresentation.wrap(words.joined(separator: " "), indent: "  ", width: width)
            }
        }
        return lines
    }

    /// For each sighting, a label line and the crop of the archived page image around its words, drawn with chafa.
    /// Empty when the original cannot be read (moved, or a page stage limit): the text above still stands.
    public static func crops(
        _ details: ReviewItemDetails, sightings: [FieldSighting], limits: PageLimits, style: PictureStyle,
        columns: Int = 76, rows: Int = 6
    ) -> [String] {
        guard let path = details.source?.archivePath, !sightings.isEmpty,
            let file = try? SourceFile.open(path: path, limits: limits)
        else { return [] }
        var lines: [String] = []
        var rasters: [Int: PageImage] = [:]
        // The fields that decide whose document it is; the rest are in the marked text.
        let identity: Set<String> = ["Last name", "First name", "DOB", "MRN"]
        for sighting in sightings where identity.contains(sighting.label) {
            guard let text = details.pages.first(where: { $0.number == sighting.page }) else { continue }
            if rasters[sighting.page] == nil {
                let dpi = max(200, text.dpiX)  // Enough pixels for chafa to shape letters from.
                guard let raster = try? file.rasterPage(sighting.page, dpi: dpi) else { continue }
                rasters[sighting.page] = raster.rotated(quarterTurns: text.rotation / 90)
            }
            guard let raster = rasters[sighting.page], let crop = crop(raster, around: sighting.box, in: text) else {
                continue
            }
            lines.append("\(sighting.label) (page \(sighting.page)):")
            lines += TerminalPicture.lines(crop, columns: columns, rows: rows, style: style).map { "  " + $0 }
        }
        return lines
    }

    /// The part of `raster` around `box` (in the read page's pixels), with a margin of a third of a word height.
    static func crop(_ raster: PageImage, around box: BoundingBox, in text: PageText) -> PageImage? {
        guard text.width > 0, text.height > 0 else { return nil }
        let sx = Double(raster.width) / Double(text.width), sy = Double(raster.height) / Double(text.height)
        let margin = Double(box.height) * 0.3
        let x0 = max(0, Int((Double(box.x) - margin * 2) * sx)), y0 = max(0, Int((Double(box.y) - margin) * sy))
        let x1 = min(raster.width, Int((Double(box.maxX) + margin * 2) * sx))
        let y1 = min(raster.height, Int((Double(box.maxY) + margin) * sy))
        guard x1 > x0, y1 > y0 else { return nil }
        var pixels = [UInt8](repeating: 255, count: (x1 - x0) * (y1 - y0))
        for y in y0..<y1 {
            let from = y * raster.width + x0
            pixels.replaceSubrange(((y - y0) * (x1 - x0))..<((y - y0 + 1) * (x1 - x0)), with: raster.pixels[from..<(from + x1 - x0)])
        }
        return PageImage(width: x1 - x0, height: y1 - y0, dpiX: raster.dpiX, dpiY: raster.dpiY, pixels: pixels)
    }

    static func pageNumber(of label: String, in fields: DocumentFields) -> Int? {
        switch label {
        case "Last name": fields.patientLast?.page
        case "First name": fields.patientFirst?.page
        case "Middle name": fields.patientMiddle?.page
        case "DOB": fields.dateOfBirth?.page
        case "Sex": fields.sex?.page
        case "MRN": fields.mrn?.page
        case "Provider": fields.providerName?.page
        case "Facility": fields.facility?.page
        case "Provider phone": fields.providerPhone?.page
        case "Provider fax": fields.providerFax?.page
        case "NPI": fields.npi?.page
        case "Service date": fields.serviceDate?.page
        default:
            fields.details.first { $0.key.replacingOccurrences(of: "_", with: " ").capitalizedFirst == label }?.value.page
        }
    }

    /// The words of `text` that print `value`: consecutive words whose letters and digits spell it (a date: its
    /// digits in month/day/year or year/month/day order, two-digit years too).
    static func find(_ value: String, dated: Bool, in text: PageText) -> [FieldSighting.WordPosition]? {
        let targets: [String]
        if dated, let date = CalendarDate(iso: value) {
            let m = String(format: "%02d", date.month), d = String(format: "%02d", date.day)
            let yyyy = String(format: "%04d", date.year), yy = String(yyyy.suffix(2))
            targets = [m + d + yyyy, m + d + yy, yyyy + m + d, d + m + yyyy]
        } else {
            targets = [Self.key(value)]
        }
        guard let shortest = targets.map(\.count).min(), shortest > 0 else { return nil }
        for (lineIndex, line) in text.lines.enumerated() {
            let keys = line.words.map { dated ? Self.paddedDigits($0.text) : Self.key($0.text) }
            for start in keys.indices where !keys[start].isEmpty {
                var joined = ""
                for end in start..<min(keys.count, start + 6) {
                    joined += keys[end]
                    if targets.contains(joined) {
                        return (start...end).map { FieldSighting.WordPosition(line: lineIndex, word: $0) }
                    }
                    if !targets.contains(where: { $0.hasPrefix(joined) }) { break }
                }
            }
        }
        return nil
    }

    /// Letters and digits, lowercased: "WHITCOMBE," and "Whitcombe" agree.
    static func key(_ text: String) -> String {
        String(text.lowercased().filter { $0.isLetter || $0.isNumber })
    }

    /// A printed date's digit groups with one-digit month and day padded: "3/4/1961" -> "03041961".
    static func paddedDigits(_ text: String) -> String {
        let groups = text.split(whereSeparator: { !$0.isNumber }).map(String.init)
        guard groups.count == 3 else { return "" }
        return groups.map { $0.count == 1 ? "0" + $0 : $0 }.joined()
    }
}
