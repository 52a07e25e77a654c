import ArgumentParser
import FileroomModel
import Foundation
import Matching
import Understanding

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `fileroom bench match`: matching speed on synthetic cases and documents, on one core.
struct BenchMatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "Match synthetic documents against synthetic open cases; print documents/second and peak memory."
    )

    @Option(name: .long, help: "Open cases to generate.")
    var cases = 100_000

    @Option(name: .long, help: "Documents to match.")
    var documents = 10_000

    @Option(name: .long, help: "Seed of the generator (same seed, same data).")
    var seed: UInt64 = 20_261_127

    @Flag(name: .long, help: "Print one JSON object.")
    var json = false

    @Flag(name: .long, help: "Print every wrong filing with its explanation (synthetic data only).")
    var showWrong = false

    func validate() throws {
        guard cases > 0, documents > 0 else { throw ValidationError("--cases and --documents must be positive") }
    }

    func run() async throws {
        var generator = SyntheticPopulation(seed: seed)
        let records = generator.cases(count: cases)
        let docs = generator.documents(count: documents, from: records)

        let clock = ContinuousClock()
        let buildStart = clock.now
        let index = CaseIndex(records)
        let buildTime = clock.now - buildStart

        let matcher = Matcher()
        var filedRight = 0, filedWrong = 0, filedWrongIndistinguishable = 0, review = 0, unmatched = 0, candidates = 0
        let matchStart = clock.now
        let cpuStart = Self.cpuSeconds()
        for doc in docs {
            let decision = matcher.decide(doc.fields, in: index)
            candidates += decision.candidates.count
            switch decision.status {
            case .filed:
                if decision.caseID == doc.truth {
                    filedRight += 1
                } else {
                    filedWrong += 1
                    if let filed = decision.caseID.flatMap(index.record(for:)), Self.printsExactly(filed, doc.fields) {
                        filedWrongIndistinguishable += 1
                    }
                    if showWrong { Self.explain(doc, decision, index) }
                }
            case .review: review += 1
            case .unmatched: unmatched += 1
            }
        }
        let matchTime = clock.now - matchStart
        let cpuSeconds = Self.cpuSeconds() - cpuStart
        let seconds = Double(matchTime.components.seconds) + Double(matchTime.components.attoseconds) / 1e18
        let buildSeconds = Double(buildTime.components.seconds) + Double(buildTime.components.attoseconds) / 1e18
        let perSecond = Double(docs.count) / max(seconds, 1e-9)
        let perCPUSecond = Double(docs.count) / max(cpuSeconds, 1e-9)
        let finding = Self.pageFindingCost(records: records, known: index.knownPatients)
        let peakMiB = Double(Self.peakResidentKiB()) / 1024

        if json {
            let object: [String: Any] = [
                "cases": records.count, "documents": docs.count, "seed": seed,
                "index_build_seconds": buildSeconds, "match_seconds": seconds, "documents_per_second": perSecond.rounded(),
                "cpu_seconds": cpuSeconds, "documents_per_cpu_second": perCPUSecond.rounded(),
                "peak_rss_mib": peakMiB.rounded(), "filed_correct": filedRight, "filed_wrong": filedWrong,
                "filed_wrong_indistinguishable": filedWrongIndistinguishable,
                "review": review, "unmatched": unmatched,
                "page_finding_ms": finding.milliseconds, "page_finding_share_of_ocr": finding.shareOfOCR,
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("cases \(records.count), documents \(docs.count), seed \(seed)")
            print("index build \(String(format: "%.2f", buildSeconds)) s")
            print("matched in \(String(format: "%.2f", seconds)) s on one core: \(Int(perSecond.rounded())) documents/second")
            print(
                "CPU time \(String(format: "%.2f", cpuSeconds)) s: \(Int(perCPUSecond.rounded())) documents per CPU second"
                    + " (above the wall-clock figure when other processes share the core)")
            print(
                "outcomes: filed \(filedRight + filedWrong), review \(review), unmatched \(unmatched), "
                    + "candidates shown \(candidates)")
            print(
                "wrong filings \(filedWrong), of which \(filedWrongIndistinguishable) print exactly the name and DOB of "
                    + "a case they do not belong to (no matcher can tell those apart)")
            print(
                "case-guided finding on pages: \(String(format: "%.3f", finding.milliseconds)) ms per page with "
                    + "\(index.knownPatients.count) open cases, \(String(format: "%.2f", finding.shareOfOCR * 100))% of a "
                    + "1 s page OCR")
            print("peak RSS \(String(format: "%.0f", peakMiB)) MiB")
        }
    }

    /// What looking for the open cases adds to reading one page: understanding of synthetic clinic pages (40 rows,
    /// several dates, the patient's name in a header and a footer) with the open cases minus without them.
    static func pageFindingCost(records: [CaseRecord], known: KnownPatients) -> (milliseconds: Double, shareOfOCR: Double) {
        let interpreter = FaxInterpreter(today: CalendarDate(year: 2026, month: 12, day: 1))
        let pages = records.prefix(200).enumerated().map { syntheticPage(number: $0.offset + 1, patient: $0.element) }
        let clock = ContinuousClock()
        func seconds(_ known: KnownPatients) -> Double {
            let start = clock.now
            for page in pages { _ = interpreter.interpret([page], known: known) }
            let elapsed = clock.now - start
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        }
        _ = seconds(.none)
        let without = seconds(.none), with = seconds(known)
        let perPage = max(0, with - without) / Double(max(1, pages.count)) * 1000
        return (perPage, perPage / 1000)
    }

    /// A clinic note page laid out as OCR reports one: words with boxes, one line a row.
    static func syntheticPage(number: Int, patient: CaseRecord) -> PageText {
        let dob = patient.dateOfBirth
        let printedDOB = "\(dob.month)/\(dob.day)/\(dob.year)"
        var lines = [
            "Northgate Regional Medical Center", "1200 Lakeview Drive, Suite 300, Madison, WI 53703",
            "Phone (608) 555-0120 Fax (608) 555-0121", "CLINIC NOTE",
            "\(patient.patientLast.uppercased()), \(patient.patientFirst.uppercased())",
            "DOB/Age: \(printedDOB) (60 y) Sex: F Enc #: 88120443", "Date of Service: 11/14/2026 Provider: Ingrid Solvang, MD",
        ]
        let prose = "The patient returns for follow-up after a core biopsy on 10/02/2026 and imaging on 10/09/2026 with no new complaints"
        for row in 0..<30 { lines.append(row % 5 == 0 ? prose : String(prose.prefix(60 + row))) }
        lines.append("\(patient.patientLast), \(patient.patientFirst) MRN 00441820 Printed 11/20/2026 Page 1 of 1")
        var textLines: [TextLine] = []
        for (row, line) in lines.enumerated() {
            var x = 100
            let words = line.split(separator: " ").map { token -> RecognizedWord in
                let word = RecognizedWord(
                    text: String(token), box: BoundingBox(x: x, y: 150 + row * 44, width: token.count * 18, height: 28),
                    confidence: 0.93)
                x += token.count * 18 + 12
                return word
            }
            textLines.append(TextLine(words: words))
        }
        return PageText(
            number: number, source: .ocr, width: 1728, height: 2200, dpiX: 204, dpiY: 196, confidence: 0.93,
            lines: textLines)
    }

    /// Synthetic people only: shows what was printed, the truth and the filed case side by side.
    static func explain(_ doc: SyntheticPopulation.Document, _ decision: MatchDecision, _ index: CaseIndex) {
        func describe(_ r: CaseRecord?) -> String {
            guard let r else { return "none" }
            return "\(r.caseID) \(r.patientLast), \(r.patientFirst) \(r.dateOfBirth)"
        }
        let f = doc.fields
        print("WRONG printed \(f.patientLast?.value ?? "-"), \(f.patientFirst?.value ?? "-") \(f.dateOfBirth?.value.iso ?? "-")")
        print("  truth \(describe(doc.truth.flatMap(index.record(for:))))")
        print("  filed \(describe(decision.caseID.flatMap(index.record(for:)))) :: \(decision.reason)")
    }

    /// The document prints exactly the case's surname, given name and DOB: no matcher could tell them apart.
    static func printsExactly(_ record: CaseRecord, _ fields: DocumentFields) -> Bool {
        fields.patientLast?.value == record.patientLast && fields.patientFirst?.value == record.patientFirst
            && fields.dateOfBirth?.value == record.dateOfBirth
    }

    /// CPU time this process has used, user plus system.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        #if os(Linux)
        let who = Int32(RUSAGE_SELF.rawValue)
        #else
        let who = RUSAGE_SELF
        #endif
        guard getrusage(who, &usage) == 0 else { return 0 }
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec)
            + Double(usage.ru_stime.tv_usec) / 1e6
    }

    /// Peak resident set size of this process in KiB (Linux reports `ru_maxrss` in KiB, macOS in bytes).
    static func peakResidentKiB() -> Int {
        var usage = rusage()
        #if os(Linux)
        let who = Int32(RUSAGE_SELF.rawValue)
        #else
        let who = RUSAGE_SELF
        #endif
        guard getrusage(who, &usage) == 0 else { return 0 }
        #if os(macOS)
        return Int(usage.ru_maxrss) / 1024
        #else
        return Int(usage.ru_maxrss)
        #endif
    }
}

