import FileroomModel
import Foundation

/// A truth file or an export that cannot be read as one, with the place it went wrong.
public struct EvaluationInputError: Error, Sendable, CustomStringConvertible {
    /// `truth file` or `results`.
    public var what: String
    public var reason: String

    public init(what: String, reason: String) {
        self.what = what
        self.reason = reason
    }

    public var description: String { "cannot read the \(what): \(reason)" }
}

extension TruthFile {
    /// Decodes a truth file in the corpus format.
    public static func decode(_ data: Data) throws(EvaluationInputError) -> TruthFile {
        try decodeJSON(TruthFile.self, from: data, what: "truth file")
    }
}

extension ExportReport {
    /// Decodes an export (`fileroom export --json`).
    public static func decode(_ data: Data) throws(EvaluationInputError) -> ExportReport {
        try decodeJSON(ExportReport.self, from: data, what: "results")
    }
}

private func decodeJSON<T: Decodable>(_ type: T.Type, from data: Data, what: String) throws(EvaluationInputError) -> T {
    do {
        return try JSONDecoder().decode(type, from: data)
    } catch let error as DecodingError {
        throw EvaluationInputError(what: what, reason: describe(error))
    } catch {
        throw EvaluationInputError(what: what, reason: "\(error)")
    }
}

/// One line naming the JSON path, instead of DecodingError's multi-line dump.
private func describe(_ error: DecodingError) -> String {
    func path(_ context: DecodingError.Context) -> String {
        let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return keys.isEmpty ? "top level" : String(keys.drop(while: { $0 == "." }))
    }
    switch error {
    case .keyNotFound(let key, let context):
        return "missing key '\(key.stringValue)' at \(path(context))"
    case .typeMismatch(_, let context), .valueNotFound(_, let context):
        return "\(sentence(context.debugDescription)) at \(path(context))"
    case .dataCorrupted(let context):
        if context.codingPath.isEmpty { return "not valid JSON (\(sentence(context.debugDescription)))" }
        return "\(sentence(context.debugDescription)) at \(path(context))"
    @unknown default:
        return "\(error)"
    }
}

private func sentence(_ s: String) -> String {
    s.hasSuffix(".") ? String(s.dropLast()) : s
}
