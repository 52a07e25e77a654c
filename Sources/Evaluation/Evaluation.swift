import FileroomModel

/// Scores what the system did (an export) against a truth file: a Swift port of the reference scorer
/// `tools/score.py`, rule for rule, so `fileroom evaluate` gives the figures the project is measured by.
///
/// - A truth file is accounted for when exactly one result source carries its name (Unicode NFC).
/// - Result documents are matched to truth documents by page overlap; blank pages are ignored for the
///   best match, the type and the boundaries.
/// - Each truth document gets one `DocumentOutcome`; filed result documents that overlap no truth document,
///   or come from a file that should be rejected, count as spurious filings and add to `wrongFiled`.
public enum Evaluation {
    public static func score(truth: TruthFile, results: ExportReport) -> EvaluationMetrics {
        var scorer = Scorer()
        scorer.run(truth: truth, results: results)
        return scorer.finish()
    }
}

/// Pages [first, last], both inclusive; nil where the pages are missing or malformed.
struct PageSpan: Equatable {
    var first: Int
    var last: Int

    init?(_ pages: [Int]) {
        guard pages.count >= 2 else { return nil }
        first = min(pages[0], pages[1])
        last = max(pages[0], pages[1])
    }

    var count: Int { last - first + 1 }

    func contains(_ page: Int) -> Bool { first <= page && page <= last }

    func overlapCount(_ other: PageSpan) -> Int {
        max(0, min(last, other.last) - max(first, other.first) + 1)
    }
}

private struct Scorer {
    var m = EvaluationMetrics()

    mutating func run(truth: TruthFile, results: ExportReport) {
        let nfc = FieldNormalization.nfc
        let truthSources = truth.sources
        var resultsByName: [String: [ExportSource]] = [:]
        var resultNameOrder: [String] = []
        for result in results.sources {
            let name = nfc(result.file)
            if resultsByName[name] == nil { resultNameOrder.append(name) }
            resultsByName[name, default: []].append(result)
        }
        let truthNames = Set(truthSources.map { nfc($0.file) })
        m.filesTotal = truthSources.count
        m.resultEntries = results.sources.count
        for name in resultNameOrder where !truthNames.contains(name) {
            m.extraResultEntries += resultsByName[name]?.count ?? 0
            m.problems.append("result names a file not in the spool: \(pythonRepr(name))")
        }
        var truthByName: [String: TruthSource] = [:]
        for source in truthSources { truthByName[nfc(source.file)] = source }

        var resultFor: [String: ExportSource] = [:]
        for source in truthSources {
            let got = resultsByName[nfc(source.file)] ?? []
            if got.count == 1 {
                m.accounted += 1
            } else if got.isEmpty {
                m.problems.append("not accounted for (missing): \(source.file)")
            } else {
                m.problems.append("not accounted for (\(got.count) result entries): \(source.file)")
            }
            if let first = got.first { resultFor[nfc(source.file)] = first }
        }

        // Duplicates: swapped roles are accepted (the original flagged as the duplicate, the copy processed).
        var swapped: [String: ExportSource] = [:]
        for source in truthSources where source.expect == "duplicate" {
            m.duplicatesTotal += 1
            let result = resultFor[nfc(source.file)]
            let original = truthByName[nfc(source.duplicateOf)]
            let originalResult = resultFor[nfc(source.duplicateOf)]
            let status = result?.status
            if status == "duplicate" {
                m.duplicatesOK += 1
            } else if status == "processed", let result, originalResult?.status == "duplicate", let original {
                m.duplicatesOK += 1
                swapped[nfc(original.file)] = result
                m.problems.append(
                    "duplicate roles swapped (accepted): \(source.file) processed, \(python(source.duplicateOf)) flagged")
            } else {
                m.problems.append("duplicate not flagged: \(source.file) (status \(python(status)))")
            }
        }

        for source in truthSources where source.expect == "rejected" {
            m.rejectedTotal += 1
            let result = resultFor[nfc(source.file)]
            let status = result?.status
            let acceptable = Set(source.acceptableExpect.flatMap { $0.isEmpty ? nil : $0 } ?? ["rejected"])
            if status == "rejected", !FieldNormalization.strip(result?.error ?? "").isEmpty {
                m.rejectedOK += 1
            } else if status == "rejected" {
                m.problems.append("rejected without an error message: \(source.file)")
            } else if let status, acceptable.contains(status) {
                m.rejectedOK += 1
                m.rejectedAlternativeOK += 1
            } else {
                m.problems.append(
                    "should be rejected (\(python(source.rejectReason))): \(source.file) got \(python(status))")
            }
            if let result, status != "rejected" {
                for document in result.documents where document.status == "filed" {
                    m.spuriousFiled += 1
                    m.wrongFiledList.append(
                        WrongFiling(
                            file: source.file, pages: document.pages, truthCase: nil, resultCase: document.caseID,
                            why: "filed from a bad file"))
                }
            }
        }

        for source in truthSources where source.expect == "processed" {
            m.processedTotal += 1
            let result = swapped[nfc(source.file)] ?? resultFor[nfc(source.file)]
            let status = result?.status
            if status == "processed" {
                m.processedOK += 1
            } else if let result {
                m.problems.append(
                    "expected processed, got \(python(status)): \(source.file) (\(python(result.error)))")
            }
            if let result, status == "processed" {
                if result.pages == source.pages { m.pagesOK += 1 }
                if let declared = source.declaredPages {
                    m.declaredTotal += 1
                    if result.declaredPages == declared { m.declaredOK += 1 }
                }
                if source.incomplete == true {
                    m.incompleteTotal += 1
                    if (result.declaredPages ?? 0) > result.pages { m.incompleteFlagged += 1 }
                }
            } else if source.incomplete == true {
                m.incompleteTotal += 1
            }
            if source.declaredPages != nil && status != "processed" { m.declaredTotal += 1 }
            let resultDocuments = status == "processed" ? result?.documents ?? [] : []
            let blanks = Set(source.blankPages ?? [])
            let truthStarts = boundaryStarts(source.documents.map(\.pages), blanks: blanks, pages: source.pages)
            let resultStarts = boundaryStarts(resultDocuments.map(\.pages), blanks: blanks, pages: source.pages)
            m.boundaryTruePositives += truthStarts.intersection(resultStarts).count
            m.boundaryFalsePositives += resultStarts.subtracting(truthStarts).count
            m.boundaryFalseNegatives += truthStarts.subtracting(resultStarts).count
            scoreDocuments(source, resultDocuments)
        }

        // A duplicate processed anyway: its filings are checked for safety against the original's truth.
        for source in truthSources where source.expect == "duplicate" {
            let result = resultFor[nfc(source.file)]
            if let result, result.status == "processed", let original = truthByName[nfc(source.duplicateOf)],
                swapped[nfc(original.file)] == nil
            {
                checkSafetyOnly(original, result.documents, label: source.file)
            }
        }
    }

