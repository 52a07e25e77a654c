import FileroomModel

/// Turns the pages of one received file into documents: a type per page, page ranges, and fields.
/// Pure: the same pages always give the same result; today's date and the center's identity are injected.
public struct FaxInterpreter: Sendable {
    /// The day "expired" and two-digit years are judged against; nil leaves expiry unknown.
    public var today: CalendarDate?
    /// The receiving center's name, to recognise its own MRN labels, its own forms and the "To:" side of a cover.
    public var centerName: String?
    /// The receiving center's fax number, never taken as a sender's.
    public var centerFax: String?

    public init(today: CalendarDate? = nil, centerName: String? = nil, centerFax: String? = nil) {
        self.today = today
        self.centerName = centerName
        self.centerFax = centerFax
    }

    /// One page with everything the splitter and the extractors need.
    struct PageFacts {
        var layout: PageLayout
        var classification: PageClassification
        var patient: PagePatient
    }

    /// `known`: the open cases, looked for on each page beside the labels (`KnownPatients.none` reads labels only).
    public func interpret(_ pages: [PageText], known: KnownPatients = .none) -> UnderstoodSource {
        let extractor = FieldExtractor(today: today, centerName: centerName, centerFax: centerFax)
        let classifier = PageClassifier()
        let finder = PatientFinder(known: known, dates: extractor.dates)
        let ordered = pages.sorted { $0.number < $1.number }
        let facts = ordered.map { page -> PageFacts in
            let layout = PageLayout(page: page)
            let classification = classifier.classify(layout)
            var patient = extractor.patient(on: layout, type: classification.type)
            if classification.type != nil {
                patient = PatientFinder.combine(
                    PatientFinder.ordered(patient, known: known), finder.sightings(on: layout, despace: extractor.despaceDigits))
            }
            return PageFacts(layout: layout, classification: classification, patient: patient)
        }
        let groups = DocumentSplitter.split(facts)
        var documents: [ExtractedDocument] = []
        for group in groups {
            let pagesOfDocument = group.map { facts[$0] }
            let (type, confidence, evidence) = DocumentSplitter.documentType(pagesOfDocument)
            var fields = documentFields(type: type, pages: pagesOfDocument, extractor: extractor)
            if let total = Self.completeInItself(pagesOfDocument.map(\.layout)) {
                fields.details["pages_complete"] = Extracted(
                    "\(total) of \(total)", confidence: 1, page: pagesOfDocument.first?.layout.number ?? 1
                )
            }
            documents.append(
                ExtractedDocument(
                    firstPage: pagesOfDocument.first?.layout.number ?? 1,
                    lastPage: pagesOfDocument.last?.layout.number ?? 1, type: type, typeConfidence: confidence,
                    evidence: evidence, fields: fields))
        }
        let header = headerSummary(facts)
        var declared: Int?
        if let cover = documents.first(where: { $0.type == .coverSheet }),
            let count = cover.fields.details["declared_pages"].flatMap({ Int($0.value) })
        {
            declared = count
        } else if let count = header.pageCount, count > pages.count {
            // Without a cover sheet only a header total that exceeds what arrived matters: it flags a short fax.
            declared = count
        }
        // Numbers read twice independently: the header's sender fax, and any fax several documents print.
        var faxCounts: [String: Int] = [:]
        for document in documents { if let fax = document.fields.providerFax?.value { faxCounts[fax, default: 0] += 1 } }
        let trusted = Set(faxCounts.filter { $0.value >= 2 }.map(\.key) + (header.senderFax.map { [$0] } ?? []))
        for index in documents.indices {
            guard let fax = documents[index].fields.providerFax, !trusted.contains(fax.value),
                let reference = trusted.sorted().first(where: { Self.isOCRVariant(fax.value, of: $0) })
            else { continue }
            documents[index].fields.providerFax = Extracted(reference, confidence: fax.confidence * 0.9, page: fax.page)
        }
        if let senderFax = header.senderFax {
            for index in documents.indices {
                // A letterhead fax one or two OCR confusions away from the number the fax machine printed is that
                // number: the header is a second, independent reading of the same digits.
                if let fax = documents[index].fields.providerFax, fax.value != senderFax,
                    Self.isOCRVariant(fax.value, of: senderFax)
                {
                    documents[index].fields.providerFax = Extracted(senderFax, confidence: fax.confidence * 0.9, page: fax.page)
                }
            }
            for index in documents.indices where documents[index].type == .coverSheet {
                documents[index].fields.details["sender_fax"] = Extracted(senderFax, confidence: 0.8, page: documents[index].firstPage)
            }
        }
        return UnderstoodSource(
            documents: documents, declaredPages: declared, receivedPages: pages.count, senderFax: header.senderFax)
    }

