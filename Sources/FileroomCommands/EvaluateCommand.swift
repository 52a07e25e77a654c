import ArgumentParser
import Evaluation
import FileroomModel
import Foundation
import Intake

/// `fileroom evaluate --truth FILE [--results FILE] [--json]`: scores what the system did against a truth
/// file in the corpus format, the way a center validates the system on its own labelled faxes before going
/// live. Prints wrong filings first and the reference scorer's one-line summary last.
struct EvaluateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Score the filed results against a truth file (corpus format): wrong filings first.",
        discussion: """
            The last line of the report is the summary: wrong_filed=N auto_filed_correct=X.XX review_rate=X.XX \
            type_acc=X.XX field_acc=X.XX accounted=N/M rejected_ok=N/M. The report names files: it is for staff.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "Truth file in the corpus format (truth.json).")
    var truth: String

    @Option(name: .long, help: "Score this export (the JSON of 'fileroom export --json') instead of the store.")
    var results: String?

    @Flag(name: .long, help: "Print the metrics as one JSON object.")
    var json = false

    @Flag(name: .long, help: "List every file-level problem, not only the first 40.")
    var verbose = false

    func run() async throws {
        let metrics: EvaluationMetrics
        do {
            let truthFile = try TruthFile.decode(readFile(truth, what: "truth file"))
            metrics = Evaluation.score(truth: truthFile, results: try await loadResults())
        } catch let error as EvaluationInputError {
            // The command could not run at all: one clear line, and not the "ran but failed" status 1.
            throw CommandFailure.cannotRun("evaluate: \(error)")
        }
        print(EvaluationReport.render(metrics, json: json, verbose: verbose))
    }

    /// The export to score: the named file, or what the store holds, built by the same code as
    /// `fileroom export --json`.
    private func loadResults() async throws -> ExportReport {
        if let results {
            return try ExportReport.decode(readFile(results, what: "results"))
        }
        return try ExportReport.decode(try await exportJSON(try openStore(global)))
    }

    private func readFile(_ path: String, what: String) throws(EvaluationInputError) -> Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EvaluationInputError(what: what, reason: "no readable file at \(path)")
        }
        return data
    }
}