    private mutating func checkSafetyOnly(_ truth: TruthSource, _ resultDocuments: [ExportDocument], label: String) {
        for document in resultDocuments where document.status == "filed" {
            let span = PageSpan(document.pages)
            for truthDocument in truth.documents {
                guard let span, let truthSpan = PageSpan(truthDocument.pages), span.overlapCount(truthSpan) > 0 else {
                    continue
                }
                if truthDocument.caseID == nil || document.caseID != truthDocument.caseID
                    || !truthDocument.safeOutcomes.contains("filed")
                {
                    m.spuriousFiled += 1
                    m.wrongFiledList.append(
                        WrongFiling(
                            file: label, pages: document.pages, truthCase: truthDocument.caseID,
                            resultCase: document.caseID, why: "unsafe filing in duplicate"))
                    break
                }
            }
        }
    }

    private mutating func scoreDocuments(_ source: TruthSource, _ resultDocuments: [ExportDocument]) {
        let blanks = Set(source.blankPages ?? [])
        let resultSpans = resultDocuments.map { PageSpan($0.pages) }
        var used = Set<Int>()
        for truthDocument in source.documents {
            m.documents += 1
            let type = truthDocument.type
            m.byType[type, default: TypeTally()].count += 1
            let hazard = truthDocument.hazard.flatMap { $0.isEmpty ? nil : $0 }
            let family = truthDocument.family.flatMap { $0.isEmpty ? nil : $0 }
            let truthSpan = PageSpan(truthDocument.pages)
            // Blank pages of this document; when it is all blank, its pages count as they are.
            let truthBlanks = truthSpan.map { span in blanks.filter { span.contains($0) } } ?? []
            let allBlank = truthSpan.map { truthBlanks.count == $0.count } ?? true

            struct Overlap {
                var index: Int
                var nonBlank: Int
                var all: Int
            }
            var overlaps: [Overlap] = []
            for (index, span) in resultSpans.enumerated() {
                guard let span, let truthSpan else { continue }
                let all = span.overlapCount(truthSpan)
                guard all > 0 else { continue }
                let nonBlank = allBlank ? all : all - truthBlanks.filter { span.contains($0) }.count
                overlaps.append(Overlap(index: index, nonBlank: nonBlank, all: all))
            }
            // Most non-blank pages in common, then most pages, then the earliest.
            var bestOverlap: Overlap?
            for overlap in overlaps {
                guard let current = bestOverlap else {
                    bestOverlap = overlap
                    continue
                }
                if overlap.nonBlank > current.nonBlank || (overlap.nonBlank == current.nonBlank && overlap.all > current.all) {
                    bestOverlap = overlap
                }
            }
            let best = bestOverlap.map { resultDocuments[$0.index] }
            used.formUnion(overlaps.map(\.index))

            let safe = truthDocument.safeOutcomes
            let truthCase = truthDocument.caseID
            // The auto-filing rate is over clinical records: a cover sheet only travels with its fax.
            let isRecord = type != "cover_sheet"
            if safe.contains("filed") && isRecord {
                m.fileable += 1
                m.byType[type, default: TypeTally()].fileable += 1
            }

            let unsafe = overlaps.map { resultDocuments[$0.index] }.filter { document in
                document.status == "filed"
                    && (truthCase == nil || document.caseID != truthCase || !safe.contains("filed"))
            }
            let outcome: DocumentOutcome
            if let firstUnsafe = unsafe.first {
                outcome = .wrongFiled
                m.wrongFiledList.append(
                    WrongFiling(
                        file: source.file, pages: truthDocument.pages, truthCase: truthCase,
                        resultCase: firstUnsafe.caseID, why: "\(type); safe=\(pythonRepr(safe))"))
            } else if let best {
                switch best.status {
                case "filed": outcome = .correctFiled
                case "review": outcome = .review
                case "unmatched": outcome = safe.contains("unmatched") ? .unmatchedOK : .missed
                default: outcome = .noResult
                }
            } else {
                outcome = .noResult
            }
            m.outcomes[outcome] += 1
            m.byType[type, default: TypeTally()].outcomes[outcome] += 1
            if outcome == .correctFiled && isRecord { m.correctRecords += 1 }
            let isSafe =
                outcome == .correctFiled || outcome == .unmatchedOK || (outcome == .review && safe.contains("review"))
            if isSafe { m.outcomeInSafe += 1 }
            if let hazard {
                m.byHazard[hazard, default: GroupTally()].count += 1
                m.byHazard[hazard, default: GroupTally()].outcomes[outcome] += 1
            }
            if let family {
                m.byFamily[family, default: GroupTally()].count += 1
                m.byFamily[family, default: GroupTally()].outcomes[outcome] += 1
            }

            let typeOK = best?.type == type ? 1 : 0
            let queueOK = best?.queue == truthDocument.queue ? 1 : 0
            m.typeOK += typeOK
            m.queueOK += queueOK
            m.byType[type, default: TypeTally()].typeOK += typeOK
            m.byType[type, default: TypeTally()].queueOK += queueOK
            if let truthCase, !truthCase.isEmpty {
                m.caseKnown += 1
                if let best, best.caseID == truthCase { m.caseOK += 1 }
            }
            if let hazard { m.byHazard[hazard, default: GroupTally()].typeOK += typeOK }
            if let family { m.byFamily[family, default: GroupTally()].typeOK += typeOK }

            let resultFields = best?.fields ?? ExportFields()
            for field in ScoredField.allCases {
                let got = field.value(in: resultFields)
                guard let truthValue = field.value(in: truthDocument.fields) else {
                    if let got, !got.isEmpty { m.fieldsSpurious += 1 }
                    continue
                }
                let ok = FieldNormalization.isEqual(field, truth: truthValue, got: got) ? 1 : 0
                m.fieldsTotal += 1
                m.fieldsOK += ok
                m.byField[field.rawValue, default: FieldTally()].count += 1
                m.byField[field.rawValue, default: FieldTally()].ok += ok
                if let family {
                    m.byFamily[family, default: GroupTally()].fieldsTotal += 1
                    m.byFamily[family, default: GroupTally()].fieldsOK += ok
                }
            }
        }

        for (index, document) in resultDocuments.enumerated() where !used.contains(index) {
            m.resultDocumentsUnmatched += 1
            if document.status == "filed" {
                m.spuriousFiled += 1
                m.wrongFiledList.append(
                    WrongFiling(
                        file: source.file, pages: document.pages, truthCase: nil, resultCase: document.caseID,
                        why: "filed pages with no truth document"))
            }
        }
    }

