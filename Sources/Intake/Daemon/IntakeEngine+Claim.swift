import FileroomModel
import Foundation
import Logging
import Settings
import Store

extension IntakeEngine {
    /// Largest sidecar (`NAME.meta.json`) read: a few keys from a fax server, never megabytes.
    static let maximumSidecarBytes = 64 * 1024

    /// Claims one settled spool file: atomic rename into `work/<source id>/`, fsync, then the store record with
    /// its hash, before any processing. Returns nil when the file vanished or is no longer a regular file.
    ///
    /// A failure before the rename leaves the file in the spool and no work folder behind; a failure after it
    /// leaves a work folder that `recoverInterruptedClaims` records.
    public func claim(spoolName: String) async throws(IntakeFailure) -> SourceRecord? {
        let spoolPath = "\(settings.spool)/\(spoolName)"
        var info = stat()
        guard lstat(spoolPath, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        let receivedAt = Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec))
        let id = Identifier.make(prefix: "src_")
        let workFolder = workFolder(of: id)
        let note = ClaimNote(
            originalName: spoolName, receivedAt: receivedAt, sidecar: Self.readSidecar(for: spoolPath)
        )
        do {
            try DurableFiles.makeDirectory(workFolder)
            // The claim note goes first: after a crash between the rename and the store record, the startup
            // recovery finds the original's name and arrival time here.
            try DurableFiles.write(Array(try JSONEncoder().encode(note)), to: "\(workFolder)/claim.json")
            try DurableFiles.move(spoolPath, to: claimedOriginal(of: id))
        } catch {
            // Nothing was claimed: the file is still in the spool, and its work folder must not linger.
            DurableFiles.removeTree(workFolder)
            if let error = error as? FileStepError, error.errno == ENOENT { return nil }
            throw IntakeFailure.classify(error, step: .claim, sourceID: id)
        }
        if let sidecarName = note.sidecarFile {
            try? DurableFiles.move("\(settings.spool)/\(sidecarName)", to: "\(workFolder)/sidecar.json")
        }
        progress.mark()
        do {
            return try await record(sourceID: id, note: note)
        } catch {
            throw IntakeFailure.classify(error, step: .claim, sourceID: id)
        }
    }

    /// Claims a file named by staff (`fileroom ingest`): a durable copy into `work/<source id>/`, the original
    /// left where it is, then the same store record as a spool claim. Refuses (a final failure, no source made)
    /// anything but a regular file within `pages.max_file_bytes`: `/dev/zero` or a FIFO would fill the disk.
    public func claim(copying path: String) async throws(IntakeFailure) -> SourceRecord {
        let id = Identifier.make(prefix: "src_")
        let workFolder = workFolder(of: id)
        var info = stat()
        let name = String(path.split(separator: "/").last ?? Substring(path))
        let receivedAt = stat(path, &info) == 0 ? Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec)) : Date()
        let note = ClaimNote(originalName: name, receivedAt: receivedAt, sidecar: Self.readSidecar(for: path))
        do {
            try DurableFiles.makeDirectory(workFolder)
            try DurableFiles.write(Array(try JSONEncoder().encode(note)), to: "\(workFolder)/claim.json")
            try DurableFiles.copyRegularFile(
                path, to: claimedOriginal(of: id), maxBytes: Int64(settings.pages.maxFileBytes)
            )
        } catch {
            DurableFiles.removeTree(workFolder)
            if let error = error as? FileStepError {
                switch error.errno {
                case EINVAL:
                    throw IntakeFailure(
                        .final, step: .claim, reason: "not_a_regular_file",
                        detail: "not a regular file (a device, FIFO or folder): refused"
                    )
                case EFBIG:
                    throw IntakeFailure(
                        .final, step: .claim, reason: "file_too_large",
                        detail: "larger than pages.max_file_bytes (\(settings.pages.maxFileBytes) bytes): refused"
                    )
                default: break
                }
            }
            throw IntakeFailure.classify(error, step: .claim, sourceID: nil)
        }
        do {
            return try await record(sourceID: id, note: note)
        } catch {
            throw IntakeFailure.classify(error, step: .claim, sourceID: id)
        }
    }

    private func record(sourceID id: String, note: ClaimNote) async throws -> SourceRecord {
        let claimedPath = claimedOriginal(of: id)
        let (sha256, size) = try DurableFiles.sha256(of: claimedPath)
        let outcome = try await store.recordClaim(
            NewSource(
                id: id, sha256: sha256, size: size, originalName: note.originalName, receivedAt: note.receivedAt,
                claimedPath: claimedPath, senderFax: note.sidecar?["sender_fax"], sidecar: note.sidecar
            )
        )
        switch outcome {
        case .recorded(let source):
            logger.info("source claimed", metadata: ["source.id": "\(source.id)", "bytes": "\(size)"])
            counters.add(claimed: 1)
        case .alreadyRecorded:
            break
        case .duplicate(let source, let original):
            logger.info(
                "source duplicate", metadata: ["source.id": "\(source.id)", "duplicate_of": "\(original.id)"]
            )
            counters.add(duplicate: 1)
        }
        return outcome.source
    }

    /// Recovery of claims a crash or a failed store write interrupted: a work folder whose rename happened but
    /// whose store record did not is recorded now; one whose rename never happened is removed (its file is still in
    /// the spool). Returns the sources it recorded.
    ///
    /// With several daemons (leases) it also runs while the daemon works (`periodic`): then it leaves alone the
    /// folders of sources this daemon holds a lease on (its own work in flight), and returns besides the unfinished
    /// sources whose folder it adopted from a daemon that died.
    @discardableResult
    public func recoverInterruptedClaims(periodic: Bool = false) async throws(IntakeFailure) -> [SourceRecord] {
        var recovered: [SourceRecord] = []
        var ownLeases: Set<String> = []
        if periodic, let host = leaseHost {
            do {
                ownLeases = Set(try await store.leases().filter { $0.hostID == host }.map(\.sourceID))
            } catch {
                throw IntakeFailure.classify(error, step: .claim, sourceID: nil)
            }
        }
        for folder in DurableFiles.listDirectory(settings.work) where !ownLeases.contains(folder) {
            let workFolder = workFolder(of: folder)
            do {
                let recorded = try await store.source(folder)
                // Several daemons: another host's folder is touched only when its lease expired (it died).
                guard try await mayRecover(folder: folder, recorded: recorded != nil) else { continue }
                if periodic, let source = recorded, !source.state.isFinal {
                    recovered.append(source)
                    continue
                }
                if let source = recorded {
                    // A final source whose folder work a kill -9 interrupted (the state committed, the folder not
                    // yet removed): no step visits final sources again, so finish that work here.
                    switch source.state {
                    case .filed, .review, .unmatched, .rejected: try await FinishStep().finish(source, in: self)
                    case .duplicate: _ = try await DuplicateStep().run(source, in: self)
                    case .claimed, .decoded, .understood, .matched: break
                    }
                    if source.state.isFinal { await releaseLease(source.id) }
                    continue
                }
                guard DurableFiles.exists(claimedOriginal(of: folder)),
                    let noteBytes = try? DurableFiles.readAll("\(workFolder)/claim.json"),
                    let note = try? JSONDecoder().decode(ClaimNote.self, from: Data(noteBytes))
                else {
                    DurableFiles.removeTree(workFolder)
                    continue
                }
                // An original this user cannot read (claimed by a version that took unreadable faxes in) failed
                // this recovery at every try, held up every claim, and stopped each start: back to the spool,
                // where `status` counts it as unreadable until its mode is fixed.
                if access(claimedOriginal(of: folder), R_OK) != 0 {
                    try returnToSpool(folder, note: note)
                    logger.warning("claim returned to the spool", metadata: ["work.id": "\(folder)", "reason": "unreadable"])
                    continue
                }
                recovered.append(try await record(sourceID: folder, note: note))
            } catch {
                throw IntakeFailure.classify(error, step: .claim, sourceID: folder)
            }
        }
        return recovered
    }

    /// Moves an unrecorded claim's original (and its sidecar) back into the spool under its own name, or prefixed
    /// with the work folder's id when a new file took that name, then removes the work folder.
    func returnToSpool(_ folder: String, note: ClaimNote) throws(FileStepError) {
        var name = note.originalName
        if DurableFiles.exists("\(settings.spool)/\(name)") { name = "\(folder)-\(name)" }
        try DurableFiles.move(claimedOriginal(of: folder), to: "\(settings.spool)/\(name)")
        let sidecar = "\(workFolder(of: folder))/sidecar.json"
        if DurableFiles.exists(sidecar) { try DurableFiles.move(sidecar, to: "\(settings.spool)/\(name).meta.json") }
        DurableFiles.removeTree(workFolder(of: folder))
    }

    /// Optional metadata a fax server writes beside a fax (`NAME.meta.json`): sender number, received time. Read
    /// only as a small regular file: a FIFO, a symlink (to `/dev/zero`) or a huge file is ignored.
    static func readSidecar(for spoolPath: String) -> [String: String]? {
        let candidate = "\(spoolPath).meta.json"
        guard let bytes = DurableFiles.readSmallRegularFile(candidate, maxBytes: maximumSidecarBytes),
            let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
        else { return nil }
        var result: [String: String] = ["sidecar_file": String(candidate.split(separator: "/").last ?? "")]
        for (key, value) in object {
            result[key] = "\(value)"
        }
        if let fax = result["sender_fax"] ?? result["sender"] ?? result["from"] {
            let digits = fax.filter(\.isNumber)
            result["sender_fax"] = digits.count == 11 && digits.hasPrefix("1") ? String(digits.dropFirst()) : digits
        }
        return result
    }
}

/// What the claim step writes beside the original before renaming it in.
struct ClaimNote: Codable, Sendable {
    var originalName: String
    var receivedAt: Date
    var sidecar: [String: String]?

    var sidecarFile: String? { sidecar?["sidecar_file"] }
}
