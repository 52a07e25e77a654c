public import FileroomModel
import Foundation
import Pages

/// How a fax of the set is stored in the spool.
public enum LayoutFormat: String, Sendable, CaseIterable, Hashable {
    case tiffG4 = "tiff-g4", tiffG3 = "tiff-g3", pdfImage = "pdf-image", pdfText = "pdf-text"

    var fileExtension: String { self == .tiffG4 || self == .tiffG3 ? "tif" : "pdf" }
    /// Fine mode (204x196) for G4, normal mode (204x98) for G3, a 200 dpi scan for image PDFs.
    var geometry: PageGeometry {
        switch self {
        case .tiffG3: .faxNormal
        case .pdfImage: .letter200
        default: .faxFine
        }
    }
}

/// Why a document is in the set beyond its layout: the matching hazard it exercises (truth "hazard").
public enum LayoutHazard: String, Sendable, CaseIterable, Hashable {
    case none
    /// The record prints a nickname; the case list has the legal first name.
    case nickname
    /// Another open case has the same surname (different first name and DOB).
    case sameSurname = "same_surname"
    /// Another open case has the same surname and the same DOB: a twin.
    case twin
    /// Another open case has the same full name and another DOB.
    case sameNameOtherDOB = "same_name_other_dob"
    /// The patient's only case is closed.
    case closedCase = "closed_case"
    /// The patient has no case.
    case noCase = "no_case"
    /// The case list writes the surname with a hyphen, the record with a space.
    case hyphenSpace = "hyphen_space"
    /// The case list has the married name, the record the maiden name.
    case maidenName = "maiden_name"
}

/// One document of the truth: pages, type, the safe outcomes and what it prints.
public struct LayoutTruthDocument: Sendable, Hashable {
    public var pages: ClosedRange<Int>
    public var family: LayoutFamily
    public var caseID: String?
    public var safeOutcomes: [String]
    public var fields: PrintedFields
    public var hazard: LayoutHazard
    public var type: DocumentType { family.type }
}

/// One spool file of the set.
public struct LayoutFax: Sendable, Hashable {
    public var file: String
    public var format: LayoutFormat
    public var documents: [LayoutDocument]
    public var truth: [LayoutTruthDocument]
    public var declaredPages: Int?
    /// The fax machine's header line for page N of the raster forms.
    var headerStyle: Int
    var stamp: String
    var senderFax: String
    var senderName: String

    public var pageCount: Int { documents.reduce(0) { $0 + $1.pages.count } }

    func headerLine(page: Int) -> String {
        let two = { (n: Int) in n < 10 ? "0\(n)" : "\(n)" }
        switch headerStyle % 3 {
        case 0: return "\(stamp)  FROM: \(senderName.uppercased())  \(senderFax)  TO: 6085550101  P.\(two(page))/\(two(pageCount))"
        case 1: return "\(senderFax)  \(senderName)  \(stamp)  Page \(page) of \(pageCount)"
        default: return "\(stamp) \(senderFax) -> 6085550101 \(senderName.uppercased()) PG \(page)/\(pageCount)"
        }
    }
}

/// The unseen-layout set: synthetic patients and cases from a seed, faxes drawn in the `LayoutFamily`
/// layouts, written in the shared corpus format (spool/, cases.csv, truth.json) so the corpus scorer and
/// `fileroom evaluate --truth` score it unchanged.
public struct LayoutSet: Sendable {
    public static let centerName = "Lakeshore Cancer Institute"
    public static let centerFax = "6085550101"

    public var seed: UInt64
    public var cases: [LayoutCase]
    public var faxes: [LayoutFax]

