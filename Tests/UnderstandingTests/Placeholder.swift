import Testing

@Test func UnderstandingModuleBuilds() {
    #expect(Bool(true))
}
