import Testing

@Test func PagesModuleBuilds() {
    #expect(Bool(true))
}
