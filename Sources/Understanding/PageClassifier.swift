import FileroomModel

/// What the classifier made of one page, with the evidence that decided it.
public struct PageClassification: Sendable, Hashable {
    /// Nil for a blank, nearly empty or unreadable page: it joins a neighbouring document.
    public var type: DocumentType?
    /// 0...1.
    public var confidence: Double
    public var scores: [DocumentType: Double]
    public var evidence: [String]
    /// The page carries a report heading, a "Page 1 of N" footer or similar: a document starts here.
    public var startsDocument: Bool
    /// "continued" near the top or "Page n of m" with n > 1: the page belongs to the document before.
    public var isContinuation: Bool
}

/// Scores each document type on a page from weighted evidence: heading words near the top, keyword families
/// anywhere, and the page's structure (label columns of a cover sheet, result tables of a lab report).
struct PageClassifier: Sendable {
    struct Keyword: Sendable {
        var tokens: [String]
        var weight: Double
        var text: String
        init(_ text: String, _ weight: Double = 1) {
            self.text = text
            tokens = TextMatching.tokens(text)
            self.weight = weight
        }
    }

    static let titleWords: [DocumentType: [Keyword]] = [
        .coverSheet: ["fax", "facsimile", "transmittal", "cover sheet", "fax cover", "telecopy", "fax message"].map { Keyword($0) },
        .authorization: [
            "authorization", "release of", "consent", "hipaa", "disclosure", "authorize", "protected health information",
        ].map { Keyword($0) },
        .pathologyReport: [
            "pathology", "cytology", "biopsy", "cytopathology", "hematopathology", "histopathology", "surgical pathology",
            "bone marrow",
        ].map { Keyword($0) },
        .radiologyReport: [
            "radiology", "imaging", "ct", "mri", "pet", "ultrasound", "mammogram", "mammography", "x ray", "xray",
            "radiograph", "sonography", "nuclear medicine", "scan", "tomography", "diagnostic imaging", "echo",
        ].map { Keyword($0) },
        .clinicNote: [
            "clinic note", "consultation", "consult", "progress note", "history and physical", "office visit",
            "visit note", "new patient", "h p", "follow up", "outpatient", "office note",
        ].map { Keyword($0) },
        .operativeNote: [
            "operative", "procedure note", "operation", "op note", "surgical procedure", "procedure report",
            "surgery", "operative report",
        ].map { Keyword($0) },
        .labReport: [
            "laboratory", "lab", "lab results", "cumulative", "chemistry", "hematology", "results", "lab report",
        ].map { Keyword($0) },
        .other: [],
    ]

