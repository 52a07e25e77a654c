internal import CTesseract
import FileroomModel
import Foundation
import Pages

/// What one recognition pass found on a page.
public struct Recognition: Sendable, Hashable {
    public var lines: [TextLine]
    /// Mean word confidence 0...1 (0 without words).
    public var confidence: Double
    /// Share of words tesseract found in its dictionary (0 without words): low on upside-down pages
    /// even when the confidence looks fine.
    public var dictionaryWordRatio: Double

    public var wordCount: Int { lines.reduce(0) { $0 + $1.words.count } }
}

/// Tesseract's answer to "which way up is this page".
public struct OrientationGuess: Sendable, Hashable {
    /// Degrees to turn the page clockwise to make it upright: 0, 90, 180 or 270.
    public var clockwiseRotation: Int
    /// Tesseract's orientation confidence (unbounded; above ~2 is usually right).
    public var confidence: Double
}

/// One tesseract engine (`TessBaseAPI`) for one language set.
///
/// Not Sendable: tesseract engines keep per-page state and must be used from one thread at a time.
/// `OCRPool` gives each of its threads engines of their own.
public final class OCREngine {
    private let handle: OpaquePointer
    public let language: String
    public let tessdata: Tessdata

    /// Starts tesseract for `language` (`"eng"`, `"eng+deu"`, or `"osd"` for orientation detection).
    public init(language: String = "eng", tessdata: Tessdata? = nil) throws(OCRError) {
        let location: Tessdata
        if let tessdata { location = tessdata } else { location = try Tessdata.locate(languages: [language]) }
        try location.require(language)
        guard let handle = TessBaseAPICreate() else { throw .engineInit(language: language, tessdata: location.path) }
        // Tesseract prints warnings ("Estimating resolution", "Detected diacritics") with tprintf; send
        // them nowhere instead of the daemon's stderr.
        _ = TessBaseAPISetVariable(handle, "debug_file", "/dev/null")
        guard TessBaseAPIInit3(handle, location.path, language) == 0 else {
            TessBaseAPIDelete(handle)
            throw .engineInit(language: language, tessdata: location.path)
        }
        _ = TessBaseAPISetVariable(handle, "debug_file", "/dev/null")
        // The C API defaults to one uniform block; faxes have headers, columns and tables, which the
        // CLI's default (automatic segmentation) reads better.
        TessBaseAPISetPageSegMode(handle, language == "osd" ? PSM_OSD_ONLY : PSM_AUTO)
        self.handle = handle
        self.language = language
        self.tessdata = location
    }

    deinit {
        TessBaseAPIEnd(handle)
        TessBaseAPIDelete(handle)
    }

    private func setImage(_ image: PageImage) {
        image.pixels.withUnsafeBufferPointer { buffer in
            TessBaseAPISetImage(handle, buffer.baseAddress, Int32(image.width), Int32(image.height), 1, Int32(image.width))
        }
        // Without a resolution tesseract estimates one from the text size and says so on stderr.
        let dpi = min(image.dpiX, image.dpiY)
        if dpi >= 1 { TessBaseAPISetSourceResolution(handle, Int32(dpi.rounded())) }
    }

    /// Recognises one page. `timeLimit` bounds the recognition itself (tesseract checks it between words);
    /// raising `cancellation` stops it at the next word.
    public func recognize(
        _ image: PageImage, pageNumber: Int, timeLimit: Duration? = nil, cancellation: OCRCancellation? = nil
    ) throws(OCRError) -> Recognition {
        if cancellation?.isCancelled == true { throw .cancelled }
        guard image.width > 0, image.height > 0 else { return Recognition(lines: [], confidence: 0, dictionaryWordRatio: 0) }
        setImage(image)
        defer { TessBaseAPIClear(handle) }

        guard let monitor = TessMonitorCreate() else { throw .ocrFailed(page: pageNumber) }
        defer { TessMonitorDelete(monitor) }
        var limitMilliseconds: Int?
        if let timeLimit {
            let milliseconds = max(1, Int(timeLimit.components.seconds * 1000 + timeLimit.components.attoseconds / 1_000_000_000_000_000))
            limitMilliseconds = milliseconds
            TessMonitorSetDeadlineMSecs(monitor, Int32(clamping: milliseconds))
        }
        if let cancellation {
            TessMonitorSetCancelFunc(monitor, CTesseract_cancelFunc())
            TessMonitorSetCancelThis(monitor, UnsafeMutableRawPointer(cancellation.flag))
        }
        let started = ContinuousClock.now
        let status = TessBaseAPIRecognize(handle, monitor)
        // withExtendedLifetime: the monitor holds a raw pointer into the flag until Recognize returns.
        withExtendedLifetime(cancellation) {}
        if status != 0 {
            if cancellation?.isCancelled == true { throw .cancelled }
            if let limitMilliseconds, ContinuousClock.now - started >= .milliseconds(limitMilliseconds) {
                throw .timedOut(page: pageNumber, milliseconds: limitMilliseconds)
            }
            throw .ocrFailed(page: pageNumber)
        }
        return collectWords()
    }

