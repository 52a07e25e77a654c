import FileroomModel
import Foundation
@testable import OCR
import Pages
import Synchronization
import TestSupport
import Testing

/// Files through the whole page stage: decode, square, blank detection, OCR or text layer.
@Suite struct PageReaderTests {
    static let pool: OCRPool? = try? OCRPool(workers: 2)

    private func reader() throws -> (PageReader, OCRPool) {
        let pool = try #require(Self.pool)
        return (PageReader(pool: pool), pool)
    }

    @Test(arguments: [
        TIFFFixtureOptions(compression: .g3OneD),
        TIFFFixtureOptions(compression: .g3TwoD, fillOrder: .lsbToMsb),
        TIFFFixtureOptions(compression: .g4, pixelFormat: .bilevelMinIsBlack),
        TIFFFixtureOptions(compression: .packBits, resolution: .centimeter),
        TIFFFixtureOptions(compression: .lzw, pixelFormat: .grey),
        TIFFFixtureOptions(compression: .deflate, pixelFormat: .palette),
        TIFFFixtureOptions(compression: .none, pixelFormat: .rgb),
    ])
    func readsEachTIFFEncoding(options: TIFFFixtureOptions) async throws {
        let (reader, _) = try reader()
        try await withTemporaryDirectory { folder in
            let path = "\(folder)/fax.tif"
            try TIFFFixtureWriter.write([FaxFixture.page(geometry: TestPages.fine)], to: path, options: options)
            let result = try await reader.read(path: path)
            let page = try #require(result.pages.first)
            #expect(page.source == .ocr)
            let accuracy = wordAccuracy(expected: TestPages.expectedWords, recognized: page.words.map(\.text))
            #expect(accuracy >= 0.95, "\(options): accuracy \(accuracy)")
        }
    }

    @Test func squaresNormalModeAndSkipsBlankPages() async throws {
        // A pool of its own so the count cannot include other tests' pages.
        let pool = try OCRPool(workers: 1)
        let reader = PageReader(pool: pool)
        try await withTemporaryDirectory { folder in
            let path = "\(folder)/normal.tif"
            try TIFFFixtureWriter.write(
                [FaxFixture.page(geometry: TestPages.normal), FaxFixture.blankPage(geometry: TestPages.normal, speckles: 40)],
                to: path, options: .faxG3
            )
            let result = try await reader.read(path: path)
            #expect(result.pageCount == 2)
            let (first, second) = (result.pages[0], result.pages[1])
            #expect(first.height == TestPages.normal.height * 2 && first.dpiY == 196, "rows doubled before OCR")
            let accuracy = wordAccuracy(expected: TestPages.expectedWords, recognized: first.words.map(\.text))
            #expect(accuracy >= 0.9, "accuracy \(accuracy)")
            #expect(second.source == .blank && second.lines.isEmpty)
            #expect(pool.recognitionPasses == 1, "the blank page never reached tesseract")
        }
    }

    @Test func textLayerPDFNeedsNoOCR() async throws {
        // A pool of its own so the count cannot include other tests' pages.
        let pool = try OCRPool(workers: 1)
        let reader = PageReader(pool: pool)
        try await withTemporaryDirectory { folder in
            let path = "\(folder)/ehr.pdf"
            try PDFFixtureWriter.writeTextPDF([TextPDFPage(lines: FixtureLine.column(FaxFixture.reportLines))], to: path)
            let result = try await reader.read(path: path)
            let page = try #require(result.pages.first)
            #expect(page.source == .textLayer && page.confidence == 1)
            #expect(wordAccuracy(expected: TestPages.expectedWords, recognized: page.words.map(\.text)) >= 0.99)
            #expect(pool.recognitionPasses == 0)
        }
    }

    @Test func imageOnlyPDFIsOCRd() async throws {
        let (reader, _) = try reader()
        try await withTemporaryDirectory { folder in
            let path = "\(folder)/scan.pdf"
            try PDFFixtureWriter.writeImagePDF([FaxFixture.page(geometry: TestPages.letter)], to: path)
            let page = try #require(try await reader.read(path: path).pages.first)
            #expect(page.source == .ocr)
            let accuracy = wordAccuracy(expected: TestPages.expectedWords, recognized: page.words.map(\.text))
            #expect(accuracy >= 0.95, "accuracy \(accuracy)")
        }
    }

    @Test func skipsDonePagesAndReportsInOrder() async throws {
        let (reader, _) = try reader()
        try await withTemporaryDirectory { folder in
            let path = "\(folder)/three.tif"
            let blank = try FaxFixture.blankPage(geometry: TestPages.normal)
            try TIFFFixtureWriter.write([blank, blank, blank, blank], to: path, options: .faxG4)
            let seen = Mutex<[Int]>([])
            let result = try await reader.read(path: path, skip: [2]) { page in seen.withLock { $0.append(page.number) } }
            #expect(result.pageCount == 4)
            #expect(result.pages.map(\.number) == [1, 3, 4])
            #expect(seen.withLock { $0 } == [1, 3, 4])
            #expect(result.pages.allSatisfy { $0.timings.decodeMilliseconds > 0 })
        }
    }

    @Test func gracefulStopDeliversNothingNew() async throws {
        let (reader, _) = try reader()
        try await withTemporaryDirectory { folder in
            let path = "\(folder)/stop.tif"
            try TIFFFixtureWriter.write([FaxFixture.blankPage(geometry: TestPages.normal)], to: path, options: .faxG4)
            await #expect(throws: PageReadError.self) { try await reader.read(path: path, shouldStop: { true }) { _ in } }
        }
    }

    @Test func badFileIsRejectedWithItsReason() async throws {
        let (reader, _) = try reader()
        try await withTemporaryDirectory { folder in
            let path = "\(folder)/fake.tif"
            try BadFileFixtures.writeTextFile(to: path)
            do {
                _ = try await reader.read(path: path)
                Issue.record("a text file named .tif was read")
            } catch let error as PageReadError {
                guard case let .rejected(pageError) = error else { Issue.record("unexpected \(error)"); return }
                #expect(pageError.reason == .notATIFF || pageError.reason == .unsupportedType)
            }
        }
    }

    /// Issue 12: a page time limit ended reading with decoded pages still queued, whose look-ahead slots were
    /// never given back, and freeing the decoder trapped (SIGILL) in libdispatch. This test process died.
    @Test func pageTimeLimitEndsReadingWithoutCrashingOnTeardown() async throws {
        let pool = try OCRPool(workers: 1)
        let reader = PageReader(pool: pool, options: .init(pageTimeLimit: .milliseconds(1), lookAhead: 4))
        try await withTemporaryDirectory { folder in
            let path = "\(folder)/slow.tif"
            try TIFFFixtureWriter.write(
                Array(repeating: FaxFixture.page(geometry: TestPages.fine), count: 5), to: path, options: .faxG4
            )
            for _ in 0..<3 {
                do {
                    _ = try await reader.read(path: path)
                    Issue.record("a 1 ms page time limit let a page through")
                } catch let error as PageReadError {
                    guard case let .ocr(ocrError) = error, case .timedOut = ocrError else {
                        Issue.record("unexpected \(error)")
                        return
                    }
                }
            }
            // The decoder is freed once its thread and the page tasks let go of it: give them the time.
            try await Task.sleep(for: .milliseconds(500))
        }
    }
}
