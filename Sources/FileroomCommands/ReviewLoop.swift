import FileroomModel
import Foundation
import Intake
import Review
import Store
import Synchronization

/// Where the interactive loop reads keys and lines: the terminal in raw mode, or a pipe (tests, scripts).
public protocol ReviewInput: Sendable {
    /// The next key, skipping line ends and spaces; nil at end of input.
    func key() -> Character?
    /// One line after a prompt, nil at end of input.
    func line() -> String?
    /// True when the terminal shows typed lines itself (a TTY): a pipe's input is echoed by the loop.
    var echoesLines: Bool { get }
}

/// Reads from a file descriptor byte by byte (no buffering, so keys and lines interleave exactly as typed or piped).
/// On a terminal, keys come without Enter (canonical mode and echo off) and lines are read with echo.
public struct DescriptorInput: ReviewInput {
    public let fd: Int32
    public let isTerminal: Bool
    public var echoesLines: Bool { isTerminal }
    /// The terminal's settings when the loop started, restored for line prompts and at the end.
    private let saved: termios?

    public init(fd: Int32 = STDIN_FILENO) {
        self.fd = fd
        isTerminal = isatty(fd) == 1
        var settings = termios()
        saved = isTerminal && tcgetattr(fd, &settings) == 0 ? settings : nil
    }

    /// Keys without Enter. Call `restore()` when done.
    public func enterKeyMode() {
        guard var raw = saved else { return }
        // ISIG off too: Ctrl-C arrives as a key and ends the loop through the path that restores the terminal.
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG)
        withUnsafeMutableBytes(of: &raw.c_cc) { bytes in
            bytes[Int(VMIN)] = 1
            bytes[Int(VTIME)] = 0
        }
        tcsetattr(fd, TCSANOW, &raw)
    }

    public func restore() {
        guard var settings = saved else { return }
        tcsetattr(fd, TCSANOW, &settings)
    }

    private func byte() -> UInt8? {
        var value: UInt8 = 0
        while true {
            let count = read(fd, &value, 1)
            if count == 1 { return value }
            if count < 0, errno == EINTR { continue }
            return nil
        }
    }

    public func key() -> Character? {
        if !isTerminal {
            // Piped input is line by line ("a\n", "c\n", "SO-T-001\n"): a key is the first character of its line.
            while let text = line() {
                if let first = text.first(where: { !$0.isWhitespace }) { return first }
            }
            return nil
        }
        while let value = byte() {
            if value == 0x0A || value == 0x0D || value == 0x20 || value == 0x09 { continue }
            if value == 0x03 || value == 0x04 { return nil }  // Ctrl-C, Ctrl-D in key mode
            return Character(Unicode.Scalar(value))
        }
        return nil
    }

    public func line() -> String? {
        if isTerminal { restore() }
        defer { if isTerminal { enterKeyMode() } }
        var bytes: [UInt8] = []
        while let value = byte() {
            if value == 0x0A { return String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespaces) }
            if value != 0x0D { bytes.append(value) }
        }
        return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespaces)
    }
}

/// `fileroom review` without a subcommand: one item at a time, single-key actions, the next item prefetched while
/// the person reads the current one.
public struct ReviewLoop: Sendable {
    public struct Summary: Sendable, Hashable {
        public var handled = 0
        public var skipped = 0
        public var refused = 0
    }

    let desk: ReviewDesk
    let actor: String
    let input: any ReviewInput
    let output: @Sendable (String) -> Void
    let kinds: [QueueKind]
    /// Bold item headings and red refusals: only when the output is a terminal.
    let colour: Bool
    /// The terminal's rows when the output is one: each item is drawn as screens of that height (the prompt and the
    /// item's identity on every one, `m` for the next); nil on a pipe, where everything is printed at once.
    let screenRows: Int?
    /// The last line said, shown again on the next screen (a cleared screen would hide it).
    private let lastSaid = LastSaid()

    public init(
        desk: ReviewDesk, actor: String, input: any ReviewInput, kinds: [QueueKind] = [.review, .unmatched],
        colour: Bool = false, screenRows: Int? = nil, output: @escaping @Sendable (String) -> Void
    ) {
        self.desk = desk
        self.actor = actor
        self.input = input
        self.kinds = kinds
        self.colour = colour
        self.screenRows = screenRows.map { max(12, $0) }
        self.output = output
    }

    static let help = "[a]ccept [1-9] candidate [c]ase id [t]ype [s]plit [r]eject [m]ore [n]ext [q]uit"

    /// Rows of a screen that are not the item's content: the status line, the help, the identity and the prompt.
    static let footerRows = 4