    func finish() -> EvaluationMetrics {
        var x = m
        let tp = x.boundaryTruePositives
        let fp = x.boundaryFalsePositives
        let fn = x.boundaryFalseNegatives
        let precision = tp + fp > 0 ? ratio(tp, tp + fp) : 1.0
        let recall = tp + fn > 0 ? ratio(tp, tp + fn) : 1.0
        x.boundaryPrecision = precision
        x.boundaryRecall = recall
        x.boundaryF1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0
        x.wrongFiledDocs = x.outcomes.wrongFiled
        x.wrongFiled = x.outcomes.wrongFiled + x.spuriousFiled
        x.autoFiledCorrect = ratio(x.correctRecords, x.fileable)
        x.reviewRate = ratio(x.outcomes.review, x.documents)
        x.typeAccuracy = ratio(x.typeOK, x.documents)
        x.queueAccuracy = ratio(x.queueOK, x.documents)
        x.fieldAccuracy = ratio(x.fieldsOK, x.fieldsTotal)
        x.caseAccuracy = ratio(x.caseOK, x.caseKnown)
        x.outcomeSafeRate = ratio(x.outcomeInSafe, x.documents)
        return x
    }
}

/// Start pages of documents 2..n, as indexes among the file's non-blank pages; a document starting on a
/// blank page starts at the next non-blank one.
func boundaryStarts(_ documentPages: [[Int]], blanks: Set<Int>, pages: Int?) -> Set<Int> {
    let pageCount = pages ?? 0
    guard pageCount >= 1 else { return [] }
    let nonBlank = (1...pageCount).filter { !blanks.contains($0) }
    guard let lastNonBlank = nonBlank.last else { return [] }
    var starts = Set<Int>()
    for pages in documentPages {
        guard let span = PageSpan(pages), span.first <= lastNonBlank else { continue }
        if let index = nonBlank.firstIndex(where: { $0 >= span.first }), index > 0 {
            starts.insert(index)
        }
    }
    return starts
}

