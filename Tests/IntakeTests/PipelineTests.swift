import FileroomModel
import Foundation
import Intake
import Settings
import Store
import TestSupport
import Testing

@Suite("Intake pipeline, end to end over text-layer faxes")
struct PipelineTests {
    @Test func filesRoutesQueuesAndRejectsEachDroppedFile() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await TestInstallation.make(home: home)
            let jane = TestInstallation.jane
            try installation.drop(
                [MedicalFaxFixtures.coverPage(jane, pages: 3), MedicalFaxFixtures.pathologyPage(jane),
                 MedicalFaxFixtures.radiologyPage(jane)],
                as: "fax_0001.pdf"
            )
            try installation.drop([MedicalFaxFixtures.radiologyPage(TestInstallation.stranger)], as: "fax_0002.pdf")
            try FileManager.default.copyItem(
                atPath: "\(installation.settings.spool)/fax_0001.pdf", toPath: "\(installation.settings.spool)/fax_0003.pdf"
            )
            try BadFileFixtures.writeEmpty(to: "\(installation.settings.spool)/fax_0004.tif")
            try BadFileFixtures.writeTextFile(to: "\(installation.settings.spool)/fax_0005.tif")
            // Names a fax server uses while writing: never claimed.
            try BadFileFixtures.writeTextFile(to: "\(installation.settings.spool)/incoming.part")
            try BadFileFixtures.writeTextFile(to: "\(installation.settings.spool)/.hidden.tif")

            try await installation.runOnce()

            let sources = try await installation.sourcesByName()
            #expect(sources["fax_0001.pdf"]?.state == .filed)
            #expect(sources["fax_0002.pdf"]?.state == .unmatched)
            #expect(sources["fax_0003.pdf"]?.state == .duplicate)
            #expect(sources["fax_0003.pdf"]?.duplicateOf == sources["fax_0001.pdf"]?.id)
            #expect(sources["fax_0004.tif"]?.state == .rejected)
            #expect(sources["fax_0004.tif"]?.rejectReason == "empty_file")
            #expect(sources["fax_0005.tif"]?.rejectReason == "not_a_tiff")
            #expect(sources["incoming.part"] == nil)
            #expect(sources[".hidden.tif"] == nil)
            #expect(Set(DurableFilesProbe.list(installation.settings.spool)) == ["incoming.part", ".hidden.tif"])

            // Pathology to pathology, imaging to radiology, the cover sheet stays with its source.
            let filed = TestInstallation.files(under: installation.settings.filed)
            #expect(filed.filter { $0.hasPrefix("SO-T-001/pathology/") && $0.hasSuffix(".pdf") }.count == 1)
            #expect(filed.filter { $0.hasPrefix("SO-T-001/radiology/") && $0.hasSuffix(".pdf") }.count == 1)
            #expect(filed.filter { $0.hasSuffix(".json") }.count == 2)
            #expect(TestInstallation.files(under: installation.settings.unmatched).count == 2)

            // Reader queues hold the filed reports, the unmatched queue the stranger's.
            let pathology = try await installation.store.queueItems(kind: .pathology, state: .open, caseID: nil)
            let radiology = try await installation.store.queueItems(kind: .radiology, state: .open, caseID: nil)
            let unmatched = try await installation.store.queueItems(kind: .unmatched, state: .open, caseID: nil)
            #expect(pathology.map(\.caseID) == [CaseID(rawValue: "SO-T-001")])
            #expect(radiology.map(\.caseID) == [CaseID(rawValue: "SO-T-001")])
            #expect(unmatched.count == 1)