    public func run() async throws -> Summary {
        var summary = Summary()
        var passed: Set<String> = []
        var queue = try await desk.openItems(kinds).map(\.id)
        var prefetched: (id: String, task: Task<ReviewItemDetails?, Never>)? = nil
        var current: ReviewItemDetails? = nil
        // The screen of the current item shown (0: the first), and its content drawn once per item.
        var screenIndex = 0
        var content: [String] = []
        func show(_ details: ReviewItemDetails, remaining: Int) {
            content = self.content(details)
            screenIndex = 0
            draw(details, content: content, screen: screenIndex, remaining: remaining)
        }
        while true {
            if current == nil {
                queue.removeAll { passed.contains($0) }
                if queue.isEmpty {
                    // Items filed by the daemon since the loop began, and second parts of splits.
                    queue = try await desk.openItems(kinds).map(\.id).filter { !passed.contains($0) }
                }
                guard let id = queue.first else {
                    say("No more items to review.")
                    return summary
                }
                queue.removeFirst()
                if let ahead = prefetched, ahead.id == id {
                    current = await ahead.task.value
                } else {
                    current = try? await desk.details(of: id)
                }
                prefetched = nil
                guard let shown = current, shown.item.state == .open else {
                    passed.insert(id)
                    current = nil
                    continue
                }
                show(shown, remaining: queue.count)
                if let nextID = queue.first {
                    let desk = self.desk
                    prefetched = (nextID, Task { try? await desk.details(of: nextID) })
                }
            }
            guard let details = current else { continue }
            output("> ")
            let input = self.input
            guard let key = try await BlockingWork.run({ input.key() }) else {
                output("\n")
                return summary
            }
            output("\(key)\n")
            let id = details.item.id
            do {
                switch key {
                case "q", "Q":
                    say("quit")
                    return summary
                case "m", "M":
                    guard let rows = screenRows else {
                        say("everything about the item is shown above")
                        continue
                    }
                    let pages = max(1, (content.count + rows - Self.footerRows - 1) / (rows - Self.footerRows))
                    screenIndex = (screenIndex + 1) % pages
                    draw(details, content: content, screen: screenIndex, remaining: queue.count)
                case "n", "N":
                    say("skipped \(id)")
                    summary.skipped += 1
                    passed.insert(id)
                    current = nil
                case "a", "A":
                    guard try await accept({ try await desk.confirm(id, by: actor, confirmed: $0) }) else { continue }
                    summary.handled += 1
                    passed.insert(id)
                    current = nil
                case "1"..."9":
                    let position = Int(String(key)) ?? 0
                    guard position <= details.item.candidates.count else {
                        say("there is no candidate \(position)")
                        continue
                    }
                    let caseID = details.item.candidates[position - 1].caseID
                    guard try await accept({
                        try await desk.assign(id, to: caseID, by: actor, reason: "candidate \(position)", confirmed: $0)
                    }) else { continue }
                    summary.handled += 1
                    passed.insert(id)
                    current = nil
                case "c", "C":
                    guard let text = try await prompt("Case id: "), !text.isEmpty else { continue }
                    guard let caseID = CaseID(rawValue: text) else {
                        throw ReviewRefusal("'\(text)' is not a case id (1 to 64 letters, digits, '-', '_' or '.')")
                    }
                    guard try await accept({
                        try await desk.assign(id, to: caseID, by: actor, reason: "case id typed", confirmed: $0)
                    }) else { continue }
                    summary.handled += 1
                    passed.insert(id)
                    current = nil
                case "t", "T":
                    let names = DocumentType.allCases.map(\.rawValue).joined(separator: ", ")
                    say(ReviewPresentation.wrap("Types: \(names)", indent: "").joined(separator: "\n"))
                    guard let text = try await prompt("Type: "), !text.isEmpty else { continue }
                    guard let type = DocumentType(rawValue: text) else { throw ReviewRefusal("unknown type '\(text)'") }
                    let outcome = try await desk.retype(id, to: type, by: actor)
                    say("\(id) is now \(outcome.document.type.rawValue)")
                    current = try await desk.details(of: id)
                    if let current { show(current, remaining: queue.count) }
                case "s", "S":
                    guard let text = try await prompt("Split before page: "), !text.isEmpty else { continue }
                    guard let page = Int(text) else { throw ReviewRefusal("'\(text)' is not a page number") }
                    let (first, second) = try await desk.split(id, atPage: page, by: actor)
                    say(
                        "split \(id): pages \(first.document.firstPage)-\(first.document.lastPage) stay, "
                            + "pages \(second.document.firstPage)-\(second.document.lastPage) are item "
                            + (second.item?.id ?? second.document.id)
                    )
                    if let newID = second.item?.id { queue.insert(newID, at: 0) }
                    current = try await desk.details(of: id)
                    if let current { show(current, remaining: queue.count) }
                case "r", "R":
                    guard let reason = try await prompt("Reason: "), !reason.isEmpty else {
                        say("not rejected: a reason is needed")
                        continue
                    }
                    report(try await desk.reject(id, reason: reason, by: actor), action: "rejected")
                    summary.handled += 1
                    passed.insert(id)
                    current = nil
                default:
                    say(Self.help)
                }
            } catch let refusal as ReviewRefusal {
                summary.refused += 1
                say(colour ? "\u{1B}[1;31mrefused:\u{1B}[0m \(refusal.description)" : "refused: \(refusal.description)")
            }
        }
    }

