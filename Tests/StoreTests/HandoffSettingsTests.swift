import Settings
import Testing

@Suite struct HandoffSettingsTests {
    @Test func handoffKeysResolveFromTheEnvironment() throws {
        let settings = try FileroomSettings.load(
            homeFlag: "/tmp/fileroom-home",
            environment: [
                "FILEROOM_CENTER_MRN_SYSTEM": "urn:oid:2.16.840.1.113883.3.9999.1", "FILEROOM_HANDOFF_HL7": "true",
                "FILEROOM_HANDOFF_ATTACHMENT": "data", "FILEROOM_HANDOFF_BASE_URL": "https://records.example/fileroom/",
            ],
            systemConfigPath: "/nonexistent/fileroom.toml"
        )
        #expect(settings.center.mrnSystem == "urn:oid:2.16.840.1.113883.3.9999.1")
        #expect(settings.handoff.fhir && settings.handoff.hl7)
        #expect(settings.handoff.attachment == .data)
        #expect(settings.handoff.baseURL == "https://records.example/fileroom")
        #expect(settings.outbox == "/tmp/fileroom-home/outbox")
    }

    @Test(arguments: ["FILEROOM_CENTER_MRN_SYSTEM", "FILEROOM_HANDOFF_BASE_URL"])
    func aValueThatIsNotAURIIsRefusedNamingTheKey(variable: String) {
        #expect(throws: SettingsError.self) {
            try FileroomSettings.load(
                homeFlag: "/tmp/h", environment: [variable: "our mrns"], systemConfigPath: "/nonexistent/fileroom.toml"
            )
        }
    }

    @Test func byDefaultTheHandOffIsFHIROnlyWithFileURLs() throws {
        let settings = try FileroomSettings.load(homeFlag: "/tmp/h", environment: [:], systemConfigPath: "/nonexistent/x")
        #expect(settings.handoff == HandoffSettings())
        #expect(settings.handoff.fhir && !settings.handoff.hl7 && settings.handoff.attachment == .url)
        #expect(settings.center.mrnSystem == nil)
    }
}
