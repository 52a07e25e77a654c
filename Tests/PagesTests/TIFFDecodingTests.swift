import Pages
import Testing
import TestSupport

/// A short fax-width strip of text: enough to exercise every codec path while staying fast.
private func stripPage(_ text: String, geometry: PageGeometry = PageGeometry(width: 1728, height: 160, dpiX: 204, dpiY: 196),
                       bilevel: Bool = true) throws -> PageImage {
    try PageRenderer.render([FixtureLine(text, x: 20, y: 30, size: 14), FixtureLine("MRN: 40021877", x: 20, y: 50, size: 10)],
                            geometry: geometry, bilevel: bilevel)
}

@Suite struct TIFFDecodingTests {
    static let bilevelCases: [TIFFFixtureOptions] = {
        var cases: [TIFFFixtureOptions] = []
        for compression in TIFFFixtureOptions.Compression.allCases {
            for format in [TIFFFixtureOptions.PixelFormat.bilevelMinIsWhite, .bilevelMinIsBlack] {
                for fillOrder in [TIFFFixtureOptions.FillOrder.msbToLsb, .lsbToMsb] {
                    cases.append(TIFFFixtureOptions(compression: compression, pixelFormat: format, fillOrder: fillOrder))
                }
            }
        }
        cases.append(TIFFFixtureOptions(compression: .g4, rowsPerStrip: 16))
        cases.append(TIFFFixtureOptions(compression: .g3TwoD, rowsPerStrip: 7))
        return cases
    }()

    @Test(arguments: bilevelCases)
    func bilevelPagesDecodeToTheExactPixelsWritten(options: TIFFFixtureOptions) throws {
        let pages = [try stripPage("Patient Name: QUILLBY, MARGARET"), try stripPage("Page two of the fax")]
        try withTemporaryDirectory { dir in
            let path = "\(dir)/fax.tif"
            try TIFFFixtureWriter.write(pages, to: path, options: options)
            let file = try SourceFile.open(path: path, limits: .default)
            #expect(file.format == .tiff)
            #expect(file.pageCount == 2)
            for (index, expected) in pages.enumerated() {
                guard case .raster(let image) = try file.decodePage(index + 1) else {
                    Issue.record("page \(index + 1) is not a raster")
                    continue
                }
                let mismatch = pixelMismatch(image, expected.thresholded())
                #expect(mismatch == nil, "page \(index + 1) of \(options)")
            }
        }
    }

    static let colourCases: [TIFFFixtureOptions] = {
        var cases: [TIFFFixtureOptions] = []
        for compression in [TIFFFixtureOptions.Compression.none, .packBits, .lzw, .deflate] {
            for format in [TIFFFixtureOptions.PixelFormat.grey, .rgb, .palette] {
                cases.append(TIFFFixtureOptions(compression: compression, pixelFormat: format))
            }
        }
        return cases
    }()

    @Test(arguments: colourCases)
    func greyRGBAndPalettePagesDecodeToTheGreyWritten(options: TIFFFixtureOptions) throws {
        let page = try stripPage("Antialiased grey text", bilevel: false)
        #expect(!page.isBilevel)
        try withTemporaryDirectory { dir in
            let path = "\(dir)/scan.tif"
            try TIFFFixtureWriter.write([page], to: path, options: options)
            let file = try SourceFile.open(path: path, limits: .default)
            guard case .raster(let image) = try file.decodePage(1) else {
                Issue.record("not a raster")
                return
            }
            let mismatch = pixelMismatch(image, page)
            #expect(mismatch == nil, "\(options)")
        }
    }

    @Test func resolutionTagsInInchesAndCentimetres() throws {
        let fine = try stripPage("fine")
        let normal = try stripPage("normal", geometry: PageGeometry(width: 1728, height: 80, dpiX: 204, dpiY: 98))
        try withTemporaryDirectory { dir in
            for resolution in [TIFFFixtureOptions.Resolution.inch, .centimeter] {
                let path = "\(dir)/res.tif"
                try TIFFFixtureWriter.write([fine, normal], to: path, options: .init(resolution: resolution))
                let file = try SourceFile.open(path: path, limits: .default)
                guard case .raster(let first) = try file.decodePage(1), case .raster(let second) = try file.decodePage(2)
                else {
                    Issue.record("not rasters")
                    return
                }
                #expect(abs(first.dpiX - 204) < 0.1 && abs(first.dpiY - 196) < 0.1, "\(resolution)")
                #expect(abs(second.dpiX - 204) < 0.1 && abs(second.dpiY - 98) < 0.1, "\(resolution)")
                #expect(second.isVerticallySquashed && !first.isVerticallySquashed)
            }
        }
    }

    @Test func missingResolutionTagsOnAFaxWidthPageMeanFineMode() throws {
        let fax = try stripPage("no tags")
        let scan = try stripPage("no tags", geometry: PageGeometry(width: 1000, height: 100, dpiX: 150, dpiY: 150))
        try withTemporaryDirectory { dir in
            try TIFFFixtureWriter.write([fax, scan], to: "\(dir)/bare.tif", options: .init(resolution: .none))
            let file = try SourceFile.open(path: "\(dir)/bare.tif", limits: .default)
            guard case .raster(let first) = try file.decodePage(1), case .raster(let second) = try file.decodePage(2)
            else {
                Issue.record("not rasters")
                return
            }
            #expect(first.dpiX == 204 && first.dpiY == 196)
            #expect(second.dpiX == 200 && second.dpiY == 200)
        }
    }

    @Test func aFullFaxPageRoundTripsThroughG3AndG4() throws {
        let fine = try FaxFixture.page()
        let normal = try FaxFixture.page(geometry: .faxNormal)
        try withTemporaryDirectory { dir in
            for options in [TIFFFixtureOptions.faxG4, .faxG3] {
                try TIFFFixtureWriter.write([fine, normal], to: "\(dir)/fax.tif", options: options)
                let file = try SourceFile.open(path: "\(dir)/fax.tif", limits: .default)
                guard case .raster(let first) = try file.decodePage(1), case .raster(let second) = try file.decodePage(2)
                else {
                    Issue.record("not rasters")
                    return
                }
                let firstMismatch = pixelMismatch(first, fine, checkResolution: true)
                let secondMismatch = pixelMismatch(second, normal, checkResolution: true)
                #expect(firstMismatch == nil)
                #expect(secondMismatch == nil)
                #expect(second.squaredForOCR().height == 2 * normal.height)
            }
        }
    }
}

extension TIFFFixtureOptions: CustomTestStringConvertible {
    public var testDescription: String { description }
}
