public import FileroomModel
import Foundation

/// Invented people for the layout set: every name is made up, phone and fax numbers are in the fictional
/// 555-01xx range. Names are chosen to exercise casing and matching: apostrophes, Mc/Mac, accents, hyphens,
/// particles, nicknames.
enum LayoutNames {
    static let surnames = [
        "O'Brien", "McDonald", "Peña", "Delgado-Ruiz", "Vandermolen", "Abernathy", "Kowalczyk", "Nguyen",
        "MacAllister", "Thibodeaux", "Lindqvist", "Okonjo", "Haverford", "St. Clair", "Brzezinski", "Ferreira",
        "Gallagher-Stone", "Yamashita", "Whitlock", "Rasmussen", "D'Amato", "Oyelaran", "Castellanos", "Pruitt",
        "Szymanski", "Ellery", "Montoya", "Blackwood", "Achterberg", "Fairweather",
    ]
    /// Given names with the nickname a record may print instead (nil: none in common use).
    static let female: [(String, String?)] = [
        ("Margaret", "Peggy"), ("Elizabeth", "Liz"), ("Rosalind", nil), ("Deborah", "Debbie"), ("Kathleen", "Kathy"),
        ("Imogen", nil), ("Josefina", nil), ("Patricia", "Trish"), ("Wilhelmina", "Mina"), ("Harriet", nil),
        ("Susan", "Sue"), ("Annika", nil), ("Beatrice", "Bea"), ("Yolanda", nil), ("Theresa", "Terri"),
    ]
    static let male: [(String, String?)] = [
        ("Robert", "Bob"), ("William", "Bill"), ("Thaddeus", nil), ("Richard", "Rick"), ("Joseph", "Joe"),
        ("Anselm", nil), ("Gregory", "Greg"), ("Lucas", nil), ("Edward", "Ted"), ("Cornelius", "Neil"),
        ("Mateo", nil), ("James", "Jim"), ("Oluwaseun", "Seun"), ("Francis", "Frank"), ("Desmond", nil),
    ]
    static let middles = ["A", "J", "K", "M", "R", "L", "E", "T", ""]
    static let providersFirst = [
        "Sarah", "Anil", "Kristin", "Tobias", "Ngozi", "Hector", "Mei", "Graham", "Lena", "Rafael", "Ingrid",
        "Cyrus", "Priyanka", "Dominic", "Aurelia", "Marcus",
    ]
    static let providersLast = [
        "Lindgren", "Chaudhry", "Eberhardt", "Vogel", "Adeyemi", "Quintero", "Tanaka", "Ashworth", "Moreau",
        "Salazar", "Bergstrom", "Farahani", "Raghavan", "Costa", "Whitfield", "Halloran",
    ]
}

/// A patient as a record prints them (the spelling may differ from the case list: nickname, maiden name).
public struct LayoutPatient: Sendable, Hashable {
    public var last: String
    public var first: String
    public var middle: String
    public var dob: CalendarDate
    public var sex: String
    /// The outside facility's medical record number.
    public var mrn: String

    public var age: Int { 2026 - dob.year - ((dob.month, dob.day) > (11, 20) ? 1 : 0) }
}

/// An outside facility that sends records, with its letterhead and numbers.
public struct LayoutFacility: Sendable, Hashable {
    public var name: String
    public var department: String
    public var street: String
    public var city: String
    public var phone: String
    public var fax: String

    /// Digits of the fax number, as the truth gives it.
    public var faxDigits: String { fax.filter(\.isNumber) }

    static let all: [LayoutFacility] = [
        LayoutFacility(name: "St. Monica's Hospital - Galena", department: "Department of Radiology",
                       street: "410 Bench Street", city: "Galena, IL 61036", phone: "(815) 555-0137", fax: "(815) 555-0138"),
        LayoutFacility(name: "Prairie Women's Health", department: "Breast Care Center",
                       street: "2260 Kessel Road, Suite 300", city: "Rockford, IL 61107", phone: "(815) 555-0162", fax: "(815) 555-0163"),
        LayoutFacility(name: "Mississippi Bluffs Medical Center", department: "Laboratory Services",
                       street: "1 Riverside Plaza", city: "Dubuque, IA 52001", phone: "(563) 555-0110", fax: "(563) 555-0119"),
        LayoutFacility(name: "Northwoods Regional Health", department: "Division of Surgical Oncology",
                       street: "88 Pine Ridge Avenue", city: "Rhinelander, WI 54501", phone: "(715) 555-0144", fax: "(715) 555-0145"),
        LayoutFacility(name: "Kickapoo Valley Clinic", department: "Hematology & Oncology",
                       street: "301 Main Street", city: "Viroqua, WI 54665", phone: "(608) 555-0171", fax: "(608) 555-0172"),
        LayoutFacility(name: "Fox Cities Pathology Consultants", department: "Anatomic Pathology",
                       street: "1550 Midway Road", city: "Menasha, WI 54952", phone: "(920) 555-0181", fax: "(920) 555-0182"),
        LayoutFacility(name: "Sauk Prairie Memorial Hospital", department: "Imaging Services",
                       street: "260 26th Street", city: "Prairie du Sac, WI 53578", phone: "(608) 555-0124", fax: "(608) 555-0125"),
        LayoutFacility(name: "Three Rivers Surgical Group", department: "General & Oncologic Surgery",
                       street: "725 Commerce Drive", city: "La Crosse, WI 54601", phone: "(608) 555-0155", fax: "(608) 555-0156"),
    ]
}