    static let bodyWords: [DocumentType: [Keyword]] = [
        .coverSheet: [
            Keyword("facsimile", 2), Keyword("transmittal", 2), Keyword("cover sheet", 2),
            Keyword("including cover", 3), Keyword("incl cover", 3), Keyword("with cover", 3),
            Keyword("number of pages", 2), Keyword("of pages", 1.5), Keyword("total pages", 2),
            Keyword("intended recipient", 1), Keyword("confidentiality notice", 1), Keyword("please reply", 1.5),
            Keyword("please recycle", 1.5), Keyword("please comment", 1.5), Keyword("urgent", 0.5), Keyword("attn", 1),
            Keyword("in error", 0.5), Keyword("notify the sender", 1),
        ],
        .authorization: [
            Keyword("authorization", 2), Keyword("authorize", 2), Keyword("release of", 1),
            Keyword("release my", 2), Keyword("release to", 1.5), Keyword("revoke", 2), Keyword("expiration", 1),
            Keyword("expires", 1), Keyword("signature of patient", 2), Keyword("legal representative", 2),
            Keyword("purpose of disclosure", 2), Keyword("redisclosure", 2), Keyword("information to be released", 2),
            Keyword("hipaa", 1), Keyword("45 cfr", 1.5), Keyword("protected health information", 1),
            Keyword("relationship to patient", 1), Keyword("dates of service", 0.5), Keyword("personal use", 1),
            Keyword("continuity of care", 1), Keyword("entire medical record", 1.5),
        ],
        .pathologyReport: [
            Keyword("specimen", 1), Keyword("gross description", 2.5), Keyword("microscopic", 2.5),
            Keyword("final diagnosis", 2), Keyword("diagnosis", 0.5), Keyword("accession", 1),
            Keyword("surgical pathology", 3), Keyword("pathology", 1), Keyword("cytology", 2), Keyword("biopsy", 0.5),
            Keyword("margins", 1), Keyword("margin", 0.5), Keyword("immunohistochemistry", 2),
            Keyword("immunohistochemical", 1.5), Keyword("pathologist", 2), Keyword("synoptic", 2),
            Keyword("histologic", 2), Keyword("signed out", 2), Keyword("frozen section", 2),
            Keyword("ancillary studies", 1.5), Keyword("clinical history", 0.5), Keyword("grade", 0.5),
            Keyword("carcinoma", 0.5), Keyword("slides", 0.5), Keyword("stains", 1), Keyword("block", 0.5),
            Keyword("addendum", 1), Keyword("nottingham", 1), Keyword("gleason", 1), Keyword("tumor size", 1),
            Keyword("received fresh", 2), Keyword("received in formalin", 2), Keyword("submitted", 0.5),
            Keyword("specimen adequacy", 2), Keyword("satisfactory for evaluation", 2), Keyword("fine needle aspiration", 1.5),
            Keyword("flow cytometry", 1), Keyword("cassette", 1.5), Keyword("h e", 0.5), Keyword("pathologic", 1),
        ],
        .radiologyReport: [
            Keyword("impression", 2), Keyword("findings", 1), Keyword("technique", 1.5), Keyword("comparison", 1.5),
            Keyword("ct", 1), Keyword("mri", 1), Keyword("pet", 1), Keyword("ultrasound", 0.5),
            Keyword("mammogram", 1.5), Keyword("mammography", 1.5), Keyword("x ray", 1), Keyword("contrast", 1),
            Keyword("bi rads", 2), Keyword("birads", 2), Keyword("radiologist", 2.5), Keyword("imaging", 1),
            Keyword("exam", 0.5), Keyword("study date", 1.5), Keyword("exam date", 1.5), Keyword("dictated", 1),
            Keyword("radiology", 1.5), Keyword("axial", 1.5), Keyword("coronal", 1), Keyword("sagittal", 1),
            Keyword("fdg", 1.5), Keyword("suv", 1.5), Keyword("lung rads", 2), Keyword("reformats", 1.5),
            Keyword("attenuation", 1), Keyword("enhancement", 1), Keyword("lesion", 0.5), Keyword("sonographic", 1.5),
            Keyword("views", 0.5), Keyword("indication", 0.5),
            Keyword("dexa", 1.5), Keyword("bone scan", 1.5), Keyword("nuclear medicine", 1.5), Keyword("echocardiogram", 0.5),
            Keyword("density", 0.5), Keyword("breast composition", 2), Keyword("radiation dose", 1), Keyword("ctdi", 2),
        ],
        .clinicNote: [
            Keyword("chief complaint", 2.5), Keyword("history of present illness", 2.5), Keyword("hpi", 1.5),
            Keyword("past medical history", 2), Keyword("medications", 1), Keyword("allergies", 1),
            Keyword("social history", 2), Keyword("family history", 2), Keyword("review of systems", 2),
            Keyword("physical exam", 2), Keyword("physical examination", 2), Keyword("assessment and plan", 2.5),
            Keyword("assessment", 1), Keyword("plan", 0.5), Keyword("vitals", 1.5), Keyword("consultation", 1),
            Keyword("progress note", 2), Keyword("follow up", 0.5), Keyword("ecog", 1), Keyword("counseling", 1),
            Keyword("date of visit", 1.5), Keyword("visit date", 1.5), Keyword("reason for visit", 2),
            Keyword("interval history", 2), Keyword("return to clinic", 1), Keyword("referred by", 0.5),
            Keyword("thank you for referring", 2), Keyword("sincerely", 0.5), Keyword("impression and plan", 2),
            Keyword("discharge summary", 2), Keyword("hospital course", 2), Keyword("subjective", 1), Keyword("objective", 0.5),
            Keyword("performance status", 1), Keyword("recommendations", 0.5),
        ],
        .operativeNote: [
            Keyword("operative", 2), Keyword("preoperative diagnosis", 3), Keyword("postoperative diagnosis", 3),
            Keyword("pre operative", 2), Keyword("post operative", 2), Keyword("surgeon", 2), Keyword("anesthesia", 2),
            Keyword("estimated blood loss", 3), Keyword("ebl", 1.5), Keyword("drains", 1.5), Keyword("complications", 1),
            Keyword("indications for procedure", 1.5), Keyword("description of procedure", 2),
            Keyword("procedure performed", 2), Keyword("procedures performed", 2), Keyword("procedure s performed", 2),
            Keyword("incision", 1.5), Keyword("pacu", 1.5), Keyword("anesthesiologist", 1.5),
            Keyword("informed consent", 0.5), Keyword("sutures", 1), Keyword("suture", 1), Keyword("irrigated", 1),
            Keyword("prepped and draped", 2), Keyword("time out", 1), Keyword("date of surgery", 2),
            Keyword("specimens removed", 1.5), Keyword("closed in layers", 1.5), Keyword("sterile", 0.5),
            Keyword("sedation", 1), Keyword("endoscope", 1), Keyword("procedure note", 2), Keyword("operative findings", 2),
        ],
        .labReport: [
            Keyword("laboratory", 1), Keyword("reference range", 3), Keyword("reference", 0.5), Keyword("flag", 1),
            Keyword("units", 1), Keyword("cbc", 1.5), Keyword("wbc", 1), Keyword("hemoglobin", 1),
            Keyword("hematocrit", 1), Keyword("platelets", 1), Keyword("sodium", 1), Keyword("potassium", 1),
            Keyword("creatinine", 1), Keyword("glucose", 0.5), Keyword("metabolic panel", 2),
            Keyword("collection date", 1), Keyword("reported", 0.5), Keyword("mg dl", 1), Keyword("mmol l", 1),
            Keyword("g dl", 1), Keyword("k ul", 1), Keyword("u l", 0.5), Keyword("ng ml", 0.5),
            Keyword("tumor marker", 1.5), Keyword("result", 0.5), Keyword("laboratory director", 2),
            Keyword("clia", 2), Keyword("differential", 1), Keyword("bilirubin", 1), Keyword("albumin", 0.5),
            Keyword("ref range", 2), Keyword("normal range", 1.5), Keyword("lipid panel", 1.5), Keyword("a1c", 1),
            Keyword("tumor markers", 1.5), Keyword("cea", 1), Keyword("specimen type", 1), Keyword("abnormal", 0.5),
        ],
        .other: [
            Keyword("call now", 3), Keyword("our price", 3), Keyword("off", 0.5), Keyword("free", 1),
            Keyword("removed from our fax list", 4), Keyword("fax list", 2), Keyword("unsubscribe", 3),
            Keyword("opt out", 2), Keyword("sale", 1.5), Keyword("discount", 2), Keyword("limited time", 2),
            Keyword("offer", 1.5), Keyword("retail", 2), Keyword("shipping", 1.5), Keyword("pricing", 1.5),
            Keyword("guarantee", 1), Keyword("clients", 1), Keyword("save", 1), Keyword("promo", 2),
            Keyword("vacation", 1.5), Keyword("cruise", 2), Keyword("ref code", 1.5), Keyword("blowout", 2),
            Keyword("order now", 2), Keyword("toll free", 1),
        ],
    ]

