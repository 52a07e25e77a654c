import FileroomModel
import Testing

@testable import Matching

// Invented people only.
func makeCase(
    _ id: String, _ last: String, _ first: String, _ dob: String, status: CaseStatus = .open, middle: String? = nil,
    mrn: String? = nil, sex: String? = nil, facility: String? = "Maple Valley Clinic", fax: String? = "(555) 555-0100"
) -> CaseRecord {
    CaseRecord(
        caseID: CaseID(rawValue: id)!, status: status, patientLast: last, patientFirst: first, patientMiddle: middle,
        dateOfBirth: CalendarDate(iso: dob)!, sex: sex, mrn: mrn, referringProvider: "Pat Doctor, MD",
        referringFacility: facility, referringFax: fax
    )
}

func makeFields(
    last: String? = nil, first: String? = nil, dob: String? = nil, mrn: String? = nil, issuer: MRNIssuer? = nil,
    facility: String? = nil, fax: String? = nil, sex: String? = nil, confidence: Double = 0.95, dobConfidence: Double? = nil,
    lastConfidence: Double? = nil
) -> DocumentFields {
    DocumentFields(
        patientLast: last.map { Extracted($0, confidence: lastConfidence ?? confidence, page: 1) },
        patientFirst: first.map { Extracted($0, confidence: confidence, page: 1) },
        dateOfBirth: dob.map { Extracted(CalendarDate(iso: $0)!, confidence: dobConfidence ?? confidence, page: 1) },
        sex: sex.map { Extracted($0, confidence: confidence, page: 1) },
        mrn: mrn.map { Extracted($0, confidence: confidence, page: 1) }, mrnIssuer: issuer,
        facility: facility.map { Extracted($0, confidence: confidence, page: 1) },
        providerFax: fax.map { Extracted($0, confidence: confidence, page: 1) }
    )
}

/// A small case list with the hard situations side by side, plus unrelated cases so priors are realistic.
let sampleCases: [CaseRecord] = [
    makeCase("C-1", "Ostrander", "Robert", "1960-03-14", mrn: "10000001"),
    makeCase("C-2", "Ostrander", "Robert", "1971-09-02", mrn: "10000002"),  // Same name, other DOB.
    makeCase("C-3", "Quillfeather", "Nora", "1950-01-01", mrn: "10000003"),  // Twin.
    makeCase("C-4", "Quillfeather", "Hazel", "1950-01-01", mrn: "10000004"),  // Twin.
    makeCase("C-5", "Villanueva-Ortiz", "Marisol", "1966-07-21", mrn: "10000005"),
    makeCase("C-6", "Brantley", "Katherine", "1958-11-30", mrn: "10000006"),
    makeCase("C-7", "Thistlewood", "Lorna", "1949-05-17", status: .closed, mrn: "10000007"),
    makeCase("C-8", "Penhallow", "Ingrid", "1980-04-09", mrn: "10000008"),  // Married name on the case.
    makeCase("C-9", "Marbury", "Delphine", "1962-02-11", mrn: "10000009"),
    makeCase("C-10", "Marbury", "Delphine", "1975-08-19", mrn: "10000010"),
    makeCase("C-11", "Holmgren", "William", "1955-12-03", mrn: "10000011"),
] + (0..<40).map { makeCase("F-\($0)", "Filler\(Character(UnicodeScalar(97 + $0 % 26)!))son", "Pat", "1930-01-\(1 + $0 % 28 < 10 ? "0" : "")\(1 + $0 % 28)") }

let sampleIndex = CaseIndex(sampleCases)
let matcher = Matcher()

func decide(_ fields: DocumentFields, context: MatchContext = .none) -> MatchDecision {
    matcher.decide(fields, context: context, in: sampleIndex)
}

@Suite struct DecisionRuleTests {
    @Test func exactMatchIsFiled() {
        let d = decide(makeFields(last: "Ostrander", first: "Robert", dob: "1960-03-14"))
        #expect(d.status == .filed)
        #expect(d.caseID?.rawValue == "C-1")
        #expect(d.confidence >= 0.98)
        #expect(d.reason.hasPrefix("auto_filed"))
    }

    @Test func sameNameDifferentDOBIsNotThatCase() {
        let d = decide(makeFields(last: "Ostrander", first: "Robert", dob: "1988-06-25"))
        #expect(d.status == .unmatched)
        #expect(d.candidates.isEmpty)
    }

