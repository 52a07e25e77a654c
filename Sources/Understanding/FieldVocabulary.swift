import FileroomModel

/// What a printed label names.
enum LabelField: Sendable, Hashable, CaseIterable {
    case patientName, lastName, firstName, middleName
    case dateOfBirth
    /// The patient's record number: MRN, medical record, unit or chart number.
    case recordNumber
    /// An account number identifies a stay or a bill: the patient's number only where no record number is printed.
    case account
    /// Encounter, FIN, CSN, visit and billing numbers: never the patient's.
    case encounter
    case accession
    case sex, age
    /// The day the service was done (visit, exam, collection, operation; the day a cover was sent).
    case serviceDate
    /// Other dates: received, reported, admitted, printed.
    case otherDate
    /// The author or responsible clinician of the document type.
    case provider
    /// People in another role: referring, primary care, assistant, copy-to. Never the provider or the patient.
    case otherPerson
    /// A cover's addressee ("To:") and its attention line ("Attn:"): the receiving side, never the sender.
    case recipient, attention
    /// A cover's sender ("From:").
    case sender
    /// A cover's or letter's subject line ("Re:"), where the patient is named.
    case regarding
    /// An organisation named outright ("Company:").
    case company
    /// The party that releases records on an authorization.
    case releasingParty
    case exam
    case fax, phone, address, pages
    /// Headings and labels of things nobody reads (insurance, room, findings): they end values all the same.
    case other
}

/// One printed label: its words, the field it names, and how sure a value after it is that field, for every
/// document type or per type.
struct VocabularyLabel: Sendable {
    var phrase: String
    var field: LabelField
    /// Per document type; `anyType` for types not listed (nil: only the listed types).
    var byType: [DocumentType: Double]
    var anyType: Double?

    init(_ phrase: String, _ field: LabelField, _ certainty: Double = 1) {
        self.phrase = phrase
        self.field = field
        byType = [:]
        anyType = certainty
    }

    init(_ phrase: String, _ field: LabelField, _ byType: [DocumentType: Double]) {
        self.phrase = phrase
        self.field = field
        self.byType = byType
        anyType = nil
    }

    func certainty(for type: DocumentType?) -> Double? {
        if let type, let value = byType[type] { return value }
        if type == nil, anyType == nil { return byType.values.max() }
        return anyType
    }
}

/// The one table of printed labels. Each names its field; every reader asks it for its field's labels, and every
/// value ends where any label of the table starts. Adding a synonym is one line here.
enum FieldVocabulary {
    private typealias L = VocabularyLabel
    private static let path = DocumentType.pathologyReport, rad = DocumentType.radiologyReport
    private static let clinic = DocumentType.clinicNote, op = DocumentType.operativeNote
    private static let lab = DocumentType.labReport, cover = DocumentType.coverSheet