    /// `count` faxes; every family appears once the count reaches the number of families.
    public init(seed: UInt64 = 1107, count: Int = 30) {
        self.seed = seed
        var random = LayoutRandom(seed: seed)
        var cases: [LayoutCase] = []
        var faxes: [LayoutFax] = []
        var nextCase = 100 + random.int(0...400)
        func newCaseID() -> String {
            nextCase += random.int(1...9)
            return "L26-\(String(format: "%05d", nextCase))"
        }
        let clinical = LayoutFamily.allCases.filter { !$0.isCover }
        var familyCursor = 0
        let hazards: [LayoutHazard] = [.none, .none, .none, .none, .nickname, .sameSurname, .twin, .sameNameOtherDOB,
                                       .closedCase, .noCase, .hyphenSpace, .maidenName, .none, .nickname]
        var surnameCursor = random.int(0...(LayoutNames.surnames.count - 1))
        for index in 0..<count {
            let hazard = hazards[(index * 5 + Int(seed % 7)) % hazards.count]
            let female = random.chance(0.55)
            let (legalFirst, nickname) = random.pick(female ? LayoutNames.female : LayoutNames.male)
            var last = LayoutNames.surnames[surnameCursor % LayoutNames.surnames.count]
            surnameCursor += 1 + random.int(0...2)
            if hazard == .hyphenSpace { last = random.pick(LayoutNames.surnames.filter { $0.contains("-") }) }
            let dob = random.date(year: 1938...1992)
            let middle = random.pick(LayoutNames.middles)
            let facility = random.pick(LayoutFacility.all)
            let mrn = random.chance(0.5) ? random.digits(7) : "E\(random.digits(7))"
            var printed = LayoutPatient(last: last, first: legalFirst, middle: middle, dob: dob, sex: female ? "F" : "M", mrn: mrn)
            var registered = LayoutCase(
                caseID: newCaseID(), open: true, last: last, first: legalFirst, middle: middle, dob: dob,
                sex: printed.sex, centerMRN: "7\(random.digits(7))", referringProvider: random.provider(),
                referringFacility: facility, site: random.pick(["breast", "lung", "colon", "prostate"]),
                openedOn: CalendarDate(year: 2026, month: 11, day: random.int(1...18))!)
            var caseKnown = true, filingSafe = true
            switch hazard {
            case .none: break
            case .nickname:
                if let nickname { printed.first = nickname }
            case .sameSurname:
                let (other, _) = random.pick(female ? LayoutNames.female : LayoutNames.male)
                cases.append(Self.relative(of: registered, first: other == legalFirst ? "Juniper" : other,
                                           dob: random.date(year: 1938...1992), id: newCaseID(), random: &random))
            case .twin:
                let (other, _) = random.pick(female ? LayoutNames.male : LayoutNames.female)
                var twin = Self.relative(of: registered, first: other, dob: dob, id: newCaseID(), random: &random)
                twin.sex = female ? "M" : "F"
                cases.append(twin)
            case .sameNameOtherDOB:
                cases.append(Self.relative(of: registered, first: legalFirst, dob: random.date(year: 1938...1992),
                                           id: newCaseID(), random: &random))
            case .closedCase:
                registered.open = false
                registered.openedOn = CalendarDate(year: 2025, month: random.int(1...12), day: random.int(1...28))!
                caseKnown = false
            case .noCase:
                caseKnown = false
            case .hyphenSpace:
                printed.last = last.replacingOccurrences(of: "-", with: " ")
            case .maidenName:
                registered.last = random.pick(LayoutNames.surnames.filter { $0 != last })
                filingSafe = false
            }
            if hazard != .noCase { cases.append(registered) }
            let openCase = caseKnown ? registered.caseID : nil

            // Documents: an optional cover sheet, then one or two records in the next layouts.
            let faxDate = CalendarDate(year: 2026, month: 11, day: 19 + index % 7)!
            var families: [LayoutFamily] = []
            let withCover = random.chance(0.55)
            for _ in 0..<(random.chance(0.4) ? 2 : 1) {
                families.append(clinical[familyCursor % clinical.count])
                familyCursor += 1
            }
            var drawn: [LayoutDocument] = []
            var truth: [LayoutTruthDocument] = []
            let text = ClinicalText.forSite(registered.site)
            let forms: [LayoutDateForm] = [.slashes, .slashes, .slashesShort, .dashes, .monthName, .iso, .dayMonthAbbrev]
            func spec(_ family: LayoutFamily, showDOB: Bool, pages: Int = 1) -> DocumentSpec {
                DocumentSpec(
                    family: family, patient: printed, facility: facility, author: random.provider(),
                    other: random.provider(), serviceDate: random.recentDate(), faxDate: faxDate, text: text,
                    centerName: Self.centerName, centerFax: Self.centerFax, showDOB: showDOB,
                    dateForm: random.pick(forms), declaredPages: pages, senderIsPerson: random.chance(0.5),
                    variant: random.int(0...999))
            }
            for family in families {
                let showDOB = family == .referralLetter ? random.chance(0.7) : true
                drawn.append(LayoutDrawing.draw(spec(family, showDOB: showDOB)))
            }
            if withCover {
                let pageTotal = 1 + drawn.reduce(0) { $0 + $1.pages.count }
                let family: LayoutFamily = (index + Int(seed)) % 2 == 0 ? .hylafaxCover : .ehrCover
                drawn.insert(LayoutDrawing.draw(spec(family, showDOB: random.chance(0.8), pages: pageTotal)), at: 0)
            }
            var page = 1
            for document in drawn {
                let range = page...(page + document.pages.count - 1)
                page += document.pages.count
                let printsDOB = document.fields.dob != nil
                let safe: [String]
                if document.family.isCover {
                    let recordsSafe = drawn.filter { !$0.family.isCover }.allSatisfy { $0.fields.dob != nil }
                    safe = openCase != nil && filingSafe && recordsSafe ? ["filed", "review", "unmatched"] : ["review", "unmatched"]
                } else {
                    safe = openCase != nil && filingSafe && printsDOB ? ["filed", "review"] : ["review", "unmatched"]
                }
                truth.append(LayoutTruthDocument(pages: range, family: document.family, caseID: openCase,
                                                 safeOutcomes: safe, fields: document.fields, hazard: hazard))
            }
            let format: LayoutFormat = random.pick([.pdfText, .pdfText, .tiffG4, .tiffG4, .tiffG4, .tiffG3, .pdfImage])
            let stamp = "\(LayoutDateForm.twoDigitYear.format(faxDate)) \(8 + index % 9):\(10 + (index * 7) % 50)"
            faxes.append(LayoutFax(
                file: "fax_2026\(String(format: "%02d%02d", faxDate.month, faxDate.day))_\(String(format: "%02d%02d", 8 + index % 9, 10 + (index * 7) % 50))_\(String(format: "%04d", 101 + index)).\(format.fileExtension)",
                format: format, documents: drawn, truth: truth, declaredPages: withCover ? page - 1 : nil,
                headerStyle: index, stamp: stamp, senderFax: facility.faxDigits,
                senderName: String(facility.name.prefix(20))))
        }
        // Unrelated open cases and an old closed one, as a real case list has.
        for _ in 0..<max(4, count / 2) {
            let female = random.chance(0.5)
            let (first, _) = random.pick(female ? LayoutNames.female : LayoutNames.male)
            cases.append(LayoutCase(
                caseID: newCaseID(), open: random.chance(0.85), last: random.pick(LayoutNames.surnames), first: first,
                middle: random.pick(LayoutNames.middles), dob: random.date(year: 1938...1992), sex: female ? "F" : "M",
                centerMRN: "7\(random.digits(7))", referringProvider: random.provider(),
                referringFacility: random.pick(LayoutFacility.all), site: random.pick(["breast", "lung", "colon", "prostate"]),
                openedOn: CalendarDate(year: 2026, month: random.int(1...11), day: random.int(1...28))!))
        }
        self.cases = cases.sorted { $0.caseID < $1.caseID }
        self.faxes = faxes
    }

