import Testing

@Test func OCRModuleBuilds() {
    #expect(Bool(true))
}
