import Pages
import TestSupport

/// Short fax pages (the report fits in the top half): OCR time grows with the page, and these tests only
/// need the words.
enum TestPages {
    static let fine = PageGeometry(width: 1728, height: 1150, dpiX: 204, dpiY: 196)
    static let normal = PageGeometry(width: 1728, height: 575, dpiX: 204, dpiY: 98)
    static let letter = PageGeometry(width: 1700, height: 1150, dpiX: 200, dpiY: 200)

    /// The words a reader should find: the report's words (the header line is small print, not counted).
    static var expectedWords: [String] { FaxFixture.reportWords }
}

/// Share of expected words found among the recognised ones (each recognised word used once; case and
/// punctuation ignored).
func wordAccuracy(expected: [String], recognized: [String]) -> Double {
    func normalise(_ word: String) -> String { word.lowercased().filter { $0.isLetter || $0.isNumber } }
    var pool: [String: Int] = [:]
    for word in recognized.map(normalise) where !word.isEmpty { pool[word, default: 0] += 1 }
    let wanted = expected.map(normalise).filter { !$0.isEmpty }
    var found = 0
    for word in wanted {
        guard let left = pool[word], left > 0 else { continue }
        pool[word] = left - 1
        found += 1
    }
    return wanted.isEmpty ? 1 : Double(found) / Double(wanted.count)
}
