import FileroomModel
import Foundation
import Intake
import Logging
import Matching
import Settings
import Store

/// An accept the matcher's rules did not back (DOB missing or different, a rival within the margin, a case outside
/// the candidates or below the top one): nothing changed; the person must confirm (`--confirm`, or in the loop the
/// case id's last four characters). The commands exit 1.
public struct ReviewConfirmationNeeded: Error, Sendable, CustomStringConvertible, Equatable {
    public var caseID: CaseID
    /// Plain words, one per failed rule.
    public var reasons: [String]

    public var description: String {
        "filing to \(caseID) needs confirmation: \(reasons.joined(separator: "; ")) (add --confirm)"
    }
}

/// What a refile or unfile did.
public struct CorrectionOutcome: Sendable {
    public var document: DocumentRecord
    /// The document's open queue item after the action (its reader item, or the review item after an unfile).
    public var item: QueueItem?
    public var pdfPath: String?
    /// False for a repeat: only unfinished file moves were completed.
    public var changed: Bool
}

extension ReviewDesk {
    /// The rules an accept of `caseID` for `document` fails, in plain words (empty: the matcher's own choice, backed).
    public func confirmationReasons(for document: DocumentRecord, to caseID: CaseID) -> [String] {
        let candidates = document.decision?.candidates ?? []
        guard let candidate = candidates.first(where: { $0.caseID == caseID }) else {
            return ["\(caseID) is not among the candidates"]
        }
        var reasons: [String] = []
        if let top = candidates.first, top.caseID != caseID {
            reasons.append("\(caseID) is not the top candidate (\(top.caseID) is)")
        }
        switch candidate.levels["dob"] {
        case nil, "missing": reasons.append("date of birth not found on the page")
        case "exact": break
        case let level?: reasons.append("date of birth differs from the case's (\(level.replacingOccurrences(of: "_", with: " ")))")
        }
        if candidate.caseStatus != .open { reasons.append("case \(caseID) is closed") }
        if document.decision?.rule == .multiplePatients { reasons.append("the document names several patients") }
        // Another person's case scoring close to this one: the fax may be theirs.
        let margin = 0.25
        if let rival = candidates.first(where: {
            $0.caseID != caseID && abs($0.probability - candidate.probability) <= margin
        }) {
            reasons.append(
                "\(rival.caseID) scores within \(Int(margin * 100)) points (\(Int((rival.probability * 100).rounded()))% "
                    + "against \(Int((candidate.probability * 100).rounded()))%)"
            )
        }
        return reasons
    }

    /// Refuses an unconfirmed accept that fails a rule, changing nothing.
    func requireConfirmation(_ document: DocumentRecord, to caseID: CaseID, confirmed: Bool) throws {
        guard !confirmed else { return }
        let reasons = confirmationReasons(for: document, to: caseID)
        if !reasons.isEmpty { throw ReviewConfirmationNeeded(caseID: caseID, reasons: reasons) }
    }

    /// Moves a document in any state (filed, review, unmatched) to another open case: the transaction (with its audit
    /// entry and the withdrawal of the old filing's fax learning) first, then the file moves through the filing door.
    /// A repeat completes unfinished moves and changes nothing else.
    public func refile(
        _ documentID: String, to caseID: CaseID, by actor: String, reason: String, confirmed: Bool
    ) async throws -> CorrectionOutcome {
        let reason = try Self.requireReason(reason, for: "a refile")
        let documentID = try await resolve(documentID, as: .document)
        let caseID = try await resolve(caseID)
        guard let document = try await store.document(documentID) else {
            throw ReviewRefusal("no document \(documentID)")
        }
        guard let record = try await store.case(caseID) else { throw ReviewRefusal("no case \(caseID)") }
        guard record.status == .open else { throw ReviewRefusal("case \(caseID) is closed: it takes no documents") }
        let repeated = document.status == .filed && document.caseID == caseID
        if !repeated {
            try requireConfirmation(document, to: caseID, confirmed: confirmed)
        }
        let source = try await store.source(document.sourceID)
        let target = door.pdfPath(
            for: document.applying(.byStaff(to: caseID, queue: document.queue, reason: reason)), source: source
        )
        let (updated, changed) = try await refusing {
            try await store.refileDocument(documentID, to: caseID, actor: actor, reason: reason, filedPath: target)
        }
        try await settlePlacement(of: documentID)
        if changed, let fax = source?.senderFax, fax.count == 10 {
            // A person's filing confirms the sender for the new case (supporting evidence only).
            try await store.learnFax(fax, facility: record.referringFacility, caseID: caseID, actor: actor)
        }
        logger.info("review refiled", metadata: ["doc.id": "\(documentID)", "case.id": "\(caseID)"])
        let reader = QueueKind.reader(for: updated.queue)
        let item = try await reader.asyncMap { kind in
            try await store.openQueueItems(kind, caseID: caseID).first { $0.documentID == documentID }
        } ?? nil
        return CorrectionOutcome(
            document: try await store.document(documentID) ?? updated, item: item, pdfPath: target, changed: changed
        )
    }

