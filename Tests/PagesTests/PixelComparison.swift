import Pages

/// nil when the two pages hold the same pixels and size, else a short account of the difference.
///
/// `#expect(a.pixels == b.pixels)` would make swift-testing diff two multi-megabyte arrays on failure.
func pixelMismatch(_ actual: PageImage, _ expected: PageImage, checkResolution: Bool = false) -> String? {
    if actual.width != expected.width || actual.height != expected.height {
        return "size \(actual.width)x\(actual.height), expected \(expected.width)x\(expected.height)"
    }
    if checkResolution && (actual.dpiX != expected.dpiX || actual.dpiY != expected.dpiY) {
        return "resolution \(actual.dpiX)x\(actual.dpiY), expected \(expected.dpiX)x\(expected.dpiY)"
    }
    var differing = 0
    var first: Int?
    for i in 0..<actual.pixels.count where actual.pixels[i] != expected.pixels[i] {
        differing += 1
        if first == nil { first = i }
    }
    guard let first else { return nil }
    let x = first % actual.width, y = first / actual.width
    return "\(differing) pixels differ, first at (\(x), \(y)): \(actual.pixels[first]) vs \(expected.pixels[first])"
}