    /// The document's own page count when its "Page n of m" footers show every page 1...m present (a document that
    /// arrived whole even when the fax around it did not), else nil.
    static func completeInItself(_ layouts: [PageLayout]) -> Int? {
        let counters = layouts.map(PageClassifier.documentPageCounter)
        guard let total = counters.first??.of, total == layouts.count,
            counters.allSatisfy({ $0?.of == total }),
            Set(counters.compactMap { $0?.page }) == Set(1...total)
        else { return nil }
        return total
    }

    /// A page that says it is about several patients ("Re: Multiple patients", "Patients: see list"): whatever single
    /// name it prints cannot stand for the whole document.
    static func namesSeveralPatients(_ layout: PageLayout) -> Bool {
        let phrases: [[String]] = [
            ["multiple", "patients"], ["several", "patients"], ["various", "patients"], ["multiple", "pts"],
            ["patient", "list"], ["list", "of", "patients"],
        ]
        return layout.rows.contains { row in
            let tokens = row.foldedTokens
            if String(row.text.lowercased().filter { $0 != " " }).hasPrefix("patients:") { return true }
            return phrases.contains { TextMatching.contains($0, in: tokens) }
        }
    }

    /// Digits OCR confuses on fax-quality scans.
    static let confusedDigits: Set<String> = ["06", "08", "09", "56", "58", "35", "38", "68", "17", "49", "36"]

    static func isOCRVariant(_ a: String, of b: String) -> Bool {
        guard a.count == b.count else { return false }
        var differences = 0
        for (x, y) in zip(a, b) where x != y {
            differences += 1
            let pair = String([x, y].sorted())
            if differences > 2 || !confusedDigits.contains(pair) { return false }
        }
        return differences > 0
    }

    /// Sender fax and page total from the fax header lines, by majority over the pages (OCR misreads single digits).
    func headerSummary(_ facts: [PageFacts]) -> (senderFax: String?, pageCount: Int?) {
        var faxVotes: [String: Int] = [:]
        var countVotes: [Int: Int] = [:]
        var maxPage = 0
        let ourFax = centerFax.flatMap(PhoneNumber.normalize)
        for fact in facts {
            guard let row = fact.layout.faxHeaderLine else { continue }
            let line = FaxHeader.parse(row)
            if let sender = line.numbers.first(where: { !$0.isRecipient && $0.digits != ourFax }) {
                faxVotes[sender.digits, default: 0] += 1
            }
            if let n = line.pageNumber { maxPage = max(maxPage, n) }
            if let m = line.pageCount, m > 0, m < 1000 { countVotes[m, default: 0] += 1 }
        }
        let fax = faxVotes.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
        var count = countVotes.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
        // A total below a page number seen, or far beyond what arrived, is a misread ("PAGE 01 OF 62").
        if let c = count, c < maxPage || c > max(facts.count, maxPage) * 3 + 5 { count = nil }
        return (fax, count)
    }

    // MARK: fields

