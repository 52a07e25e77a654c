import Foundation

/// Where tesseract's language files are: `TESSDATA_PREFIX` first (as the tesseract CLI does), then the
/// Debian 12 location.
public struct Tessdata: Sendable, Hashable {
    public static let debianPath = "/usr/share/tesseract-ocr/5/tessdata"

    /// The folder holding `<language>.traineddata`.
    public let path: String

    public init(path: String) { self.path = path }

    /// Finds a folder holding every one of `languages` (`"eng+osd"` style names are split).
    public static func locate(
        languages: [String], environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(OCRError) -> Tessdata {
        var candidates: [String] = []
        if let prefix = environment["TESSDATA_PREFIX"], !prefix.isEmpty {
            candidates.append(prefix)
            // Older tesseract releases wanted the parent of tessdata/ in TESSDATA_PREFIX.
            candidates.append((prefix as NSString).appendingPathComponent("tessdata"))
        }
        candidates.append(debianPath)
        let wanted = languages.flatMap { $0.split(separator: "+").map(String.init) }
        for folder in candidates where wanted.allSatisfy({ hasLanguage($0, in: folder) }) {
            return Tessdata(path: folder)
        }
        let missing = wanted.first { language in !candidates.contains { hasLanguage(language, in: $0) } }
        throw .tessdataMissing(language: missing ?? wanted.joined(separator: "+"), searched: candidates)
    }

    /// Throws unless this folder holds `<language>.traineddata` for every part of `language`.
    public func require(_ language: String) throws(OCRError) {
        for part in language.split(separator: "+").map(String.init) where !Self.hasLanguage(part, in: path) {
            throw .tessdataMissing(language: part, searched: [path])
        }
    }

    private static func hasLanguage(_ language: String, in folder: String) -> Bool {
        FileManager.default.isReadableFile(atPath: (folder as NSString).appendingPathComponent("\(language).traineddata"))
    }
}
