import FileroomModel

/// What a second opinion needs on file for a case, and what is still missing (`fileroom cases show`).
public struct RecordsChecklist: Sendable, Hashable {
    public enum State: String, Sendable, Hashable, Codable {
        /// On file and usable.
        case ok
        /// Nothing filed.
        case missing
        /// An authorization is filed but none is signed.
        case unsigned
        /// Every signed authorization has expired.
        case expired
    }

    public struct Item: Sendable, Hashable {
        /// `authorization`, `pathology`, `imaging`, `clinic_notes`.
        public var key: String
        /// "Authorization", "Pathology report(s)", ...
        public var title: String
        public var state: State
        /// Filed documents of this kind, oldest source first.
        public var documents: [DocumentRecord]
        /// Documents of this kind for the case still waiting for a person.
        public var inReview: Int
        /// Plain words: "signed 2026-11-03, expires 2027-05-03".
        public var note: String?
    }

    public var items: [Item]
    /// Filed documents that no checklist item asks for (operative notes, labs, cover sheets).
    public var otherFiled: [DocumentRecord]

    public var missing: [Item] { items.filter { $0.state != .ok } }

    /// Builds the checklist from every document the store holds for a case. `today` judges expiry when the
    /// document does not say.
    public init(documents: [DocumentRecord], today: CalendarDate) {
        let filed = documents.filter { $0.status == .filed }
        let waiting = documents.filter { $0.status == .review || $0.status == .pending }
        func item(_ key: String, _ title: String, _ types: Set<DocumentType>) -> Item {
            let matching = filed.filter { types.contains($0.type) }
            return Item(
                key: key, title: title, state: matching.isEmpty ? .missing : .ok, documents: matching,
                inReview: waiting.filter { types.contains($0.type) }.count, note: nil
            )
        }
        var authorization = item("authorization", "Authorization", [.authorization])
        if !authorization.documents.isEmpty {
            let signed = authorization.documents.filter { $0.fields.details["signed"]?.value == "true" }
            let current = signed.filter { document in
                if document.fields.details["expired"]?.value == "true" { return false }
                if let raw = document.fields.details["expiration_date"]?.value, let expires = CalendarDate(iso: raw) {
                    return expires >= today
                }
                return true
            }
            if let best = current.last ?? signed.last {
                var parts: [String] = []
                if let date = best.fields.details["signature_date"]?.value { parts.append("signed \(date)") }
                if let date = best.fields.details["expiration_date"]?.value {
                    parts.append((current.isEmpty ? "expired " : "expires ") + date)
                }
                authorization.note = parts.isEmpty ? nil : parts.joined(separator: ", ")
            } else {
                authorization.note = "no signature found"
            }
            authorization.state = signed.isEmpty ? .unsigned : (current.isEmpty ? .expired : .ok)
        }
        items = [
            authorization,
            item("pathology", "Pathology report(s)", [.pathologyReport]),
            item("imaging", "Imaging report(s)", [.radiologyReport]),
            item("clinic_notes", "Clinic notes", [.clinicNote]),
        ]
        let asked: Set<DocumentType> = [.authorization, .pathologyReport, .radiologyReport, .clinicNote]
        otherFiled = filed.filter { !asked.contains($0.type) && $0.type != .coverSheet }
    }
}
