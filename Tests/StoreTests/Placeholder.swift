import Testing

@Test func StoreModuleBuilds() {
    #expect(Bool(true))
}
