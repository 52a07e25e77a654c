import FileroomModel
import Foundation

/// Renders evaluation metrics for staff: wrong filings first (they name files and pages, so this is a staff
/// tool and never a log), then the tables of the reference scorer, and its one-line summary last.
public enum EvaluationReport {
    static let typeOrder = [
        "cover_sheet", "authorization", "pathology_report", "radiology_report", "clinic_note", "operative_note",
        "lab_report", "other",
    ]
    /// Problems shown without `verbose`.
    static let problemLimit = 40

    /// The human report, or with `json` one JSON object holding every metric (keys as the reference scorer's).
    public static func render(_ metrics: EvaluationMetrics, json: Bool, verbose: Bool = false) -> String {
        json ? renderJSON(metrics) : renderText(metrics, verbose: verbose)
    }

    /// `wrong_filed=N auto_filed_correct=X.XX review_rate=X.XX type_acc=X.XX field_acc=X.XX accounted=N/M
    /// rejected_ok=N/M`, exactly as the reference scorer prints it.
    public static func summaryLine(_ x: EvaluationMetrics) -> String {
        "wrong_filed=\(x.wrongFiled) auto_filed_correct=\(fixed(x.autoFiledCorrect, 2)) "
            + "review_rate=\(fixed(x.reviewRate, 2)) type_acc=\(fixed(x.typeAccuracy, 2)) "
            + "field_acc=\(fixed(x.fieldAccuracy, 2)) accounted=\(x.accounted)/\(x.filesTotal) "
            + "rejected_ok=\(x.rejectedOK)/\(x.rejectedTotal)"
    }

