import FileroomCommands
import FileroomModel
import Foundation
import Intake
import Review
import Store
import Synchronization
import TestSupport
import Testing

/// The loop on a real terminal: keys act without Enter (raw mode), headings are bold, and the terminal's settings
/// are given back at the end.
@Suite("the review loop on a pseudo-terminal")
struct PseudoTerminalTests {
    @Test func singleKeysActWithoutEnterAndTheTerminalIsRestored() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await ReviewInstallation.scene(home: home)
            let items = try await SceneItems(installation)
            let terminal = try PseudoTerminal()
            var before = termios()
            tcgetattr(terminal.follower, &before)

            let process = Process()
            process.executableURL = URL(fileURLWithPath: try ReviewInstallation.binaryPath())
            process.arguments = ["review", "--queue", "review", "--by", "pat", "--home", home]
            var environment = ProcessInfo.processInfo.environment
            environment.removeValue(forKey: "FILEROOM_CONFIG")
            environment.removeValue(forKey: "FILEROOM_HOME")
            process.environment = environment
            let handle = FileHandle(fileDescriptor: terminal.follower, closeOnDealloc: false)
            process.standardInput = handle
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            let screen = terminal.startReading()

            // No Enter after the keys: in canonical mode the loop would never see them.
            try await screen.waitFor(count: 1, of: "> ")
            terminal.send("a")
            // The DOB differs by one digit: the case id's last four characters confirm (a line, with Enter).
            try await screen.waitFor(count: 1, of: "file anyway: ")
            terminal.send("-001\n")
            try await screen.waitFor(count: 2, of: "> ")
            terminal.send("q")
            process.waitUntilExit()
            let text = screen.text.replacingOccurrences(of: "\r\n", with: "\n")
            #expect(process.terminationStatus == 0, "\(text)")
            #expect(text.contains("\u{1B}[1mItem q_"), "bold headings on a terminal")
            #expect(text.contains("> a\nCheck before filing to SO-T-001:\n"))
            #expect(text.contains("file anyway: -001\nfiled doc_"))
            #expect(text.contains("> q\nquit\n"))
            #expect(text.contains("1 handled, 0 skipped, 0 refused"))
            let filed = [items.pathology, items.radiology].filter { text.contains("filed \($0.documentID)") }
            #expect(filed.count == 1)
            #expect(try await installation.store.queueItem(try #require(filed.first).id)?.state == .done)

            var after = termios()
            tcgetattr(terminal.follower, &after)
            #expect(after.c_lflag == before.c_lflag, "canonical mode and echo are back")
        }
    }
}

/// The loop's screens on an 80x24 terminal: each fits, with the item's identity right above the prompt.
@Suite("the review loop's screen at 80x24")
struct EightyByTwentyFourTests {
    /// What shows, without terminal escapes (colours, reverse video).
    static func visible(_ line: String) -> String {
        line.replacingOccurrences(of: "\u{1B}\\[[0-9;?]*[A-Za-z]", with: "", options: .regularExpression)
    }