    @Test func sameNameOtherDOBPicksTheRightOne() {
        let d = decide(makeFields(last: "Ostrander", first: "Robert", dob: "1971-09-02"))
        #expect(d.status == .filed)
        #expect(d.caseID?.rawValue == "C-2")
    }

    @Test func twinsArePickedByFirstName() {
        let d = decide(makeFields(last: "Quillfeather", first: "Hazel", dob: "1950-01-01"))
        #expect(d.status == .filed)
        #expect(d.caseID?.rawValue == "C-4")
    }

    @Test func twinsWithoutFirstNameGoToReview() {
        let d = decide(makeFields(last: "Quillfeather", dob: "1950-01-01"))
        #expect(d.status == .review)
        #expect(Set(d.candidates.map(\.caseID.rawValue)) == ["C-3", "C-4"])
    }

    @Test func twinsWithUnreadableFirstNameGoToReview() {
        var fields = makeFields(last: "Quillfeather", first: "Hazel", dob: "1950-01-01")
        fields.patientFirst?.confidence = 0.2
        let d = decide(fields)
        #expect(d.status == .review)
    }

    @Test func nicknameIsFiled() {
        let d = decide(makeFields(last: "Brantley", first: "Kathy", dob: "1958-11-30"))
        #expect(d.status == .filed)
        #expect(d.caseID?.rawValue == "C-6")
        #expect(d.candidates.first?.levels["first_name"] == "nickname")
    }

    @Test func nicknameBillForWilliamIsFiled() {
        let d = decide(makeFields(last: "Holmgren", first: "Bill", dob: "1955-12-03"))
        #expect(d.status == .filed)
    }

    @Test(arguments: ["Villanueva Ortiz", "Villanueva-Ortiz", "VillanuevaOrtiz", "VILLANUEVA-ORTIZ"])
    func hyphenatedSpacedAndJoinedSurnamesAreFiled(_ printed: String) {
        let d = decide(makeFields(last: printed, first: "Marisol", dob: "1966-07-21"))
        #expect(d.status == .filed)
        #expect(d.caseID?.rawValue == "C-5")
    }

    @Test func onePartOfTwoPartSurnameIsReviewed() {
        let d = decide(makeFields(last: "Ortiz", first: "Marisol", dob: "1966-07-21"))
        #expect(d.status == .review)
        #expect(d.caseID?.rawValue == "C-5")
        #expect(d.candidates.first?.levels["last_name"] == "part")
    }

    @Test func maidenNameIsReviewedNeverFiled() {
        let d = decide(makeFields(last: "Crowther", first: "Ingrid", dob: "1980-04-09"))
        #expect(d.status == .review)
        #expect(d.caseID?.rawValue == "C-8")
        #expect(d.reason.contains("possible_former_name"))
    }

    @Test func transposedDOBIsNotFiled() {
        let d = decide(makeFields(last: "Penhallow", first: "Ingrid", dob: "1980-09-04"))
        #expect(d.status == .review)
        #expect(d.candidates.first?.levels["dob"] == "transposed")
    }

    @Test func oneDigitOffDOBIsNotFiled() {
        let d = decide(makeFields(last: "Penhallow", first: "Ingrid", dob: "1980-04-08"))
        #expect(d.status == .review)
        #expect(d.candidates.first?.levels["dob"] == "one_digit")
    }

    @Test func missingDOBWithTwoSameNameCasesIsReviewed() {
        let d = decide(makeFields(last: "Marbury", first: "Delphine"))
        #expect(d.status == .review)
        #expect(Set(d.candidates.map(\.caseID.rawValue)) == ["C-9", "C-10"])
    }

    @Test func missingDOBWithOneCaseIsStillReviewed() {
        let d = decide(makeFields(last: "Holmgren", first: "William"))
        #expect(d.status == .review)
        #expect(d.caseID?.rawValue == "C-11")
    }

    @Test func closedCaseIsReviewedNeverFiled() {
        let d = decide(makeFields(last: "Thistlewood", first: "Lorna", dob: "1949-05-17"))
        #expect(d.status == .review)
        #expect(d.caseID == nil)
        #expect(d.candidates.first?.caseID.rawValue == "C-7")
        #expect(d.candidates.first?.caseStatus == .closed)
        #expect(d.reason.hasPrefix("closed_case"))
    }