    static func relative(of registered: LayoutCase, first: String, dob: CalendarDate, id: String, random: inout LayoutRandom) -> LayoutCase {
        var other = registered
        other.caseID = id
        other.first = first
        other.middle = random.pick(LayoutNames.middles)
        other.dob = dob
        other.centerMRN = "7\(random.digits(7))"
        return other
    }

    /// One document of `family` for a plain patient with an open case, for tests: pages, and what it prints.
    public static func sample(_ family: LayoutFamily, seed: UInt64 = 7) -> LayoutDocument {
        var random = LayoutRandom(seed: seed &+ UInt64(LayoutFamily.allCases.firstIndex(of: family) ?? 0) &* 7919)
        let female = random.chance(0.5)
        let (first, _) = random.pick(female ? LayoutNames.female : LayoutNames.male)
        let patient = LayoutPatient(
            last: random.pick(LayoutNames.surnames), first: first, middle: random.pick(LayoutNames.middles),
            dob: random.date(year: 1940...1990), sex: female ? "F" : "M", mrn: random.digits(7))
        let spec = DocumentSpec(
            family: family, patient: patient, facility: random.pick(LayoutFacility.all), author: random.provider(),
            other: random.provider(), serviceDate: random.recentDate(),
            faxDate: CalendarDate(year: 2026, month: 11, day: 20)!,
            text: ClinicalText.forSite(random.pick(["breast", "lung", "colon", "prostate"])), centerName: centerName,
            centerFax: centerFax, showDOB: true, dateForm: random.pick([.slashes, .slashesShort, .monthName, .dashes]),
            declaredPages: 3, senderIsPerson: random.chance(0.5), variant: random.int(0...999))
        return LayoutDrawing.draw(spec)
    }

    // MARK: Writing