    func documentFields(type: DocumentType, pages: [PageFacts], extractor: FieldExtractor) -> DocumentFields {
        var fields = DocumentFields()
        guard type != .other, let first = pages.first else { return fields }
        let layouts = pages.map(\.layout)

        // Patient: the first page that names one, preferring the document's first page.
        func pick<T>(_ key: (PagePatient) -> Extracted<T>?) -> Extracted<T>? where T: Sendable & Hashable & Codable {
            var best: Extracted<T>?
            var bestScore = -1.0
            for (index, page) in pages.enumerated() {
                guard let value = key(page.patient) else { continue }
                let score = value.confidence - Double(index) * 0.1
                if score > bestScore {
                    best = value
                    bestScore = score
                }
            }
            return best
        }
        if let name = pick({ $0.name }) {
            fields.patientLast = Extracted(name.value.last, confidence: name.confidence, page: name.page)
            fields.patientFirst = Extracted(name.value.first, confidence: name.confidence, page: name.page)
            if let middle = name.value.middle {
                fields.patientMiddle = Extracted(middle, confidence: name.confidence, page: name.page)
            }
        }
        fields.dateOfBirth = pick { $0.dateOfBirth }
        // Two open patients on one document, or labels and sighting disagreeing: a person decides.
        let sighted = pages.reduce(into: Set<CaseID>()) { $0.formUnion($1.patient.sightedCases) }
        let saysSeveral = pages.contains { Self.namesSeveralPatients($0.layout) }
        if sighted.count > 1 || pages.contains(where: \.patient.conflict) || saysSeveral {
            func capped<T>(_ value: Extracted<T>?) -> Extracted<T>? {
                value.map { Extracted($0.value, confidence: min($0.confidence, 0.45), page: $0.page) }
            }
            fields.patientLast = capped(fields.patientLast)
            fields.patientFirst = capped(fields.patientFirst)
            fields.dateOfBirth = capped(fields.dateOfBirth)
            fields.details["patients_found"] = Extracted(String(max(2, sighted.count)), confidence: 1, page: first.layout.number)
        }
        if type == .coverSheet, saysSeveral {
            // "Re: Multiple patients": the cover's own name and DOB (if any) stand for one of them at most.
            fields.patientLast = nil
            fields.patientFirst = nil
            fields.patientMiddle = nil
            fields.dateOfBirth = nil
        }
        fields.sex = pick { $0.sex }
        if type != .coverSheet, let mrn = pick({ $0.mrn }) {
            fields.mrn = mrn
            // Ours when its label says so ("Lakeshore MRN") or the page is the center's own form (its letterhead).
            let source = pages.first { $0.patient.mrn == mrn }
            let ownForm = source.map { page in
                page.layout.bodyRowIndices.prefix(3).contains { extractor.isOurs(page.layout.rows[$0].text) }
            } ?? false
            let ours = (source?.patient.mrnIsOurs ?? false) || ownForm
            fields.mrnIssuer = ours ? .ours : .outside
        }

        if type == .authorization {
            authorizationFields(&fields, pages: layouts, extractor: extractor)
        } else {
            fields.providerName = extractor.providerName(type: type, layouts: layouts)
            fields.facility = extractor.letterhead(first.layout)
            var top = first.layout.topRows(fraction: 0.3)
            if type == .coverSheet {
                // The letterhead ends where the "To:/From:" block begins: numbers below it may be the recipient's.
                let labels = FieldExtractor.variants([("to", 1), ("from", 1), ("attn", 1)])
                if let firstLabelRow = LabelReader.find(labels, in: first.layout, allowBelow: false).map(\.row).min() {
                    top = top.filter { $0 < firstLabelRow }
                }
            }
            fields.providerFax = extractor.contacts(.fax, in: first.layout, rows: top).first
            fields.providerPhone = extractor.contacts(.phone, in: first.layout, rows: top).first
            if type == .coverSheet {
                coverFields(&fields, layout: first.layout, extractor: extractor)
            }
            if fields.providerFax == nil, type != .coverSheet {
                fields.providerFax = extractor.contacts(.fax, in: first.layout, rows: first.layout.bodyRowIndices).first
            }
            fields.serviceDate = serviceDate(type: type, layouts: layouts, extractor: extractor)
        }
        for layout in layouts {
            for r in layout.bodyRowIndices where layout.rows[r].foldedTokens.contains("npi") {
                if let npi = NPI.find(in: layout.rows[r].text) {
                    fields.npi = Extracted(npi, confidence: layout.rows[r].confidence, page: layout.number)
                    break
                }
            }
            if fields.npi != nil { break }
        }
        DetailReader(extractor: extractor).addDetails(to: &fields, type: type, layouts: layouts)
        return fields
    }

