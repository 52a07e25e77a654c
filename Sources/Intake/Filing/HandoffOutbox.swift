import FileroomModel
import Foundation
import Handoff
import Settings
import Store

/// Tells the EHR's interface engine about filed documents through files it picks up: a FHIR R4 DocumentReference
/// per document in `<outbox>/fhir/<document id>.json`, and with `handoff.hl7` an HL7 v2.5.1 MDM message in
/// `<outbox>/hl7/<document id>.hl7`. Each is written atomically (temporary name, fsync, rename) and rewritten when the
/// document moves: filed again elsewhere (T10), or taken back (`entered-in-error`, T11). No network: an engine such as
/// Mirth reads the folder and forwards to the EHR.
struct HandoffOutbox {
    let settings: FileroomSettings

    var fhirFolder: String { "\(settings.outbox)/fhir" }
    var hl7Folder: String { "\(settings.outbox)/hl7" }
    /// What was last announced for a document: the DocumentReference itself, or with FHIR off (HL7 only) a copy
    /// kept aside, so a repeat is recognised and a withdrawal can name what it withdraws.
    func announcementPath(of documentID: String) -> String {
        settings.handoff.fhir ? "\(fhirFolder)/\(documentID).json" : "\(settings.outbox)/.announced/\(documentID).json"
    }

    /// Brings the outbox in line with where `document` now is. A filed document with its PDF at `pdfPath` is
    /// announced (again, when its case or file changed since the last announcement); a document that is no longer
    /// filed but was announced is withdrawn. Anything else writes nothing. Idempotent.
    func publish(
        _ document: DocumentRecord, source: SourceRecord?, pdfPath: String?, store: any FileroomStore, now: Date = Date()
    ) async throws {
        guard settings.handoff.fhir || settings.handoff.hl7 else { return }
        let fhirPath = announcementPath(of: document.id)
        let previous = (try? DurableFiles.readAll(fhirPath)).flatMap { try? DocumentReference.decode($0) }
        let sentAt = Timestamp.rfc3339(now)

        guard document.status == .filed, let caseID = document.caseID, let pdfPath, let source,
              DurableFiles.exists(pdfPath), let record = try await store.case(caseID)
        else {
            guard var withdrawn = previous, withdrawn.status != .enteredInError else { return }
            withdrawn.status = .enteredInError
            try write(withdrawn, to: fhirPath)
            if settings.handoff.hl7 {
                try writeMessage(
                    MDMMessage.cancel(withdrawn, centerName: settings.center.name, sentAt: sentAt), for: document.id
                )
            }
            return
        }

        let bytes = try DurableFiles.readAll(pdfPath)
        let sha1 = SHA1.digest(bytes)
        let file = HandoffDocument.File(
            size: bytes.count, sha1: sha1,
            url: settings.handoff.attachment == .url ? url(of: pdfPath) : nil,
            data: settings.handoff.attachment == .data ? bytes : nil,
            name: String(pdfPath.split(separator: "/").last ?? "")
        )
        let fields = document.fields
        let handoff = HandoffDocument(
            documentID: document.id, sourceID: source.id, caseID: caseID.rawValue, type: document.type,
            patient: HandoffDocument.Patient(
                mrn: record.mrn, mrnSystem: settings.center.mrnSystem, last: record.patientLast,
                first: record.patientFirst, middle: record.patientMiddle, dateOfBirth: record.dateOfBirth, sex: record.sex
            ),
            serviceDate: fields.serviceDate?.value, receivedAt: source.receivedAt, filedAt: sentAt,
            facility: fields.facility?.value ?? record.referringFacility, provider: fields.providerName?.value,
            pages: document.firstPage...document.lastPage, file: file, centerName: settings.center.name
        )
        let reference = DocumentReference(handoff)
        let caseOf = { (reference: DocumentReference) in reference.context?.related?.first?.identifier?.value }
        if let previous, previous.status == .current {
            // Already announced as it is now: keep the announcement (and its date) as it stands.
            let same = caseOf(previous) == caseID.rawValue && previous.content.first?.attachment.hash == reference.content.first?.attachment.hash
                && previous.content.first?.attachment.url == reference.content.first?.attachment.url
            if same { return }
        }
        let event: MDMMessage.Event = previous?.status == .current ? .replacement : .original
        try write(reference, to: fhirPath)
        if settings.handoff.hl7 {
            try writeMessage(MDMMessage.notification(handoff, event: event, sentAt: sentAt), for: document.id)
        }
    }

    /// The attachment's URL: `handoff.base_url` + the PDF's path under the home, percent-encoded, else a `file://`
    /// URL of the absolute path.
    func url(of pdfPath: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: ";?#")
        if let base = settings.handoff.baseURL {
            let relative = pdfPath.hasPrefix(settings.home + "/") ? String(pdfPath.dropFirst(settings.home.count + 1)) : pdfPath
            return base + "/" + (relative.addingPercentEncoding(withAllowedCharacters: allowed) ?? relative)
        }
        return "file://" + (pdfPath.addingPercentEncoding(withAllowedCharacters: allowed) ?? pdfPath)
    }

    private func write(_ reference: DocumentReference, to path: String) throws {
        try DurableFiles.makeDirectory(DurableFiles.parent(of: path))
        // 0640: the interface engine reads the outbox as a member of the group (systemd/fileroom.tmpfiles.conf).
        try DurableFiles.write(try reference.json(), to: path, mode: 0o640)
    }

    private func writeMessage(_ message: String, for documentID: String) throws {
        try DurableFiles.makeDirectory(hl7Folder)
        try DurableFiles.write(Array(message.utf8), to: "\(hl7Folder)/\(documentID).hl7", mode: 0o640)
    }
}
