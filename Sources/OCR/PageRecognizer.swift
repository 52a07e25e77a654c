import FileroomModel
import Pages

/// When to ask the orientation engine which way up a page is.
public enum OrientationPolicy: String, Sendable, Hashable, Codable {
    /// Never: pages are OCR'd as they come.
    case never
    /// Only when the first pass looks wrong (low confidence or few dictionary words): upright pages,
    /// nearly all of them, pay nothing.
    case whenDoubtful = "when-doubtful"
    /// Before every page.
    case always
}

/// How pages are prepared and read; the defaults are what the corpus measurements chose.
public struct RecognitionOptions: Sendable, Hashable, Codable {
    /// Tesseract language(s), `"eng"` or `"eng+deu"`.
    public var language: String
    public var orientation: OrientationPolicy
    /// Skew (degrees) below which the page is left alone: tesseract reads small skews well, and rotating
    /// a fax page costs tens of milliseconds and softens it.
    public var deskewThresholdDegrees: Double
    /// Leptonica's skew confidence below which a measurement is ignored (its own deskew uses 3).
    public var minimumSkewConfidence: Double
    /// A first pass below this mean confidence is doubtful.
    public var doubtfulConfidence: Double
    /// A first pass with fewer dictionary words than this share is doubtful.
    public var doubtfulDictionaryRatio: Double
    /// The orientation engine's confidence needed before a page is turned.
    public var minimumOrientationConfidence: Double
    /// An "upright" answer at least this sure skips the upside-down retry of a doubtful page. Upright fax
    /// pages score 10-12 here; an upside-down lab report under an upright fax header line scored 4.
    public var trustedUprightConfidence: Double

    public init(
        language: String = "eng", orientation: OrientationPolicy = .whenDoubtful,
        deskewThresholdDegrees: Double = 0.3, minimumSkewConfidence: Double = 3,
        doubtfulConfidence: Double = 0.6, doubtfulDictionaryRatio: Double = 0.3,
        minimumOrientationConfidence: Double = 1.5, trustedUprightConfidence: Double = 8
    ) {
        self.language = language
        self.orientation = orientation
        self.deskewThresholdDegrees = deskewThresholdDegrees
        self.minimumSkewConfidence = minimumSkewConfidence
        self.doubtfulConfidence = doubtfulConfidence
        self.doubtfulDictionaryRatio = doubtfulDictionaryRatio
        self.minimumOrientationConfidence = minimumOrientationConfidence
        self.trustedUprightConfidence = trustedUprightConfidence
    }
}

/// The engines one OCR thread owns (text, and orientation unless turned off) and what it does with a
/// raster: deskew, read, and when the reading looks wrong, turn the page and read again.
///
/// Not Sendable, like the engines it owns.
public final class PageRecognizer {
    public let options: RecognitionOptions
    private let text: OCREngine
    private let orientation: Orientation

    /// Where orientation answers come from: an engine of this recognizer's own, or the pool's shared one.
    private enum Orientation {
        case none
        case own(OCREngine)
        case shared(OrientationService)
    }
    /// Recognition passes run, for tests that check a page did (or did not) reach tesseract.
    public private(set) var recognitionCount = 0
    public private(set) var orientationCount = 0

    public convenience init(options: RecognitionOptions = RecognitionOptions(), tessdata: Tessdata? = nil) throws(OCRError) {
        try self.init(options: options, tessdata: tessdata, sharedOrientation: nil)
    }

    init(options: RecognitionOptions, tessdata: Tessdata?, sharedOrientation: OrientationService?) throws(OCRError) {
        let location: Tessdata
        if let tessdata { location = tessdata } else {
            location = try Tessdata.locate(languages: [options.language] + (options.orientation == .never ? [] : ["osd"]))
        }
        self.options = options
        text = try OCREngine(language: options.language, tessdata: location)
        if options.orientation == .never {
            orientation = .none
        } else if let sharedOrientation {
            orientation = .shared(sharedOrientation)
        } else {
            orientation = .own(try OCREngine(language: "osd", tessdata: location))
        }
    }

