/// Text helpers that tolerate fax OCR: case folding, tokenising and fuzzy comparison.
enum TextMatching {
    /// Lowercased, accents kept (names), every non-alphanumeric turned into a space, spaces collapsed.
    static func fold(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        var lastWasSpace = true
        for ch in text.lowercased() {
            if ch.isLetter || ch.isNumber || ch == "#" {
                out.append(ch)
                lastWasSpace = false
            } else if !lastWasSpace {
                out.append(" ")
                lastWasSpace = true
            }
        }
        if out.hasSuffix(" ") { out.removeLast() }
        return out
    }

    static func tokens(_ text: String) -> [String] {
        fold(text).split(separator: " ").map(String.init)
    }

    /// Edit distance bounded by `limit` (returns limit + 1 when larger), on characters.
    static func distance(_ a: [Character], _ b: [Character], limit: Int) -> Int {
        if abs(a.count - b.count) > limit { return limit + 1 }
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMin = current[0]
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                rowMin = min(rowMin, current[j])
            }
            if rowMin > limit { return limit + 1 }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// How many edits OCR may have made to a word of this length and still be recognised.
    static func tolerance(forLength length: Int) -> Int {
        switch length {
        case ..<5: 0
        case 5..<10: 1
        default: 2
        }
    }

    /// Whether an OCR token reads as the expected (already folded) keyword token.
    static func fuzzyEqual(_ token: String, _ keyword: String) -> Bool {
        if token == keyword { return true }
        // Cheap rejections first (this runs for every keyword against every word of a page): byte lengths, and for
        // a one-edit tolerance, a word differing at both ends (one edit cannot change both first and last letter).
        let t = token.utf8, k = keyword.utf8
        let limit = tolerance(forLength: k.count)
        guard limit > 0, abs(t.count - k.count) <= limit else { return false }
        if limit == 1, t.first != k.first, t.last != k.last { return false }
        return distance(Array(token), Array(keyword), limit: limit) <= limit
    }

    /// Start indices where the phrase's tokens appear consecutively in `tokens`, fuzzily.
    static func occurrences(of phrase: [String], in tokens: [String]) -> [Int] {
        let n = phrase.count
        guard n > 0, tokens.count >= n else { return [] }
        var found: [Int] = []
        var start = 0
        while start <= tokens.count - n {
            var k = 0
            while k < n, fuzzyEqual(tokens[start + k], phrase[k]) { k += 1 }
            if k == n { found.append(start) }
            start += 1
        }
        return found
    }

    static func contains(_ phrase: [String], in tokens: [String]) -> Bool {
        !occurrences(of: phrase, in: tokens).isEmpty
    }

    /// "WOLF RIVER HEALTH" -> "Wolf River Health"; mixed-case text is left as printed.
    static func displayCase(_ text: String) -> String {
        let letters = text.filter(\.isLetter)
        guard !letters.isEmpty, letters.allSatisfy({ $0.isUppercase }) || letters.allSatisfy({ $0.isLowercase })
        else { return text }
        var out = ""
        var startOfWord = true
        var wordLetters = 0
        for ch in text {
            if ch.isLetter {
                // "MCDONALD" -> "McDonald": the letter after a leading "Mc" starts the name again.
                let afterMc = wordLetters == 2 && out.suffix(2) == "Mc"
                out += startOfWord || afterMc ? ch.uppercased() : ch.lowercased()
                startOfWord = false
                wordLetters += 1
            } else {
                // After an apostrophe a new capital only follows one letter ("O'Brien", "D'Angelo"), never a
                // possessive ("Women's", "St. Mary's").
                let apostropheAfterInitial = (ch == "'" || ch == "\u{2019}") && wordLetters == 1
                out.append(ch)
                startOfWord = ch == " " || ch == "-" || ch == "/" || ch == "(" || apostropheAfterInitial
                if ch != "'" && ch != "\u{2019}" { wordLetters = 0 } else if apostropheAfterInitial { wordLetters = 0 }
            }
        }
        return out
    }
}
