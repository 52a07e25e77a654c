import FileroomModel
import Foundation
import Evaluation
import Pages
import Store
import TestSupport
import Testing

/// The generator itself: the corpus format the scorers read, truth that is what the pages print, and the
/// decoy cases each matching hazard needs.
@Suite("Unseen-layout set: format, truth and decoys")
struct LayoutSetTests {
    @Test func writesTheSharedCorpusFormat() throws {
        let set = LayoutSet(seed: 5, count: 4)
        try withTemporaryDirectory(prefix: "layout-set") { folder in
            try set.write(to: folder)
            let truth = try TruthFile.decode(try Data(contentsOf: URL(fileURLWithPath: "\(folder)/truth.json")))
            #expect(truth.center?.fax == "6085550101")
            #expect(truth.sources.map(\.file) == set.faxes.map(\.file))
            for source in truth.sources {
                let file = try SourceFile.open(path: "\(folder)/spool/\(source.file)")
                #expect(file.pageCount == source.pages, "\(source.file)")
                #expect(source.expect == "processed")
                #expect(source.documents.last?.pages.last == source.pages)
                for document in source.documents {
                    #expect(DocumentType(rawValue: document.type)?.queue.rawValue == document.queue)
                    #expect(!document.safeOutcomes.isEmpty)
                }
            }
            let csv = try String(contentsOfFile: "\(folder)/cases.csv", encoding: .utf8)
            #expect(csv.split(separator: "\n").first.map(String.init) == CaseCSV.columns.joined(separator: ","))
            let parsed = CaseCSV.parse(csv, today: CalendarDate(year: 2026, month: 12, day: 3)!)
            #expect(parsed.problems.isEmpty, "\(parsed.problems)")
            let open = Set(parsed.records.filter { $0.status == .open }.map(\.caseID.rawValue))
            for case let id? in truth.sources.flatMap({ $0.documents.map(\.caseID) }) {
                #expect(open.contains(id), "truth names \(id), which is not an open case")
            }
        }
    }

    /// Every value the truth gives is on the document's pages (names, numbers, a date in some printed form).
    @Test(arguments: [UInt64(1107), 42])
    func truthIsWhatThePagesPrint(seed: UInt64) {
        let set = LayoutSet(seed: seed, count: 30)
        #expect(Set(set.faxes.flatMap { $0.truth.map(\.family) }) == Set(LayoutFamily.allCases))
        for fax in set.faxes {
            for (document, truth) in zip(fax.documents, fax.truth) {
                let text = document.pages.flatMap { $0.map(\.text) }.joined(separator: "\n")
                let folded = text.uppercased()
                let digits = text.filter(\.isNumber)
                let f = truth.fields
                let context = "\(fax.file) \(truth.family.rawValue)"
                for name in [f.patientLast, f.patientFirst, f.mrn, f.facility].compactMap({ $0 }) {
                    #expect(folded.contains(name.uppercased()), "\(context): \(name) not printed")
                }
                if let provider = f.providerName {
                    #expect(provider.split(separator: " ").allSatisfy { folded.contains($0.uppercased()) }, "\(context): \(provider)")
                }
                if let fax = f.providerFax { #expect(digits.contains(fax), "\(context): fax \(fax)") }
                for date in [f.dob, f.serviceDate].compactMap({ $0 }) {
                    #expect(LayoutDateForm.allCases.contains { text.contains($0.format(date)) }, "\(context): \(date.iso)")
                }
            }
        }
    }

    /// Each hazard has the cases that make it one, and its truth keeps filing off where it is unsafe.
    @Test func decoysAndSafeOutcomesFollowTheHazards() {
        let set = LayoutSet(seed: 1107, count: 30)
        let open = set.cases.filter(\.open)
        func named(_ last: String, _ first: String? = nil) -> [LayoutCase] {
            set.cases.filter { $0.last == last && (first == nil || $0.first == first) }
        }
        var seen = Set<LayoutHazard>()
        for fax in set.faxes {
            for truth in fax.truth where !truth.family.isCover {
                let f = truth.fields
                guard let last = f.patientLast, let first = f.patientFirst else { continue }
                seen.insert(truth.hazard)
                let own = truth.caseID.flatMap { id in set.cases.first { $0.caseID == id } }
                switch truth.hazard {
                case .twin:
                    #expect(open.filter { $0.last == last && $0.dob == own?.dob }.count == 2, "\(fax.file)")
                case .sameNameOtherDOB:
                    #expect(open.filter { $0.last == last && $0.first == first }.count == 2, "\(fax.file)")
                case .sameSurname:
                    #expect(open.filter { $0.last == last }.count >= 2, "\(fax.file)")
                case .closedCase:
                    #expect(truth.caseID == nil)
                    #expect(named(last, first).contains { !$0.open && $0.dob == f.dob ?? $0.dob })
                case .noCase:
                    #expect(truth.caseID == nil)
                    #expect(!set.cases.contains { $0.last == last && $0.first == first && (f.dob == nil || $0.dob == f.dob) })
                case .maidenName:
                    #expect(own != nil && own?.last != last)
                    #expect(!truth.safeOutcomes.contains("filed"))
                case .hyphenSpace:
                    #expect(own?.last == last.replacingOccurrences(of: " ", with: "-"))
                case .nickname:
                    // The case has the legal first name; the record may print the nickname.
                    #expect(own?.last == last && own?.dob == f.dob)
                case .none:
                    #expect(own?.last == last && own?.first == first)
                }
                if truth.caseID == nil || f.dob == nil { #expect(!truth.safeOutcomes.contains("filed"), "\(fax.file)") }
            }
        }
        #expect(seen == Set(LayoutHazard.allCases))
    }
}
