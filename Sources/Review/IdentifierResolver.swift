import Store

/// The full id a staff member meant by what they typed, for every command that takes an item, document, source or
/// case id: the id itself when it exists, else the one id it is a prefix of (as git does). An ambiguous prefix is
/// refused listing the matches; an unknown one comes back as typed, for the command's own "no case ..." answer.
public struct IdentifierResolver: Sendable {
    public let store: any FileroomStore

    public init(store: any FileroomStore) {
        self.store = store
    }

    /// `kinds`: where the id may be (the audit's `--item` takes an item, a document or a source).
    public func resolve(_ text: String, as kinds: [IdentifiedKind]) async throws -> String {
        guard !text.isEmpty else { return text }
        var matches: [String] = []
        for kind in kinds {
            let found = try await store.ids(of: kind, matching: text, limit: 11)
            // An exact id wins over longer ids it starts.
            if found == [text] { return text }
            matches += found
        }
        switch matches.count {
        case 0: return text
        case 1: return matches[0]
        default:
            let shown = matches.sorted().prefix(10).joined(separator: ", ") + (matches.count > 10 ? ", ..." : "")
            let what = kinds.count == 1 ? "\(kinds[0].rawValue) ids" : "ids"
            throw ReviewRefusal("'\(text)' is ambiguous: it starts \(what) \(shown)")
        }
    }
}
