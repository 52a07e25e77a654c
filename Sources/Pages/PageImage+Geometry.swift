extension PageImage {
    /// The page turned clockwise by `quarterTurns` x 90 degrees (negative turns go anticlockwise);
    /// a quarter turn swaps the size and the resolutions.
    public func rotated(quarterTurns: Int) -> PageImage {
        let turns = ((quarterTurns % 4) + 4) % 4
        if turns == 0 { return self }
        let (w, h) = (width, height)
        let outWidth = turns == 2 ? w : h
        let outHeight = turns == 2 ? h : w
        var out = [UInt8](repeating: 255, count: w * h)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                switch turns {
                case 1:  // (x, y) -> (h-1-y, x)
                    for y in 0..<h {
                        let row = y * w, dx = h - 1 - y
                        for x in 0..<w { dst[x * outWidth + dx] = src[row + x] }
                    }
                case 2:
                    let n = w * h
                    for i in 0..<n { dst[n - 1 - i] = src[i] }
                default:  // 3: (x, y) -> (y, w-1-x)
                    for y in 0..<h {
                        let row = y * w
                        for x in 0..<w { dst[(w - 1 - x) * outWidth + y] = src[row + x] }
                    }
                }
            }
        }
        let swap = turns != 2
        return PageImage(width: outWidth, height: outHeight,
                         dpiX: swap ? dpiY : dpiX, dpiY: swap ? dpiX : dpiY, pixels: out)
    }

    /// Pure black and white: pixels darker than `threshold` become 0, the rest 255.
    public func thresholded(_ threshold: UInt8 = 128) -> PageImage {
        var copy = self
        copy.pixels = pixels.map { $0 < threshold ? 0 : 255 }
        return copy
    }

    /// Whether every pixel is 0 or 255.
    public var isBilevel: Bool { pixels.allSatisfy { $0 == 0 || $0 == 255 } }
}