/// A provider as the case list writes them ("First Last, MD").
public struct LayoutProvider: Sendable, Hashable {
    public var first: String
    public var last: String
    public var credential: String
    public var full: String { "\(first) \(last)" }
    public var signed: String { "\(first) \(last), \(credential)" }
    public var lastFirst: String { "\(last.uppercased()), \(first.uppercased())" }
}

/// One row of cases.csv.
public struct LayoutCase: Sendable, Hashable {
    public var caseID: String
    public var open: Bool
    /// The patient as the center registered them (legal name).
    public var last: String
    public var first: String
    public var middle: String
    public var dob: CalendarDate
    public var sex: String
    public var centerMRN: String
    public var referringProvider: LayoutProvider
    public var referringFacility: LayoutFacility
    public var site: String
    public var openedOn: CalendarDate

    static let header =
        "case_id,status,patient_last,patient_first,patient_middle,dob,sex,mrn,phone,address,city,state,zip,referring_provider,referring_facility,referring_fax,cancer_site,opened_on"

    func csvRow(phone: String, street: String) -> String {
        let city = referringFacility.city.split(separator: ",").first.map(String.init) ?? ""
        let stateZip = referringFacility.city.split(separator: ",").last.map { $0.split(separator: " ").map(String.init) } ?? []
        let fields = [
            caseID, open ? "open" : "closed", last, first, middle, dob.iso, sex, centerMRN, phone, street, city,
            stateZip.first ?? "", stateZip.last ?? "", referringProvider.signed, referringFacility.name,
            referringFacility.fax, site, openedOn.iso,
        ]
        return fields.map(Self.csvQuoted).joined(separator: ",")
    }

    static func csvQuoted(_ value: String) -> String {
        value.contains(",") || value.contains("\"") ? "\"\(value.replacingOccurrences(of: "\"", with: "\"\""))\"" : value
    }
}

/// Date forms records print; each renders the same day.
public enum LayoutDateForm: CaseIterable, Sendable {
    case slashes, slashesShort, dashes, monthName, iso, dayMonthAbbrev, twoDigitYear

    public func format(_ date: CalendarDate) -> String {
        let two = { (n: Int) in n < 10 ? "0\(n)" : "\(n)" }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let longMonths = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                          "October", "November", "December"]
        switch self {
        case .slashes: return "\(two(date.month))/\(two(date.day))/\(date.year)"
        case .slashesShort: return "\(date.month)/\(date.day)/\(date.year)"
        case .dashes: return "\(two(date.month))-\(two(date.day))-\(date.year)"
        case .monthName: return "\(longMonths[date.month - 1]) \(date.day), \(date.year)"
        case .iso: return date.iso
        case .dayMonthAbbrev: return "\(two(date.day))-\(months[date.month - 1].uppercased())-\(date.year)"
        case .twoDigitYear: return "\(two(date.month))/\(two(date.day))/\(two(date.year % 100))"
        }
    }
}

/// Seeded choices, so the same seed writes the same set.
struct LayoutRandom {
    var generator: SeededGenerator

    init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

    mutating func pick<T>(_ values: [T]) -> T { values[Int.random(in: 0..<values.count, using: &generator)] }
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &generator) }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &generator) < p }
    mutating func digits(_ count: Int) -> String { String((0..<count).map { _ in Character(String(int(0...9))) }) }

    mutating func date(year: ClosedRange<Int>) -> CalendarDate {
        let month = int(1...12)
        return CalendarDate(year: int(year), month: month, day: int(1...28)) ?? CalendarDate(year: 1960, month: 1, day: 1)!
    }

    /// A day in the weeks before the faxes arrive (October and November 2026).
    mutating func recentDate() -> CalendarDate {
        let month = int(10...11)
        return CalendarDate(year: 2026, month: month, day: int(1...(month == 11 ? 18 : 31)))!
    }

    mutating func provider() -> LayoutProvider {
        LayoutProvider(first: pick(LayoutNames.providersFirst), last: pick(LayoutNames.providersLast),
                       credential: pick(["MD", "MD", "MD", "DO"]))
    }
}