    /// Walks the result at word level, starting a new line where tesseract's text lines begin.
    private func collectWords() -> Recognition {
        guard let iterator = TessBaseAPIGetIterator(handle) else {
            return Recognition(lines: [], confidence: 0, dictionaryWordRatio: 0)
        }
        defer { TessResultIteratorDelete(iterator) }
        let pageIterator = TessResultIteratorGetPageIteratorConst(iterator)
        var lines: [TextLine] = []
        var current: [RecognizedWord] = []
        var confidenceSum = 0.0, dictionaryWords = 0, wordCount = 0
        repeat {
            if TessPageIteratorIsAtBeginningOf(pageIterator, RIL_TEXTLINE) != 0, !current.isEmpty {
                lines.append(TextLine(words: current))
                current = []
            }
            guard let utf8 = TessResultIteratorGetUTF8Text(iterator, RIL_WORD) else { continue }
            let text = String(cString: utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            TessDeleteText(utf8)
            guard !text.isEmpty else { continue }
            var left: Int32 = 0, top: Int32 = 0, right: Int32 = 0, bottom: Int32 = 0
            _ = TessPageIteratorBoundingBox(pageIterator, RIL_WORD, &left, &top, &right, &bottom)
            let confidence = min(1, max(0, Double(TessResultIteratorConfidence(iterator, RIL_WORD)) / 100))
            current.append(RecognizedWord(
                text: text,
                box: BoundingBox(x: Int(left), y: Int(top), width: Int(right - left), height: Int(bottom - top)),
                confidence: confidence
            ))
            confidenceSum += confidence
            wordCount += 1
            if TessResultIteratorWordIsFromDictionary(iterator) != 0 { dictionaryWords += 1 }
        } while TessResultIteratorNext(iterator, RIL_WORD) != 0
        if !current.isEmpty { lines.append(TextLine(words: current)) }
        guard wordCount > 0 else { return Recognition(lines: [], confidence: 0, dictionaryWordRatio: 0) }
        return Recognition(
            lines: lines,
            confidence: confidenceSum / Double(wordCount),
            dictionaryWordRatio: Double(dictionaryWords) / Double(wordCount)
        )
    }

    /// Orientation of the page; only meaningful on an engine started with `"osd"`. Nil when tesseract
    /// could not decide (too little text).
    public func detectOrientation(_ image: PageImage) -> OrientationGuess? {
        guard image.width > 0, image.height > 0 else { return nil }
        setImage(image)
        defer { TessBaseAPIClear(handle) }
        var degrees: Int32 = 0
        var orientationConfidence: Float = 0
        var scriptName: UnsafePointer<CChar>?
        var scriptConfidence: Float = 0
        guard TessBaseAPIDetectOrientationScript(handle, &degrees, &orientationConfidence, &scriptName, &scriptConfidence) != 0
        else { return nil }
        // The script name points into the engine's unicharset (baseapi.cpp), despite capi.h's comment
        // asking callers to free it: freeing it corrupts the heap.
        _ = scriptName
        // Tesseract reports how the page is oriented; turning it upright takes the opposite turn.
        return OrientationGuess(clockwiseRotation: (360 - Int(degrees)) % 360, confidence: Double(orientationConfidence))
    }
}
