/// Whether a case still takes documents.
public enum CaseStatus: String, Sendable, Codable, CaseIterable, Hashable {
    case open
    case closed
}

/// A second-opinion case as the center's case list has it (columns of `cases.csv`).
public struct CaseRecord: Sendable, Hashable, Codable {
    public var caseID: CaseID
    public var status: CaseStatus
    public var patientLast: String
    public var patientFirst: String
    public var patientMiddle: String?
    public var dateOfBirth: CalendarDate
    public var sex: String?
    /// The center's own MRN.
    public var mrn: String?
    public var phone: String?
    public var address: String?
    public var city: String?
    public var state: String?
    public var zip: String?
    public var referringProvider: String?
    public var referringFacility: String?
    /// 10 digits.
    public var referringFax: String?
    public var cancerSite: String?
    public var openedOn: CalendarDate?

    public init(
        caseID: CaseID, status: CaseStatus, patientLast: String, patientFirst: String, patientMiddle: String? = nil,
        dateOfBirth: CalendarDate, sex: String? = nil, mrn: String? = nil, phone: String? = nil,
        address: String? = nil, city: String? = nil, state: String? = nil, zip: String? = nil,
        referringProvider: String? = nil, referringFacility: String? = nil, referringFax: String? = nil,
        cancerSite: String? = nil, openedOn: CalendarDate? = nil
    ) {
        self.caseID = caseID
        self.status = status
        self.patientLast = patientLast
        self.patientFirst = patientFirst
        self.patientMiddle = patientMiddle
        self.dateOfBirth = dateOfBirth
        self.sex = sex
        self.mrn = mrn
        self.phone = phone
        self.address = address
        self.city = city
        self.state = state
        self.zip = zip
        self.referringProvider = referringProvider
        self.referringFacility = referringFacility
        self.referringFax = referringFax
        self.cancerSite = cancerSite
        self.openedOn = openedOn
    }
}
