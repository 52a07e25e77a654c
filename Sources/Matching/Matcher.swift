import FileroomModel

/// The numbers that turn scores into decisions. The config file maps them as `match.auto_file_threshold`,
/// `match.review_threshold` and `match.margin`.
public struct MatchThresholds: Sendable, Hashable, Codable {
    /// A candidate is filed without a person only at or above this probability (and only when every rule holds).
    public var autoFile: Double
    /// Below this probability a candidate is not plausible enough to show for review.
    public var review: Double
    /// Another plausible open case within this much probability of the best one blocks auto-filing.
    public var margin: Double
    /// A value read with less confidence than this cannot count as agreeing for the auto-filing rule.
    public var minimumFieldConfidence: Double

    public init(autoFile: Double = 0.98, review: Double = 0.5, margin: Double = 0.20, minimumFieldConfidence: Double = 0.5) {
        self.autoFile = autoFile
        self.review = review
        self.margin = margin
        self.minimumFieldConfidence = minimumFieldConfidence
    }

    public static let standard = MatchThresholds()
}

/// What the source around a document adds: evidence that is not printed on the document itself.
public struct MatchContext: Sendable, Hashable {
    /// 10 digits from the fax header line of the source.
    public var senderFax: String?
    /// The fields of the other documents of the same fax. They can make a candidate worth reviewing (a pathology
    /// report's second page printing no DOB) but never satisfy the auto-filing rules.
    public var siblings: [DocumentFields]
    /// Sender fax numbers (10 digits) that staff confirmed as coming from a facility, to the facility names.
    /// Supporting evidence only: never enough to make a candidate plausible.
    public var learnedSenderFacilities: [String: [String]]

    public init(senderFax: String? = nil, siblings: [DocumentFields] = [], learnedSenderFacilities: [String: [String]] = [:]) {
        self.senderFax = senderFax
        self.siblings = siblings
        self.learnedSenderFacilities = learnedSenderFacilities
    }

    public static let none = MatchContext()
}

/// The rule that decided a document, as the first word of `MatchDecision.reason`.
public enum DecisionRule: String, Sendable, CaseIterable {
    /// Open case, exact DOB, names agree, probability and margin hold.
    case autoFiled = "auto_filed"
    /// The best candidate is plausible but one of the field rules fails (see the reason's `blocked by`).
    case fieldRuleFailed = "field_rule_failed"
    /// The best candidate is a closed case.
    case closedCase = "closed_case"
    /// Another open case comes within the margin.
    case competingCandidate = "competing_candidate"
    /// Every field rule holds but the probability is below the auto-filing threshold.
    case belowAutoThreshold = "below_auto_threshold"
    /// Only other documents of the same fax point at the candidate.
    case pooledEvidenceOnly = "pooled_evidence_only"
    /// Nothing plausible.
    case noPlausibleCandidate = "no_plausible_candidate"
    /// The document names several patients ("Re: Multiple patients", two patients sighted): no single case is
    /// proposed, and no candidate is shown above `MatchThresholds.review`.
    case multiplePatients = "multiple_patients"
}

extension MatchDecision {
    /// The rule that decided, read back from the first word of `reason`.
    public var rule: DecisionRule? {
        reason.split(separator: ":", maxSplits: 1).first.flatMap { DecisionRule(rawValue: String($0)) }
    }
}

/// Decides which case a document belongs to: candidates from the index's blocking keys, Fellegi-Sunter scores per
/// field, then hard rules that make a wrong auto-filing need several independent mistakes at once.
public struct Matcher: Sendable {
    public var thresholds: MatchThresholds
    /// Candidates kept in a decision, best first.
    public var maximumCandidates: Int

    public init(thresholds: MatchThresholds = .standard, maximumCandidates: Int = 5) {
        self.thresholds = thresholds
        self.maximumCandidates = maximumCandidates
    }

    public func decide(_ fields: DocumentFields, context: MatchContext = .none, in index: CaseIndex) -> MatchDecision {
        let query = Query(fields, borrowed: [])
        var scored = evaluate(query, context: context, in: index)
        var considered = scored.count

        if let pooledQueries = pooledQueries(for: fields, query: query, siblings: context.siblings) {
            for pooled in pooledQueries {
                let more = evaluate(pooled, context: context, in: index)
                considered += more.count
                for candidate in more {
                    if let existing = scored.firstIndex(where: { $0.position == candidate.position }) {
                        // Keep the better explanation; pooled candidates can never be auto-filed either way.
                        let current = scored[existing]
                        if (!current.isPlausible && candidate.isPlausible)
                            || (current.isPlausible == candidate.isPlausible
                                && candidate.candidate.probability > current.candidate.probability)
                        {
                            scored[existing] = candidate
                        }
                    } else {
                        scored.append(candidate)
                    }
                }
            }
        }
        let decided = decision(from: scored, considered: considered)
        if let patients = fields.details["patients_found"] {
            return severalPatients(decided, count: Int(patients.value))
        }
        return decided
    }