    /// Nouns that make a heading an organisation's name. Not "clinic", "medical" or "general": those also start
    /// titles ("Clinic Note", "General Surgery Operative Report").
    static let institutionNouns: Set<String> = [
        "hospital", "hospitals", "institute", "university", "associates", "consultants", "group", "llc", "inc", "pc",
        "pllc", "ltd", "foundation", "memorial", "healthcare", "healthsystem", "network", "partners", "physicians",
        "affiliates", "corporation", "infirmary", "health",
    ]

    /// Labels a cover sheet lines up on its left.
    static let coverLabels: [String] = ["to", "from", "re", "attn", "fax", "phone", "date", "pages", "subject", "cc"]

    func classify(_ layout: PageLayout) -> PageClassification {
        var scores: [DocumentType: Double] = [:]
        var reasons: [DocumentType: [String]] = [:]
        if layout.wordCount == 0 || layout.isNearlyEmpty || layout.isUnreadable {
            return PageClassification(
                type: nil, confidence: 0, scores: [:],
                evidence: [layout.isUnreadable ? "unreadable page" : "blank page"], startsDocument: false,
                isContinuation: false)
        }
        let body = layout.bodyRowIndices
        let allTokens = body.flatMap { layout.rows[$0].foldedTokens }

        // Keyword families: presence counts, not frequency, so a long page does not outvote a clear heading.
        for (type, keywords) in Self.bodyWords {
            for keyword in keywords where TextMatching.contains(keyword.tokens, in: allTokens) {
                scores[type, default: 0] += keyword.weight
                reasons[type, default: []].append(keyword.text)
            }
        }

        // A letter ("Dear ...," above "Sincerely,") is correspondence about the patient, typed a clinic note: the
        // lines over its salutation are a letterhead ("Department of Radiology"), not a report title, and the
        // imaging or pathology it mentions ("MRI showed ...") does not make it a report of that kind.
        let letter = Self.isLetter(layout)
        if letter {
            scores[.clinicNote, default: 0] += 4
            reasons[.clinicNote, default: []].append("letter: salutation and closing")
        }

        // Headings: short, big or upper-case lines in the upper part of the page.
        var continuation = false
        var headingFound = false
        let topLimit = Double(layout.height) * 0.4
        var headingRows = 0
        for r in body where Double(layout.rows[r].top) < topLimit {
            let row = layout.rows[r]
            let tokens = row.foldedTokens
            let nearTop = body.prefix(6).contains(r)
            if nearTop, tokens.contains(where: { TextMatching.fuzzyEqual($0, "continued") || $0 == "cont" || $0 == "contd" }) {
                continuation = true
            }
            guard !letter, isHeading(row, layout: layout) else { continue }
            // An organisation's name ("Fox Cities Pathology Consultants") says who sent the page, not what it is.
            if tokens.contains(where: { Self.institutionNouns.contains($0) }) { continue }
            headingRows += 1
            for (type, keywords) in Self.titleWords {
                for keyword in keywords where TextMatching.contains(keyword.tokens, in: tokens) {
                    scores[type, default: 0] += 4
                    reasons[type, default: []].append("title: \(row.text)")
                    headingFound = true
                }
            }
        }

        // Structure: a column of "To:/From:/Re:" labels is a cover sheet; rows of numbers with units a lab table.
        var coverLabelRows = 0
        for r in body {
            guard let first = layout.rows[r].words.first else { continue }
            let word = first.folded
            if Self.coverLabels.contains(word), first.text.hasSuffix(":") || first.text.hasSuffix(";") {
                coverLabelRows += 1
            }
        }
        if coverLabelRows >= 4 {
            scores[.coverSheet, default: 0] += Double(min(coverLabelRows, 8))
            reasons[.coverSheet, default: []].append("\(coverLabelRows) to/from/re labels")
        }
        var tableRows = 0
        for r in body {
            let row = layout.rows[r]
            let numeric = row.words.filter { DigitRepair.isMostlyDigits($0.text) }.count
            if row.words.count >= 3, row.words.count <= 10, numeric >= 1, numeric * 2 >= row.words.count - 1,
                row.words.contains(where: { $0.text.contains("/") || $0.text.contains("%") })
            {
                tableRows += 1
            }
        }
        if tableRows >= 6 {
            scores[.labReport, default: 0] += Double(min(tableRows, 20)) * 0.25
            reasons[.labReport, default: []].append("\(tableRows) result rows")
        }
        // Advertising: prices.
        let prices = body.flatMap { layout.rows[$0].words }.filter {
            $0.text.hasPrefix("$") && $0.text.count > 2 && $0.text.dropFirst().first?.isNumber == true
        }.count
        if prices >= 3 {
            scores[.other, default: 0] += 3
            reasons[.other, default: []].append("\(prices) prices")
        }

        let footer = Self.documentPageCounter(layout)
        if let footer, footer.page > 1 { continuation = true }
        // A letter's salutation is on its first page: it starts a document as a report title does.
        let starts = !continuation && (headingFound || footer?.page == 1 || letter)

        // Ties go the same way every run (a dictionary's order is not): to a clinic note on a letter, else in the
        // types' declared order.
        func rank(_ type: DocumentType) -> Int {
            letter && type == .clinicNote ? -1 : DocumentType.allCases.firstIndex(of: type) ?? 99
        }
        let ranked = scores.sorted { ($0.value, rank($1.key)) > ($1.value, rank($0.key)) }
        guard let best = ranked.first, best.value >= 2.5 else {
            return PageClassification(
                type: nil, confidence: 0.2, scores: scores, evidence: ["no decisive evidence"], startsDocument: starts,
                isContinuation: continuation)
        }
        let second = ranked.count > 1 ? ranked[1].value : 0
        let confidence = min(0.99, best.value / (best.value + second + 2))
        var evidence = Array((reasons[best.key] ?? []).prefix(6))
        evidence.insert("score \(Self.format(best.value)) vs \(Self.format(second))", at: 0)
        return PageClassification(
            type: best.key, confidence: confidence, scores: scores, evidence: evidence, startsDocument: starts,
            isContinuation: continuation)
    }

