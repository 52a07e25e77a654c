import Pages

/// Page rasters for a filed PDF, turned as OCR turned them. A text-layer PDF page is rendered; a page too large
/// to render at the filing resolution within the page limits (a 14400-point banner page) is rendered at the
/// highest resolution that fits, so a fax that was read can always be filed.
enum FilingImages {
    /// The filing resolution of rendered PDF pages.
    static let dpi = 150.0
    /// Below this a page is unreadable on screen: the page is rejected with the limit instead.
    static let minimumDPI = 36.0

    static func render(path: String, pages: ClosedRange<Int>, rotations: [Int: Int], limits: PageLimits) throws
        -> [PageImage]
    {
        let file = try SourceFile.open(path: path, limits: limits)
        return try pages.map { number in
            try raster(file, page: number, limits: limits).rotated(quarterTurns: (rotations[number] ?? 0) / 90)
        }
    }

    /// Page `number` at `dpi`, or lower when the page's pixels at `dpi` would break a side or area limit.
    static func raster(_ file: SourceFile, page number: Int, limits: PageLimits) throws(PageError) -> PageImage {
        var dpi = Self.dpi
        while true {
            do {
                return try file.rasterPage(number, dpi: dpi)
            } catch let error where error.reason == .imageTooLarge {
                guard let limit = error.limit, let actual = error.actual, actual > limit, limit > 0 else { throw error }
                // A side limit scales with the resolution, an area limit with its square.
                let ratio = Double(limit) / Double(actual)
                let scale = limit == limits.maxPixelsPerSide ? ratio : ratio.squareRoot()
                let lower = (dpi * scale * 0.98).rounded(.down)
                guard lower >= minimumDPI, lower < dpi else { throw error }
                dpi = lower
            }
        }
    }
}
