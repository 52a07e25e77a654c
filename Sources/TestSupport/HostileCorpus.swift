import Foundation

/// The committed hostile corpus, `Tests/Fixtures/hostile` (written by its `make-hostile.py`): broken and
/// crafted TIFFs and PDFs with the outcome each must reach (`expected.tsv`).
public enum HostileCorpus {
    public struct Entry: Sendable, CustomStringConvertible {
        public var file: String
        /// nil: must be read; "any": read or rejected, never a crash; else the reject reason.
        public var expected: String?
        public var path: String { HostileCorpus.folder + "/" + file }
        public var description: String { file }
    }

    /// Sources/TestSupport/HostileCorpus.swift -> package root -> Tests/Fixtures/hostile.
    public static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Tests/Fixtures/hostile").path

    public static var entries: [Entry] {
        guard let text = try? String(contentsOfFile: folder + "/expected.tsv", encoding: .utf8) else { return [] }
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { line in
            let fields = line.split(separator: "\t").map(String.init)
            guard fields.count == 2 else { return nil }
            let outcome = fields[1]
            return Entry(file: fields[0], expected: outcome == "ok" ? nil : outcome.replacingOccurrences(of: "reject:", with: ""))
        }
    }

    /// Inputs scripts/fuzz.sh found crashing, timing out or leaking (`fuzz/`): each must now end in a
    /// rejection or its pages.
    public static var fuzzFindings: [String] {
        let found = folder + "/fuzz"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: found)) ?? []
        return names.filter { !$0.hasPrefix(".") && $0 != "README.md" }.sorted().map { found + "/" + $0 }
    }
}
