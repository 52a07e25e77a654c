import FileroomModel

/// Type-specific fields, kept as strings in `DocumentFields.details`.
struct DetailReader: Sendable {
    var extractor: FieldExtractor

    func addDetails(to fields: inout DocumentFields, type: DocumentType, layouts: [PageLayout]) {
        switch type {
        case .pathologyReport:
            if let accession = firstValue(FieldVocabulary.variants(.accession), layouts) {
                if let token = accession.value.split(separator: " ").first(where: { $0.contains(where: \.isNumber) }) {
                    fields.details["accession_number"] = Extracted(String(token), confidence: accession.confidence, page: accession.page)
                }
            }
            let specimenHeadings = [
                "specimen s received", "specimens received", "specimen received", "specimen s", "specimens", "specimen",
                "source",
            ]
            if let specimen = sectionFirstLine(specimenHeadings, layouts) {
                fields.details["specimen"] = specimen
            }
            let diagnosisHeadings = [
                "final diagnosis", "final pathologic diagnosis", "diagnosis", "diagnoses", "final pathological diagnosis",
            ]
            if let diagnosis = sectionFirstLine(diagnosisHeadings, layouts) {
                fields.details["diagnosis"] = diagnosis
            }
        case .radiologyReport:
            if let exam = firstValue(FieldVocabulary.variants(.exam), layouts) {
                fields.details["exam"] = exam
                if let modality = Self.modality(exam.value) {
                    fields.details["modality"] = Extracted(modality, confidence: exam.confidence, page: exam.page)
                }
            }
            if let impression = sectionFirstLine(["impression", "conclusion", "impressions"], layouts) {
                fields.details["impression"] = impression
            }
        case .authorization:
            if let layout = layouts.first {
                readAuthorization(&fields, layout)
            }
        default:
            break
        }
    }

    static func modality(_ exam: String) -> String? {
        let tokens = TextMatching.tokens(exam)
        let table: [(String, [String])] = [
            ("PET/CT", ["pet"]), ("MRI", ["mri", "mr"]), ("CT", ["ct", "cta"]), ("mammogram", ["mammogram", "mammography", "mammo", "tomosynthesis"]),
            ("ultrasound", ["ultrasound", "us", "sonogram", "sonography"]), ("x-ray", ["xray", "x", "radiograph", "cxr"]),
            ("nuclear medicine", ["nm", "scintigraphy", "bone scan"]),
        ]
        for (name, words) in table where tokens.contains(where: { words.contains($0) }) { return name }
        return nil
    }

    func firstValue(_ variants: [LabelVariant], _ layouts: [PageLayout]) -> Extracted<String>? {
        for layout in layouts {
            if let hit = LabelReader.find(variants, in: layout, allowBelow: false).first {
                return Extracted(hit.text, confidence: hit.confidence, page: layout.number)
            }
        }
        return nil
    }

    /// The text after a section heading: on the same row after a colon, else the next row.
    func sectionFirstLine(_ headings: [String], _ layouts: [PageLayout]) -> Extracted<String>? {
        let phrases = headings.map { TextMatching.tokens($0) }
        for layout in layouts {
            for r in layout.bodyRowIndices {
                let tokens = layout.rows[r].foldedTokens
                guard let phrase = phrases.first(where: { p in TextMatching.occurrences(of: p, in: tokens).first == 0 }) else { continue }
                let row = layout.rows[r]
                // A heading stands alone or ends with its colon ("IMPRESSION:"), unlike "Specimen laterality: Right".
                let headingWords = row.words.prefix { !$0.text.hasSuffix(":") }.count + 1
                let phraseWords = Set(LabelReader.tokenMap(row).wordIndex.prefix(phrase.count)).count
                guard tokens.count == phrase.count || headingWords == phraseWords else { continue }
                let lastPhraseWord = LabelReader.tokenMap(row).wordIndex[phrase.count - 1]
                let rest = row.words[(lastPhraseWord + 1)...]
                let cleaned = LabelReader.cleanValueWords(rest)
                if cleaned.count >= 2 {
                    return Extracted(cleaned.map(\.text).joined(separator: " "), confidence: LabelReader.mean(cleaned), page: layout.number)
                }
                if r + 1 < layout.rows.count {
                    let next = layout.rows[r + 1]
                    let words = LabelReader.cleanValueWords(next.words[...])
                    if !words.isEmpty {
                        return Extracted(words.map(\.text).joined(separator: " "), confidence: LabelReader.mean(words), page: layout.number)
                    }
                }
            }
        }
        return nil
    }

