internal import CTesseract

/// A flag another thread raises to stop a recognition in progress; tesseract polls it between words
/// through the monitor's cancel callback.
// @unchecked Sendable: the only state is one heap byte, written and read with atomic builtins (the
// shim's CTesseract_requestCancel / CTesseract_cancelRequested), and freed only in deinit.
public final class OCRCancellation: @unchecked Sendable {
    let flag: UnsafeMutablePointer<UInt8>

    public init() {
        flag = .allocate(capacity: 1)
        flag.initialize(to: 0)
    }

    deinit { flag.deallocate() }

    public func cancel() { CTesseract_requestCancel(flag) }

    public var isCancelled: Bool { CTesseract_cancelRequested(flag, 0) }
}