    /// Sends a filed document back to review: an open review item for it, nothing of it left under `filed/`.
    public func unfile(_ documentID: String, by actor: String, reason: String) async throws -> CorrectionOutcome {
        let reason = try Self.requireReason(reason, for: "an unfile")
        let documentID = try await resolve(documentID, as: .document)
        guard let document = try await store.document(documentID) else {
            throw ReviewRefusal("no document \(documentID)")
        }
        guard document.status == .filed || document.status == .review else {
            throw ReviewRefusal(
                "document \(documentID) is \(document.status.rawValue), not filed: only a filed document is unfiled"
            )
        }
        let reviewPath = door.filer.pdfPath(
            for: document.applying(Filing(destination: .review, caseID: nil, queue: document.queue, confidence: 0, reason: reason)),
            source: try await store.source(document.sourceID)
        )
        let (updated, item, changed) = try await refusing {
            try await store.unfileDocument(documentID, actor: actor, reason: reason, reviewPath: reviewPath)
        }
        try await settlePlacement(of: documentID)
        logger.info("review unfiled", metadata: ["doc.id": "\(documentID)", "item.id": "\(item.id)"])
        return CorrectionOutcome(
            document: try await store.document(documentID) ?? updated, item: item, pdfPath: reviewPath,
            changed: changed
        )
    }

    /// Completes the document's pending placement, if any (a repeat finds it still there after a crash).
    func settlePlacement(of documentID: String) async throws {
        for placement in try await store.pendingPlacements() where placement.documentID == documentID {
            try await refusing { try await door.settle(placement) }
        }
    }

    static func requireReason(_ reason: String, for action: String) throws -> String {
        let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw ReviewRefusal("\(action) needs a reason") }
        return trimmed
    }
}

extension Optional {
    fileprivate func asyncMap<T>(_ body: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await body(self)
    }
}

extension ReviewDesk {
    /// The full id a staff member meant by `text` (see `IdentifierResolver`).
    public func resolve(_ text: String, as kind: IdentifiedKind) async throws -> String {
        try await IdentifierResolver(store: store).resolve(text, as: [kind])
    }

    /// `resolve` for a case id.
    public func resolve(_ caseID: CaseID) async throws -> CaseID {
        CaseID(rawValue: try await resolve(caseID.rawValue, as: .case)) ?? caseID
    }
}

extension ReviewDesk {
    /// A rejected or poison source goes back to `claimed` with its original where the read step finds it (the
    /// archive, else a copy of the quarantined file in its work folder); the quarantined copy goes once the store
    /// says so. Returns `claimed`: the daemon (or `review reprocess` with the runtime, see the command) reads it.
    func requeueRejected(_ source: SourceRecord, by actor: String) async throws -> SourceState {
        let quarantined = "\(settings.quarantine)/\(Quarantine.fileName(sourceID: source.id, originalName: source.originalName))"
        let archived = source.archivePath.map(DurableFiles.exists) ?? false
        if !archived {
            guard DurableFiles.exists(quarantined) else {
                throw ReviewRefusal("source \(source.id) has no archived or quarantined original to read again")
            }
            let work = "\(settings.work)/\(source.id)"
            try DurableFiles.makeDirectory(work)
            if !DurableFiles.exists("\(work)/original") { try DurableFiles.copy(quarantined, to: "\(work)/original") }
        }
        _ = try await refusing { try await store.requeueRejected(source: source.id, actor: actor) }
        DurableFiles.remove(quarantined)
        DurableFiles.remove("\(quarantined).error.json")
        logger.info("review requeued a rejected source", metadata: ["source.id": "\(source.id)"])
        return .claimed
    }
}
