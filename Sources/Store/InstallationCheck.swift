import FileroomModel
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One disagreement between the database and the files: names an id (or a path under the home), never a patient.
public struct CheckFinding: Sendable, Hashable, CustomStringConvertible {
    /// `database`, a source or document id, or `orphan`.
    public var subject: String
    public var problem: String

    public var description: String { "\(subject): \(problem)" }
}

/// `fileroom check`: the database's integrity, every archived original against its sha256, every filed, review and
/// unmatched document's PDF and sidecar in the folder its status names, and no file the database does not account for.
public enum InstallationCheck {
    public static func run(store: SQLiteStore, folders: InstallationFolders) async throws(StoreError) -> [CheckFinding] {
        var findings: [CheckFinding] = []
        let integrity = try await store.integrityCheck()
        if integrity != ["ok"] {
            findings.append(
                CheckFinding(subject: "database", problem: "integrity_check: " + integrity.prefix(3).joined(separator: "; "))
            )
        }
        let files = try await store.storedFiles()
        var expected = Set<String>()
        for source in files.sources {
            guard let archived = source.archivePath else { continue }
            expected.insert(archived)
            if !InstallationFiles.isFile(archived) {
                findings.append(CheckFinding(subject: source.id, problem: "archived original missing"))
            } else if InstallationFiles.sha256(of: archived) != source.sha256 {
                findings.append(CheckFinding(subject: source.id, problem: "archived original does not match its sha256"))
            }
        }
        let folderOfStatus = ["filed": folders.filed, "review": folders.review, "unmatched": folders.unmatched]
        // Documents the daemon is still filing (checked on a live installation): their files may exist before the
        // database records them, so neither missing nor orphan.
        var inFlight = Set<String>()
        for document in files.documents where !document.isSettled {
            // Named `<date>_<type>_<last 8 of the id>` (older files `<id>`).
            inFlight.formUnion([document.id, String(document.id.filter { $0.isLetter || $0.isNumber }.suffix(8))])
            expected.formUnion([document.filedPath, document.sidecarPath].compactMap { $0 })
        }
        for document in files.documents where document.isSettled {
            guard let folder = folderOfStatus[document.status] else { continue }
            guard let pdf = document.filedPath, let sidecar = document.sidecarPath else {
                // A cover sheet filed with its fax's case goes to no reader queue and gets no file of its own.
                if document.queue == "none" && document.status == "filed" { continue }
                findings.append(CheckFinding(subject: document.id, problem: "\(document.status) with no file recorded"))
                continue
            }
            expected.formUnion([pdf, sidecar])
            if !pdf.hasPrefix(folder + "/") {
                findings.append(CheckFinding(subject: document.id, problem: "\(document.status) but its PDF is not under \(document.status)/"))
            }
            if !InstallationFiles.isFile(pdf) {
                findings.append(CheckFinding(subject: document.id, problem: "PDF missing"))
            }
            if !InstallationFiles.isFile(sidecar) {
                findings.append(CheckFinding(subject: document.id, problem: "JSON sidecar missing"))
            }
        }
        for folder in folders.documentFolders {
            for file in InstallationFiles.regularFiles(under: folder) where !expected.contains(file) {
                let stem = URL(fileURLWithPath: file).lastPathComponent.split(separator: ".").first.map(String.init) ?? ""
                let shortID = stem.split(separator: "_").last.map(String.init) ?? stem
                if inFlight.contains(stem) || inFlight.contains(shortID) { continue }
                findings.append(CheckFinding(subject: "orphan", problem: InstallationFiles.relative(file, to: folders.home)))
            }
        }
        let sourceIDs = Set(files.sources.map(\.id))
        for file in InstallationFiles.regularFiles(under: folders.quarantine) {
            let name = URL(fileURLWithPath: file).lastPathComponent
            let id = name.split(separator: "-", maxSplits: 1).first.map(String.init) ?? ""
            if !sourceIDs.contains(id) {
                findings.append(CheckFinding(subject: "orphan", problem: InstallationFiles.relative(file, to: folders.home)))
            }
        }
        return findings
    }
}

/// File-system helpers `backup` and `check` share.
enum InstallationFiles {
    static func isFile(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// Lower-case hex sha256 of a file's bytes, read in 1 MiB chunks; nil when unreadable.
    static func sha256(of path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var hasher = SHA256()
        while true {
            let chunk: Data?
            do { chunk = try handle.read(upToCount: 1 << 20) } catch { return nil }
            guard let chunk, !chunk.isEmpty else { break }  // nil at the end of the file
            chunk.withUnsafeBytes { hasher.update($0) }
        }
        return hasher.finalize().hexString
    }

    /// Every regular file below `folder` (absolute paths, sorted); none when it is missing.
    static func regularFiles(under folder: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return [] }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let path = folder + "/" + relative
            if isFile(path) { files.append(path) }
        }
        return files.sorted()
    }

    static func relative(_ path: String, to home: String) -> String {
        StoredPath.relative(path, to: StoredPath.normalisedRoot(home)) ?? path
    }
}