func ratio(_ a: Int, _ b: Int) -> Double {
    b == 0 ? 0.0 : Double(a) / Double(b)
}

/// How Python prints an optional value inside the scorer's messages ("None" for null).
private func python(_ value: String?) -> String {
    value ?? "None"
}

/// Python's `repr` of a string, as the scorer's messages quote names.
func pythonRepr(_ s: String) -> String {
    let quote: Character = s.contains("'") && !s.contains("\"") ? "\"" : "'"
    var out = String(quote)
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if Character(scalar) == quote {
                out += "\\" + String(quote)
            } else if isPythonPrintable(scalar) {
                out.unicodeScalars.append(scalar)
            } else if scalar.value < 0x100 {
                out += "\\x" + hex(scalar.value, width: 2)
            } else if scalar.value < 0x10000 {
                out += "\\u" + hex(scalar.value, width: 4)
            } else {
                out += "\\U" + hex(scalar.value, width: 8)
            }
        }
    }
    out.append(quote)
    return out
}

/// Python's `repr` of a list of strings: `['filed', 'review']`.
func pythonRepr(_ list: [String]) -> String {
    "[" + list.map { pythonRepr($0) }.joined(separator: ", ") + "]"
}

private func isPythonPrintable(_ scalar: Unicode.Scalar) -> Bool {
    if scalar == " " { return true }
    switch scalar.properties.generalCategory {
    case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator,
        .spaceSeparator:
        return false
    default:
        return true
    }
}

private func hex(_ value: UInt32, width: Int) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}
