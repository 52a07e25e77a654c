import FileroomModel

/// Groups pages into documents: a new document where the type changes, where a report heading or "Page 1 of N"
/// starts, or where the patient changes. Continuation, blank and unreadable pages stay with the document before.
enum DocumentSplitter {
    static func split(_ pages: [FaxInterpreter.PageFacts]) -> [[Int]] {
        var groups: [[Int]] = []
        var currentType: DocumentType?
        var currentPatient = PagePatient()
        for (index, page) in pages.enumerated() {
            let c = page.classification
            guard !groups.isEmpty else {
                groups.append([index])
                currentType = c.type
                currentPatient = page.patient
                continue
            }
            let changedPatient = patientChanged(from: currentPatient, to: page.patient)
            var startsNew: Bool
            if c.type == nil {
                // Blank or unreadable: belongs to the document before it, unless it visibly starts another.
                startsNew = c.startsDocument && changedPatient
            } else if currentType == nil {
                startsNew = c.startsDocument && !c.isContinuation
            } else if c.type == .coverSheet {
                startsNew = !c.isContinuation || currentType != .coverSheet
            } else if currentType == .coverSheet {
                startsNew = true
            } else if c.isContinuation {
                // A continuation page changes patient only on a different birth date, or different names when
                // neither side has one: OCR noise in a repeated name must not cut a report in two.
                startsNew = patientChanged(from: currentPatient, to: page.patient, namesCountWithDOB: false)
            } else if c.type != currentType {
                // A page with weak evidence and no heading is more likely a continuation the classifier misread.
                let weak = c.confidence < 0.45 && !c.startsDocument
                startsNew = !weak || changedPatient
            } else {
                startsNew = c.startsDocument || changedPatient
            }
            if startsNew {
                groups.append([index])
                currentType = c.type
                currentPatient = page.patient
            } else {
                groups[groups.count - 1].append(index)
                if currentType == nil { currentType = c.type }
                if currentPatient.name == nil { currentPatient.name = page.patient.name }
                if currentPatient.dateOfBirth == nil { currentPatient.dateOfBirth = page.patient.dateOfBirth }
                if currentPatient.mrn == nil { currentPatient.mrn = page.patient.mrn }
            }
        }
        return groups
    }

    /// Both pages name a patient and the names or birth dates disagree beyond OCR noise.
    static func patientChanged(from a: PagePatient, to b: PagePatient, namesCountWithDOB: Bool = true) -> Bool {
        if !namesCountWithDOB, let d1 = a.dateOfBirth?.value, let d2 = b.dateOfBirth?.value, d1 == d2 { return false }
        if let d1 = a.dateOfBirth?.value, let d2 = b.dateOfBirth?.value, d1 != d2 {
            // One digit misread changes a date; only a clear difference counts.
            let diff = [d1.year != d2.year, d1.month != d2.month, d1.day != d2.day].filter { $0 }.count
            if diff >= 2 || (a.dateOfBirth?.confidence ?? 0) > 0.7 && (b.dateOfBirth?.confidence ?? 0) > 0.7 {
                return true
            }
        }
        // With the same record number on both pages a name may differ by two OCR errors ("Pefia" for "Peña").
        let sameRecord = a.mrn.flatMap { m1 in b.mrn.map { m1.value.count >= 5 && m1.value == $0.value } } ?? false
        let tolerance = sameRecord ? 2 : 1
        if let n1 = a.name?.value, let n2 = b.name?.value {
            let l1 = TextMatching.fold(n1.last).filter(\.isLetter), l2 = TextMatching.fold(n2.last).filter(\.isLetter)
            let f1 = TextMatching.fold(n1.first).filter(\.isLetter), f2 = TextMatching.fold(n2.first).filter(\.isLetter)
            let lastDiffers = TextMatching.distance(Array(l1), Array(l2), limit: 2) > tolerance
                && !l1.contains(l2) && !l2.contains(l1)
            let firstDiffers = TextMatching.distance(Array(f1), Array(f2), limit: 2) > tolerance
                && !f1.hasPrefix(f2) && !f2.hasPrefix(f1)
            if lastDiffers || firstDiffers { return true }
        }
        return false
    }

    /// The document's type from its pages' scores, the first page counting double.
    static func documentType(_ pages: [FaxInterpreter.PageFacts]) -> (DocumentType, Double, [String]) {
        var totals: [DocumentType: Double] = [:]
        for (index, page) in pages.enumerated() {
            for (type, score) in page.classification.scores {
                totals[type, default: 0] += score * (index == 0 ? 2 : 1)
            }
        }
        guard let lead = pages.first(where: { $0.classification.type != nil }) else {
            return (.other, 0.3, ["no readable page"])
        }
        let order = { (type: DocumentType) in DocumentType.allCases.firstIndex(of: type) ?? 99 }
        let ranked = totals.sorted { ($0.value, order($1.key)) > ($1.value, order($0.key)) }
        let type = lead.classification.type ?? ranked.first?.key ?? .other
        let evidence = ["page \(lead.layout.number)"] + lead.classification.evidence
        return (type, lead.classification.confidence, evidence)
    }
}
