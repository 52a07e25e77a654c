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
            names: the output may end up in logs). Exit status 1 when any file was rejected.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Fax files (TIFF or PDF).")
    var files: [String]

    func run() async throws {
        let settings = try loadSettings(global)
        let logger = LoggingBootstrap.bootstrap(settings)
        let runtime = try startRuntime(settings: settings, logger: logger)
        var anyRejected = false
        for (position, file) in files.enumerated() {
            let number = position + 1
            do {
                let source = try await runtime.engine.claim(copying: file)
                let state = try await runtime.engine.process(sourceID: source.id)
                let final = try await runtime.store.source(source.id)
                let reason = final?.rejectReason.map { " \($0)" } ?? ""
                print("\(number): \(source.id) \(state?.rawValue ?? "unfinished")\(reason)")
                if state == .rejected { anyRejected = true }
            } catch let error as FileStepError where error.errno == ENOENT {
                printError("fileroom ingest: argument \(number): no such file")
                anyRejected = true
            }
        }
        if anyRejected { throw ExitCode(1) }
    }
}
