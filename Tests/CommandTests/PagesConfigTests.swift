import Foundation
import TestSupport
import Testing

/// Issue 14: `pages` and `extract` read with the configuration's limits, languages and tessdata, as the daemon does.
@Suite("pages and extract honour the configuration")
struct PagesConfigTests {
    /// A two-page text-layer fax from the committed samples.
    static var twoPages: String { ReadmeCommandsTests.samples + "/fax_20261121_0847_0003.pdf" }

    @Test func theConfiguredLimitsAndLanguagesApply() throws {
        try withTemporaryDirectory { folder in
            let limits = folder + "/limits.toml"
            try Data("[pages]\nmax_pages = 1\n".utf8).write(to: URL(fileURLWithPath: limits))
            let unlimited = try ReviewInstallation.runBinary(["pages", "--jobs", "1", Self.twoPages])
            #expect(unlimited.status == 0, "\(unlimited.stderr)")
            for command in ["pages", "extract"] {
                let run = try ReviewInstallation.runBinary([command, "--config", limits, "--jobs", "1", Self.twoPages])
                #expect(run.status == 1, "\(command): \(run.stdout) \(run.stderr)")
                #expect((run.stdout + run.stderr).contains("too_many_pages"), "\(command)")
            }

            let language = folder + "/language.toml"
            try Data("[ocr]\nlanguages = \"xx\"\n".utf8).write(to: URL(fileURLWithPath: language))
            let missing = try ReviewInstallation.runBinary(["pages", "--config", language, Self.twoPages])
            #expect(missing.status == 2)
            #expect(missing.stderr.contains("tessdata for 'xx' not found"))
            // A flag still overrides the file.
            let flag = try ReviewInstallation.runBinary(["pages", "--config", language, "--language", "eng", Self.twoPages])
            #expect(flag.status == 0, "\(flag.stderr)")
        }
    }
}
