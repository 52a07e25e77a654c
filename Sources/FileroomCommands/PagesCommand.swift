import ArgumentParser
import FileroomModel
import Foundation
import OCR
import Pages

/// `fileroom pages FILE...`: every page of every file as text, with where it came from and how sure OCR was.
struct PagesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pages",
        abstract: "Decode and OCR fax files; print each page's source, size, rotation, skew and confidence.",
        discussion: """
            Pages of all the files fan out to the OCR workers (all cores unless --jobs). Exits 1 when any \
            file was rejected. Run with OMP_THREAD_LIMIT=1 in the environment: tesseract is 4-6x slower without it.
            """
    )

    @Argument(help: "TIFF or PDF files.")
    var files: [String]

    @Flag(help: "One JSON object per file and line.")
    var json = false

    @Flag(help: "Print each page's text.")
    var text = false

    @Flag(help: "With --json, add each page's lines and words with boxes and confidences.")
    var words = false

    @OptionGroup var global: GlobalOptions

    @Option(help: "OCR workers (default: all cores).")
    var jobs: Int?

    @Option(help: "Tesseract language(s), e.g. eng or eng+deu (default: ocr.languages of the settings).")
    var language: String?

    @Option(help: "Time limit for one page's OCR, in seconds (default: pages.ocr_page_timeout_seconds).")
    var pageTimeLimit: Double?

    @Option(help: "Resolution PDF pages without a usable image are rendered at (default: pages.render_dpi).")
    var pdfDpi: Double?

    @Option(help: "When to detect page orientation: never, when-doubtful, always.")
    var orientation: OrientationPolicy = .whenDoubtful

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if let pageTimeLimit, pageTimeLimit <= 0 { throw ValidationError("--page-time-limit must be positive") }
        if let pdfDpi, pdfDpi < 50 || pdfDpi > 1200 { throw ValidationError("--pdf-dpi must be between 50 and 1200") }
    }

    func run() async throws {
        // The configuration's limits, languages and tessdata, as the daemon reads; flags override.
        // Several files are open at once, so each keeps only two decoded pages ahead: enough to keep the
        // workers fed, without holding (files x workers) fax rasters in memory.
        let (reader, workerCount) = try Installation.open(global, for: .reader).pageReader(
            jobs: jobs, language: language, orientation: orientation, pageTimeLimit: pageTimeLimit, pdfDpi: pdfDpi,
            lookAhead: 2
        )

        // Files are read concurrently so the workers stay busy across file boundaries; results print in
        // argument order as soon as every earlier file is done.
        let concurrentFiles = workerCount + 1
        var anyRejected = false
        // No nested function adding to the group: in release builds (Swift 6.3) one capturing the group
        // lost its children, and nothing was printed.
        let files = self.files
        await withTaskGroup(of: (Int, Result<[PageText], PageReadError>).self) { group in
            var pending = files.indices.makeIterator()
            var nextToPrint = 0
            var done: [Int: Result<[PageText], PageReadError>] = [:]
            for _ in 0..<concurrentFiles {
                guard let index = pending.next() else { break }
                group.addTask { await Self.read(files[index], index: index, with: reader) }
            }
            for await (index, result) in group {
                done[index] = result
                if let next = pending.next() {
                    group.addTask { await Self.read(files[next], index: next, with: reader) }
                }
                while let ready = done.removeValue(forKey: nextToPrint) {
                    if case .failure = ready { anyRejected = true }
                    print(render(file: files[nextToPrint], result: ready))
                    nextToPrint += 1
                }
            }
        }
        if anyRejected { throw CommandFailure.quietlyFailed }
    }

    /// One file's pages for the ordered fan-out of `pages` and `extract`, tagged with its argument index.
    static func read(_ path: String, index: Int, with reader: PageReader) async -> (Int, Result<[PageText], PageReadError>) {
        do throws(PageReadError) {
            return (index, .success(try await reader.read(path: path).pages))
        } catch {
            return (index, .failure(error))
        }
    }

    private func render(file: String, result: Result<[PageText], PageReadError>) -> String {
        json ? PagesJSON.line(file: file, result: result, includeText: true, includeLines: words)
            : PagesTable.render(file: file, result: result, includeText: text)
    }
}

extension OrientationPolicy: ExpressibleByArgument {}

