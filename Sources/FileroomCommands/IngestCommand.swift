import ArgumentParser
import Foundation
import Intake
import Store

/// `fileroom ingest FILE...`: the daemon's pipeline for files staff name (re-feeding a fax).
struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Run named files through the intake pipeline (the originals stay where they are).",
        discussion: """
            Prints one line per file: its position on the command line, its source id and final state (no file \
            names: the output may end up in logs). Only regular files up to pages.max_file_bytes are taken: a \
            device (/dev/zero), a FIFO or a folder is refused. Exit status 1 when any file was rejected or refused; \
            3 when one could not be finished (the disk or database kept failing).
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Fax files (TIFF or PDF).")
    var files: [String]

    func run() async throws {
        let runtime = try Installation.open(global, for: .service).runtime()
        var anyRejected = false
        var anyUnfinished = false
        for (position, file) in files.enumerated() {
            let number = position + 1
            let source: SourceRecord
            do {
                source = try await runtime.engine.claim(copying: file)
            } catch {
                // One line naming the argument's position and the reason code, never the file.
                let why = error.reason == "not_found" ? "no such file" : "refused (\(error.reason))"
                printError("fileroom ingest: argument \(number): \(why)")
                if error.isTransient { anyUnfinished = true } else { anyRejected = true }
                continue
            }
            let state = await process(source.id, runtime: runtime)
            let final = try await runtime.store.source(source.id)
            let reason = final?.rejectReason.map { " \($0)" } ?? ""
            print("\(number): \(source.id) \(state?.rawValue ?? "unfinished")\(reason)")
            if state == .rejected { anyRejected = true }
            if state == nil { anyUnfinished = true }
        }
        if anyUnfinished { throw CommandFailure.quietlyUnfinished }
        if anyRejected { throw CommandFailure.quietlyFailed }
    }

    /// Walks the source to a final state, retrying transient failures with the daemon's backoff a few times.
    private func process(_ id: String, runtime: IntakeRuntime) async -> SourceState? {
        var delay: Duration = .milliseconds(500)
        for _ in 1...8 {
            do {
                return try await runtime.engine.process(sourceID: id)
            } catch {
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(30))
            }
        }
        return nil
    }
}
