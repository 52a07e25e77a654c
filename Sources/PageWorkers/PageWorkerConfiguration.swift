import Foundation
import OCR
import Pages

/// How page workers read and the limits they run under. Sent to each worker as its first message.
public struct PageWorkerConfiguration: Sendable, Hashable, Codable {
    public var recognition: RecognitionOptions
    /// Folder of the traineddata files (checked by the daemon before any worker starts).
    public var tessdata: String
    public var limits: PageLimits
    /// Time limit for one page's OCR, enforced by tesseract inside the worker (a rejection, not a death).
    public var pageTimeLimit: Duration
    /// Address space of a worker (`RLIMIT_AS`), bytes: the backstop for a decoder that allocates without
    /// asking (poppler decodes a whole image before anyone sees its size).
    public var addressSpaceBytes: Int
    /// CPU seconds one page may use (`RLIMIT_CPU`, moved forward before each page): a decoder in a loop
    /// is stopped by the kernel.
    public var cpuSecondsPerPage: Int
    /// Wall-clock time the daemon waits for one reply before it kills the worker: covers a worker that is
    /// blocked rather than busy (the CPU limit does not see it).
    public var replyDeadline: Duration
    /// A worker with nothing to read for this long is stopped (its memory returned) and started again for
    /// the next page.
    public var idleSeconds: Double = 60

    public init(
        recognition: RecognitionOptions, tessdata: String, limits: PageLimits, pageTimeLimit: Duration,
        addressSpaceBytes: Int = PageWorkerConfiguration.defaultAddressSpaceBytes,
        cpuSecondsPerPage: Int? = nil, replyDeadline: Duration? = nil
    ) {
        self.recognition = recognition
        self.tessdata = tessdata
        self.limits = limits
        self.pageTimeLimit = pageTimeLimit
        self.addressSpaceBytes = addressSpaceBytes
        let seconds = Int(pageTimeLimit.components.seconds)
        // OCR stops itself at the page time limit; decoding and squaring a legal page take a few seconds more.
        self.cpuSecondsPerPage = cpuSecondsPerPage ?? seconds + 30
        self.replyDeadline = replyDeadline ?? pageTimeLimit * 2 + .seconds(30)
    }

    /// 2 GiB: a worker reading a 40-megapixel page (the default `pages.max_pixels`) peaks near 700 MB of
    /// address space (the page, its squared and deskewed copies, tesseract's images, libgomp and malloc
    /// arenas); a decompression bomb is stopped well before it pages the host out.
    public static let defaultAddressSpaceBytes = 2 << 30
}
