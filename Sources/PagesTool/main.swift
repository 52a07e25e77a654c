import Foundation
import TestSupport

// pages-tool samples [DIR]                          regenerate the synthetic faxes in samples/ (default: ./samples)
// pages-tool layouts DIR [--seed N] [--count N] [--text-pdf]     write the unseen-layout set in the shared corpus format
// pages-tool probe FILE...                          decode files and print pages, sizes, timings or the rejection
let arguments = Array(CommandLine.arguments.dropFirst())
let usage = "usage: pages-tool samples [DIR] | pages-tool layouts DIR [--seed N] [--count N] [--text-pdf] | pages-tool probe FILE...\n"
switch arguments.first {
case "probe":
    exit(Probe.run(Array(arguments.dropFirst())))
case "samples":
    do {
        try Samples.write(to: arguments.count > 1 ? arguments[1] : "samples")
    } catch {
        FileHandle.standardError.write(Data("pages-tool: \(error)\n".utf8))
        exit(1)
    }
case "layouts":
    var folder: String?
    var seed: UInt64 = 1107
    var count = 30
    var textOnly = false
    var rest = arguments.dropFirst()[...]
    while let argument = rest.popFirst() {
        switch argument {
        case "--seed":
            guard let value = rest.popFirst().flatMap(UInt64.init) else { FileHandle.standardError.write(Data(usage.utf8)); exit(64) }
            seed = value
        case "--count":
            guard let value = rest.popFirst().flatMap(Int.init), value > 0 else { FileHandle.standardError.write(Data(usage.utf8)); exit(64) }
            count = value
        case "--text-pdf":
            // Every fax a text-layer PDF: no OCR, so a bench or demo measures the pipeline around it.
            textOnly = true
        default:
            folder = argument
        }
    }
    guard let folder else { FileHandle.standardError.write(Data(usage.utf8)); exit(64) }
    do {
        var set = LayoutSet(seed: seed, count: count)
        if textOnly {
            set.faxes = set.faxes.map { fax in
                var fax = fax
                fax.format = .pdfText
                fax.file = (fax.file as NSString).deletingPathExtension + ".pdf"
                return fax
            }
        }
        try set.write(to: folder)
        let documents = set.faxes.reduce(0) { $0 + $1.truth.count }
        let pages = set.faxes.reduce(0) { $0 + $1.pageCount }
        print("wrote \(set.faxes.count) faxes (\(pages) pages, \(documents) documents) and \(set.cases.count) cases to \(folder)")
    } catch {
        FileHandle.standardError.write(Data("pages-tool: \(error)\n".utf8))
        exit(1)
    }
default:
    FileHandle.standardError.write(Data(usage.utf8))
    exit(64)
}