/// The `pages --json` line: the contract's keys, plus `dpi_x`/`dpi_y`/`timings` and (with `--words`)
/// `lines`, so that a reader decoding with `.convertFromSnakeCase` gets a `PageText` from each page.
enum PagesJSON {
    struct File: Encodable {
        var file: String
        var status: String
        var error: String?
        var pages: [Page]

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(file, forKey: .file)
            try container.encode(status, forKey: .status)
            try container.encode(error, forKey: .error)  // explicit null, as the contract shows it
            try container.encode(pages, forKey: .pages)
        }
        enum CodingKeys: String, CodingKey { case file, status, error, pages }
    }

    struct Page: Encodable {
        var number: Int
        var source: TextSource
        var width: Int
        var height: Int
        var dpi: [Double]
        var dpiX: Double
        var dpiY: Double
        var rotation: Int
        var skew: Double
        var confidence: Double
        var words: Int
        var text: String?
        var timings: Timings
        var lines: [TextLine]?

        enum CodingKeys: String, CodingKey {
            case number, source, width, height, dpi, dpiX = "dpi_x", dpiY = "dpi_y", rotation, skew, confidence, words,
                 text, timings, lines
        }
    }

    struct Timings: Encodable {
        var decodeMilliseconds: Double
        var prepareMilliseconds: Double
        var ocrMilliseconds: Double
        enum CodingKeys: String, CodingKey {
            case decodeMilliseconds = "decode_milliseconds", prepareMilliseconds = "prepare_milliseconds",
                 ocrMilliseconds = "ocr_milliseconds"
        }
    }

    static func page(_ text: PageText, includeText: Bool, includeLines: Bool) -> Page {
        func rounded(_ value: Double, _ places: Double = 1000) -> Double { (value * places).rounded() / places }
        return Page(
            number: text.number, source: text.source, width: text.width, height: text.height,
            dpi: [rounded(text.dpiX, 10), rounded(text.dpiY, 10)], dpiX: rounded(text.dpiX, 10), dpiY: rounded(text.dpiY, 10),
            rotation: text.rotation, skew: rounded(text.skew, 100), confidence: rounded(text.confidence),
            words: text.words.count, text: includeText ? text.text : nil,
            timings: Timings(
                decodeMilliseconds: rounded(text.timings.decodeMilliseconds, 10),
                prepareMilliseconds: rounded(text.timings.prepareMilliseconds, 10),
                ocrMilliseconds: rounded(text.timings.ocrMilliseconds, 10)
            ),
            lines: includeLines ? text.lines : nil
        )
    }

    static func line(file: String, result: Result<[PageText], PageReadError>, includeText: Bool, includeLines: Bool) -> String {
        let object: File
        switch result {
        case let .success(pages):
            object = File(file: file, status: "ok", error: nil,
                          pages: pages.map { page($0, includeText: includeText, includeLines: includeLines) })
        case let .failure(error):
            object = File(file: file, status: "rejected", error: error.description, pages: [])
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        guard let data = try? encoder.encode(object), let line = String(data: data, encoding: .utf8) else {
            return #"{"file":null,"status":"rejected","error":"could not encode the result","pages":[]}"#
        }
        return line
    }
}

/// The human table: one header line per file, one row per page, text indented under its row.
enum PagesTable {
    static func render(file: String, result: Result<[PageText], PageReadError>, includeText: Bool) -> String {
        switch result {
        case let .failure(error):
            return "\(file): rejected: \(error)"
        case let .success(pages):
            var out = ["\(file): ok, \(pages.count) page\(pages.count == 1 ? "" : "s")"]
            out.append("  " + [
                pad("page", 4), pad("source", 10, left: true), pad("size", 11), pad("dpi", 9),
                pad("rot", 4), pad("skew", 6), pad("conf", 5), pad("words", 6), pad("ms", 7),
            ].joined(separator: " "))
            for page in pages {
                let milliseconds = page.timings.decodeMilliseconds + page.timings.prepareMilliseconds + page.timings.ocrMilliseconds
                out.append("  " + [
                    pad("\(page.number)", 4), pad(page.source.rawValue, 10, left: true),
                    pad("\(page.width)x\(page.height)", 11), pad("\(Int(page.dpiX.rounded()))x\(Int(page.dpiY.rounded()))", 9),
                    pad("\(page.rotation)", 4), pad(String(format: "%.2f", page.skew), 6),
                    pad(String(format: "%.2f", page.confidence), 5), pad("\(page.words.count)", 6),
                    pad(String(format: "%.0f", milliseconds), 7),
                ].joined(separator: " "))
                if includeText, !page.text.isEmpty {
                    out.append(contentsOf: page.text.split(separator: "\n", omittingEmptySubsequences: false).map { "      | \($0)" })
                }
            }
            return out.joined(separator: "\n")
        }
    }

    private static func pad(_ value: String, _ width: Int, left: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - value.count))
        return left ? value + padding : padding + value
    }
}
