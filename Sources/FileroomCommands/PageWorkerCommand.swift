import ArgumentParser
import Foundation
import PageWorkers

/// `fileroom page-worker`: the daemon re-executes itself in this mode for each page worker process. It
/// reads framed requests on standard input and answers on standard output; hidden from help because
/// people have nothing to type to it.
struct PageWorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "page-worker",
        abstract: "Reads pages for the daemon in a sandboxed child process (internal).",
        shouldDisplay: false
    )

    @Flag(help: "Enter the sandbox, try what it must refuse and what reading needs, print one line each.")
    var checkSandbox = false

    func run() async throws {
        let status = checkSandbox ? SandboxCheck.run() : await PageWorkerMain.run()
        if status != 0 { throw ExitCode(status) }
    }
}