    static func format(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return String(rounded)
    }

    /// A heading: short, and printed in capitals or larger than the body text.
    func isHeading(_ row: LayoutRow, layout: PageLayout) -> Bool {
        guard row.words.count <= 8, !row.words.isEmpty else { return false }
        // Label rows ("Exam: CT CHEST") are not headings.
        if row.words.dropLast().contains(where: { $0.text.hasSuffix(":") }) { return false }
        let letters = row.text.filter(\.isLetter)
        guard letters.count >= 3 else { return false }
        let upper = Double(letters.filter(\.isUppercase).count) / Double(letters.count)
        // Numbered list items and sentences are not headings.
        if let first = row.words.first, LabelReader.isNumbering(first), row.words.count > 1 { return false }
        if let last = row.text.last, last == "," || last == ";" { return false }
        let heights = row.words.map(\.box.height).sorted()
        let tall = Double(heights[heights.count / 2]) > layout.wordHeight * 1.3
        if row.words.contains(where: { DigitRepair.isMostlyDigits($0.text) }) { return false }
        let isTitleCase = row.words.allSatisfy { word in word.text.first.map { $0.isUppercase || !$0.isLetter } ?? true }
        return upper > 0.7 || tall || (isTitleCase && row.words.count <= 5)
    }

    /// Letter structure: a row that opens with a salutation ("Dear Dr. Lee,", "Dear Colleague:") and, below it,
    /// a row that opens with a complimentary close ("Sincerely,", "Kind regards", "Yours truly").
    static func isLetter(_ layout: PageLayout) -> Bool { letterSalutationRow(layout) != nil }

