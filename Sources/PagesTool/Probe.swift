import Foundation
import FileroomModel
import Pages

/// `pages-tool probe [--text] FILE...`: decodes every page of each file and prints what came out and how long
/// it took, or the rejection. A development aid for measuring the decoder on a folder of faxes.
enum Probe {
    static func run(_ arguments: [String]) -> Int32 {
        let showText = arguments.contains("--text")
        let paths = arguments.filter { $0 != "--text" }
        var failures: Int32 = 0
        var totalPages = 0
        var totalMilliseconds = 0.0
        var totalPrepareMilliseconds = 0.0
        var decodeMilliseconds = 0.0
        for path in paths {
            let start = Date()
            do {
                let file = try SourceFile.open(path: path)
                var lines: [String] = []
                for number in 1...file.pageCount {
                    let pageStart = Date()
                    let page = try file.decodePage(number)
                    let ms = Date().timeIntervalSince(pageStart) * 1000
                    decodeMilliseconds += ms
                    switch page {
                    case .raster(let image):
                        let prepareStart = Date()
                        let coverage = image.inkCoverage()
                        let squared = image.squaredForOCR()
                        let prepareMs = Date().timeIntervalSince(prepareStart) * 1000
                        totalPrepareMilliseconds += prepareMs
                        lines.append(String(format: "  %2d raster %dx%d @%gx%g ink=%.5f blank=%@ decode %.1f ms, prepare %.1f ms%@",
                                            number, image.width, image.height, image.dpiX, image.dpiY, coverage,
                                            coverage <= PageImage.blankCoverageThreshold ? "yes" : "no", ms, prepareMs,
                                            squared.height != image.height ? " (rows doubled)" : ""))
                    case .textLayer(let textLines, let width, let height, let dpi):
                        let words = textLines.reduce(0) { $0 + $1.words.count }
                        lines.append(String(format: "  %2d text %dx%d @%g lines=%d words=%d %.1f ms  %@", number,
                                            width, height, dpi, textLines.count, words, ms,
                                            String(textLines.first?.text.prefix(60) ?? "")))
                        if showText {
                            for line in textLines {
                                let box = line.box.map { "[\($0.x),\($0.y) \($0.width)x\($0.height)]" } ?? ""
                                lines.append("       \(box) \(line.text)")
                            }
                        }
                    }
                }
                let ms = Date().timeIntervalSince(start) * 1000
                totalPages += file.pageCount
                totalMilliseconds += ms
                print(String(format: "ok %@ %@ pages=%d %.1f ms (%.1f ms/page)", (path as NSString).lastPathComponent,
                             file.format.rawValue, file.pageCount, ms, ms / Double(file.pageCount)))
                lines.forEach { print($0) }
            } catch {
                failures += 1
                print("rejected \(error.reason.rawValue) | \(error.description)")
            }
        }
        if totalPages > 0 {
            print(String(format: "%d pages: open+decode %.1f ms/page (decode alone %.1f), prepare (ink coverage, squaring) %.1f ms/page",
                         totalPages, totalMilliseconds / Double(totalPages) - totalPrepareMilliseconds / Double(totalPages),
                         decodeMilliseconds / Double(totalPages), totalPrepareMilliseconds / Double(totalPages)))
        }
        return failures == 0 ? 0 : 1
    }
}
