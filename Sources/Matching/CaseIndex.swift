import FileroomModel

/// A name prepared once for every comparison it will take part in.
struct PreparedName: Sendable, Hashable {
    /// Trimmed, lowercased, whitespace collapsed: equal means printed the same way.
    var plain: String
    /// Accents, hyphens, spaces, apostrophes and suffixes folded away: equal means a spelling variant.
    var key: [UInt8]
    /// `key` with digits OCR reads for letters mapped back.
    var ocrKey: [UInt8]
    /// The words of a two-part name (`garcia`, `lopez`); one element otherwise.
    var parts: [[UInt8]]
    /// Nickname groups (first names only).
    var nicknameGroups: [Int]

    init?(_ raw: String, isGivenName: Bool = false) {
        let trimmed = raw.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ").lowercased()
        let parts = NameText.parts(raw)
        let joined = parts.joined()
        guard !joined.isEmpty else { return nil }
        plain = trimmed
        key = Array(joined.utf8)
        ocrKey = Array(NameText.lettersForDigits(joined).utf8)
        self.parts = parts.map { Array($0.utf8) }
        nicknameGroups = isGivenName ? Nicknames.groupIDs(parts.first ?? joined) : []
    }

    var keyString: String { String(decoding: key, as: UTF8.self) }
    var firstPartString: String { parts.first.map { String(decoding: $0, as: UTF8.self) } ?? keyString }
}

/// A case with everything the matcher compares precomputed, so scoring a candidate allocates little. A class so that
/// handing one to the scorer costs one retain, not a copy of every field.
final class IndexedCase: Sendable {
    let record: CaseRecord
    let last: PreparedName?
    let first: PreparedName?
    let middle: PreparedName?
    let dob: Int32
    let mrnKey: String?
    let facilityKey: String?
    let faxDigits: String?
    let providerLastKey: String?
    let sex: String?
    /// Phonetic codes of the whole surname and of each of its parts.
    let lastCodes: [UInt64]

    init(
        record: CaseRecord, last: PreparedName?, first: PreparedName?, middle: PreparedName?, dob: Int32,
        mrnKey: String?, facilityKey: String?, faxDigits: String?, providerLastKey: String?, sex: String?,
        lastCodes: [UInt64]
    ) {
        self.record = record
        self.last = last
        self.first = first
        self.middle = middle
        self.dob = dob
        self.mrnKey = mrnKey
        self.facilityKey = facilityKey
        self.faxDigits = faxDigits
        self.providerLastKey = providerLastKey
        self.sex = sex
        self.lastCodes = lastCodes
    }
}

/// Cases found through blocking keys so the matcher never scans the whole case list: the date of birth (the
/// document's exact date, and for close dates only cases whose name also fits), a phonetic key of the surname and of
/// each part of a two-part surname, and the center's own MRN.
public final class CaseIndex: Sendable {
    let entries: [IndexedCase]
    private let byDOB: [Int32: [Int32]]
    private let bySurnameCode: [UInt64: [Int32]]
    private let byMRN: [String: [Int32]]
    /// By position: how many cases share the case's surname key / given name, itself included.
    private let surnameShares: [Int32]
    private let givenNameShares: [Int32]
    private let byID: [CaseID: Int32]

    /// Number of cases, open and closed.
    public var count: Int { entries.count }
    /// Number of open cases.
    public let openCount: Int
    /// The open cases as understanding looks for them on pages: built with the index, once per case-list version.
    public let knownPatients: KnownPatients

