import FileroomModel
import Foundation

/// HL7 v2.5.1 MDM messages for a filed document: `T02` (original document notification and content) when it is
/// filed, `T10` (document replacement) when it is filed again to another case, `T11` (document cancel) when it is
/// taken back. Segments end in a carriage return, as HL7 v2 requires; data is escaped per HL7 (`\F\ \S\ \T\ \R\ \E\`).
public enum MDMMessage {
    public enum Event: String, Sendable, Hashable {
        case original = "T02"
        case replacement = "T10"
        case cancel = "T11"
    }

    /// `MSH-10`: unique per message, at most 20 characters (the document id's random tail, the time, the event).
    public static func controlID(documentID: String, at timestamp: String, event: Event) -> String {
        let tail = documentID.filter { $0.isASCII && ($0.isLetter || $0.isNumber) }.suffix(6)
        return String((tail + timestamp.filter(\.isNumber).suffix(11) + event.rawValue.suffix(2)).prefix(20))
    }

    /// The message for a filed document: T02 first, T10 when it replaces an earlier filing.
    public static func notification(_ document: HandoffDocument, event: Event, sentAt: String) -> String {
        let code = DocumentTypeCode.of(document.type)
        let now = timestamp(sentAt)
        var segments = [
            header(event: event, sentAt: now, centerName: document.centerName, documentID: document.documentID, raw: sentAt),
            "EVN|\(event.rawValue)|\(now)",
            patientSegment(document.patient),
            "PV1|1|N",
        ]
        let origination = document.serviceDate.map { $0.iso.filter(\.isNumber) } ?? ""
        var txa = [String](repeating: "", count: 20)
        txa[0] = "TXA"
        txa[1] = "1"
        txa[2] = code.hl7
        txa[3] = "AP"
        txa[4] = timestamp(document.filedAt)
        txa[6] = origination
        txa[12] = "\(escape(document.documentID))^FILEROOM"
        txa[16] = escape(document.file.name)
        txa[17] = "DO"
        txa[19] = "AV"
        segments.append(txa.joined(separator: "|"))
        let observation = "\(code.loinc)^\(escape(code.display))^LN"
        if let data = document.file.data {
            segments.append("OBX|1|ED|\(observation)||^AP^PDF^Base64^\(Data(data).base64EncodedString())||||||F")
        } else {
            segments.append("OBX|1|RP|\(observation)||\(escape(document.file.url ?? document.file.name))^FILEROOM^AP^PDF||||||F")
        }
        return segments.joined(separator: "\r") + "\r"
    }

    /// The cancel message for a document taken back, from the resource that announced it.
    public static func cancel(_ reference: DocumentReference, centerName: String?, sentAt: String) -> String {
        let now = timestamp(sentAt)
        let documentID = reference.identifier.first { $0.system == DocumentReference.documentSystem }?.value ?? reference.id
        let subject = reference.subject?.identifier
        let patient = HandoffDocument.Patient(
            mrn: subject?.value, mrnSystem: subject?.system, last: "", first: ""
        )
        var txa = [String](repeating: "", count: 20)
        txa[0] = "TXA"
        txa[1] = "1"
        txa[2] = reference.type.coding?.first.flatMap { coding in
            DocumentTypeCode.all.first { $0.loinc == coding.code }?.hl7
        } ?? ""
        txa[3] = "AP"
        txa[4] = now
        txa[12] = "\(escape(documentID))^FILEROOM"
        txa[17] = "DO"
        txa[19] = "CA"
        return [
            header(event: .cancel, sentAt: now, centerName: centerName, documentID: documentID, raw: sentAt),
            "EVN|T11|\(now)",
            patientSegment(patient),
            "PV1|1|N",
            txa.joined(separator: "|"),
        ].joined(separator: "\r") + "\r"
    }

    private static func header(event: Event, sentAt: String, centerName: String?, documentID: String, raw: String) -> String {
        let facility = centerName.map(escape) ?? ""
        let control = controlID(documentID: documentID, at: raw, event: event)
        // T02 and T10 carry the content (structure MDM_T02); T11 is a notification only (MDM_T01).
        let structure = event == .cancel ? "MDM_T01" : "MDM_T02"
        return "MSH|^~\\&|FILEROOM|\(facility)|||\(sentAt)||MDM^\(event.rawValue)^\(structure)|\(control)|P|2.5.1"
    }

    /// `PID`: the MRN (with its namespace as assigning authority, an OID or a URI), name, birth date, sex.
    static func patientSegment(_ patient: HandoffDocument.Patient) -> String {
        var identifier = ""
        if let mrn = patient.mrn, !mrn.isEmpty {
            var authority = ""
            if let system = patient.mrnSystem {
                authority = system.hasPrefix("urn:oid:")
                    ? "&\(escapeSub(String(system.dropFirst(8))))&ISO" : "&\(escapeSub(system))&URI"
            }
            identifier = "\(escape(mrn))^^^\(authority)^MR"
        }
        var name = "\(escape(patient.last))^\(escape(patient.first))"
        if let middle = patient.middle, !middle.isEmpty { name += "^\(escape(middle))" }
        if patient.last.isEmpty && patient.first.isEmpty { name = "" }
        let birth = patient.dateOfBirth.map { $0.iso.filter(\.isNumber) } ?? ""
        let sex = ["F", "M"].contains(patient.sex ?? "") ? patient.sex! : (patient.sex == nil ? "" : "U")
        return "PID|1||\(identifier)||\(name)||\(birth)|\(sex)"
    }

    /// `YYYYMMDDHHMMSS+0000` from an RFC 3339 UTC time (`2026-11-20T10:15:00.123Z`).
    static func timestamp(_ rfc3339: String) -> String {
        let digits = rfc3339.prefix(19).filter(\.isNumber)
        return digits.count == 14 ? digits + "+0000" : String(digits)
    }

    /// HL7 escapes for the delimiters, and carriage returns and line feeds as spaces (they would end a segment).
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\": out += "\\E\\"
            case "|": out += "\\F\\"
            case "^": out += "\\S\\"
            case "&": out += "\\T\\"
            case "~": out += "\\R\\"
            case "\r", "\n": out += " "
            default: out.append(character)
            }
        }
        return out
    }

    private static func escapeSub(_ text: String) -> String { escape(text) }
}

extension DocumentTypeCode {
    static let all: [DocumentTypeCode] = DocumentType.allCases.map(DocumentTypeCode.of)
}