    @Test func ourMRNIsStrongButDoesNotReplaceTheDOBRule() {
        let withDOB = decide(makeFields(last: "Holmgren", first: "William", dob: "1955-12-03", mrn: "10000011"))
        #expect(withDOB.status == .filed)
        #expect(withDOB.candidates.first?.levels["mrn"] == "exact")
        let withoutDOB = decide(makeFields(last: "Holmgren", first: "William", mrn: "10000011", issuer: .ours))
        #expect(withoutDOB.status == .review)
        #expect(withoutDOB.caseID?.rawValue == "C-11")
        #expect(withoutDOB.confidence > decide(makeFields(last: "Holmgren", first: "William")).confidence)
    }

    @Test func ourMRNFindsTheCaseDespiteAWrongDOB() {
        let d = decide(makeFields(last: "Holmgren", first: "William", dob: "1949-01-01", mrn: "10000011", issuer: .ours))
        #expect(d.status == .review)
        #expect(d.caseID?.rawValue == "C-11")
    }

    @Test func outsideMRNSaysNothing() {
        let d = decide(makeFields(last: "Holmgren", first: "William", dob: "1955-12-03", mrn: "10000001", issuer: .outside))
        #expect(d.status == .filed)
        #expect(d.caseID?.rawValue == "C-11")
        #expect(d.candidates.first?.levels["mrn"] == "outside")
    }

    @Test func conflictingOwnMRNBlocksFiling() {
        let d = decide(makeFields(last: "Holmgren", first: "William", dob: "1955-12-03", mrn: "87654321", issuer: .ours))
        #expect(d.status == .review)
        #expect(d.reason.contains("mrn_conflict"))
    }

    @Test func lowConfidenceDOBCannotAutoFile() {
        let d = decide(makeFields(last: "Holmgren", first: "William", dob: "1955-12-03", dobConfidence: 0.3))
        #expect(d.status == .review)
        #expect(d.reason.contains("dob_low_confidence"))
    }

    @Test(arguments: ["Ho1mgren", "HoImgren", "Holrngren", "H0lmgren"])
    func ocrNearMissSurnameIsFiled(_ printed: String) {
        let d = decide(makeFields(last: printed, first: "William", dob: "1955-12-03"))
        #expect(d.status == .filed)
        #expect(d.caseID?.rawValue == "C-11")
        #expect(d.candidates.first?.levels["last_name"] == "ocr_near")
    }

    @Test func ordinaryTypoSurnameIsOnlyReviewed() {
        let d = decide(makeFields(last: "Holmgran", first: "William", dob: "1955-12-03"))
        #expect(d.status == .review)
        #expect(d.candidates.first?.levels["last_name"] == "similar")
    }

    @Test func initialOnlyIsReviewed() {
        let d = decide(makeFields(last: "Holmgren", first: "W", dob: "1955-12-03"))
        #expect(d.status == .review)
        #expect(d.candidates.first?.levels["first_name"] == "initial")
    }

    @Test func strangerIsUnmatched() {
        let d = decide(makeFields(last: "Zebulon", first: "Quincy", dob: "1944-10-10"))
        #expect(d.status == .unmatched)
        #expect(d.caseID == nil)
        #expect(d.reason.hasPrefix("no_plausible_candidate"))
    }

    @Test func emptyDocumentIsUnmatched() {
        #expect(decide(DocumentFields()).status == .unmatched)
    }

    @Test func learnedSenderFaxSupportsButIsNeverEnoughAlone() {
        let context = MatchContext(
            senderFax: "5555550199", learnedSenderFacilities: ["5555550199": ["Maple Valley Clinic"]])
        let alone = decide(makeFields(facility: "Maple Valley Clinic"), context: context)
        #expect(alone.status == .unmatched)
        let plain = decide(makeFields(last: "Holmgren", first: "William"))
        let supported = decide(makeFields(last: "Holmgren", first: "William"), context: context)
        #expect(supported.status == .review)
        #expect(supported.candidates.first?.levels["sender_fax"] == "learned")
        #expect(supported.confidence > plain.confidence)
    }

    @Test func pooledDOBFromSiblingRaisesToReviewButNeverFiles() {
        let sibling = makeFields(last: "Holmgren", first: "William", dob: "1955-12-03")
        let pageTwo = makeFields(last: "Holmgren", first: "William")
        let d = decide(pageTwo, context: MatchContext(siblings: [sibling]))
        #expect(d.status == .review)
        #expect(d.caseID?.rawValue == "C-11")
        #expect(d.candidates.first?.levels["dob"] == "pooled_exact")
        let coverSheet = decide(DocumentFields(), context: MatchContext(siblings: [sibling]))
        #expect(coverSheet.status == .review)
        #expect(coverSheet.caseID?.rawValue == "C-11")
    }

