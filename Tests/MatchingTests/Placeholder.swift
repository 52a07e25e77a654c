import Testing

@Test func MatchingModuleBuilds() {
    #expect(Bool(true))
}