    /// Files through `body`; when a rule failed, says which in plain words and files only after the person types
    /// the case id's last four characters (anything else: nothing changes). True when filed.
    private func accept(_ body: (Bool) async throws -> ReviewOutcome) async throws -> Bool {
        do {
            report(try await body(false), action: "filed")
            return true
        } catch let needed as ReviewConfirmationNeeded {
            say("Check before filing to \(needed.caseID):")
            for reason in needed.reasons { say("  - " + reason) }
            let expected = String(needed.caseID.rawValue.suffix(4))
            let typed = try await prompt("Type \(needed.caseID)'s last four characters to file anyway: ")
            guard let typed, typed.caseInsensitiveCompare(expected) == .orderedSame else {
                say("not filed")
                return false
            }
            report(try await body(true), action: "filed")
            return true
        }
    }

    private func prompt(_ text: String) async throws -> String? {
        output(text)
        let input = self.input
        let line = try await BlockingWork.run { input.line() }
        if !input.echoesLines { output((line ?? "") + "\n") }
        return line
    }

    private func report(_ outcome: ReviewOutcome, action: String) {
        if let warning = outcome.warning { say(warning) }
        let target = outcome.document.caseID.map { " to \($0)" } ?? ""
        say("\(action) \(outcome.document.id)\(target): \(outcome.pdfPath ?? "")")
    }

    /// Everything about the item, in the order a person decides by: the sheet, then the page text with its fields
    /// and the crops where they were read.
    private func content(_ details: ReviewItemDetails) -> [String] {
        var sheet = ReviewPresentation.sheet(details)
        if colour, !sheet.isEmpty { sheet[0] = "\u{1B}[1m\(sheet[0])\u{1B}[0m" }
        return sheet + ReviewPresentation.evidence(
            details, limits: desk.pageLimits, marking: colour ? .reverseVideo : .brackets,
            style: colour ? .colourSymbols : .symbols
        )
    }

    /// One screen of the item: on a terminal, cleared and cut to its rows with the status, help and identity lines
    /// above the prompt; on a pipe, all of it.
    private func draw(_ details: ReviewItemDetails, content: [String], screen: Int, remaining: Int) {
        guard let rows = screenRows else {
            var lines = [String(repeating: "-", count: 80)] + content
            lines.append("\(remaining) more waiting")
            lines.append(Self.help)
            // Right above the prompt, so the item's identity is the last thing read before the keys.
            lines.append(ReviewPresentation.identity(details))
            say(lines.joined(separator: "\n"))
            return
        }
        let body = rows - Self.footerRows
        let start = min(screen * body, max(0, content.count - 1))
        let shown = content[start..<min(content.count, start + body)]
        var status = "-- lines \(start + 1)-\(start + shown.count) of \(content.count)"
        status += content.count > body ? ", [m]ore --" : " --"
        status += "  \(remaining) more waiting"
        if let said = lastSaid.take() { status = said }
        var lines = shown.map { ReviewPresentation.clipVisible($0) }
        lines.append(ReviewPresentation.clip(status))
        lines.append(Self.help)
        lines.append(ReviewPresentation.identity(details))
        // Home and clear, then the screen: the prompt the loop prints lands on the last row.
        output("\u{1B}[H\u{1B}[2J" + lines.joined(separator: "\n") + "\n")
    }

    private func say(_ line: String) {
        lastSaid.set(line)
        output(line + "\n")
    }
}

/// The loop's last line, carried onto the next screen. A lock: the loop's methods are called from one task, but the
/// loop is a `Sendable` value.
final class LastSaid: Sendable {
    private let line = Mutex<String?>(nil)

    func set(_ text: String) { line.withLock { $0 = text } }

    func take() -> String? { line.withLock { value in defer { value = nil }; return value } }
}