    func serviceDate(type: DocumentType, layouts: [PageLayout], extractor: FieldExtractor) -> Extracted<CalendarDate>? {
        var best: Extracted<CalendarDate>?
        for layout in layouts {
            let hits = LabelReader.find(FieldExtractor.serviceDateLabels(type), in: layout)
            for hit in hits {
                guard let date = extractor.dates.firstDate(in: extractor.despaceDigits(hit.text), kind: .event) else { continue }
                if best == nil || hit.confidence > (best?.confidence ?? 0) + 0.1 {
                    best = Extracted(date, confidence: hit.confidence, page: layout.number)
                }
            }
            if best != nil { break }
        }
        // A letter is dated by a line that holds only the date, above its salutation ("November 10, 2026").
        if best == nil, let layout = layouts.first, let salutation = PageClassifier.letterSalutationRow(layout) {
            for r in layout.bodyRowIndices where r < salutation {
                let row = layout.rows[r]
                guard row.words.count <= 4, let date = extractor.dates.firstDate(in: extractor.despaceDigits(row.text), kind: .event)
                else { continue }
                // Nothing but the date: every word holds a digit, or is a month name.
                let onlyDate = row.words.allSatisfy { w in
                    w.text.contains(where: \.isNumber) || extractor.dates.firstDate(in: "\(w.text) 1, 2000", kind: .event) != nil
                }
                if onlyDate {
                    best = Extracted(date, confidence: row.confidence * 0.8, page: layout.number)
                    break
                }
            }
        }
        return best
    }

    func coverFields(_ fields: inout DocumentFields, layout: PageLayout, extractor: FieldExtractor) {
        // The sender's block: the fax and phone after "From:", not the recipient's after "To:".
        let fromHits = LabelReader.find(FieldExtractor.variants([("from", 1), ("sender", 1)]), in: layout, allowBelow: false)
        let toHits = LabelReader.find(FieldExtractor.variants([("to", 1), ("recipient", 1)]), in: layout, allowBelow: false)
        if let from = fromHits.first {
            fields.details["cover_from"] = Extracted(from.text, confidence: from.confidence, page: layout.number)
            let endRow = layout.rows.indices.first { r in
                let ends = FieldExtractor.variants([("re", 1), ("date", 1), ("to", 1)])
                return r > from.row && !LabelReader.find(ends, in: layout, rows: [r], allowBelow: false).isEmpty
            } ?? min(layout.rows.count, from.row + 4)
            let block = Array(from.row..<max(from.row + 1, endRow))
            if fields.providerFax == nil {
                fields.providerFax = extractor.contacts(.fax, in: layout, rows: block).first
            }
            if fields.providerPhone == nil {
                fields.providerPhone = extractor.contacts(.phone, in: layout, rows: block).first
            }
            // "Company: Bramblewood Hospital" in the sender's block names the facility outright.
            let companyLabels = FieldExtractor.variants([("company", 1), ("organization", 1), ("facility", 1), ("practice", 0.9)])
            if let company = LabelReader.find(companyLabels, in: layout, rows: block, allowBelow: false).first {
                // "Voice:Medical Three Rivers ...": OCR or a text layer joined a neighbouring label; keep what follows.
                let afterLabels = company.text.split(separator: " ").reversed().prefix { !$0.contains(":") }.reversed()
                let org = FieldExtractor.trimOrganisation(afterLabels.joined(separator: " "))
                // A number read under the label ("Company: 608-555-0101") is no organisation; `PhoneNumber.normalize`
                // repairs letters into digits, so it would take any name of ten letters for one.
                if org.count >= 3, !extractor.isOurs(org), org.filter(\.isNumber).count < 7 {
                    fields.facility = Extracted(TextMatching.displayCase(org), confidence: company.confidence, page: layout.number)
                }
            }
            if fields.facility == nil, let slash = from.text.firstIndex(where: { $0 == "/" || $0 == "," }) {
                let org = FieldExtractor.trimOrganisation(String(from.text[from.text.index(after: slash)...]))
                let isOrganisation = TextMatching.tokens(org).contains { FieldExtractor.organisationWords.contains($0) }
                if !org.isEmpty, isOrganisation, !extractor.isOurs(org) {
                    fields.facility = Extracted(TextMatching.displayCase(org), confidence: from.confidence * 0.8, page: layout.number)
                }
            }
        }
        if let to = toHits.first {
            fields.details["cover_to"] = Extracted(to.text, confidence: to.confidence, page: layout.number)
        }
        let re = LabelReader.find(FieldExtractor.variants([("re", 1), ("regarding", 1), ("subject", 0.9)]), in: layout, allowBelow: false)
        if let re = re.first {
            fields.details["regarding"] = Extracted(re.text, confidence: re.confidence, page: layout.number)
        }
        // "# of pages (with cover): 3", "PAGES (INCLUDING COVER): 3", "Total pages incl. cover: 4".
        for r in layout.bodyRowIndices {
            let row = layout.rows[r]
            let tokens = row.foldedTokens
            func isPagesWord(_ folded: String) -> Bool {
                TextMatching.fuzzyEqual(folded, "pages") || folded.hasPrefix("pages") || folded == "pgs"
                    || folded == "page count" || folded.hasPrefix("page count")
            }
            guard tokens.contains(where: { isPagesWord($0) }) || TextMatching.contains(["page", "count"], in: tokens)
            else { continue }
            guard let pagesIndex = row.words.firstIndex(where: { isPagesWord($0.folded) || $0.folded == "count" })
            else { continue }
            var count: Int?
            for w in row.words[(pagesIndex + 1)...] {
                let repaired = DigitRepair.repair(w.text).filter { $0.isNumber }
                if !repaired.isEmpty, w.text.filter({ $0.isLetter }).count <= 1, let n = Int(repaired), n > 0, n < 1000 {
                    count = n
                    break
                }
            }
            if let count {
                fields.details["declared_pages"] = Extracted(String(count), confidence: row.confidence, page: layout.number)
                break
            }
        }
    }

