import Foundation
import Pages

#if canImport(Glibc)
import Glibc
#endif

// libFuzzer entry point for TIFF and PDF reading: built only by scripts/fuzz.sh (FILEROOM_FUZZ=1, with
// -sanitize=fuzzer,address), never by `swift build`. Each input is written to a scratch file (the readers
// take paths, as the daemon gives them), opened with small limits and every page decoded. A rejection is
// the expected answer to garbage; a crash, a sanitizer report, a leak or a timeout is a finding, which
// fuzz.sh copies into Tests/Fixtures/hostile/fuzz.

/// Small limits: a fuzzer input that declares a big page is rejected quickly instead of decoded slowly.
let fuzzLimits = PageLimits(
    maxFileBytes: 1 << 20, maxPagesPerFile: 4, maxPixelsPerPage: 4_000_000, maxPixelsPerSide: 4000,
    tiffMaxSingleAllocation: 32 << 20, pdfRenderDPI: 50
)

let scratch = "/tmp/fileroom-fuzz-\(getpid())"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPages(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let file = fopen(scratch, "wb") else { return 0 }
    fwrite(data, 1, size, file)
    fclose(file)
    do {
        let source = try SourceFile.open(path: scratch, limits: fuzzLimits)
        for number in 1...max(1, source.pageCount) where number <= source.pageCount {
            _ = try source.decodePage(number)
        }
    } catch {
        _ = error.description
    }
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

/// SwiftPM links an executable target's entry point under the name `<target>_main`: hand over to libFuzzer's
/// driver from there (its own `main` is not the one SwiftPM points at).
@_cdecl("fuzz_pages_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { data, size in fuzzPages(data, size) }
}
