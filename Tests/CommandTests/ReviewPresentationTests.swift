import FileroomCommands
import FileroomModel
import Intake
import Review
import Testing

@Suite("score breakdowns in plain words")
struct ReviewPresentationTests {
    @Test func comparisonsReadAsPlainWords() {
        let candidate = MatchCandidate(
            caseID: CaseID(rawValue: "SO-1")!, caseStatus: .open, probability: 0.97,
            comparisons: [
                FieldComparison(field: "last_name", level: "exact", weight: 4),
                FieldComparison(field: "first_name", level: "nickname", weight: 2, detail: "known nickname: bob / robert"),
                FieldComparison(field: "dob", level: "exact", weight: 6),
                FieldComparison(field: "sender_fax", level: "exact", weight: 1, detail: "fax header is the referring fax"),
                FieldComparison(field: "mrn", level: "missing", weight: 0),
                FieldComparison(field: "facility", level: "pooled_similar", weight: 1, detail: "similar spelling: a / b"),
                FieldComparison(field: "dob", level: "one_digit", weight: -1, detail: "one digit"),
            ]
        )
        #expect(
            ReviewPresentation.breakdown(candidate)
                == "last name exact, first name nickname (bob / robert), DOB exact, fax matches referring facility, "
                + "MRN not found on the page, facility similar (a / b) [from another document of the fax], "
                + "DOB one digit off"
        )
    }

    @Test func wrappingKeepsLinesWithin80Columns() {
        let text = Array(repeating: "word", count: 60).joined(separator: " ")
        let lines = ReviewPresentation.wrap(text, indent: "     ")
        #expect(lines.count > 1)
        #expect(lines.allSatisfy { $0.count <= 80 && $0.hasPrefix("     word") })
    }
}