    public init(_ cases: [CaseRecord]) {
        var entries: [IndexedCase] = []
        entries.reserveCapacity(cases.count)
        var byDOB: [Int32: [Int32]] = [:]
        var bySurnameCode: [UInt64: [Int32]] = [:]
        var byMRN: [String: [Int32]] = [:]
        var surnameCounts: [String: Int] = [:]
        var givenNameCounts: [String: Int] = [:]
        var byID: [CaseID: Int32] = [:]
        var openCount = 0
        for record in cases {
            let position = Int32(entries.count)
            let last = PreparedName(record.patientLast)
            let first = PreparedName(record.patientFirst, isGivenName: true)
            let entry = IndexedCase(
                record: record,
                last: last,
                first: first,
                middle: record.patientMiddle.flatMap { PreparedName($0, isGivenName: true) },
                dob: Self.packed(record.dateOfBirth),
                mrnKey: record.mrn.flatMap(Self.mrnKey),
                facilityKey: record.referringFacility.flatMap(Self.facilityKey),
                faxDigits: record.referringFax.flatMap(Self.phoneDigits),
                providerLastKey: record.referringProvider.flatMap(Self.providerLastKey),
                sex: record.sex.map { $0.uppercased() },
                lastCodes: last.map(Self.surnameCodes) ?? []
            )
            entries.append(entry)
            byDOB[entry.dob, default: []].append(position)
            for code in entry.lastCodes { bySurnameCode[code, default: []].append(position) }
            if let mrn = entry.mrnKey { byMRN[mrn, default: []].append(position) }
            if let last { surnameCounts[last.keyString, default: 0] += 1 }
            if let first { givenNameCounts[first.firstPartString, default: 0] += 1 }
            byID[record.caseID] = position
            if record.status == .open { openCount += 1 }
        }
        self.entries = entries
        self.byDOB = byDOB
        self.bySurnameCode = bySurnameCode
        self.byMRN = byMRN
        surnameShares = entries.map { entry in Int32(entry.last.map { surnameCounts[$0.keyString] ?? 1 } ?? 0) }
        givenNameShares = entries.map { entry in Int32(entry.first.map { givenNameCounts[$0.firstPartString] ?? 1 } ?? 0) }
        self.byID = byID
        self.openCount = openCount
        knownPatients = KnownPatients(cases)
    }

    /// The case with this id, if indexed.
    public func record(for id: CaseID) -> CaseRecord? {
        byID[id].map { entries[Int($0)].record }
    }

    /// Every indexed case, in the order given.
    public var cases: [CaseRecord] { entries.map(\.record) }

    // MARK: Blocking

    /// Cases born on exactly this day.
    func cases(bornOn dob: Int32) -> [Int32] { byDOB[dob] ?? [] }

    /// Cases born on a day one digit away or with day and month swapped; the caller filters them by name.
    func cases(bornNear dob: Int32) -> [Int32] {
        var found: [Int32] = []
        for variant in Self.dateVariants(dob) {
            if let bucket = byDOB[variant] { found.append(contentsOf: bucket) }
        }
        return found
    }

    func cases(surnameCode code: UInt64) -> [Int32] { bySurnameCode[code] ?? [] }
    func cases(mrn key: String) -> [Int32] { byMRN[key] ?? [] }

    /// How many indexed cases share this surname key / given name key: common names agree by chance more often.
    func surnameShare(_ position: Int32) -> Int { Int(surnameShares[Int(position)]) }
    func givenNameShare(_ position: Int32) -> Int { Int(givenNameShares[Int(position)]) }

    // MARK: Keys

    static func packed(_ date: CalendarDate) -> Int32 {
        Int32(date.year * 10_000 + date.month * 100 + date.day)
    }

    static func unpacked(_ value: Int32) -> CalendarDate? {
        let v = Int(value)
        return CalendarDate(year: v / 10_000, month: (v / 100) % 100, day: v % 100)
    }

    /// Valid dates with day and month swapped, or with any one of the eight digits changed.
    static func dateVariants(_ dob: Int32) -> [Int32] {
        var result: [Int32] = []
        result.reserveCapacity(80)
        let v = Int(dob)
        let year = v / 10_000, month = (v / 100) % 100, day = v % 100
        if month != day, CalendarDate(year: year, month: day, day: month) != nil {
            result.append(Int32(year * 10_000 + day * 100 + month))
        }
        var place = 1
        for _ in 0..<8 {
            let digit = (v / place) % 10
            for replacement in 0...9 where replacement != digit {
                let candidate = v + (replacement - digit) * place
                let y = candidate / 10_000, m = (candidate / 100) % 100, d = candidate % 100
                if y >= 1900, (1...12).contains(m), d >= 1, d <= CalendarDate.daysIn(month: m, year: y) {
                    result.append(Int32(candidate))
                }
            }
            place *= 10
        }
        return result
    }

