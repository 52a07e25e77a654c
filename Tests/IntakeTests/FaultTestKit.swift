import FileroomModel
import Foundation
import Pages
import Synchronization
import Testing

@testable import Intake

/// A page stage that fails on purpose before handing over to the real one: `failures` transient failures of
/// `filingPages` (the filing render), or reads that hang until shutdown. For the retry and watchdog tests.
final class FaultyPageStage: PageStage {
    enum Fault: Sendable {
        /// `filingPages` throws a disk-full error this many times, then works.
        case filingDiskFull(times: Int)
        /// `readPages` neither finishes nor checkpoints until asked to stop.
        case readHangs
    }

    let base: any PageStage
    let fault: Fault
    private let failures = Mutex(0)

    init(base: any PageStage, fault: Fault) {
        self.base = base
        self.fault = fault
    }

    var failuresSoFar: Int { failures.withLock { $0 } }

    func readPages(
        of path: String, skipping: Set<Int>, shouldStop: @escaping @Sendable () -> Bool,
        onPage: @escaping @Sendable (PageText) async throws -> Void
    ) async throws -> Int {
        if case .readHangs = fault {
            while !shouldStop() { try await Task.sleep(for: .milliseconds(20)) }
            throw CancellationError()
        }
        return try await base.readPages(of: path, skipping: skipping, shouldStop: shouldStop, onPage: onPage)
    }

    func filingPages(of path: String, pages: ClosedRange<Int>, texts: [Int: PageText]) async throws -> [FilingPage] {
        if case .filingDiskFull(let times) = fault {
            let fail = failures.withLock { count -> Bool in
                guard count < times else { return false }
                count += 1
                return true
            }
            if fail { throw FileStepError(operation: "write", path: "/nowhere/Peña_Müller.pdf", errno: ENOSPC) }
        }
        return try await base.filingPages(of: path, pages: pages, texts: texts)
    }
}

/// A small tmpfs mounted for one test (disk-full and cross-device cases), or nil where mounting is not allowed
/// (not root, a container without the capability): those tests are skipped.
struct ScratchMount {
    let path: String

    static func make(sizeKiB: Int) -> ScratchMount? {
        guard geteuid() == 0, let base = try? makeTemporaryFolder() else { return nil }
        let status = run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(sizeKiB)k", "tmpfs", base])
        guard status == 0 else {
            try? FileManager.default.removeItem(atPath: base)
            return nil
        }
        return ScratchMount(path: base)
    }

    func remove() {
        _ = Self.run("/bin/umount", ["-l", path])
        try? FileManager.default.removeItem(atPath: path)
    }

    static var isAvailable: Bool {
        guard let mount = make(sizeKiB: 64) else { return false }
        mount.remove()
        return true
    }

    private static func makeTemporaryFolder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fileroom-mount-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// Fills the file system holding `folder` until a write fails; returns the filler's path.
func fillFileSystem(at folder: String) -> String {
    let filler = "\(folder)/filler"
    let fd = open(filler, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    defer { close(fd) }
    let chunk = [UInt8](repeating: 0x55, count: 4096)
    while chunk.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) > 0 {}
    return filler
}

/// Waits up to `seconds` for `condition`.
func eventually(seconds: Double = 20, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return false
}

/// Values recorded from concurrent code, read afterwards.
final class Recorder<Value: Sendable>: Sendable {
    private let values = Mutex<[Value]>([])

    func append(_ value: Value) { values.withLock { $0.append(value) } }
    var all: [Value] { values.withLock { $0 } }
}