    func authorizationFields(_ fields: inout DocumentFields, pages: [PageLayout], extractor: FieldExtractor) {
        guard let layout = pages.first else { return }
        // The releasing party: the section that follows "authorize ... to release/disclose".
        var sectionRow: Int?
        for r in layout.bodyRowIndices {
            let tokens = layout.rows[r].foldedTokens
            if tokens.contains(where: { TextMatching.fuzzyEqual($0, "authorize") }),
                tokens.contains(where: { TextMatching.fuzzyEqual($0, "release") || TextMatching.fuzzyEqual($0, "disclose") })
            {
                sectionRow = r
                break
            }
        }
        // Explicit labels first: "Releasing facility:", "Disclosing provider:".
        let releasing = FieldExtractor.variants([
            ("releasing facility", 1), ("disclosing facility", 1), ("releasing provider", 1), ("disclosing provider", 1),
            ("release from", 0.9), ("facility releasing information", 1), ("records from", 0.8),
            ("provider releasing information", 1), ("disclosing party", 1),
        ])
        if let hit = LabelReader.find(releasing, in: layout).first(where: { PersonName.parse($0.text) == nil }) {
            let org = FieldExtractor.trimOrganisation(hit.text)
            if !org.isEmpty, !extractor.isOurs(org) {
                fields.facility = Extracted(TextMatching.displayCase(org), confidence: hit.confidence, page: layout.number)
                let rows = Array(hit.row..<min(layout.rows.count, hit.row + 4))
                fields.providerFax = extractor.contacts(.fax, in: layout, rows: rows).first
            }
        }
        if fields.facility == nil, let start = sectionRow {
            let rows = Array(start..<min(layout.rows.count, start + 5))
            let nameLabels = FieldExtractor.variants([
                ("name", 1), ("facility", 1), ("facility name", 1), ("provider", 0.9), ("organization", 1),
                ("provider facility", 1), ("from", 0.8),
            ])
            for hit in LabelReader.find(nameLabels, in: layout, rows: rows, allowBelow: true) where PersonName.parse(hit.text) == nil {
                let org = FieldExtractor.trimOrganisation(hit.text)
                if !org.isEmpty {
                    fields.facility = Extracted(TextMatching.displayCase(org), confidence: hit.confidence, page: layout.number)
                    break
                }
            }
            if fields.facility == nil {
                // Inline: "I authorize Rock River Medical Center to release ...".
                let row = layout.rows[start]
                let words = row.words
                if let a = words.firstIndex(where: { TextMatching.fuzzyEqual($0.folded, "authorize") }),
                    let t = words.indices.first(where: { $0 > a + 1 && words[$0].folded == "to" })
                {
                    let text = words[(a + 1)..<t].map(\.text).joined(separator: " ")
                    let tokens = TextMatching.tokens(text)
                    if tokens.contains(where: { FieldExtractor.organisationWords.contains($0) }) {
                        fields.facility = Extracted(
                            TextMatching.displayCase(FieldExtractor.trimOrganisation(text)),
                            confidence: row.confidence * 0.8, page: layout.number)
                    }
                }
            }
            fields.providerFax = extractor.contacts(.fax, in: layout, rows: rows).first
            fields.providerPhone = extractor.contacts(.phone, in: layout, rows: rows).first
        }
        if fields.facility == nil, let letterhead = extractor.letterhead(layout) {
            fields.facility = letterhead
        }
        if fields.providerFax == nil {
            fields.providerFax = extractor.contacts(.fax, in: layout, rows: layout.topRows(fraction: 0.3)).first
        }
        // Signature date: the date on the signature line, or on the line just above its caption.
        var signed: Extracted<CalendarDate>?
        var expiration: Extracted<CalendarDate>?
        for page in pages {
            for r in page.bodyRowIndices {
                let tokens = page.rows[r].foldedTokens
                if expiration == nil, tokens.contains(where: { $0.hasPrefix("expir") || TextMatching.fuzzyEqual($0, "expires") }) {
                    if let date = extractor.dates.firstDate(in: page.rows[r].text, kind: .event) {
                        expiration = Extracted(date, confidence: page.rows[r].confidence, page: page.number)
                    }
                }
                guard signed == nil, tokens.contains(where: { TextMatching.fuzzyEqual($0, "signature") || $0 == "signed" }),
                    !tokens.contains(where: { $0.hasPrefix("expir") })
                else { continue }
                for candidate in [r, r - 1, r + 1, r - 2] where page.rows.indices.contains(candidate) {
                    let row = page.rows[candidate]
                    if row.foldedTokens.contains(where: { $0.hasPrefix("expir") || $0 == "service" || $0 == "birth" || $0 == "dob" }) { continue }
                    if let date = extractor.dates.firstDate(in: row.text, kind: .event) {
                        signed = Extracted(date, confidence: row.confidence * (candidate == r ? 1 : 0.9), page: page.number)
                        break
                    }
                }
            }
        }
        fields.serviceDate = signed
        if let signed {
            fields.details["signature_date"] = Extracted(signed.value.iso, confidence: signed.confidence, page: signed.page)
            fields.details["signed"] = Extracted("true", confidence: signed.confidence, page: signed.page)
        }
        if let expiration {
            fields.details["expiration_date"] = Extracted(expiration.value.iso, confidence: expiration.confidence, page: expiration.page)
            if let today {
                fields.details["expired"] = Extracted(
                    expiration.value < today ? "true" : "false", confidence: expiration.confidence, page: expiration.page)
            }
        }
        if let facility = fields.facility {
            fields.details["releasing_facility"] = facility
        }
    }
}

