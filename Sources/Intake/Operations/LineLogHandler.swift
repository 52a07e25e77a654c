import Foundation
import Logging

/// One log line per event on standard error, for journald: logfmt by default, JSON Lines by option.
///
/// journald adds its own timestamp, but a line piped elsewhere still needs one, so `ts` is always written.
public struct LineLogHandler: LogHandler {
    public enum Format: String, Sendable, CaseIterable {
        case logfmt
        case json
    }

    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let format: Format
    private let sink: @Sendable (String) -> Void
    /// Prefix each line with its syslog priority (`<3>` error ... `<7>` debug), as sd-daemon(3) describes, so
    /// `journalctl -p warning` finds the warnings. On when standard error is the journal (`JOURNAL_STREAM`).
    private let syslogPriority: Bool

    public init(
        label: String, format: Format, level: Logger.Level, syslogPriority: Bool = false,
        sink: @escaping @Sendable (String) -> Void = LineLogHandler.standardError
    ) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.syslogPriority = syslogPriority
        self.sink = sink
    }

    /// The syslog priority journald reads from a `<N>` prefix.
    static func syslogPriority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    /// True when standard error is connected to the journal: `JOURNAL_STREAM` holds the device and inode of that
    /// stream (systemd.exec(5)), so a redirected stderr of a unit's child is told apart.
    public static func standardErrorIsJournal(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        guard let stream = environment["JOURNAL_STREAM"] else { return false }
        let parts = stream.split(separator: ":")
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var info = stat()
        guard fstat(2, &info) == 0 else { return false }
        return UInt64(info.st_dev) == device && UInt64(info.st_ino) == inode
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let timestamp = Self.timestamp()
        let line: String
        switch format {
        case .logfmt:
            var parts = ["ts=\(timestamp)", "level=\(event.level)", "msg=\(Self.logfmtValue(event.message.description))"]
            for key in merged.keys.sorted() {
                parts.append("\(key)=\(Self.logfmtValue(Self.flatten(merged[key]!)))")
            }
            line = parts.joined(separator: " ")
        case .json:
            var object: [String: String] = ["ts": timestamp, "level": "\(event.level)", "msg": event.message.description]
            for (key, value) in merged { object[key] = Self.flatten(value) }
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
            line = String(decoding: data, as: UTF8.self)
        }
        sink(syslogPriority ? "<\(Self.syslogPriority(event.level))>" + line : line)
    }

    public static let standardError: @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    static func flatten(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let s): s
        case .stringConvertible(let c): c.description
        case .array(let items): items.map(flatten).joined(separator: ",")
        case .dictionary(let dict): dict.keys.sorted().map { "\($0):\(flatten(dict[$0]!))" }.joined(separator: ",")
        }
    }

    static func logfmtValue(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.contains { $0 == " " || $0 == "=" || $0 == "\"" || $0.isNewline }
        guard needsQuotes else { return value }
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
        return "\"\(escaped)\""
    }

    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = time_t(now.tv_sec)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let millis = Int(now.tv_nsec) / 1_000_000
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
            Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), millis
        )
    }
}
