public import Pages

/// Ready-made fax pages with known text, for tests that need "a page like the ones we receive".
public enum FaxFixture {
    /// A fax-machine header line, as printed across the top of every received page.
    public static func headerLine(page: Int, of total: Int, facility: String = "NORTHFIELD PATHOLOGY") -> String {
        let two = { (n: Int) in n < 10 ? "0\(n)" : "\(n)" }
        return "11/20/26 09:14 6085550142 -> 6085550101 \(facility) PAGE \(two(page)) OF \(two(total))"
    }

    /// Lines of a short pathology report with distinct, dictionary and non-dictionary words.
    public static let reportLines: [String] = [
        "NORTHFIELD REGIONAL PATHOLOGY",
        "1200 Harbor Avenue, Madison, WI 53703   Phone (608) 555-0142   Fax (608) 555-0143",
        "",
        "SURGICAL PATHOLOGY REPORT",
        "",
        "Patient Name: QUILLBY, MARGARET A          DOB: 03/04/1961",
        "MRN: 40021877          Accession: NP26-11873",
        "Collected: 11/03/2026          Received: 11/04/2026",
        "Referring Physician: Daniel Okafor, MD",
        "",
        "FINAL DIAGNOSIS:",
        "Left breast, core needle biopsy at 2 o'clock:",
        "Invasive ductal carcinoma, grade 2 of 3.",
        "Tumor measures 1.4 cm in greatest dimension.",
        "Ductal carcinoma in situ, cribriform type, is present.",
        "",
        "Electronically signed by Helen Vasquez, MD on 11/05/2026",
    ]

    /// The words of `reportLines`, for accuracy checks.
    public static var reportWords: [String] { reportLines.flatMap { $0.split(separator: " ").map(String.init) } }

    /// A page with the fax header at the top and `lines` below it, at `geometry`, optionally skewed,
    /// turned by quarter turns (clockwise) and speckled.
    public static func page(
        _ lines: [String] = reportLines, header: String? = headerLine(page: 1, of: 1),
        geometry: PageGeometry = .faxFine, quarterTurns: Int = 0, skewDegrees: Double = 0, speckles: Int = 0
    ) throws -> PageImage {
        var placed = FixtureLine.column(lines, top: 90, size: 12)
        if let header { placed.insert(FixtureLine(header, x: 20, y: 16, size: 8), at: 0) }
        var image = try PageRenderer.render(placed, geometry: geometry, skewDegrees: skewDegrees)
        if speckles > 0 { image = image.withSpeckles(count: speckles) }
        return image.rotated(quarterTurns: quarterTurns)
    }

    /// A white page with only the fax header line (and optional speckle noise): effectively blank.
    public static func blankPage(
        header: String? = headerLine(page: 2, of: 2), geometry: PageGeometry = .faxFine, speckles: Int = 0
    ) throws -> PageImage {
        try page([], header: header, geometry: geometry, speckles: speckles)
    }
}