    @Test func pooledEvidenceDoesNotOverrideTheDocumentsOwnDOB() {
        // The sibling is about another patient: it must not be borrowed.
        let sibling = makeFields(last: "Holmgren", first: "William", dob: "1955-12-03")
        let d = decide(makeFields(last: "Ostrander", first: "Robert"), context: MatchContext(siblings: [sibling]))
        #expect(d.candidates.allSatisfy { $0.caseID.rawValue != "C-11" })
    }

    @Test func competingOpenCaseBlocksFiling() {
        let cases = [
            makeCase("A-1", "Fairweather", "Olive", "1961-05-05"),
            makeCase("A-2", "Fairweather", "Olive", "1961-05-05"),  // Duplicate case for one person.
        ]
        let d = matcher.decide(makeFields(last: "Fairweather", first: "Olive", dob: "1961-05-05"), in: CaseIndex(cases))
        #expect(d.status == .review)
        #expect(d.reason.hasPrefix("competing_candidate"))
    }

    @Test func closedDuplicateDoesNotBlockTheOpenCase() {
        let cases = [
            makeCase("A-1", "Fairweather", "Olive", "1961-05-05", status: .closed),
            makeCase("A-2", "Fairweather", "Olive", "1961-05-05"),
        ]
        let d = matcher.decide(makeFields(last: "Fairweather", first: "Olive", dob: "1961-05-05"), in: CaseIndex(cases))
        #expect(d.status == .filed)
        #expect(d.caseID?.rawValue == "A-2")
    }

    @Test func sexConflictBlocksFiling() {
        let cases = [makeCase("A-1", "Fairweather", "Olive", "1961-05-05", sex: "F")]
        let d = matcher.decide(makeFields(last: "Fairweather", first: "Olive", dob: "1961-05-05", sex: "M"), in: CaseIndex(cases))
        #expect(d.status == .review)
        #expect(d.reason.contains("sex_conflict"))
    }

    @Test func thresholdsAreConfigurable() {
        let strict = Matcher(thresholds: MatchThresholds(autoFile: 0.999_999_999_9))
        let d = strict.decide(makeFields(last: "Brantley", first: "Kathy", dob: "1958-11-30"), in: sampleIndex)
        #expect(d.status == .review)
        #expect(d.reason.hasPrefix("below_auto_threshold"))
    }

    @Test func reasonNamesNoPatientData() {
        for fields in [
            makeFields(last: "Ostrander", first: "Robert", dob: "1960-03-14"),
            makeFields(last: "Crowther", first: "Ingrid", dob: "1980-04-09"),
            makeFields(last: "Marbury", first: "Delphine"),
        ] {
            let reason = decide(fields).reason.lowercased()
            for word in ["ostrander", "robert", "crowther", "ingrid", "marbury", "delphine", "1960", "1980"] {
                #expect(!reason.contains(word))
            }
        }
    }

    @Test func everyCandidateExplainsEachField() {
        let d = decide(makeFields(last: "Brantley", first: "Kathy", dob: "1958-11-30", facility: "Maple Valley Clinic"))
        let fields = Set(d.candidates.first?.comparisons.map(\.field) ?? [])
        #expect(fields.isSuperset(of: ["last_name", "first_name", "dob", "mrn", "facility"]))
        #expect(d.candidates.first?.comparisons.first { $0.field == "first_name" }?.detail?.contains("nickname") == true)
    }
}

@Suite struct CompetitorTests {
    @Test func sameNameCaseOneMisreadAwayBlocksFilingEvenAtLowProbability() {
        var cases = [
            makeCase("A-1", "Fairweather", "Olive", "1946-01-10"),
            makeCase("A-2", "Fairweather", "Olive", "1946-10-01"),
        ]
        // Many unrelated cases make the rival's probability small; it must still block.
        for i in 0..<2_000 {
            cases.append(makeCase("Z-\(i)", "Unrelated\(i)", "Pat", "1931-02-0\(1 + i % 9)"))
        }
        let d = matcher.decide(makeFields(last: "Fairweather", first: "Olive", dob: "1946-10-01"), in: CaseIndex(cases))
        #expect(d.status == .review)
        #expect(d.reason.hasPrefix("competing_candidate"))
    }
}

