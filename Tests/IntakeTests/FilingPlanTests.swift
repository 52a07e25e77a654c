import FileroomModel
import Intake
import Store
import Testing

@Suite("Whole-fax filing rules")
struct FilingPlanTests {
    static let caseA = CaseID(rawValue: "SO-A")!
    static let caseB = CaseID(rawValue: "SO-B")!

    static func document(_ type: DocumentType, _ page: Int) -> ExtractedDocument {
        ExtractedDocument(
            firstPage: page, lastPage: page, type: type, typeConfidence: 1, evidence: [], fields: DocumentFields()
        )
    }

    static func decision(_ status: MatchStatus, _ caseID: CaseID?) -> MatchDecision {
        MatchDecision(status: status, caseID: caseID, confidence: 0.99, candidates: [], reason: "test")
    }

    @Test func aCoverSheetIsFiledOnlyWhenEveryDocumentWentToTheSameCase() {
        let documents = [Self.document(.coverSheet, 1), Self.document(.pathologyReport, 2), Self.document(.labReport, 3)]
        let allA = FilingPlan.filings(
            documents: documents,
            decisions: [Self.decision(.review, nil), Self.decision(.filed, Self.caseA), Self.decision(.filed, Self.caseA)]
        )
        #expect(allA[0].destination == .filed)
        #expect(allA[0].caseID == Self.caseA)
        #expect(allA[0].queue == .none)

        let split = FilingPlan.filings(
            documents: documents,
            decisions: [Self.decision(.review, nil), Self.decision(.filed, Self.caseA), Self.decision(.filed, Self.caseB)]
        )
        #expect(split[0].destination == .review)

        let oneInReview = FilingPlan.filings(
            documents: documents,
            decisions: [Self.decision(.review, nil), Self.decision(.filed, Self.caseA), Self.decision(.review, Self.caseA)]
        )
        #expect(oneInReview[0].destination == .review)
        #expect(Filing.sourceState(oneInReview) == .review)
    }

    @Test func aCoverSheetOfAnUnmatchedFaxIsUnmatched() {
        let outcomes = FilingPlan.filings(
            documents: [Self.document(.coverSheet, 1), Self.document(.radiologyReport, 2)],
            decisions: [Self.decision(.filed, Self.caseA), Self.decision(.unmatched, nil)]
        )
        #expect(outcomes[0].destination == .unmatched)
        #expect(outcomes[0].caseID == nil)
        #expect(Filing.sourceState(outcomes) == .unmatched)
    }

    @Test func aLoneCoverSheetWaitsForAPerson() {
        let outcomes = FilingPlan.filings(
            documents: [Self.document(.coverSheet, 1)], decisions: [Self.decision(.filed, Self.caseA)]
        )
        #expect(outcomes[0].destination == .review)
    }

    @Test func junkIsNeverFiledWhateverTheMatcherSaid() {
        let outcomes = FilingPlan.filings(
            documents: [Self.document(.other, 1)], decisions: [Self.decision(.filed, Self.caseA)]
        )
        #expect(outcomes[0].destination == .unmatched)
        #expect(outcomes[0].caseID == nil)
    }

    @Test func routingFollowsTheDocumentType() {
        let outcomes = FilingPlan.filings(
            documents: [Self.document(.pathologyReport, 1), Self.document(.radiologyReport, 2),
                        Self.document(.operativeNote, 3)],
            decisions: Array(repeating: Self.decision(.filed, Self.caseA), count: 3)
        )
        #expect(outcomes.map(\.queue) == [.pathology, .radiology, .records])
        #expect(Filing.sourceState(outcomes) == .filed)
    }

    @Test func aCoverNamingSeveralPatientsWaitsForAPersonWithNoProposal() {
        let documents = [Self.document(.coverSheet, 1), Self.document(.pathologyReport, 2)]
        let several = MatchDecision(
            status: .review, caseID: nil, confidence: 0.5, candidates: [], reason: "multiple_patients: test"
        )
        let filings = FilingPlan.filings(documents: documents, decisions: [several, Self.decision(.filed, Self.caseA)])
        #expect(filings[0].destination == .review)
        #expect(filings[0].caseID == nil)
        #expect(filings[1].destination == .filed)
    }
}