    /// A document about several patients is never one case's at high confidence: its candidates are capped at the
    /// review threshold, none is proposed, and a person picks (the desk asks for confirmation).
    private func severalPatients(_ decided: MatchDecision, count: Int?) -> MatchDecision {
        let cap = thresholds.review
        let candidates = decided.candidates.map { candidate in
            var capped = candidate
            capped.probability = min(candidate.probability, cap)
            return capped
        }
        let patients = count.map { "\($0)" } ?? "several"
        return MatchDecision(
            status: candidates.isEmpty ? .unmatched : .review, caseID: nil,
            confidence: min(decided.confidence, cap), candidates: candidates,
            reason: "\(DecisionRule.multiplePatients.rawValue): the document names \(patients) patients, no single case "
                + "is proposed; was \(decided.reason)"
        )
    }

    // MARK: Candidates

    private func evaluate(_ query: Query, context: MatchContext, in index: CaseIndex) -> [ScoredCandidate] {
        let scorer = Scorer(index: index, thresholds: thresholds, context: context)
        var seen = Set<Int32>()
        var result: [ScoredCandidate] = []
        func consider(_ position: Int32) {
            guard seen.insert(position).inserted else { return }
            result.append(scorer.score(query, against: position))
        }

        let dobIsReliable = (query.dob?.confidence ?? 0) >= thresholds.minimumFieldConfidence
        if let dob = query.dob {
            for position in index.cases(bornOn: dob.packed) { consider(position) }
            // Close dates only for cases whose name also fits: a date one digit off is common, a stranger born on it too.
            for position in index.cases(bornNear: dob.packed) where !seen.contains(position) {
                if query.nameFits(index.entries[Int(position)]) { consider(position) }
            }
        }
        if let mrn = query.mrn, mrn.issuer != .outside {
            for position in index.cases(mrn: mrn.key) { consider(position) }
        }
        if !dobIsReliable, query.last != nil {
            for code in query.lastCodes {
                for position in index.cases(surnameCode: code) where !seen.contains(position) {
                    if query.givenNameFits(index.entries[Int(position)]) { consider(position) }
                }
            }
        }
        return result
    }

    /// Versions of the document's fields completed from its siblings, one per patient the siblings name, when the
    /// document itself lacks a DOB or a name. Nil when there is nothing to pool.
    private func pooledQueries(for fields: DocumentFields, query: Query, siblings: [DocumentFields]) -> [Query]? {
        guard !siblings.isEmpty, query.dob == nil || query.last == nil || query.first == nil else { return nil }
        var seen = Set<String>()
        var queries: [Query] = []
        for sibling in siblings {
            let siblingQuery = Query(sibling, borrowed: [])
            guard siblingQuery.dob != nil || siblingQuery.last != nil else { continue }
            guard query.isCompatible(with: siblingQuery) else { continue }
            var merged = fields
            var borrowed: Set<String> = []
            // Pooled values count for less than printed ones: the sibling may be about another patient.
            func lowered<T>(_ value: Extracted<T>) -> Extracted<T> {
                Extracted(value.value, confidence: value.confidence * 0.8, page: value.page)
            }
            if merged.patientLast == nil, let value = sibling.patientLast {
                merged.patientLast = lowered(value)
                borrowed.insert(Field.lastName)
            }
            if merged.patientFirst == nil, let value = sibling.patientFirst {
                merged.patientFirst = lowered(value)
                borrowed.insert(Field.firstName)
            }
            if merged.dateOfBirth == nil, let value = sibling.dateOfBirth {
                merged.dateOfBirth = lowered(value)
                borrowed.insert(Field.dob)
            }
            guard !borrowed.isEmpty else { continue }
            let identity = [
                merged.patientLast?.value ?? "", merged.patientFirst?.value ?? "", merged.dateOfBirth?.value.iso ?? "",
            ].joined(separator: "|")
            guard seen.insert(identity).inserted else { continue }
            queries.append(Query(merged, borrowed: borrowed))
        }
        return queries.isEmpty ? nil : queries
    }

