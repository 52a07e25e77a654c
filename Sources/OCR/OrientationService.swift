import Foundation
import Pages

/// One orientation (`osd`) engine on a thread of its own, shared by all the OCR threads of a pool.
///
/// Orientation detection runs only for pages whose first reading looks wrong, a few in a hundred, while
/// an `osd` engine holds about 37 MB: one per pool instead of one per worker keeps a many-core daemon
/// small. The engine is loaded on first use and stays on this thread, as tesseract engines must; callers
/// (OCR threads, never the cooperative pool) block until their answer comes back.
final class OrientationService: Sendable {
    private let requests = BlockingQueue<Request>()

    struct Request: Sendable {
        let image: PageImage
        let answer: @Sendable (OrientationGuess?) -> Void
    }

    /// Checks now that `osd.traineddata` is there, so a missing file is a start-up error, not a silent
    /// "never turn pages".
    init(tessdata: Tessdata) throws(OCRError) {
        try tessdata.require("osd")
        let requests = self.requests
        let thread = Thread {
            var engine: OCREngine?
            var failed = false
            while let request = requests.next() {
                if engine == nil && !failed {
                    do throws(OCRError) { engine = try OCREngine(language: "osd", tessdata: tessdata) } catch { failed = true }
                }
                request.answer(engine?.detectOrientation(request.image))
            }
        }
        thread.name = "ocr-orientation"
        thread.stackSize = 16 << 20
        thread.start()
    }

    deinit { requests.close() }

    /// Blocks the calling thread until the orientation thread has looked at `image`.
    func detect(_ image: PageImage) -> OrientationGuess? {
        let box = AnswerBox()
        let sent = requests.add(Request(image: image) { guess in box.set(guess) })
        return sent ? box.wait() : nil
    }
}

/// Hands one answer from the orientation thread to the waiting OCR thread.
// @unchecked Sendable: `guess` is written once before `ready.signal()` and read only after `ready.wait()`,
// and the semaphore orders the two.
private final class AnswerBox: @unchecked Sendable {
    private var guess: OrientationGuess?
    private let ready = DispatchSemaphore(value: 0)

    func set(_ value: OrientationGuess?) {
        guess = value
        ready.signal()
    }

    func wait() -> OrientationGuess? {
        ready.wait()
        return guess
    }
}
