import FileroomModel
import Foundation
import Store

let caseHeader =
    "case_id,status,patient_last,patient_first,patient_middle,dob,sex,mrn,phone,address,city,state,zip,"
    + "referring_provider,referring_facility,referring_fax,cancer_site,opened_on"

/// A small invented case list in the corpus's columns.
let sampleCasesCSV = """
    \(caseHeader)
    SO-2026-00001,open,Alvarez,Maria,Luz,1961-03-04,F,10000001,(608) 555-0142,"12 Lake St, Apt 3",Madison,WI,53703,"Ann Ray, MD",North Clinic,(608) 555-0150,breast,2026-10-01
    SO-2026-00002,open,O'Brien-Smith,Robert,,1955-12-31,M,10000002,,,,,,,,,lung,2026-10-02
    SO-2026-00003,closed,Nguyen,Thi,,1970-01-15,F,10000003,608.555.0177,,,,,,South Clinic,1 (920) 555-0189,colon,2025-01-02

    """

func caseID(_ raw: String) -> CaseID {
    guard let id = CaseID(rawValue: raw) else { preconditionFailure("bad test case id \(raw)") }
    return id
}

func date(_ iso: String) -> CalendarDate {
    guard let date = CalendarDate(iso: iso) else { preconditionFailure("bad test date \(iso)") }
    return date
}

/// A store in a fresh folder, with a fixed clock that advances a millisecond per call so entries sort.
func withStore<T>(_ body: (SQLiteStore, String) async throws -> T) async throws -> T {
    try await withTemporaryFolder { folder in
        let path = folder + "/fileroom.db"
        let store = try SQLiteStore(path: path)
        return try await body(store, path)
    }
}

func newSource(_ id: String, bytes: String = UUID().uuidString, name: String = "fax_1.tif") -> NewSource {
    NewSource(
        id: id, sha256: SHA256.hex(Array(bytes.utf8)), size: Int64(bytes.utf8.count), originalName: name,
        receivedAt: Date(timeIntervalSince1970: 1_795_000_000)
    )
}

func page(_ number: Int, text: String = "SURGICAL PATHOLOGY REPORT") -> PageText {
    let word = RecognizedWord(text: text, box: BoundingBox(x: 10, y: 10, width: 100, height: 20), confidence: 0.9)
    return PageText(
        number: number, source: .ocr, width: 1728, height: 2200, dpiX: 204, dpiY: 196, confidence: 0.9,
        lines: [TextLine(words: [word])]
    )
}
