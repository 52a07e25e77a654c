import Testing

@Test func IntakeModuleBuilds() {
    #expect(Bool(true))
}