    static let labels: [VocabularyLabel] = [
        // The patient's name.
        L("patient name", .patientName), L("pt name", .patientName), L("patient", .patientName, 0.9),
        L("name", .patientName, 0.7), L("patient full name", .patientName), L("name of patient", .patientName),
        L("pt", .patientName, 0.8), L("patient s name", .patientName), L("patient legal name", .patientName),
        L("client name", .patientName, 0.8),
        L("last name", .lastName), L("surname", .lastName), L("patient last name", .lastName), L("family name", .lastName),
        L("first name", .firstName), L("given name", .firstName), L("patient first name", .firstName),
        L("middle name", .middleName), L("mi", .middleName), L("middle initial", .middleName),
        // Date of birth.
        L("dob", .dateOfBirth), L("d o b", .dateOfBirth), L("date of birth", .dateOfBirth), L("birth date", .dateOfBirth),
        L("birthdate", .dateOfBirth), L("born", .dateOfBirth, 0.85), L("birth", .dateOfBirth, 0.8),
        L("bd", .dateOfBirth, 0.6), L("birthday", .dateOfBirth, 0.9), L("dob age", .dateOfBirth),
        L("date of birth age", .dateOfBirth), L("birth dt", .dateOfBirth), L("dob sex", .dateOfBirth),
        L("dob age sex", .dateOfBirth), L("pt dob", .dateOfBirth), L("patient dob", .dateOfBirth),
        L("b day", .dateOfBirth, 0.8),
        // The patient's record number.
        L("mrn", .recordNumber), L("mr#", .recordNumber), L("mr #", .recordNumber), L("mr no", .recordNumber),
        L("mr number", .recordNumber), L("medical record", .recordNumber), L("medical record #", .recordNumber),
        L("medical record number", .recordNumber), L("medical record no", .recordNumber), L("med rec", .recordNumber),
        L("med rec no", .recordNumber), L("med rec #", .recordNumber), L("chart #", .recordNumber, 0.9),
        L("chart no", .recordNumber, 0.9), L("patient id", .recordNumber, 0.85), L("mrn #", .recordNumber),
        L("record #", .recordNumber, 0.9), L("record number", .recordNumber, 0.9), L("med rec number", .recordNumber),
        L("mr", .recordNumber, 0.8), L("hospital #", .recordNumber, 0.85), L("unit #", .recordNumber, 0.8),
        L("unit no", .recordNumber, 0.8), L("unit number", .recordNumber, 0.8), L("hospital no", .recordNumber, 0.85),
        L("record no", .recordNumber, 0.9), L("mrn no", .recordNumber), L("medical record num", .recordNumber),
        L("med rec num", .recordNumber), L("mr num", .recordNumber), L("med rec nbr", .recordNumber),
        L("mrn nbr", .recordNumber), L("medical rec #", .recordNumber),
        // Account numbers (below every record number label, so "Unit No" or "MRN" beside "Acct No" wins).
        L("acct", .account, 0.6), L("acct#", .account, 0.6), L("acct #", .account, 0.6), L("account", .account, 0.55),
        L("account #", .account, 0.6), L("account number", .account, 0.6), L("account no", .account, 0.6),
        L("acct no", .account, 0.6),
        // Numbers of a stay, a visit or a bill.
        L("enc #", .encounter), L("enc", .encounter), L("encounter #", .encounter), L("encounter no", .encounter),
        L("fin", .encounter), L("fin #", .encounter), L("csn", .encounter), L("visit #", .encounter),
        L("visit no", .encounter), L("har", .encounter), L("billing #", .encounter), L("policy #", .encounter),
        L("accession #", .accession), L("accession", .accession), L("acc #", .accession), L("acc#", .accession),
        L("case #", .accession), L("case no", .accession), L("surgical #", .accession), L("path #", .accession),
        // Sex and age.
        L("sex", .sex), L("gender", .sex), L("age sex", .sex), L("age gender", .sex), L("sex age", .sex),
        L("age s", .sex, 0.8), L("age", .age),
        // The service date, by document type.
        L("collected", .serviceDate, [path: 1, lab: 1]), L("date collected", .serviceDate, [path: 1, lab: 1]),
        L("collection date", .serviceDate, [path: 1, lab: 1]),
        L("procedure date", .serviceDate, [path: 0.95, rad: 0.9, op: 1]),
        L("date of procedure", .serviceDate, [path: 0.95, op: 1]), L("date of surgery", .serviceDate, [path: 0.9, op: 1]),
        L("date obtained", .serviceDate, [path: 0.9]), L("specimen date", .serviceDate, [path: 0.9]),
        L("date of service", .serviceDate, [path: 0.9, rad: 0.9, clinic: 1, op: 0.95, lab: 0.8]),
        L("dos", .serviceDate, [path: 0.9, rad: 0.9, clinic: 1, op: 0.95, lab: 0.8]),
        L("date taken", .serviceDate, [path: 0.9]), L("received", .serviceDate, [path: 0.55, lab: 0.5]),
        L("date received", .serviceDate, [path: 0.55]),
        L("exam date", .serviceDate, [rad: 1]), L("study date", .serviceDate, [rad: 1]),
        L("date of exam", .serviceDate, [rad: 1]), L("date of study", .serviceDate, [rad: 1]),
        L("date of examination", .serviceDate, [rad: 1]), L("examination date", .serviceDate, [rad: 1]),
        L("service date", .serviceDate, [rad: 0.9, clinic: 1]), L("date performed", .serviceDate, [rad: 0.9]),
        L("scan date", .serviceDate, [rad: 1]), L("date", .serviceDate, [rad: 0.5, clinic: 0.5, op: 0.5, cover: 1]),
        L("date of visit", .serviceDate, [clinic: 1]), L("visit date", .serviceDate, [clinic: 1]),
        L("encounter date", .serviceDate, [clinic: 1]), L("appointment date", .serviceDate, [clinic: 0.9]),
        L("date seen", .serviceDate, [clinic: 0.9]), L("clinic date", .serviceDate, [clinic: 1]),
        L("consult date", .serviceDate, [clinic: 1]), L("date of consultation", .serviceDate, [clinic: 1]),
        L("date of encounter", .serviceDate, [clinic: 1]), L("appt date", .serviceDate, [clinic: 0.9]),
        L("visit", .serviceDate, [clinic: 0.7]), L("encounter", .serviceDate, [clinic: 0.7]),
        L("surgery date", .serviceDate, [op: 1]), L("date of operation", .serviceDate, [op: 1]),
        L("operation date", .serviceDate, [op: 1]),
        L("specimen collected", .serviceDate, [lab: 1]), L("collection", .serviceDate, [lab: 0.8]),
        L("drawn", .serviceDate, [lab: 0.9]), L("date drawn", .serviceDate, [lab: 0.9]),
        L("collected on", .serviceDate, [lab: 1]), L("coll", .serviceDate, [lab: 0.9]),
        L("coll date", .serviceDate, [lab: 1]), L("collect date", .serviceDate, [lab: 1]),
        L("collection dt", .serviceDate, [lab: 1]),
        L("date sent", .serviceDate, [cover: 1]), L("sent", .serviceDate, [cover: 0.8]),
        L("reported", .otherDate), L("final date", .otherDate), L("signed out", .otherDate),
        L("admit date", .otherDate), L("discharge date", .otherDate), L("time", .otherDate),
        // The provider, by document type.
        L("pathologist", .provider, [path: 0.9]), L("signing pathologist", .provider, [path: 1]),
        L("attending pathologist", .provider, [path: 1]),
        L("radiologist", .provider, [rad: 0.9]), L("interpreting radiologist", .provider, [rad: 1]),
        L("reading radiologist", .provider, [rad: 1]), L("interpreted by", .provider, [rad: 1]),
        L("read by", .provider, [rad: 0.95]), L("attending radiologist", .provider, [rad: 1]),
        L("interpreting physician", .provider, [rad: 1]), L("reading physician", .provider, [rad: 1]),
        L("reported by", .provider, [rad: 0.85]),
        L("provider", .provider, [clinic: 1, lab: 0.8]), L("seen by", .provider, [clinic: 1]),
        L("attending", .provider, [clinic: 0.9, op: 0.8]), L("author", .provider, [clinic: 1]),
        L("physician", .provider, [clinic: 0.7, op: 0.6, lab: 0.8]), L("attending physician", .provider, [clinic: 1]),
        L("consulting physician", .provider, [clinic: 0.9]), L("clinician", .provider, [clinic: 0.9]),
        L("rendering provider", .provider, [clinic: 1]), L("treating physician", .provider, [clinic: 0.9]),
        L("consultant", .provider, [clinic: 0.8]), L("oncologist", .provider, [clinic: 0.8]),
        L("physician signature", .provider, [clinic: 0.9, op: 0.85]),
        L("attending physician signature", .provider, [clinic: 1]),
        L("dictating physician", .provider, [clinic: 0.9, op: 0.85]),
        L("surgeon", .provider, [op: 1]), L("surgeon s", .provider, [op: 1]), L("surgeons", .provider, [op: 1]),
        L("attending surgeon", .provider, [op: 1]), L("primary surgeon", .provider, [op: 1]),
        L("operating surgeon", .provider, [op: 1]), L("performing physician", .provider, [op: 0.9]),
        L("proceduralist", .provider, [op: 1]), L("performed by", .provider, [op: 0.9]),
        L("ordered by", .provider, [lab: 1]), L("ordering physician", .provider, [lab: 1]),
        L("ordering provider", .provider, [lab: 1]), L("requesting physician", .provider, [lab: 0.9]),
        L("ordering", .provider, [lab: 0.8]), L("requested by", .provider, [lab: 0.9]),
        L("ordering md", .provider, [lab: 1]), L("requesting md", .provider, [lab: 0.9]), L("doctor", .provider, [lab: 0.7]),
        L("referring physician", .otherPerson), L("submitting physician", .otherPerson), L("pcp", .otherPerson),
        L("referred by", .otherPerson), L("assistant", .otherPerson), L("copy to", .otherPerson), L("cc", .otherPerson),
        L("relationship", .otherPerson), L("signature", .otherPerson), L("npi", .otherPerson),
        // Cover sheets and letters.
        L("to", .recipient), L("recipient", .recipient), L("attn", .attention), L("attention", .attention),
        L("from", .sender), L("sender", .sender), L("sent by", .sender),
        L("re", .regarding), L("regarding", .regarding), L("subject", .regarding, 0.9),
        L("company", .company), L("organization", .company), L("facility", .company), L("practice", .company, 0.9),
        L("pages", .pages),
        // Who releases records on an authorization.
        L("releasing facility", .releasingParty), L("disclosing facility", .releasingParty),
        L("releasing provider", .releasingParty), L("disclosing provider", .releasingParty),
        L("release from", .releasingParty, 0.9), L("facility releasing information", .releasingParty),
        L("records from", .releasingParty, 0.8), L("provider releasing information", .releasingParty),
        L("disclosing party", .releasingParty),
        // Contacts and places.
        L("phone", .phone), L("ph", .phone), L("tel", .phone), L("fax", .fax), L("address", .address),
        L("location", .address), L("room", .address), L("room #", .address), L("bed", .address),
        // A radiology report's exam.
        L("exam", .exam), L("study", .exam), L("procedure", .exam), L("examination", .exam), L("exam type", .exam),
        // Labels and headings of things nobody reads.
        L("specimen", .other), L("ssn", .other), L("indication", .other), L("technique", .other),
        L("comparison", .other), L("findings", .other), L("impression", .other), L("insurance", .other),
    ]

    /// The labels of `fields` for a document of `type` (nil: every type), in table order.
    static func variants(_ fields: LabelField..., type: DocumentType? = nil) -> [LabelVariant] {
        labels.compactMap { label in
            guard fields.contains(label.field), let certainty = label.certainty(for: type) else { return nil }
            return LabelVariant(label.phrase, certainty)
        }
    }

    /// Every label's words, once: where any of them starts, the value before it is complete.
    static let stopLabels: [[String]] = {
        var seen = Set<[String]>()
        return labels.map { TextMatching.tokens($0.phrase) }.filter { !$0.isEmpty && seen.insert($0).inserted }
    }()
}