    /// Writes `spool/`, `cases.csv`, `truth.json` and a README into `directory` (created if needed).
    public func write(to directory: String) throws {
        let spool = "\(directory)/spool"
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        var sources: [[String: Any]] = []
        for fax in faxes {
            let path = "\(spool)/\(fax.file)"
            try Self.writeFax(fax, to: path)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            var hash = SHA256()
            hash.update(bytes)
            sources.append([
                "file": fax.file, "format": fax.format.rawValue, "pages": fax.pageCount,
                "declared_pages": fax.declaredPages.map { $0 as Any } ?? NSNull(), "expect": "processed",
                "reject_reason": NSNull(), "duplicate_of": NSNull(), "sha256": hash.finalize().map { String(format: "%02x", $0) }.joined(),
                "bytes": bytes.count, "resolution": Self.resolution(fax.format), "blank_pages": [Int](),
                "rotated_pages": [Int](), "incomplete": false,
                "documents": fax.truth.map { document -> [String: Any] in
                    [
                        "pages": [document.pages.lowerBound, document.pages.upperBound], "type": document.type.rawValue,
                        "queue": document.type.queue.rawValue, "case_id": document.caseID.map { $0 as Any } ?? NSNull(),
                        "safe_outcomes": document.safeOutcomes, "family": document.family.rawValue,
                        "hazard": document.hazard == .none ? NSNull() : document.hazard.rawValue as Any,
                        "fields": document.fields.truth.mapValues { $0.map { $0 as Any } ?? NSNull() },
                    ]
                },
            ])
        }
        let truth: [String: Any] = [
            "variant": "layouts", "seed": seed,
            "center": ["name": Self.centerName, "fax": Self.centerFax], "sources": sources,
        ]
        let json = try JSONSerialization.data(withJSONObject: truth, options: [.prettyPrinted, .sortedKeys])
        try json.write(to: URL(fileURLWithPath: "\(directory)/truth.json"))
        var random = LayoutRandom(seed: seed ^ 0xCA5E)
        let rows = cases.map { $0.csvRow(phone: "(608) 555-01\(random.int(10...99))", street: "\(random.int(10...9999)) \(random.pick(["Maple", "Cedar", "Willow", "Quarry", "Bluff"])) \(random.pick(["Road", "Lane", "Court", "Street"]))") }
        try ([LayoutCase.header] + rows + [""]).joined(separator: "\n")
            .write(toFile: "\(directory)/cases.csv", atomically: true, encoding: .utf8)
        try Self.readme(seed: seed, faxes: faxes.count, cases: cases.count)
            .write(toFile: "\(directory)/README.md", atomically: true, encoding: .utf8)
    }

    static func resolution(_ format: LayoutFormat) -> String {
        switch format {
        case .tiffG4: "204x196"
        case .tiffG3: "204x98"
        case .pdfImage: "200x200"
        case .pdfText: "text"
        }
    }

    /// Renders and writes one fax: text-layer PDFs as printed; raster forms with the fax header line, light
    /// speckle noise and a slight skew on some pages.
    public static func writeFax(_ fax: LayoutFax, to path: String) throws {
        let pages = fax.documents.flatMap(\.pages)
        if fax.format == .pdfText {
            try PDFFixtureWriter.writeTextPDF(pages.map { TextPDFPage(lines: $0) }, to: path)
            return
        }
        var random = LayoutRandom(seed: UInt64(fax.file.unicodeScalars.reduce(0) { $0 &* 31 &+ Int($1.value) }.magnitude))
        let images = try pages.enumerated().map { index, lines -> PageImage in
            let header = FixtureLine(fax.headerLine(page: index + 1), x: 16, y: 12, size: 7.5, font: .mono)
            let skew = random.chance(0.3) ? Double(random.int(-6...6)) / 10 : 0
            return try PageRenderer.render([header] + lines, geometry: fax.format.geometry, skewDegrees: skew)
                .withSpeckles(count: 60, seed: UInt64(index + 1))
        }
        switch fax.format {
        case .tiffG4: try TIFFFixtureWriter.write(images, to: path, options: .faxG4)
        case .tiffG3: try TIFFFixtureWriter.write(images, to: path, options: .faxG3)
        default: try PDFFixtureWriter.writeImagePDF(images, to: path)
        }
    }

    static func readme(seed: UInt64, faxes: Int, cases: Int) -> String {
        """
        # Unseen-layout set (synthetic)

        Written by `swift run pages-tool layouts DIR --seed \(seed) --count \(faxes)` (Sources/TestSupport/Layouts).
        \(faxes) faxes, \(cases) cases. Every name, number and address is invented; phone and fax numbers are in the
        fictional 555-01xx range. The receiving centre is \(centerName), fax (608) 555-0101. The format is the
        shared corpus's: spool/, cases.csv, truth.json (documents carry `family`, the layout, and `hazard`).
        Score it with `scripts/layout-score.sh` or `fileroom evaluate --truth truth.json --results export.json`.

        """
    }
}