            // Rejected files wait in quarantine with a report naming the file and the reason.
            let quarantined = TestInstallation.files(under: installation.settings.quarantine)
            #expect(quarantined.count == 4)
            let report = try #require(quarantined.first { $0.hasSuffix("fax_0004.tif.error.json") })
            let json = try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: "\(installation.settings.quarantine)/\(report)"))
            ) as? [String: Any]
            #expect(json?["reason"] as? String == "empty_file")
            #expect(json?["file"] as? String == "fax_0004.tif")

            // The original bytes are archived once, by hash, read-only.
            let original = try #require(sources["fax_0001.pdf"])
            let archived = try #require(original.archivePath)
            let attributes = try FileManager.default.attributesOfItem(atPath: archived)
            #expect((attributes[.posixPermissions] as? Int) == 0o400)
            #expect(TestInstallation.files(under: installation.settings.work).isEmpty)
        }
    }

    /// The permission model (issue 14): filed documents are for the group (staff) to read, nobody else.
    @Test func filedFilesAreGroupReadableOnly() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await TestInstallation.make(home: home)
            try installation.drop([MedicalFaxFixtures.pathologyPage(TestInstallation.omar)], as: "fax_omar.pdf")
            try await installation.runOnce()
            let filed = TestInstallation.files(under: installation.settings.filed)
            #expect(!filed.isEmpty)
            for file in filed {
                let attributes = try FileManager.default.attributesOfItem(atPath: "\(installation.settings.filed)/\(file)")
                #expect((attributes[.posixPermissions] as? Int) == 0o640, "\(file)")
            }
            let folder = try FileManager.default.attributesOfItem(atPath: "\(installation.settings.filed)/SO-T-002")
            #expect((folder[.posixPermissions] as? Int) == 0o2750)
        }
    }

    @Test func sameNameDifferentBirthDateIsNeverFiled() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await TestInstallation.make(home: home)
            // Two open cases are Jane Whitcombe; this one's DOB matches neither.
            var impostor = TestInstallation.jane
            impostor.dob = "03/04/1971"
            try installation.drop([MedicalFaxFixtures.pathologyPage(impostor)], as: "fax_x.pdf")
            try await installation.runOnce()
            let documents = try await installation.store.documents(of: try #require(
                try await installation.sourcesByName()["fax_x.pdf"]).id)
            #expect(documents.allSatisfy { $0.status != .filed })
            #expect(TestInstallation.files(under: installation.settings.filed).isEmpty)
        }
    }

    @Test func theLogNamesNoPatientNoBirthDateNoMRNAndNoFileName() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await TestInstallation.make(home: home)
            let jane = TestInstallation.jane
            try installation.drop(
                [MedicalFaxFixtures.coverPage(jane, pages: 2), MedicalFaxFixtures.pathologyPage(jane)],
                as: "Whitcombe Jane 1961.pdf"
            )
            try installation.drop([MedicalFaxFixtures.radiologyPage(TestInstallation.stranger)], as: "Quillfeather.pdf")
            try BadFileFixtures.writeEmpty(to: "\(installation.settings.spool)/Fairbanks_Omar.tif")
            try await installation.runOnce()
            let log = installation.log.text
            #expect(log.contains("source claimed"))
            #expect(log.contains("document filed"))
            for needle in [
                "Whitcombe", "WHITCOMBE", "Jane", "Quillfeather", "Nadia", "Fairbanks", "Omar", "03/04/1961",
                "1961-03-04", "E7712345", "M0990011", "07/07/1970", "Whitcombe Jane 1961.pdf",
            ] {
                #expect(!log.contains(needle), "the log holds \(needle)")
            }
        }
    }
}

extension PipelineTests {
    @Test func aSidecarBesideTheFaxGivesTheSenderNumber() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await TestInstallation.make(home: home)
            try installation.drop([MedicalFaxFixtures.pathologyPage(TestInstallation.omar)], as: "fax_9.pdf")
            try Data(#"{"sender_fax": "+1 (608) 555-0141", "received": "2026-11-20T09:14:00Z"}"#.utf8)
                .write(to: URL(fileURLWithPath: "\(installation.settings.spool)/fax_9.pdf.meta.json"))
            try await installation.runOnce()
            let source = try #require(try await installation.sourcesByName()["fax_9.pdf"])
            #expect(source.senderFax == "6085550141")
            #expect(source.sidecar?["received"] == "2026-11-20T09:14:00Z")
            #expect(DurableFilesProbe.list(installation.settings.spool).isEmpty)
        }
    }
}

extension PipelineTests {
    @Test func aCaseClosedWhileTheDaemonRunsReceivesNothingMore() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await TestInstallation.make(home: home)
            try installation.drop([MedicalFaxFixtures.pathologyPage(TestInstallation.omar)], as: "first.pdf")
            try await installation.runOnce()
            #expect(try await installation.sourcesByName()["first.pdf"]?.state == .filed)

            let closed = try await installation.store.closeCase(
                CaseID(rawValue: "SO-T-002")!, actor: "test", reason: "second opinion given")
            #expect(closed)
            try installation.drop([MedicalFaxFixtures.radiologyPage(TestInstallation.omar)], as: "second.pdf")
            try await installation.runOnce()
            let second = try #require(try await installation.sourcesByName()["second.pdf"])
            let documents = try await installation.store.documents(of: second.id)
            #expect(!documents.isEmpty)
            #expect(documents.allSatisfy { $0.status != .filed })
        }
    }
}

/// Lists a folder's entries, hidden ones included.
enum DurableFilesProbe {
    static func list(_ folder: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    }
}
