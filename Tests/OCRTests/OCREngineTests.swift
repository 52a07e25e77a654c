import FileroomModel
import Foundation
@testable import OCR
import Pages
import TestSupport
import Testing

@Suite struct OCREngineTests {
    @Test func readsCleanFinePage() throws {
        let recognizer = try PageRecognizer()
        let page = try recognizer.recognize(FaxFixture.page(geometry: TestPages.fine), pageNumber: 1)
        let accuracy = wordAccuracy(expected: TestPages.expectedWords, recognized: page.words.map(\.text))
        #expect(accuracy >= 0.95, "accuracy \(accuracy): \(page.text)")
        #expect(page.source == .ocr)
        #expect(page.rotation == 0)
        #expect(page.confidence > 0.8)
        #expect(recognizer.orientationCount == 0, "an upright clean page must not pay for orientation detection")
        let line = try #require(page.lines.first { $0.text.contains("SURGICAL") })
        #expect(line.text == "SURGICAL PATHOLOGY REPORT")
        let box = try #require(line.box)
        #expect(box.x > 100 && box.x < 200 && box.width > 300, "\(box)")
    }

    @Test func turnsUpsideDownPage() throws {
        let recognizer = try PageRecognizer()
        let page = try recognizer.recognize(FaxFixture.page(geometry: TestPages.fine, quarterTurns: 2), pageNumber: 2)
        #expect(page.rotation == 180)
        let accuracy = wordAccuracy(expected: TestPages.expectedWords, recognized: page.words.map(\.text))
        #expect(accuracy >= 0.9, "accuracy \(accuracy): \(page.text)")
    }

    @Test func deskewsTwoDegrees() throws {
        let recognizer = try PageRecognizer()
        let page = try recognizer.recognize(FaxFixture.page(geometry: TestPages.fine, skewDegrees: 2), pageNumber: 3)
        #expect(abs(abs(page.skew) - 2) < 0.3, "skew \(page.skew)")
        let accuracy = wordAccuracy(expected: TestPages.expectedWords, recognized: page.words.map(\.text))
        #expect(accuracy >= 0.9, "accuracy \(accuracy): \(page.text)")
    }

    @Test func pageTimeLimitEndsRecognition() throws {
        let engine = try OCREngine()
        #expect(throws: OCRError.timedOut(page: 4, milliseconds: 1)) {
            try engine.recognize(FaxFixture.page(geometry: TestPages.fine), pageNumber: 4, timeLimit: .milliseconds(1))
        }
    }

    @Test func missingTessdataIsAClearError() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("no-tessdata-\(UUID())").path
        #expect(throws: OCRError.tessdataMissing(language: "eng", searched: [empty])) {
            try OCREngine(tessdata: Tessdata(path: empty))
        }
        #expect(throws: OCRError.self) { try OCRPool(workers: 1, tessdata: Tessdata(path: empty)) }
        #expect(OCRError.tessdataMissing(language: "eng", searched: [empty]).description.contains("install tesseract-ocr-eng"))
        #expect(throws: OCRError.self) { try Tessdata.locate(languages: ["zz-none"], environment: [:]) }
    }
}
