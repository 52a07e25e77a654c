import Foundation
import Pages
import TestSupport
import Testing

@Suite struct HostileCorpusTests {
    @Test func theCorpusIsThere() {
        #expect(HostileCorpus.entries.count >= 20)
    }

    @Test(arguments: HostileCorpus.entries)
    func eachFileIsRejectedClearlyOrRead(entry: HostileCorpus.Entry) throws {
        do {
            let file = try SourceFile.open(path: entry.path)
            for number in 1...max(1, file.pageCount) where number <= file.pageCount {
                _ = try file.decodePage(number)
            }
            #expect(entry.expected == nil || entry.expected == "any", "\(entry.file) was read, expected \(entry.expected ?? "")")
        } catch {
            if entry.expected != "any" {
                #expect(error.reason.rawValue == entry.expected, "\(entry.file): \(error)")
            }
            #expect(error.description.hasPrefix(entry.file), "the message names the file: \(error)")
            if error.reason == .imageTooLarge || error.reason == .tooManyPages {
                #expect(error.limit != nil && error.actual != nil, "\(entry.file): the limit and the value: \(error)")
            }
        }
    }

    /// Regression files from scripts/fuzz.sh: no crash, whatever the outcome.
    @Test func fuzzFindingsEndWithoutACrash() {
        for path in HostileCorpus.fuzzFindings {
            do {
                let file = try SourceFile.open(path: path)
                for number in 1...max(1, file.pageCount) where number <= file.pageCount { _ = try file.decodePage(number) }
            } catch {
                #expect(!error.detail.isEmpty)
            }
        }
    }

    /// Issue 12: an image whose size is given through indirect objects made a 49 KB PDF use 1.93 GB.
    @Test func anImageSizeThroughIndirectObjectsIsChecked() throws {
        let error = #expect(throws: PageError.self) {
            _ = try SourceFile.open(path: HostileCorpus.folder + "/huge-image-indirect.pdf")
        }
        #expect(error?.reason == .imageTooLarge)
        #expect(error?.actual == 60_000)
        #expect(error?.limit == PageLimits.default.maxPixelsPerSide)
    }
}