    @Test func everyScreenFitsWithTheIdentityAndPromptAndMoreShowsTheRest() async throws {
        try await withTemporaryDirectory { home in
            let installation = try await ReviewInstallation.scene(home: home)
            let terminal = try PseudoTerminal()
            var size = winsize(ws_row: 24, ws_col: 80, ws_xpixel: 0, ws_ypixel: 0)
            #expect(ioctl(terminal.follower, UInt(TIOCSWINSZ), &size) == 0)

            let process = Process()
            process.executableURL = URL(fileURLWithPath: try ReviewInstallation.binaryPath())
            process.arguments = ["review", "--queue", "review", "--home", home]
            var environment = ProcessInfo.processInfo.environment
            environment.removeValue(forKey: "FILEROOM_CONFIG")
            environment.removeValue(forKey: "FILEROOM_HOME")
            environment["TERM"] = "xterm"
            process.environment = environment
            let handle = FileHandle(fileDescriptor: terminal.follower, closeOnDealloc: false)
            process.standardInput = handle
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            let screen = terminal.startReading()
            try await screen.waitFor(count: 1, of: "> ")
            terminal.send("m")
            try await screen.waitFor(count: 2, of: "> ")
            terminal.send("m")
            try await screen.waitFor(count: 3, of: "> ")
            terminal.send("q")
            process.waitUntilExit()
            let text = screen.text.replacingOccurrences(of: "\r\n", with: "\n")
            #expect(process.terminationStatus == 0, "\(text)")

            let screens = text.components(separatedBy: "\u{1B}[2J").dropFirst()
            #expect(screens.count == 3, "\(text)")
            for (number, drawn) in screens.enumerated() {
                let lines = drawn.components(separatedBy: "\n").map(Self.visible)
                let prompt = try #require(lines.firstIndex { $0.hasPrefix("> ") }, "\(drawn)")
                #expect(prompt + 1 <= 24, "screen \(number + 1) has \(prompt + 1) rows")
                #expect(lines[...prompt].allSatisfy { $0.count <= 80 }, "\(lines[...prompt])")
                #expect(lines[prompt - 1].hasPrefix("[q_"), "the identity above the prompt: \(lines[prompt - 1])")
                #expect(lines[prompt - 2].hasPrefix("[a]ccept"))
            }
            if let dump = ProcessInfo.processInfo.environment["FILEROOM_TEST_DUMP"] {
                try screens.map { $0.components(separatedBy: "\n").map(Self.visible).joined(separator: "\n") }
                    .joined(separator: "\n=====\n").write(toFile: dump, atomically: true, encoding: .utf8)
            }
            let first = Array(screens)[0], second = Array(screens)[1]
            #expect(first.contains("Item q_") && first.contains("Why it waits for a person"))
            #expect(first.contains("Candidates"))
            #expect(second.contains("-- lines 21-40 of "), "\(second)")
            #expect(!second.contains("Item q_"))
        }
    }
}

/// A pseudo-terminal pair: the loop runs on the follower side, the test types and reads on the leader side.
final class PseudoTerminal: Sendable {
    let leader: Int32
    let follower: Int32

    init() throws {
        // Glibc declares these only under _XOPEN_SOURCE, which the Swift module map does not set: look them up.
        typealias OpenPT = @convention(c) (Int32) -> Int32
        typealias OnLeader = @convention(c) (Int32) -> Int32
        typealias Name = @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?
        let library = dlopen(nil, RTLD_NOW)
        guard let openSymbol = dlsym(library, "posix_openpt"), let grantSymbol = dlsym(library, "grantpt"),
            let unlockSymbol = dlsym(library, "unlockpt"), let nameSymbol = dlsym(library, "ptsname")
        else { throw FixtureError("no pseudo-terminal functions in libc") }
        let openPT = unsafeBitCast(openSymbol, to: OpenPT.self)
        let grant = unsafeBitCast(grantSymbol, to: OnLeader.self)
        let unlock = unsafeBitCast(unlockSymbol, to: OnLeader.self)
        let name = unsafeBitCast(nameSymbol, to: Name.self)
        leader = openPT(O_RDWR | O_NOCTTY)
        guard leader >= 0, grant(leader) == 0, unlock(leader) == 0, let path = name(leader) else {
            throw FixtureError("cannot open a pseudo-terminal")
        }
        follower = open(String(cString: path), O_RDWR | O_NOCTTY)
        guard follower >= 0 else { throw FixtureError("cannot open the pseudo-terminal's follower side") }
    }

    deinit {
        close(follower)
        close(leader)
    }

    func send(_ keys: String) {
        _ = keys.utf8CString.withUnsafeBufferPointer { write(leader, $0.baseAddress, $0.count - 1) }
    }

    /// Collects what the program writes, on a thread of its own (reads block).
    func startReading() -> Screen {
        let screen = Screen()
        let leader = self.leader
        let thread = Thread {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = read(leader, &buffer, buffer.count)
                if count <= 0 { break }
                screen.append(Array(buffer[0..<count]))
            }
        }
        thread.start()
        return screen
    }

    final class Screen: Sendable {
        private let bytes = Mutex<[UInt8]>([])

        var text: String { String(decoding: bytes.withLock { $0 }, as: UTF8.self) }

        func append(_ more: [UInt8]) { bytes.withLock { $0 += more } }

        func waitFor(count: Int, of marker: String, timeout: Duration = .seconds(20)) async throws {
            let clock = ContinuousClock()
            let deadline = clock.now + timeout
            while text.components(separatedBy: marker).count - 1 < count {
                guard clock.now < deadline else {
                    throw FixtureError("no '\(marker)' #\(count) on the screen after \(timeout): \(text)")
                }
                try await Task.sleep(for: .milliseconds(20))
            }
        }
    }
}
