import Handoff
import Testing

@Suite struct SHA1Tests {
    @Test(arguments: [
        ("", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
        ("abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "84983e441c3bd26ebaae4aa1f95129e5e54670f1"),
    ])
    func knownDigests(input: String, hex: String) {
        let digest = SHA1.digest(Array(input.utf8))
        #expect(digest.map { String($0, radix: 16).leftPadded }.joined() == hex)
    }

    @Test func aMillionAs() {
        let digest = SHA1.digest([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
        #expect(digest.map { String($0, radix: 16).leftPadded }.joined() == "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
    }
}

extension String {
    fileprivate var leftPadded: String { count == 1 ? "0" + self : self }
}
