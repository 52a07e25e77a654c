import FileroomModel
import Testing

@testable import Matching

@Suite struct ComparisonTests {
    func surname(_ a: String, _ b: String) -> Level {
        Scorer.compareSurname(PreparedName(a)!, PreparedName(b)!).level
    }

    func given(_ a: String, _ b: String, middle: String? = nil) -> Level {
        Scorer.compareGivenName(
            PreparedName(a, isGivenName: true)!, PreparedName(b, isGivenName: true)!,
            middle: middle.flatMap { PreparedName($0, isGivenName: true) }
        ).level
    }

    @Test func surnameLevels() {
        #expect(surname("Holmgren", "HOLMGREN") == .exact)
        #expect(surname("Garcia Lopez", "Garcia-Lopez") == .variant)
        #expect(surname("GarciaLopez", "Garcia-Lopez") == .variant)
        #expect(surname("O'Brien", "OBrien") == .variant)
        #expect(surname("Peña", "Pena") == .variant)
        #expect(surname("Holmgren Jr", "Holmgren") == .variant)
        #expect(surname("Lopez", "Garcia-Lopez") == .part)
        #expect(surname("Hoimgren", "Holmgren") == .ocrNear)
        #expect(surname("Ho1mgren", "Holmgren") == .ocrNear)
        #expect(surname("Holrngren", "Holmgren") == .ocrNear)
        #expect(surname("Clark", "Dark") == .ocrNear)
        #expect(surname("Holmgran", "Holmgren") == .similar)
        #expect(surname("Smith", "Jones") == .different)
    }

    @Test func givenNameLevels() {
        #expect(given("Robert", "ROBERT") == .exact)
        #expect(given("Maria C", "Maria") == .exact)
        #expect(given("Bob", "Robert") == .nickname)
        #expect(given("Liz", "Elizabeth") == .nickname)
        #expect(given("Beth", "Elizabeth") == .nickname)
        #expect(given("Betty", "Elizabeth") == .nickname)
        #expect(given("Bill", "William") == .nickname)
        #expect(given("Kathy", "Katherine") == .nickname)
        #expect(given("Peggy", "Margaret") == .nickname)
        #expect(given("Jim", "James") == .nickname)
        #expect(given("Dick", "Richard") == .nickname)
        #expect(given("Rnargaret", "Margaret") == .ocrNear)
        #expect(given("R", "Robert") == .initial)
        #expect(given("Jeffrey", "Robert", middle: "Jeffrey") == .middleName)
        #expect(given("Jonathon", "Jonathan") == .similar)
        #expect(given("Nancy", "Roger") == .different)
        #expect(given("Bob", "Richard") == .different)
    }

    @Test func dateLevels() {
        func level(_ a: String, _ b: String) -> Level {
            Scorer.compareDOB(CaseIndex.packed(CalendarDate(iso: a)!), CaseIndex.packed(CalendarDate(iso: b)!))
        }
        #expect(level("1961-03-04", "1961-03-04") == .exact)
        #expect(level("1961-04-03", "1961-03-04") == .transposed)
        #expect(level("1961-03-07", "1961-03-04") == .oneDigit)
        #expect(level("1991-03-04", "1961-03-04") == .oneDigit)
        #expect(level("1972-11-20", "1961-03-04") == .different)
    }

    @Test func dateVariantsReachTransposedAndOneDigitDates() {
        let variants = Set(CaseIndex.dateVariants(CaseIndex.packed(CalendarDate(iso: "1961-03-04")!)))
        #expect(variants.contains(19_610_403))
        #expect(variants.contains(19_610_304 + 3))
        #expect(variants.contains(19_910_304))
        #expect(!variants.contains(19_611_304))  // Month 13 does not exist.
    }

    @Test func phoneticKeysGroupSoundAlikes() {
        func code(_ s: String) -> UInt64? { CaseIndex.phoneticCode(PreparedName(s)!.ocrKey) }
        #expect(code("Smith") == code("Smyth"))
        #expect(code("Holden") == code("Ho1den"))
        #expect(code("Holden") != code("Walker"))
        let codes = CaseIndex.surnameCodes(PreparedName("Garcia-Lopez")!)
        #expect(codes.contains(code("Lopez")!))
        #expect(codes.contains(code("Garcia")!))
    }

    @Test func nicknameTableIsReal() {
        let pairs = Nicknames.groups.reduce(0) { $0 + $1.split(separator: " ").count - 1 }
        #expect(pairs >= 300)
    }

    @Test func stringMeasures() {
        #expect(StringDistance.jaroWinkler(Array("martha".utf8), Array("marhta".utf8)) > 0.96)
        #expect(StringDistance.isOneEdit(Array("smith".utf8), Array("smyth".utf8)))
        #expect(StringDistance.isOneEdit(Array("smith".utf8), Array("smiht".utf8)))
        #expect(!StringDistance.isOneEdit(Array("smith".utf8), Array("smoot".utf8)))
        #expect(StringDistance.isOCRNearMiss(Array("clark".utf8), Array("dark".utf8)))
        #expect(!StringDistance.isOCRNearMiss(Array("hall".utf8), Array("hill".utf8)))
    }
}

@Suite struct CaseIndexTests {
    @Test func blockingFindsCloseDatesOnlyWithAFittingName() {
        let index = CaseIndex([
            makeCase("A-1", "Fairweather", "Olive", "1961-05-05"),
            makeCase("A-2", "Stranger", "Quentin", "1961-05-06"),
        ])
        let d = Matcher().decide(makeFields(last: "Fairweather", first: "Olive", dob: "1961-05-06"), in: index)
        #expect(d.candidates.map(\.caseID.rawValue) == ["A-1"])
    }

    @Test func manyCasesBuildAndDecideQuickly() {
        var cases: [CaseRecord] = []
        cases.reserveCapacity(20_000)
        let lasts = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Lopez", "Wilson"]
        let firsts = ["James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Susan"]
        for i in 0..<20_000 {
            let dob = CalendarDate(year: 1930 + i % 70, month: 1 + (i / 70) % 12, day: 1 + (i / 840) % 28)!
            cases.append(
                CaseRecord(
                    caseID: CaseID(rawValue: "B-\(i)")!, status: .open, patientLast: lasts[i % 10] + (i % 7 == 0 ? "" : "\(Character(UnicodeScalar(97 + i % 26)!))x"),
                    patientFirst: firsts[(i / 10) % 10], dateOfBirth: dob))
        }
        let clock = ContinuousClock()
        let start = clock.now
        let index = CaseIndex(cases)
        let matcher = Matcher()
        var mostConsidered = 0
        for i in stride(from: 0, to: 1_000, by: 1) {
            let record = cases[i * 19]
            let decision = matcher.decide(
                makeFields(last: record.patientLast, first: record.patientFirst, dob: record.dateOfBirth.iso), in: index)
            // The reason ends "... of N considered": blocking keeps N far below the case count.
            let words = decision.reason.split(separator: " ")
            if let at = words.lastIndex(of: "considered"), at > 0, let n = Int(words[at - 1]) {
                mostConsidered = max(mostConsidered, n)
            }
        }
        #expect(mostConsidered > 0)
        #expect(mostConsidered < 200)
        #expect(clock.now - start < .seconds(30))
    }
}
