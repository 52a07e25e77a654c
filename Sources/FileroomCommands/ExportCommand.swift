import ArgumentParser
import FileroomModel
import Foundation
import Intake
import Store

/// `fileroom export --json`: every source and its documents, in the shape the project is measured by.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Every source and its documents as one JSON object (names files and patients: for staff).",
        discussion: """
            {"sources":[{"file","sha256","status","error","pages","declared_pages","documents":[{"pages",\
            "type","case_id","queue","status","confidence","fields":{...}}]}]}
            """
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print JSON (the only format; accepted for scripts that pass it).")
    var json = false

    func run() async throws {
        let data = try await exportJSON(try openStore(global))
        FileHandle.standardOutput.write(data)
        FileHandle.standardOutput.write(Data("\n".utf8))
    }
}

/// `{"sources": [...]}` from the store, as `export --json` prints it and `evaluate` reads it.
func exportJSON(_ store: any FileroomStore) async throws -> Data {
    struct Export: Encodable { var sources: [ExportSource] }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return try encoder.encode(Export(sources: try await store.export()))
}
