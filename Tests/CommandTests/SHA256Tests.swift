import FileroomModel
import Testing

@Test(arguments: [
    ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
])
func sha256MatchesTheStandardVectors(input: String, digest: String) {
    #expect(SHA256.hex(Array(input.utf8)) == digest)
}

@Test func sha256StreamsAcrossBlockBoundaries() {
    let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 * 7) }
    var hasher = SHA256()
    hasher.update(Array(bytes[0..<3]))
    bytes[3..<130].withUnsafeBytes { hasher.update($0) }
    hasher.update(Array(bytes[130...]))
    #expect(hasher.finalize().hexString == SHA256.hex(bytes))
}