    /// A Soundex-like code, six characters long, over the OCR-repaired key: names that sound alike share it, and a
    /// digit read for a letter does not move a name to another bucket. Packed into an integer (one byte a character)
    /// so that blocking compares and hashes numbers, not strings.
    static func phoneticCode(_ key: [UInt8]) -> UInt64? {
        guard let start = key.firstIndex(where: { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }) else {
            return nil
        }
        let firstByte = key[start]
        func digit(_ c: UInt8) -> UInt8 {
            switch c {
            case UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "p"), UInt8(ascii: "v"): return 1
            case UInt8(ascii: "c"), UInt8(ascii: "g"), UInt8(ascii: "j"), UInt8(ascii: "k"), UInt8(ascii: "q"),
                UInt8(ascii: "s"), UInt8(ascii: "x"), UInt8(ascii: "z"):
                return 2
            case UInt8(ascii: "d"), UInt8(ascii: "t"): return 3
            case UInt8(ascii: "l"): return 4
            case UInt8(ascii: "m"), UInt8(ascii: "n"): return 5
            case UInt8(ascii: "r"): return 6
            case UInt8(ascii: "h"), UInt8(ascii: "w"): return 7  // Transparent: does not separate equal codes.
            default: return 0  // Vowels and anything else: separate equal codes.
            }
        }
        var code: [UInt8] = [firstByte &- 32]  // Uppercase first letter.
        var previous = digit(firstByte)
        for c in key[(start + 1)...] {
            let d = digit(c)
            if d == 7 { continue }
            if d != 0, d != previous {
                code.append(UInt8(ascii: "0") + d)
                if code.count == 6 { break }
            }
            previous = d
        }
        return code.reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// Codes for the whole surname and for each part of a two-part surname.
    static func surnameCodes(_ name: PreparedName) -> [UInt64] {
        var codes: [UInt64] = []
        if let code = phoneticCode(name.ocrKey) { codes.append(code) }
        if name.parts.count > 1 {
            for part in name.parts where part.count >= 2 {
                if let code = phoneticCode(Array(NameText.lettersForDigits(String(decoding: part, as: UTF8.self)).utf8)),
                    !codes.contains(code)
                {
                    codes.append(code)
                }
            }
        }
        return codes
    }

    /// MRNs compare as uppercase letters and digits, leading zeros kept.
    static func mrnKey(_ raw: String) -> String? {
        let key = String(raw.uppercased().unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) })
        return key.isEmpty ? nil : key
    }

    /// The 10 digits of a North American phone or fax number, without a leading country code.
    static func phoneDigits(_ raw: String) -> String? {
        var digits = raw.filter(\.isASCII).filter(\.isNumber)
        if digits.count == 11, digits.hasPrefix("1") { digits.removeFirst() }
        return digits.count == 10 ? digits : nil
    }

    /// Words of a facility name that tell facilities apart, sorted and joined.
    static func facilityKey(_ raw: String) -> String? {
        let generic: Set<String> = ["the", "of", "and", "inc", "llc", "pc", "at", "a"]
        let words = NameText.folded(raw).split(separator: " ").map(String.init).filter { !generic.contains($0) }
        return words.isEmpty ? nil : words.sorted().joined(separator: " ")
    }

    /// The surname of "First Last" or "Last, First, MD": the word before credentials.
    static func providerLastKey(_ raw: String) -> String? {
        let credentials: Set<String> = [
            "md", "do", "np", "pa", "pac", "c", "aprn", "apnp", "rn", "phd", "facs", "dr", "mba", "mph", "facp", "jr",
            "sr", "ii", "iii",
        ]
        let head = raw.split(separator: ",").first.map(String.init) ?? raw
        let words = NameText.folded(head).split(separator: " ").map(String.init).filter { !credentials.contains($0) }
        return words.last
    }
}