extension FaxInterpreter {
    /// The page as the extractors see it: visual rows, column segments split by " | ", the fax header marked.
    /// For diagnosing a misread page; carries the page's text, so never log it.
    public func layoutDescription(_ page: PageText) -> String {
        let layout = PageLayout(page: page)
        var lines: [String] = []
        for (r, row) in layout.rows.enumerated() {
            var parts: [String] = []
            var current: [String] = []
            for (i, word) in row.words.enumerated() {
                if row.segmentStarts.contains(i), i > 0 {
                    parts.append(current.joined(separator: " "))
                    current = []
                }
                current.append(word.text)
            }
            parts.append(current.joined(separator: " "))
            let mark = layout.faxHeaderRows.contains(r) ? "H" : " "
            lines.append("\(mark)\(r) y=\(row.top): \(parts.joined(separator: " | "))")
        }
        for (name, labels) in [("name", FieldExtractor.patientNameLabels), ("dob", FieldExtractor.birthLabels), ("mrn", FieldExtractor.mrnLabels)] {
            for hit in LabelReader.find(labels, in: layout) {
                lines.append("\(name): [\(hit.labelText)] -> \(hit.text) (row \(hit.row), \(hit.certainty))")
            }
        }
        let c = PageClassifier().classify(layout)
        let scores = c.scores.sorted { $0.value > $1.value }.map { "\($0.key.rawValue)=\($0.value)" }
        lines.append(
            "type=\(c.type?.rawValue ?? "none") conf=\(c.confidence) starts=\(c.startsDocument) "
                + "continuation=\(c.isContinuation) \(scores.joined(separator: " ")) | \(c.evidence.joined(separator: "; "))")
        return lines.joined(separator: "\n")
    }
}
