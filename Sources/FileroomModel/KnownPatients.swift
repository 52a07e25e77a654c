/// The open cases as understanding looks for them on a page: by date of birth, each name folded once.
///
/// Built once per version of the case list (the daemon rebuilds it with its case index) and handed to understanding
/// as a value, so reading a fax stays a pure function of its pages and this list. A lookup is one hash probe per
/// date printed on a page; nothing scans the list.
public struct KnownPatients: Sendable {
    /// One open case's patient, with the keys page words are compared with.
    public struct Patient: Sendable, Hashable {
        public var caseID: CaseID
        /// As the case list spells them: the spelling exported when the page prints the same name.
        public var last: String
        public var first: String
        public var dateOfBirth: CalendarDate
        /// The folded surname joined ("garcialopez") and, for a two-part surname, each part ("garcia", "lopez").
        public var lastKey: String
        public var lastParts: [String]
        public var firstKey: String
        /// Nickname groups of the given name.
        public var firstGroups: [Int]
    }

    private let patients: [Patient]
    private let byDOB: [Int32: [Int32]]
    /// Folded given names of the case list, to tell "SMITH JOHN" from "JOHN SMITH".
    private let givenNames: Set<String>
    private let surnames: Set<String>

    /// Only open cases: a closed case takes no documents, so finding it on a page would only mislead.
    public init(_ cases: [CaseRecord]) {
        var patients: [Patient] = []
        var byDOB: [Int32: [Int32]] = [:]
        var givenNames = Set<String>()
        var surnames = Set<String>()
        for record in cases where record.status == .open {
            let parts = NameText.parts(record.patientLast)
            let lastKey = parts.joined()
            let firstKey = NameText.parts(record.patientFirst).first ?? ""
            guard lastKey.count >= 2, firstKey.count >= 2 else { continue }
            let patient = Patient(
                caseID: record.caseID, last: record.patientLast, first: record.patientFirst,
                dateOfBirth: record.dateOfBirth, lastKey: lastKey, lastParts: parts.count > 1 ? parts : [],
                firstKey: firstKey, firstGroups: Nicknames.groupIDs(firstKey))
            byDOB[Self.packed(record.dateOfBirth), default: []].append(Int32(patients.count))
            patients.append(patient)
            givenNames.insert(firstKey)
            surnames.insert(lastKey)
        }
        self.patients = patients
        self.byDOB = byDOB
        self.givenNames = givenNames
        self.surnames = surnames
    }

    public static let none = KnownPatients([])

    public var count: Int { patients.count }
    public var isEmpty: Bool { patients.isEmpty }

    /// Open cases whose patient was born on this day.
    public func born(on date: CalendarDate) -> [Patient] {
        (byDOB[Self.packed(date)] ?? []).map { patients[Int($0)] }
    }

    /// Whether a folded word is some open case's given name / surname.
    public func isGivenName(_ key: String) -> Bool { givenNames.contains(key) }
    public func isSurname(_ key: String) -> Bool { surnames.contains(key) }

    static func packed(_ date: CalendarDate) -> Int32 {
        Int32(date.year * 10_000 + date.month * 100 + date.day)
    }
}
