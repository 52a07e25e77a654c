import Testing

@Test func CommandModuleBuilds() {
    #expect(Bool(true))
}
