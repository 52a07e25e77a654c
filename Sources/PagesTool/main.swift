import Foundation

// pages-tool samples [DIR]   regenerate the synthetic faxes in samples/ (default: ./samples)
// pages-tool probe FILE...   decode files and print pages, sizes, timings or the rejection
let arguments = Array(CommandLine.arguments.dropFirst())
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
default:
    FileHandle.standardError.write(Data("usage: pages-tool samples [DIR] | pages-tool probe FILE...\n".utf8))
    exit(64)
}