    /// Deskews, recognises and if need be turns one page. `timeLimit` covers all passes of the page.
    public func recognize(
        _ image: PageImage, pageNumber: Int, timeLimit: Duration? = nil, cancellation: OCRCancellation? = nil
    ) throws(OCRError) -> PageText {
        let clock = ContinuousClock()
        let started = clock.now
        var prepare = Duration.zero, ocr = Duration.zero

        var page = image
        var skew = 0.0
        var mark = clock.now
        let pix = try LeptonicaImage(image, page: pageNumber)
        if let measured = pix.measureSkew(), abs(measured.degrees) > options.deskewThresholdDegrees,
           measured.confidence >= options.minimumSkewConfidence {
            page = try pix.rotated(degrees: measured.degrees, page: pageNumber).pageImage(page: pageNumber)
            skew = measured.degrees
        }
        prepare += clock.now - mark

        func remaining() throws(OCRError) -> Duration? {
            guard let timeLimit else { return nil }
            let left = timeLimit - (clock.now - started)
            if left <= .zero { throw .timedOut(page: pageNumber, milliseconds: Self.milliseconds(timeLimit)) }
            return left
        }
        func read(_ candidate: PageImage) throws(OCRError) -> Recognition {
            let begin = clock.now
            defer { ocr += clock.now - begin }
            recognitionCount += 1
            do {
                return try text.recognize(candidate, pageNumber: pageNumber, timeLimit: try remaining(), cancellation: cancellation)
            } catch .timedOut {
                // Report the page's whole limit, not what was left of it for this pass.
                throw .timedOut(page: pageNumber, milliseconds: timeLimit.map(Self.milliseconds) ?? 0)
            }
        }

        var rotation = 0
        var result: Recognition
        if options.orientation == .always, let guess = try detectOrientation(page, clock: clock, prepare: &prepare),
           guess.confidence >= options.minimumOrientationConfidence, guess.clockwiseRotation != 0 {
            let turn = guess.clockwiseRotation
            mark = clock.now
            page = try LeptonicaImage(page, page: pageNumber).turnedClockwise(quarterTurns: turn / 90, page: pageNumber)
                .pageImage(page: pageNumber)
            prepare += clock.now - mark
            rotation = turn
        }
        result = try read(page)
        if options.orientation == .whenDoubtful, isDoubtful(result) {
            // OSD's answer first; when it has none, or its turn reads no better, try upside down: that is
            // how faxes arrive turned, and OSD is often unsure on pages of tables and numbers (and on pages
            // whose fax header line, added after scanning, is upright above an upside-down body).
            // A page OSD is sure is upright (a poor scan, not a turned one) is spared the upside-down pass.
            var turns: [Int] = []
            let guess = try detectOrientation(page, clock: clock, prepare: &prepare)
            if let guess, guess.confidence >= options.minimumOrientationConfidence, guess.clockwiseRotation != 0 {
                turns.append(guess.clockwiseRotation)
            }
            let sureUpright = guess.map { $0.clockwiseRotation == 0 && $0.confidence >= options.trustedUprightConfidence } ?? false
            if !turns.contains(180) && !sureUpright { turns.append(180) }
            let asReceived = page
            for turn in turns {
                mark = clock.now
                let turned = try LeptonicaImage(asReceived, page: pageNumber).turnedClockwise(quarterTurns: turn / 90, page: pageNumber)
                    .pageImage(page: pageNumber)
                prepare += clock.now - mark
                let candidate = try read(turned)
                if Self.score(candidate) > Self.score(result) * 1.2 {
                    result = candidate
                    page = turned
                    rotation = turn
                    if !isDoubtful(candidate) { break }
                }
            }
        }

        return PageText(
            number: pageNumber, source: .ocr, width: page.width, height: page.height, dpiX: page.dpiX, dpiY: page.dpiY,
            rotation: rotation, skew: skew, confidence: result.confidence, lines: result.lines,
            timings: PageTimings(prepareMilliseconds: Self.fractionalMilliseconds(prepare), ocrMilliseconds: Self.fractionalMilliseconds(ocr))
        )
    }

    /// True when a first pass reads like an upside-down or sideways page.
    func isDoubtful(_ recognition: Recognition) -> Bool {
        if recognition.wordCount < 3 { return true }
        return recognition.confidence < options.doubtfulConfidence
            || recognition.dictionaryWordRatio < options.doubtfulDictionaryRatio
    }

    private func detectOrientation(_ page: PageImage, clock: ContinuousClock, prepare: inout Duration) throws(OCRError) -> OrientationGuess? {
        let begin = clock.now
        defer { prepare += clock.now - begin }
        switch orientation {
        case .none:
            return nil
        case let .own(engine):
            orientationCount += 1
            return engine.detectOrientation(page)
        case let .shared(service):
            orientationCount += 1
            return service.detect(page)
        }
    }

    private static func score(_ recognition: Recognition) -> Double {
        recognition.confidence * (0.5 + recognition.dictionaryWordRatio) * Double(recognition.wordCount).squareRoot()
    }

    static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }

    public static func fractionalMilliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }
}