    /// The salutation's row of a letter (see `isLetter`), nil when the page is no letter.
    static func letterSalutationRow(_ layout: PageLayout) -> Int? {
        let rows = layout.bodyRowIndices
        guard let salutation = rows.firstIndex(where: { r in
            let words = layout.rows[r].words
            guard let first = words.first, first.folded == "dear", words.count >= 2, words.count <= 6 else { return false }
            return words.last.map { $0.text.hasSuffix(",") || $0.text.hasSuffix(":") } ?? false
        }) else { return nil }
        let closes: [[String]] = [["sincerely"], ["regards"], ["kind", "regards"], ["best", "regards"], ["yours", "truly"],
                                  ["yours", "sincerely"], ["respectfully"], ["with", "best", "regards"], ["warm", "regards"]]
        let closed = rows[(salutation + 1)...].contains { r in
            let tokens = layout.rows[r].foldedTokens
            return tokens.count <= 4 && closes.contains { close in tokens.starts(with: close) }
        }
        return closed ? rows[salutation] : nil
    }

    /// The document's own "Page n of m", away from the fax header line.
    static func documentPageCounter(_ layout: PageLayout) -> (page: Int, of: Int?)? {
        var found: [(Int, Int?)] = []
        for r in layout.bodyRowIndices {
            let tokens = layout.rows[r].foldedTokens
            guard tokens.contains(where: { TextMatching.fuzzyEqual($0, "page") || $0.hasPrefix("page") }) else { continue }
            if let counter = FaxHeader.pageCounter(in: layout.rows[r].text), counter.of != nil {
                found.append((counter.page, counter.of))
            }
        }
        if let first = found.first(where: { $0.0 == 1 }) { return first }
        return found.first
    }
}