    func readAuthorization(_ fields: inout DocumentFields, _ layout: PageLayout) {
        // Recipient: the line after "release to" / "disclose to".
        for r in layout.bodyRowIndices {
            let tokens = layout.rows[r].foldedTokens
            let isRecipientHeading = TextMatching.contains(["release", "to"], in: tokens) || TextMatching.contains(["disclose", "to"], in: tokens)
                || TextMatching.contains(["recipient"], in: tokens)
            guard isRecipientHeading, !tokens.contains(where: { TextMatching.fuzzyEqual($0, "authorize") }) else { continue }
            let row = layout.rows[r]
            let after = row.words.firstIndex { $0.text.hasSuffix(":") }.map { row.words[($0 + 1)...] } ?? []
            var words = LabelReader.cleanValueWords(after)
            if words.isEmpty, r + 1 < layout.rows.count { words = LabelReader.cleanValueWords(layout.rows[r + 1].words[...]) }
            if !words.isEmpty {
                fields.details["recipient"] = Extracted(
                    words.map(\.text).joined(separator: " "), confidence: LabelReader.mean(words), page: layout.number)
            }
            break
        }
        // Record types: a checked box ("[X]", "X]", "[x]") in front of a known kind of record.
        let kinds: [(String, [String])] = [
            ("pathology", ["pathology"]), ("imaging", ["imaging", "radiology"]), ("clinic_notes", ["clinic", "consultation", "progress"]),
            ("operative", ["operative", "procedure"]), ("laboratory", ["laboratory", "lab"]), ("discharge", ["discharge"]),
            ("medications", ["medication"]), ("entire_record", ["entire"]),
        ]
        var authorized: [String] = []
        var purposes: [String] = []
        for r in layout.bodyRowIndices {
            let row = layout.rows[r]
            for (i, word) in row.words.enumerated() where Self.isCheckedBox(word.text) {
                guard i + 1 < row.words.count else { continue }
                let next = row.words[i + 1].folded
                for (kind, words) in kinds where words.contains(where: { next.hasPrefix($0) }) && !authorized.contains(kind) {
                    authorized.append(kind)
                }
                if TextMatching.fuzzyEqual(next, "second") { purposes.append("second opinion") }
                if TextMatching.fuzzyEqual(next, "continuity") { purposes.append("continuity of care") }
                if TextMatching.fuzzyEqual(next, "insurance") { purposes.append("insurance") }
                if TextMatching.fuzzyEqual(next, "legal") { purposes.append("legal") }
                if TextMatching.fuzzyEqual(next, "personal") { purposes.append("personal use") }
            }
        }
        if !authorized.isEmpty {
            fields.details["records_authorized"] = Extracted(authorized.joined(separator: ","), confidence: 0.6, page: layout.number)
        }
        if !purposes.isEmpty {
            fields.details["purpose"] = Extracted(purposes.joined(separator: ","), confidence: 0.6, page: layout.number)
        }
    }

    static func isCheckedBox(_ text: String) -> Bool {
        let t = text.uppercased()
        return ["[X]", "X]", "[X", "(X)", "[K]", "[KX]", "BX]", "{X]", "[4]", "EX]", "☒", "■", "[V]", "[✓]", "☑"].contains(t)
    }
}