    static func renderJSON(_ metrics: EvaluationMetrics) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(metrics), as: UTF8.self)
        } catch {
            // Only non-finite numbers fail to encode, and every rate is a guarded ratio of counts.
            return "{\"error\": \"cannot encode the metrics: \(error)\"}"
        }
    }

    static func renderText(_ x: EvaluationMetrics, verbose: Bool) -> String {
        var lines: [String] = []
        lines.append("== WRONG FILED (safety failures): \(x.wrongFiled) ==")
        if x.wrongFiledList.isEmpty {
            lines.append("  none")
        }
        for wrong in x.wrongFiledList {
            lines.append(
                "  \(wrong.file) pages \(wrong.pages): truth case \(wrong.truthCase ?? "none") -> filed to "
                    + "\(wrong.resultCase ?? "none") (\(wrong.why))")
        }
        lines.append("")
        lines.append("== Files ==")
        lines.append("  accounted            \(x.accounted)/\(x.filesTotal)   (extra result entries: \(x.extraResultEntries))")
        lines.append("  processed ok         \(x.processedOK)/\(x.processedTotal)")
        lines.append("  rejected ok          \(x.rejectedOK)/\(x.rejectedTotal)")
        lines.append("  duplicates flagged   \(x.duplicatesOK)/\(x.duplicatesTotal)")
        lines.append("  page count ok        \(x.pagesOK)/\(x.processedTotal)")
        lines.append("  declared pages ok    \(x.declaredOK)/\(x.declaredTotal)")
        lines.append("  incomplete flagged   \(x.incompleteFlagged)/\(x.incompleteTotal)  (declared_pages > pages)")
        lines.append("")
        lines.append("== Documents ==")
        lines.append("  documents \(x.documents)  (fileable: \(x.fileable))")
        let outcomes = OutcomeCounts.reportOrder.map { "\($0.rawValue)=\(x.outcomes[$0])" }.joined(separator: "  ")
        lines.append("  outcomes: \(outcomes)  spurious_filed=\(x.spuriousFiled)")
        lines.append(
            "  type_acc \(fixed(x.typeAccuracy, 3))  queue_acc \(fixed(x.queueAccuracy, 3))  "
                + "case_acc \(fixed(x.caseAccuracy, 3))  outcome_safe_rate \(fixed(x.outcomeSafeRate, 3))")
        lines.append(
            "  boundaries: P \(fixed(x.boundaryPrecision, 3))  R \(fixed(x.boundaryRecall, 3))  "
                + "F1 \(fixed(x.boundaryF1, 3))")
        lines.append("")
        let typeColumns = ["type", "queue", "filed", "WRONG", "review", "unm_ok", "missed", "nores"]
        lines.append("  " + left("type", 18) + " " + right("n", 4) + typeColumns.map { " " + right($0, 6) }.joined())
        // Known types in the corpus order, then any others a center's truth uses.
        let extraTypes = x.byType.keys.filter { !typeOrder.contains($0) }.sorted()
        for type in typeOrder + extraTypes {
            guard let tally = x.byType[type] else { continue }
            let n = tally.count
            let o = tally.outcomes
            lines.append(
                "  " + left(type, 18) + " " + right(String(n), 4)
                    + " " + right(fixed(ratio(tally.typeOK, n), 2), 6) + " " + right(fixed(ratio(tally.queueOK, n), 2), 6)
                    + [o.correctFiled, o.wrongFiled, o.review, o.unmatchedOK, o.missed, o.noResult]
                    .map { " " + right(String($0), 6) }.joined())
        }
        lines.append("")
        lines.append("  " + left("field", 16) + " " + right("n", 4) + " " + right("acc", 6))
        for field in ScoredField.allCases {
            guard let tally = x.byField[field.rawValue] else { continue }
            lines.append(
                "  " + left(field.rawValue, 16) + " " + right(String(tally.count), 4) + " "
                    + right(fixed(ratio(tally.ok, tally.count), 2), 6))
        }
        lines.append(
            "  all fields      " + right(String(x.fieldsTotal), 5) + " " + right(fixed(x.fieldAccuracy, 2), 6)
                + "   (values given where truth is null: \(x.fieldsSpurious))")
        if !x.byHazard.isEmpty {
            lines.append("")
            lines.append(
                "  " + left("hazard", 28) + " " + right("n", 4)
                    + ["filed", "WRONG", "review", "unm_ok", "missed"].map { " " + right($0, 6) }.joined())
            for hazard in x.byHazard.keys.sorted() {
                guard let tally = x.byHazard[hazard] else { continue }
                let o = tally.outcomes
                lines.append(
                    "  " + left(hazard, 28) + " " + right(String(tally.count), 4)
                        + [o.correctFiled, o.wrongFiled, o.review, o.unmatchedOK, o.missed]
                        .map { " " + right(String($0), 6) }.joined())
            }
        }
        if !x.byFamily.isEmpty {
            lines.append("")
            for family in x.byFamily.keys.sorted() {
                guard let tally = x.byFamily[family] else { continue }
                lines.append(
                    "  template family \(family): docs \(tally.count)  type_acc \(fixed(ratio(tally.typeOK, tally.count), 2))  "
                        + "field_acc \(fixed(ratio(tally.fieldsOK, tally.fieldsTotal), 2))  "
                        + "wrong_filed \(tally.outcomes.wrongFiled)")
            }
        }
        if !x.problems.isEmpty {
            lines.append("")
            lines.append("== File-level problems ==")
            let shown = verbose ? x.problems : Array(x.problems.prefix(problemLimit))
            lines.append(contentsOf: shown.map { "  " + $0 })
            if !verbose && x.problems.count > problemLimit {
                lines.append("  ... \(x.problems.count - problemLimit) more (use --verbose)")
            }
        }
        lines.append("")
        lines.append(summaryLine(x))
        return lines.joined(separator: "\n")
    }

    /// `%.Nf`: rounds the binary value exactly, as Python's format does.
    static func fixed(_ value: Double, _ digits: Int) -> String {
        String(format: "%.\(digits)f", value)
    }

    private static func left(_ s: String, _ width: Int) -> String {
        s + String(repeating: " ", count: max(0, width - s.unicodeScalars.count))
    }

    private static func right(_ s: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - s.unicodeScalars.count)) + s
    }
}