@Suite struct AmbiguousNicknameTests {
    @Test func nicknameSharedByTwinsGoesToReview() {
        let index = CaseIndex([
            makeCase("T-1", "Ravensworth", "Christina", "1990-02-02"),
            makeCase("T-2", "Ravensworth", "Christopher", "1990-02-02"),
        ])
        let d = Matcher().decide(makeFields(last: "Ravensworth", first: "Chris", dob: "1990-02-02"), in: index)
        #expect(d.status == .review)
        #expect(d.rule == .competingCandidate)
        #expect(Set(d.candidates.map(\.caseID.rawValue)) == ["T-1", "T-2"])
    }

    @Test func fullNameOfOneTwinIsFiled() {
        let index = CaseIndex([
            makeCase("T-1", "Ravensworth", "Christina", "1990-02-02"),
            makeCase("T-2", "Ravensworth", "Christopher", "1990-02-02"),
        ])
        let d = Matcher().decide(makeFields(last: "Ravensworth", first: "Christina", dob: "1990-02-02"), in: index)
        // Christina and Christopher are close spellings: a person must look, and nothing is filed wrongly.
        #expect(d.status != .filed || d.caseID?.rawValue == "T-1")
    }
}

@Suite struct ClosedRivalTests {
    @Test func closedCaseOneDOBMisreadAwayBlocksFiling() {
        let index = CaseIndex([
            makeCase("K-1", "Ashcombe", "Lydia", "1957-03-18", status: .closed),
            makeCase("K-2", "Ashcombe", "Lydia", "1957-03-19"),
        ])
        let d = Matcher().decide(makeFields(last: "Ashcombe", first: "Lydia", dob: "1957-03-19"), in: index)
        #expect(d.status == .review)
        #expect(d.caseID?.rawValue == "K-2")
        #expect(d.rule == .competingCandidate)
    }
}

@Suite struct ConfidenceTests {
    @Test func unsureButAgreeingNamesStillMakeAReviewCandidate() {
        var fields = makeFields(last: "Holmgren", first: "William", confidence: 0.45)
        fields.mrn = nil
        let d = decide(fields)
        #expect(d.status == .review)
        #expect(d.caseID?.rawValue == "C-11")
    }

    @Test func unsureDisagreementCountsLessThanASureOne() {
        let weight = { (c: Double) in Scorer.adjusted(-4, c) }
        #expect(weight(0.3) > weight(0.9))
        #expect(Scorer.adjusted(8, 0.5) == 7)
        #expect(Scorer.adjusted(1, 0.1) == 0)
    }
}

@Suite struct FormerNameTests {
    @Test func otherSurnameWithOnlyAnInitialIsNotACandidate() {
        let d = decide(makeFields(last: "Crowther", first: "I", dob: "1980-04-09"))
        #expect(d.candidates.allSatisfy { $0.caseID.rawValue != "C-8" })
    }

    @Test func formerNameWithNicknameIsReviewed() {
        let d = decide(makeFields(last: "Crowther", first: "Kate", dob: "1958-11-30"))
        #expect(d.status == .review)
        #expect(d.caseID?.rawValue == "C-6")
    }
}

@Suite struct SwappedNameTests {
    @Test func namesPrintedInEachOthersPlaceAreReviewedNotFiled() {
        let d = decide(makeFields(last: "Ingrid", first: "Penhallow", dob: "1980-04-09"))
        #expect(d.status == .review)
        #expect(d.caseID?.rawValue == "C-8")
        #expect(d.candidates.first?.levels["last_name"] == "swapped")
    }
}

@Suite struct SeveralPatientsDecisionTests {
    @Test func aDocumentNamingSeveralPatientsIsNeverProposedToOneCase() {
        var fields = makeFields(last: "Ostrander", first: "Robert", dob: "1960-03-14")
        // Alone, these fields file to C-1 at full confidence.
        #expect(decide(fields).status == .filed)
        fields.details["patients_found"] = Extracted("2", confidence: 1, page: 1)
        let d = decide(fields)
        #expect(d.status == .review)
        #expect(d.caseID == nil)
        #expect(d.rule == .multiplePatients)
        #expect(d.confidence <= matcher.thresholds.review)
        #expect(!d.candidates.isEmpty)
        #expect(d.candidates.allSatisfy { $0.probability <= matcher.thresholds.review })
        #expect(d.reason.contains("names 2 patients"))
    }
}