/// A deterministic synthetic population: names drawn with realistic skew (a few very common surnames and given
/// names, a long tail), so that same-name patients, shared birthdays and twins occur as they do in a real case list.
struct SyntheticPopulation {
    struct Document {
        var fields: DocumentFields
        /// The case the document is really about, nil for a patient without a case.
        var truth: CaseID?
    }

    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// SplitMix64: tiny, fast, and the same on every platform.
    private mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    private mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }

    /// Zipf-like pick: rank r is chosen with weight 1/(r+offset). An offset of 20 over the surname list gives the
    /// most common surname about 2% of people, as in the United States census; 10 over given names about 4%.
    private mutating func skewed<T>(_ items: [T], offset: Double) -> T {
        var total = 0.0
        for rank in 0..<items.count { total += 1 / (Double(rank) + offset) }
        var target = Double(next() >> 11) / Double(1 << 53) * total
        for (rank, item) in items.enumerated() {
            target -= 1 / (Double(rank) + offset)
            if target <= 0 { return item }
        }
        return items[items.count - 1]
    }

    private mutating func surname() -> String { skewed(Self.surnames, offset: 20) }
    private mutating func givenName(female: Bool) -> String {
        skewed(female ? Self.femaleNames : Self.maleNames, offset: 10)
    }

    static let surnames: [String] = """
        Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson \
        Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis \
        Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera \
        Campbell Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart \
        Morris Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim \
        Cox Ward Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo \
        Sanders Patel Myers Long Ross Foster Jimenez Powell Jenkins Perry Russell Sullivan Bell Coleman Butler \
        Henderson Barnes Gonzales Fisher Vasquez Simmons Romero Jordan Patterson Alexander Hamilton Graham Reynolds \
        Griffin Wallace Moreno West Cole Hayes Bryant Herrera Gibson Ellis Tran Medina Aguilar Stevens Murray Ford \
        Castro Marshall Owens Harrison Fernandez McDonald Woods Washington Kennedy Wells Vargas Henry Chen Freeman \
        Webb Tucker Guzman Burns Crawford Olson Simpson Porter Hunter Gordon Mendez Silva Shaw Snyder Mason Dixon \
        Munoz Hunt Hicks Holmes Palmer Wagner Black Robertson Boyd Rose Stone Salazar Fox Warren Mills Meyer Rice \
        Schmidt Garza Daniels Ferguson Nichols Stephens Soto Weaver Ryan Gardner Payne Grant Dunn Kelley Spencer \
        Hawkins Arnold Pierce Vazquez Hansen Peters Santos Hart Bradley Knight Elliott Cunningham Duncan Armstrong \
        Hudson Carroll Lane Riley Andrews Alvarado Ray Delgado Berry Perkins Hoffman Johnston Matthews Pena Richards \
        Contreras Willis Carpenter Lawrence Sandoval O'Brien O'Connor Holmgren Quintero Villanueva
        """.split(separator: " ").map(String.init)

    static let femaleNames: [String] = """
        Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty Margaret Sandra \
        Ashley Kimberly Emily Donna Michelle Carol Amanda Dorothy Melissa Deborah Stephanie Rebecca Sharon Laura \
        Cynthia Kathleen Amy Angela Shirley Anna Brenda Pamela Emma Nicole Helen Samantha Katherine Christine Debra \
        Rachel Carolyn Janet Catherine Maria Heather Diane Ruth Julie Olivia Joyce Virginia Victoria Kelly Lauren \
        Christina Joan Evelyn Judith Megan Andrea Cheryl Hannah Jacqueline Martha Gloria Teresa Ann Sara Madison \
        Frances Kathryn Janice Jean Abigail Alice Judy Sophia Grace Denise Amber Doris Marilyn Danielle Beverly \
        Isabella Theresa Diana Natalie Brittany Charlotte Marie Kayla Alexis Lori
        """.split(separator: " ").map(String.init)

    static let maleNames: [String] = """
        James Robert John Michael David William Richard Joseph Thomas Christopher Charles Daniel Matthew Anthony Mark \
        Donald Steven Andrew Paul Joshua Kenneth Kevin Brian George Timothy Ronald Jason Edward Jeffrey Ryan Jacob \
        Gary Nicholas Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin Samuel Gregory Alexander Patrick \
        Frank Raymond Jack Dennis Jerry Tyler Aaron Jose Adam Nathan Henry Zachary Douglas Peter Kyle Noah Ethan \
        Jeremy Walter Christian Keith Roger Terry Austin Sean Gerald Carl Harold Dylan Arthur Lawrence Jordan Jesse \
        Bryan Billy Bruce Gabriel Joe Logan Alan Juan Albert Willie Elijah Wayne Randy Vincent Mason Roy Ralph \
        Bobby Russell Bradley Philip Eugene
        """.split(separator: " ").map(String.init)

    static let facilities: [String] = (0..<40).map { i in
        let places = ["Prairie", "Riverbend", "Lakeside", "Oak Hill", "Cedar Valley", "North Shore", "Pine Ridge", "Bluff City"]
        let kinds = ["Medical Center", "Health System", "Clinic", "Regional Hospital", "Physicians Group"]
        return "\(places[i % places.count]) \(kinds[(i / places.count) % kinds.count])"
    }

    /// Short forms people go by, for documents that print a nickname.
    static let nicknames: [String: [String]] = [
        "Robert": ["Bob", "Rob", "Bobby"], "William": ["Bill", "Will"], "Elizabeth": ["Liz", "Beth", "Betty"],
        "Katherine": ["Kathy", "Kate"], "Margaret": ["Peggy", "Maggie"], "James": ["Jim", "Jimmy"],
        "Richard": ["Dick", "Rick"], "Michael": ["Mike"], "Jennifer": ["Jen", "Jenny"], "Patricia": ["Pat", "Patty"],
        "Thomas": ["Tom"], "Christopher": ["Chris"], "Joseph": ["Joe"], "Daniel": ["Dan"], "Deborah": ["Debbie"],
        "Susan": ["Sue"], "Kimberly": ["Kim"], "Anthony": ["Tony"], "Edward": ["Ed", "Ted"], "Samantha": ["Sam"],
    ]

    mutating func cases(count: Int) -> [CaseRecord] {
        var result: [CaseRecord] = []
        result.reserveCapacity(count)
        for i in 0..<count {
            var last = surname()
            if chance(0.03) { last += (chance(0.5) ? "-" : " ") + surname() }
            let female = chance(0.55)
            let first = givenName(female: female)
            let middle = chance(0.6) ? givenName(female: female) : nil
            let dob = randomDOB()
            let facility = below(Self.facilities.count)
            let idText = "SYN-\(String(100_000_000 + i).dropFirst())"
            guard let id = CaseID(rawValue: idText) else { continue }
            result.append(
                CaseRecord(
                    caseID: id, status: .open, patientLast: last, patientFirst: first, patientMiddle: middle,
                    dateOfBirth: dob, sex: female ? "F" : "M", mrn: String(10_000_000 + below(89_999_999)),
                    referringProvider: "\(givenName(female: false)) \(surname()), MD",
                    referringFacility: Self.facilities[facility], referringFax: "555555\(String(1000 + facility).suffix(4))"
                ))
        }
        return result
    }

    private mutating func randomDOB() -> CalendarDate {
        let year = 1930 + below(76)
        let month = 1 + below(12)
        let day = 1 + below(CalendarDate.daysIn(month: month, year: year))
        return CalendarDate(year: year, month: month, day: day) ?? CalendarDate(year: 1970, month: 1, day: 1)!
    }

    mutating func documents(count: Int, from cases: [CaseRecord]) -> [Document] {
        var result: [Document] = []
        result.reserveCapacity(count)
        for _ in 0..<count {
            let roll = below(100)
            if roll < 10 {
                // A patient without a case.
                let female = chance(0.5)
                let fields = makeFields(
                    last: surname(), first: givenName(female: female),
                    dob: randomDOB(), facility: Self.facilities[below(Self.facilities.count)])
                result.append(Document(fields: fields, truth: nil))
                continue
            }
            let record = cases[below(cases.count)]
            var last: String? = record.patientLast
            var first: String? = record.patientFirst
            var dob: CalendarDate? = record.dateOfBirth
            switch roll {
            case 10..<18: first = Self.nicknames[record.patientFirst]?.first ?? record.patientFirst
            case 18..<24: last = ocrSlip(record.patientLast)
            case 24..<28: last = record.patientLast.replacingOccurrences(of: "-", with: " ").uppercased()
            case 28..<33: dob = nil
            case 33..<36:
                let d = record.dateOfBirth
                dob = d.day <= 12 ? CalendarDate(year: d.year, month: d.day, day: d.month) : d
            case 36..<38: first = nil
            case 38..<40: last = last.map { $0 + "x" }  // An ordinary typo.
            default: break
            }
            var fields = makeFields(last: last, first: first, dob: dob, facility: chance(0.7) ? record.referringFacility : nil)
            if chance(0.2) {
                fields.mrn = Extracted(record.mrn ?? "", confidence: 0.95, page: 1)
                fields.mrnIssuer = .ours
            } else if chance(0.5) {
                fields.mrn = Extracted(String(1_000_000 + below(8_999_999)), confidence: 0.95, page: 1)
                fields.mrnIssuer = .outside
            }
            result.append(Document(fields: fields, truth: record.caseID))
        }
        return result
    }

    /// One OCR-style slip: a letter read as a digit or `m` read as `rn`.
    private mutating func ocrSlip(_ name: String) -> String {
        for (from, to) in [("m", "rn"), ("l", "1"), ("o", "0")] {
            if let range = name.range(of: from) { return name.replacingCharacters(in: range, with: to) }
        }
        return name
    }

    private func makeFields(last: String?, first: String?, dob: CalendarDate?, facility: String?) -> DocumentFields {
        DocumentFields(
            patientLast: last.map { Extracted($0, confidence: 0.93, page: 1) },
            patientFirst: first.map { Extracted($0, confidence: 0.93, page: 1) },
            dateOfBirth: dob.map { Extracted($0, confidence: 0.9, page: 1) },
            facility: facility.map { Extracted($0, confidence: 0.9, page: 1) }
        )
    }
}
