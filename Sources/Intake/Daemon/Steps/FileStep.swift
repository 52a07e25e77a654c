import FileroomModel
import Logging
import Store

/// `matched`: writes each document through the filing door, opens its queue item, then the source's final state.
struct FileStep: SourceStep {
    static let step = IntakeStep.file

    func run(_ source: SourceRecord, in engine: IntakeEngine) async throws -> StepResult {
        let store = engine.store
        let documents = try await store.documents(of: source.id)
        let door = engine.filingDoor
        // Read once for every document (from memory while the source is in flight).
        let texts = try await engine.pageCache.pages(of: source, in: store)
        var filings: [Filing] = []
        for document in documents {
            guard let filing = document.filing else { continue }
            let started = ContinuousClock.now
            try await door.file(document, as: filing, source: source, texts: texts)
            engine.logger.info(
                "document \(filing.destination.rawValue)",
                metadata: [
                    "source.id": "\(source.id)", "doc.id": "\(document.id)", "doc.type": "\(document.type.rawValue)",
                    "case.id": "\(filing.caseID?.rawValue ?? "-")", "pages": "\(document.firstPage)-\(document.lastPage)",
                    "duration.ms": "\(started.duration(to: .now).milliseconds)",
                ]
            )
            engine.counters.add(document: filing.documentStatus, type: document.type)
            engine.progress.mark()
            filings.append(filing)
        }
        try await store.setState(source.id, to: Filing.sourceState(filings))
        DurableFiles.removeTree(engine.workFolder(of: source.id))
        return .advanced
    }
}
