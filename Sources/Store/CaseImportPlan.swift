import FileroomModel

/// What a case list changes, decided once for both stores: the rows to insert, the rows to update and the summary.
/// The status rule (`CaseStatusPolicy`: an import never reopens a closed case unless asked) lives here, not in SQL.
package struct CaseImportPlan {
    package enum Change {
        case insert(CaseRecord)
        case update(CaseRecord)
    }

    package private(set) var changes: [Change] = []
    package private(set) var summary = CaseUpsertSummary(inserted: 0, updated: 0, unchanged: 0)

    /// `existing` holds the stored cases by id; a case listed twice is compared with its first listing.
    package init(_ cases: [CaseRecord], existing: [String: CaseRecord], policy: CaseStatusPolicy) {
        var existing = existing
        for var record in cases {
            if let current = existing[record.caseID.rawValue] {
                switch policy {
                case .asListed: break
                case .keep: record.status = current.status
                case .neverReopen:
                    if current.status == .closed, record.status == .open {
                        record.status = .closed
                        summary.keptClosed += 1
                    }
                }
                if current == record {
                    summary.unchanged += 1
                    continue
                }
                changes.append(.update(record))
                summary.updated += 1
            } else {
                changes.append(.insert(record))
                summary.inserted += 1
            }
            existing[record.caseID.rawValue] = record
        }
    }
}
