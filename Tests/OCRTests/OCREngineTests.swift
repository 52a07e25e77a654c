import FileroomModel
import Foundation
@testable import OCR
import Pages
import Testing

@Suite struct OCREngineTests {
    @Test func readsCleanFinePage() throws {
        let recognizer = try PageRecognizer()
        let page = try recognizer.recognize(RenderedPage.render(), pageNumber: 1)
        let accuracy = wordAccuracy(expected: RenderedPage.sample, recognized: page.words.map(\.text))
        #expect(accuracy >= 0.95, "accuracy \(accuracy): \(page.text)")
        #expect(page.source == .ocr)
        #expect(page.rotation == 0)
        #expect(page.lines.count == RenderedPage.sample.count)
        #expect(page.confidence > 0.8)
        #expect(recognizer.orientationCount == 0, "an upright clean page must not pay for orientation detection")
        let first = try #require(page.words.first)
        #expect(first.text == "Lakeshore")
        #expect(first.box.x > 100 && first.box.x < 140 && first.box.width > 50)
    }

    @Test func turnsUpsideDownPage() throws {
        let recognizer = try PageRecognizer()
        let page = try recognizer.recognize(RenderedPage.turnedHalfway(RenderedPage.render()), pageNumber: 2)
        #expect(page.rotation == 180)
        let accuracy = wordAccuracy(expected: RenderedPage.sample, recognized: page.words.map(\.text))
        #expect(accuracy >= 0.9, "accuracy \(accuracy): \(page.text)")
    }

    @Test func deskewsTwoDegrees() throws {
        let recognizer = try PageRecognizer()
        let page = try recognizer.recognize(RenderedPage.render(rotationDegrees: 2), pageNumber: 3)
        #expect(abs(abs(page.skew) - 2) < 0.3, "skew \(page.skew)")
        let accuracy = wordAccuracy(expected: RenderedPage.sample, recognized: page.words.map(\.text))
        #expect(accuracy >= 0.9, "accuracy \(accuracy): \(page.text)")
    }

    @Test func pageTimeLimitEndsRecognition() throws {
        let engine = try OCREngine()
        #expect(throws: OCRError.timedOut(page: 4, milliseconds: 1)) {
            try engine.recognize(RenderedPage.render(), pageNumber: 4, timeLimit: .milliseconds(1))
        }
    }

    @Test func missingTessdataIsAClearError() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("no-tessdata-\(UUID())").path
        #expect(throws: OCRError.tessdataMissing(language: "eng", searched: [empty])) {
            try OCREngine(tessdata: Tessdata(path: empty))
        }
        let error = OCRError.tessdataMissing(language: "eng", searched: [empty])
        #expect(error.description.contains("install tesseract-ocr-eng"))
        #expect(throws: OCRError.self) { try Tessdata.locate(languages: ["zz-none"], environment: [:]) }
    }
}