    // MARK: Decision

    private func decision(from scored: [ScoredCandidate], considered: Int) -> MatchDecision {
        let plausible = scored.filter { $0.isPlausible && $0.candidate.probability >= thresholds.review }
            .sorted { lhs, rhs in
                if lhs.candidate.probability != rhs.candidate.probability {
                    return lhs.candidate.probability > rhs.candidate.probability
                }
                if lhs.candidate.caseStatus != rhs.candidate.caseStatus { return lhs.candidate.caseStatus == .open }
                return lhs.candidate.caseID < rhs.candidate.caseID
            }
        let shown = Array(plausible.prefix(maximumCandidates)).map(\.candidate)

        guard let best = plausible.first else {
            let nearest = scored.map(\.candidate.probability).max() ?? 0
            return MatchDecision(
                status: .unmatched, caseID: nil, confidence: 1 - nearest, candidates: [],
                reason: "\(DecisionRule.noPlausibleCandidate.rawValue): \(considered) case(s) considered, none plausible"
            )
        }

        let bestOpen = plausible.first { $0.candidate.caseStatus == .open }
        let probability = best.candidate.probability
        let summary = "\(best.candidate.caseID) \(best.candidate.caseStatus.rawValue) p=\(Self.format(probability))"

        func review(_ rule: DecisionRule, _ detail: String) -> MatchDecision {
            MatchDecision(
                status: .review, caseID: bestOpen?.candidate.caseID, confidence: probability, candidates: shown,
                reason: "\(rule.rawValue): \(detail); \(plausible.count) plausible of \(considered) considered"
            )
        }

        if best.candidate.caseStatus != .open {
            return review(.closedCase, "best candidate \(summary)")
        }
        if best.isPooled {
            return review(.pooledEvidenceOnly, "best candidate \(summary) rests on other documents of the fax")
        }
        if !best.blockers.isEmpty {
            return review(.fieldRuleFailed, "best candidate \(summary) blocked by \(best.blockers.joined(separator: ", "))")
        }
        if probability < thresholds.autoFile {
            return review(
                .belowAutoThreshold, "best candidate \(summary) below \(Self.format(thresholds.autoFile))")
        }
        // A rival comes close when it is an open case within the margin, or when one misread character of the DOB
        // (or day and month swapped) would make it the patient instead: at large case counts its probability
        // understates that. Such a rival blocks even when its case is closed, since it is another person whose
        // records these may be; a closed case with the very same name and DOB is the same patient's earlier case.
        if let rival = plausible.dropFirst().first(where: {
            $0.isOneErrorAway
                || ($0.candidate.caseStatus == .open && $0.candidate.probability > probability - thresholds.margin)
        }) {
            return review(
                .competingCandidate,
                "best candidate \(summary), \(rival.candidate.caseID) p=\(Self.format(rival.candidate.probability)) "
                    + (rival.isOneErrorAway ? "one DOB misread away" : "within margin \(Self.format(thresholds.margin))")
            )
        }
        return MatchDecision(
            status: .filed, caseID: best.candidate.caseID, confidence: probability, candidates: shown,
            reason: "\(DecisionRule.autoFiled.rawValue): \(summary); \(best.levelSummary); "
                + "\(plausible.count) plausible of \(considered) considered"
        )
    }

    static func format(_ value: Double) -> String {
        let scaled = (value * 10_000).rounded() / 10_000
        return String(scaled)
    }
}

/// Field names as decisions and `match --json` print them.
enum Field {
    static let lastName = "last_name"
    static let firstName = "first_name"
    static let dob = "dob"
    static let mrn = "mrn"
    static let sex = "sex"
    static let facility = "facility"
    static let providerFax = "provider_fax"
    static let senderFax = "sender_fax"
    static let provider = "provider"
}

/// A candidate with what the decision rules need beside its public explanation.
struct ScoredCandidate: Sendable {
    var position: Int32
    var candidate: MatchCandidate
    /// Names and DOB leave room for this being the patient.
    var isPlausible: Bool
    /// Rules that forbid auto-filing to this candidate (empty: none), as ids for the reason.
    var blockers: [String]
    /// Some identifying field came from another document of the fax.
    var isPooled: Bool
    /// Both names agree and the DOB is one misread away (one digit, or day and month swapped).
    var isOneErrorAway: Bool

    var levelSummary: String {
        candidate.comparisons.filter { $0.level != "missing" }.map { "\($0.field) \($0.level)" }.joined(separator: ", ")
    }
}
