import Pages
import Testing
import TestSupport

@Suite struct BadInputTests {
    enum Bad: String, CaseIterable, CustomTestStringConvertible {
        case empty, truncatedTIFF, truncatedPDF, textNamedTIFF, randomNamedPDF, hugeTIFF, hugeImagePDF, encryptedPDF, tooManyPDFPages,
             tooManyTIFFPages, docx, unknownExtension, tooLargeFile

        var testDescription: String { rawValue }

        var expected: PageRejectReason {
            switch self {
            case .empty: .emptyFile
            case .truncatedTIFF, .truncatedPDF: .truncatedOrCorrupt
            case .textNamedTIFF: .notATIFF
            case .randomNamedPDF: .notAPDF
            case .hugeTIFF, .hugeImagePDF: .imageTooLarge
            case .encryptedPDF: .encrypted
            case .tooManyPDFPages, .tooManyTIFFPages: .tooManyPages
            case .docx, .unknownExtension: .unsupportedType
            case .tooLargeFile: .fileTooLarge
            }
        }

        /// Writes the bad file into `dir` and returns its path.
        func write(in dir: String) throws -> String {
            switch self {
            case .empty:
                try BadFileFixtures.writeEmpty(to: "\(dir)/empty.tif")
                return "\(dir)/empty.tif"
            case .truncatedTIFF:
                let pages = [try FaxFixture.page(), try FaxFixture.page(FaxFixture.reportLines.reversed())]
                try TIFFFixtureWriter.write(pages, to: "\(dir)/whole.tif")
                try BadFileFixtures.writeTruncated(copyOf: "\(dir)/whole.tif", fraction: 0.7, to: "\(dir)/cut.tif")
                return "\(dir)/cut.tif"
            case .truncatedPDF:
                let pages = [try FaxFixture.page(), try FaxFixture.page(FaxFixture.reportLines.reversed())]
                try PDFFixtureWriter.writeImagePDF(pages, to: "\(dir)/whole.pdf")
                try BadFileFixtures.writeTruncated(copyOf: "\(dir)/whole.pdf", fraction: 0.8, to: "\(dir)/cut.pdf")
                return "\(dir)/cut.pdf"
            case .textNamedTIFF:
                try BadFileFixtures.writeTextFile(to: "\(dir)/log.tif")
                return "\(dir)/log.tif"
            case .randomNamedPDF:
                try BadFileFixtures.writeRandomBytes(to: "\(dir)/noise.pdf")
                return "\(dir)/noise.pdf"
            case .hugeTIFF:
                try BadFileFixtures.writeHugeTIFFHeader(to: "\(dir)/huge.tif")
                return "\(dir)/huge.tif"
            case .hugeImagePDF:
                try BadFileFixtures.writeHugeImagePDF(to: "\(dir)/bomb.pdf")
                return "\(dir)/bomb.pdf"
            case .encryptedPDF:
                try BadFileFixtures.writeEncryptedPDF(to: "\(dir)/locked.pdf")
                return "\(dir)/locked.pdf"
            case .tooManyPDFPages:
                try PDFFixtureWriter.writeEmptyPDF(pageCount: 4, to: "\(dir)/many.pdf")
                return "\(dir)/many.pdf"
            case .tooManyTIFFPages:
                let page = PageImage(width: 1728, height: 20, dpiX: 204, dpiY: 196)
                try TIFFFixtureWriter.write([page, page, page, page], to: "\(dir)/many.tif")
                return "\(dir)/many.tif"
            case .docx:
                try BadFileFixtures.writeZip(to: "\(dir)/letter.docx")
                return "\(dir)/letter.docx"
            case .unknownExtension:
                try BadFileFixtures.writeTextFile(to: "\(dir)/notes.txt")
                return "\(dir)/notes.txt"
            case .tooLargeFile:
                try BadFileFixtures.writeRandomBytes(count: 5000, to: "\(dir)/big.tif")
                return "\(dir)/big.tif"
            }
        }
    }

    static let limits = PageLimits(maxFileBytes: 4096, maxPagesPerFile: 3)

    @Test(arguments: Bad.allCases)
    func eachBadInputIsRejectedWithItsOwnReasonAndTheNextFileStillDecodes(bad: Bad) throws {
        try withTemporaryDirectory { dir in
            let path = try bad.write(in: dir)
            var limits = Self.limits
            if bad != .tooLargeFile { limits.maxFileBytes = PageLimits.default.maxFileBytes }
            do {
                let file = try SourceFile.open(path: path, limits: limits)
                for number in 1...file.pageCount { _ = try file.decodePage(number) }
                Issue.record("\(bad) was accepted")
            } catch let error as PageError {
                #expect(error.reason == bad.expected, "\(error.description)")
                #expect(error.description.hasPrefix(error.fileName))
                #expect(!error.description.contains("\n"))
            }
            let good = try FaxFixture.page()
            try TIFFFixtureWriter.write([good], to: "\(dir)/good.tif")
            let file = try SourceFile.open(path: "\(dir)/good.tif", limits: .default)
            guard case .raster(let image) = try file.decodePage(1) else {
                Issue.record("good file is not a raster")
                return
            }
            let mismatch = pixelMismatch(image, good, checkResolution: true)
            #expect(mismatch == nil)
        }
    }

    @Test func theMessageNamesTheFilePageLimitAndWhatToRaise() throws {
        try withTemporaryDirectory { dir in
            try BadFileFixtures.writeHugeTIFFHeader(to: "\(dir)/fax.tif")
            #expect {
                _ = try SourceFile.open(path: "\(dir)/fax.tif", limits: .default)
            } throws: { error in
                guard let error = error as? PageError else { return false }
                return error.description
                    == "fax.tif page 1: image_too_large: 200000x200000 pixels exceeds the 20000-pixel side limit (raise pages.max_side)"
                    && error.limit == 20000 && error.actual == 200_000 && error.page == 1
            }
        }
    }

    @Test func aPageNumberOutsideTheFileIsATypedError() throws {
        try withTemporaryDirectory { dir in
            try TIFFFixtureWriter.write([try FaxFixture.blankPage()], to: "\(dir)/one.tif")
            let file = try SourceFile.open(path: "\(dir)/one.tif", limits: .default)
            #expect(throws: PageError.self) { try file.decodePage(2) }
            #expect(throws: PageError.self) { try file.decodePage(0) }
        }
    }

    @Test func aMissingFileIsUnreadable() {
        #expect {
            _ = try SourceFile.open(path: "/nonexistent/fax.tif", limits: .default)
        } throws: { ($0 as? PageError)?.reason == .unreadable }
    }
}
