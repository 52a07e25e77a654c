import Foundation
import TOMLKit

/// How log lines are written to stderr.
public enum LogFormat: String, Sendable, Hashable, CaseIterable {
    case logfmt
    case json
}

/// Log levels by their swift-log spelling (`Logger.Level(rawValue:)` takes them as they are).
public enum LogLevelSetting: String, Sendable, Hashable, CaseIterable {
    case trace, debug, info, notice, warning, error, critical
}

/// Where the home folder came from. A home from `--home` or `FILEROOM_HOME` puts every folder and the
/// database under it whatever the config file says, so a test or a demo never touches another installation.
public enum HomeOrigin: String, Sendable, Hashable {
    case flag
    case environment
    case configFile
    case builtInDefault
}

/// Limits and resolution of the page stage (`[pages]`).
public struct PagesSettings: Sendable, Hashable {
    public var maxFileBytes: Int = 100 * 1024 * 1024
    public var maxPages: Int = 200
    public var maxPixels: Int = 40_000_000
    public var maxSide: Int = 20_000
    public var renderDPI: Double = 300
    public var ocrPageTimeoutSeconds: Double = 60
    /// Where pages are decoded and OCR'd (`pages.isolation`): sandboxed worker processes, or the daemon itself.
    public var isolation: PageIsolation = .workers

    public init() {}
}

/// Where the daemon reads pages (`pages.isolation`).
public enum PageIsolation: String, Sendable, Hashable, CaseIterable {
    /// Child processes under resource limits and a seccomp filter; a file that kills one is attributed and,
    /// the second time, quarantined as poison. The default.
    case workers
    /// Threads of the daemon: no process start-up, but a file that crashes a decoder takes the daemon with it
    /// (for tests and measurements).
    case inProcess = "in-process"
}

/// Tesseract (`[ocr]`).
public struct OCRSettings: Sendable, Hashable {
    /// Tesseract's language string, e.g. `eng` or `eng+deu`.
    public var languages: String = "eng"
    /// Folder holding `<lang>.traineddata`; nil lets tesseract use its compiled-in default.
    public var tessdata: String?

    public init() {}
}

/// Matcher thresholds (`[match]`).
public struct MatchSettings: Sendable, Hashable {
    /// Probability at or above which a document that passes every hard rule is filed without a person.
    public var autoFileThreshold: Double = 0.98
    /// Probability at or above which a candidate is plausible enough for review rather than unmatched.
    public var reviewThreshold: Double = 0.5
    /// How far below the best another open case must stay for the best to be filed automatically.
    public var margin: Double = 0.2

    public init() {}
}

/// Logging (`[log]`).
public struct LogSettings: Sendable, Hashable {
    public var format: LogFormat = .logfmt
    public var level: LogLevelSetting = .info

    public init() {}
}

/// The receiving center (`[center]`), so its own MRN and fax number are recognised on documents.
public struct CenterSettings: Sendable, Hashable {
    public var name: String?
    /// 10 digits.
    public var fax: String?
    /// The URI of the center's MRN namespace (FHIR `Identifier.system`, e.g. `urn:oid:...`): how the EHR knows
    /// which patient a hand-off is about. Unset: MRNs are sent without a system.
    public var mrnSystem: String?

    public init() {}
}

/// How a filed document's attachment is named in the hand-off (`handoff.attachment`).
public enum HandoffAttachment: String, Sendable, Hashable, CaseIterable {
    /// A URL to the filed PDF (`handoff.base_url` + its path under the home, else a `file://` URL).
    case url
    /// The PDF's bytes, base64, inside the resource or message.
    case data
}

/// The hand-off to the EHR's interface engine (`[handoff]`): files an engine such as Mirth picks up.
public struct HandoffSettings: Sendable, Hashable {
    /// A FHIR R4 DocumentReference per filed document in `<outbox>/fhir/`.
    public var fhir: Bool = true
    /// An HL7 v2.5.1 MDM message per filed document in `<outbox>/hl7/`.
    public var hl7: Bool = false
    public var attachment: HandoffAttachment = .url
    /// Prefix of attachment URLs (the filed PDF's path under the home is appended); nil gives `file://` URLs.
    public var baseURL: String?

    public init() {}
}

/// Metrics (`[metrics]`): the textfile is always written; HTTP only when `listen` is set.
public struct MetricsSettings: Sendable, Hashable {
    /// `HOST:PORT` to serve `GET /metrics` on, e.g. `127.0.0.1:9464`; nil: no HTTP listener.
    public var listen: String?

    public init() {}
}

/// Every setting of an installation, resolved with the precedence of CONTRACTS.md:
/// flag > environment variable (`FILEROOM_<KEY>`) > config file > built-in default.
public struct FileroomSettings: Sendable, Hashable {
    /// Absolute path of the home folder.
    public var home: String
    public var homeOrigin: HomeOrigin
    /// The config file that was read, or nil when only built-in defaults apply.
    public var configFile: String?

    /// Absolute folder paths.
    public var spool: String
    public var work: String
    public var archive: String
    public var filed: String
    public var review: String
    public var unmatched: String
    public var quarantine: String
    /// The hand-off folder (`fhir/`, `hl7/` inside), which the EHR's interface engine reads.
    public var outbox: String
    /// Absolute path of the SQLite database file.
    public var database: String
    /// `database_url`: a PostgreSQL database shared by several daemons; nil means the SQLite file `database`.
    public var databaseURL: DatabaseURL?
    /// `host_id`: this daemon's name in leases (default: the host name); daemons sharing a database need distinct ones.
    public var hostID: String = ProcessInfo.processInfo.hostName
    /// The node_exporter textfile the daemon rewrites at each heartbeat: `<home>/metrics/fileroom.prom`.
    public var metricsFile: String

    public var workers: Int
    public var settleSeconds: Double = 2
    public var rescanSeconds: Double = 30
    public var polling: Bool = false
    public var shutdownDeadlineSeconds: Double = 30
    public var heartbeatSeconds: Double = 60

    public var pages = PagesSettings()
    public var ocr = OCRSettings()
    public var match = MatchSettings()
    public var log = LogSettings()
    public var center = CenterSettings()
    public var handoff = HandoffSettings()
    public var metrics = MetricsSettings()

    /// The built-in defaults for a home folder.
    public init(home: String, homeOrigin: HomeOrigin = .builtInDefault) {
        self.home = home
        self.homeOrigin = homeOrigin
        self.configFile = nil
        self.spool = home + "/spool"
        self.work = home + "/work"
        self.archive = home + "/archive"
        self.filed = home + "/filed"
        self.review = home + "/review"
        self.unmatched = home + "/unmatched"
        self.quarantine = home + "/quarantine"
        self.outbox = home + "/outbox"
        self.database = home + "/fileroom.db"
        self.metricsFile = home + "/metrics/fileroom.prom"
        self.workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    public static let defaultHome = "/var/lib/fileroom"
    public static let systemConfigPath = "/etc/fileroom/fileroom.toml"

    /// Every folder of the installation, in the order they are created.
    public var folders: [String] { [spool, work, archive, filed, review, unmatched, quarantine, outbox] }

    /// Loads the settings.
    /// - Parameters:
    ///   - homeFlag: `--home`, if given.
    ///   - configFlag: `--config`, if given.
    ///   - environment: the process environment (injected for tests).
    ///   - flags: command-line values of other settings, keyed as in the config file (`workers`,
    ///     `match.auto_file_threshold`); they win over everything else.
    ///   - systemConfigPath: the config file read when neither `--config` nor `FILEROOM_CONFIG` is given, if it exists.
    ///   - workingDirectory: relative `--home`, `--config` and folder values are resolved against it.
    public static func load(
        homeFlag: String? = nil,
        configFlag: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        flags: [String: String] = [:],
        systemConfigPath: String = FileroomSettings.systemConfigPath,
        workingDirectory: String = FileManager.default.currentDirectoryPath
    ) throws(SettingsError) -> FileroomSettings {
        func absolute(_ path: String) -> String {
            let expanded = path.hasPrefix("~/") ? NSHomeDirectory() + path.dropFirst(1) : path
            let joined = expanded.hasPrefix("/") ? expanded : workingDirectory + "/" + expanded
            return URL(fileURLWithPath: joined).standardizedFileURL.path
        }

        // The config file: --config > FILEROOM_CONFIG > the system file when it exists > none.
        var configPath: String?
        if let flag = nonEmpty(configFlag) {
            configPath = absolute(flag)
        } else if let env = nonEmpty(environment["FILEROOM_CONFIG"]) {
            configPath = absolute(env)
        } else if FileManager.default.fileExists(atPath: systemConfigPath) {
            configPath = systemConfigPath
        }
        var fileValues: [String: RawSetting] = [:]
        if let configPath {
            fileValues = try readConfigFile(configPath)
        }

        // The home folder: --home > FILEROOM_HOME > `home` in the file > the default.
        let home: String
        let origin: HomeOrigin
        if let flag = nonEmpty(homeFlag) {
            (home, origin) = (absolute(flag), .flag)
        } else if let env = nonEmpty(environment["FILEROOM_HOME"]) {
            (home, origin) = (absolute(env), .environment)
        } else if let raw = fileValues["home"] {
            (home, origin) = (absolute(try raw.string(key: "home")), .configFile)
        } else {
            (home, origin) = (defaultHome, .builtInDefault)
        }

        var settings = FileroomSettings(home: home, homeOrigin: origin)
        settings.configFile = configPath
        let resolver = Resolver(
            fileValues: fileValues, configPath: configPath, environment: environment, flags: flags,
            foldersFromHomeOnly: origin == .flag || origin == .environment
        )

        func folder(_ key: String, _ current: String) throws(SettingsError) -> String {
            guard let value = try resolver.string(key) else { return current }
            // Relative folder values live under the home folder, not the current folder.
            return value.hasPrefix("/") ? URL(fileURLWithPath: value).standardizedFileURL.path : home + "/" + value
        }
        settings.spool = try folder("spool", settings.spool)
        settings.work = try folder("work", settings.work)
        settings.archive = try folder("archive", settings.archive)
        settings.filed = try folder("filed", settings.filed)
        settings.review = try folder("review", settings.review)
        settings.unmatched = try folder("unmatched", settings.unmatched)
        settings.quarantine = try folder("quarantine", settings.quarantine)
        settings.outbox = try folder("outbox", settings.outbox)
        settings.database = try folder("database", settings.database)
        if let text = try resolver.string("database_url"), !text.isEmpty {
            switch DatabaseURL.parse(text) {
            case .success(let url): settings.databaseURL = url
            case .failure(let error):
                // The value is not echoed: it may hold a password.
                throw SettingsError.badValue(
                    key: "database_url", value: "(hidden)", origin: resolver.origin(of: "database_url"),
                    expected: error.description
                )
            }
        }
        if let host = try resolver.string("host_id"), !host.isEmpty {
            let valid = host.count <= 64
                && host.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0) }
            guard valid else {
                throw SettingsError.badValue(
                    key: "host_id", value: host, origin: resolver.origin(of: "host_id"),
                    expected: "1 to 64 letters, digits, '-', '_' or '.'"
                )
            }
            settings.hostID = host
        }

        settings.workers = try resolver.int("workers", in: 1...256) ?? settings.workers
        settings.settleSeconds = try resolver.double("settle_seconds", in: 0...3600) ?? settings.settleSeconds
        settings.rescanSeconds = try resolver.double("rescan_seconds", in: 0.1...86_400) ?? settings.rescanSeconds
        settings.polling = try resolver.bool("polling") ?? settings.polling
        settings.shutdownDeadlineSeconds =
            try resolver.double("shutdown_deadline_seconds", in: 0...3600) ?? settings.shutdownDeadlineSeconds
        settings.heartbeatSeconds = try resolver.double("heartbeat_seconds", in: 1...86_400) ?? settings.heartbeatSeconds

        var pages = settings.pages
        pages.maxFileBytes = try resolver.int("pages.max_file_bytes", in: 1...Int.max) ?? pages.maxFileBytes
        pages.maxPages = try resolver.int("pages.max_pages", in: 1...100_000) ?? pages.maxPages
        pages.maxPixels = try resolver.int("pages.max_pixels", in: 1...Int.max) ?? pages.maxPixels
        pages.maxSide = try resolver.int("pages.max_side", in: 1...1_000_000) ?? pages.maxSide
        pages.renderDPI = try resolver.double("pages.render_dpi", in: 50...1200) ?? pages.renderDPI
        pages.ocrPageTimeoutSeconds =
            try resolver.double("pages.ocr_page_timeout_seconds", in: 1...3600) ?? pages.ocrPageTimeoutSeconds
        pages.isolation = try resolver.choice("pages.isolation", PageIsolation.self) ?? pages.isolation
        settings.pages = pages

        if let languages = try resolver.string("ocr.languages") {
            let valid = !languages.isEmpty
                && languages.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "+_".unicodeScalars.contains($0) }
            guard valid else {
                throw SettingsError.badValue(
                    key: "ocr.languages", value: languages, origin: resolver.origin(of: "ocr.languages"),
                    expected: "tesseract languages such as eng or eng+deu"
                )
            }
            settings.ocr.languages = languages
        }
        if let tessdata = try resolver.string("ocr.tessdata"), !tessdata.isEmpty {
            settings.ocr.tessdata = absolute(tessdata)
        }

        settings.match.autoFileThreshold =
            try resolver.double("match.auto_file_threshold", in: 0...1) ?? settings.match.autoFileThreshold
        settings.match.reviewThreshold =
            try resolver.double("match.review_threshold", in: 0...1) ?? settings.match.reviewThreshold
        settings.match.margin = try resolver.double("match.margin", in: 0...1) ?? settings.match.margin
        if settings.match.reviewThreshold > settings.match.autoFileThreshold {
            throw SettingsError.badValue(
                key: "match.review_threshold", value: String(settings.match.reviewThreshold),
                origin: resolver.origin(of: "match.review_threshold"),
                expected: "at most match.auto_file_threshold (\(settings.match.autoFileThreshold))"
            )
        }

        settings.log.format = try resolver.choice("log.format", LogFormat.self) ?? settings.log.format
        settings.log.level = try resolver.choice("log.level", LogLevelSetting.self) ?? settings.log.level

        if let name = try resolver.string("center.name"), !name.isEmpty { settings.center.name = name }
        if let fax = try resolver.string("center.fax"), !fax.isEmpty {
            let digits = fax.filter(\.isASCIIDigit)
            let tenDigits = digits.count == 11 && digits.hasPrefix("1") ? String(digits.dropFirst()) : digits
            guard tenDigits.count == 10 else {
                throw SettingsError.badValue(
                    key: "center.fax", value: fax, origin: resolver.origin(of: "center.fax"),
                    expected: "a 10-digit fax number"
                )
            }
            settings.center.fax = tenDigits
        }
        if let system = try resolver.string("center.mrn_system"), !system.isEmpty {
            guard Self.isURI(system) else {
                throw SettingsError.badValue(
                    key: "center.mrn_system", value: system, origin: resolver.origin(of: "center.mrn_system"),
                    expected: "a URI such as urn:oid:2.16.840.1.113883.3.1234.1 or https://hospital.example/mrn"
                )
            }
            settings.center.mrnSystem = system
        }

        settings.handoff.fhir = try resolver.bool("handoff.fhir") ?? settings.handoff.fhir
        settings.handoff.hl7 = try resolver.bool("handoff.hl7") ?? settings.handoff.hl7
        settings.handoff.attachment =
            try resolver.choice("handoff.attachment", HandoffAttachment.self) ?? settings.handoff.attachment
        if let base = try resolver.string("handoff.base_url"), !base.isEmpty {
            guard Self.isURI(base) else {
                throw SettingsError.badValue(
                    key: "handoff.base_url", value: base, origin: resolver.origin(of: "handoff.base_url"),
                    expected: "a URL such as https://records.example/fileroom"
                )
            }
            settings.handoff.baseURL = base.hasSuffix("/") ? String(base.dropLast()) : base
        }
        if let listen = try resolver.string("metrics.listen"), !listen.isEmpty { settings.metrics.listen = listen }
        return settings
    }

    /// A scheme (`letter *(letter / digit / + - .)`) and a colon, no spaces: what FHIR's `uri` type accepts.
    static func isURI(_ text: String) -> Bool {
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex else { return false }
        let scheme = text[..<colon]
        return scheme.first?.isLetter == true && scheme.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }
            && !text.contains(where: \.isWhitespace) && text.index(after: colon) != text.endIndex
    }

    /// The environment variable of a setting: `FILEROOM_` + the key in capitals, sections joined by `_`
    /// (`match.auto_file_threshold` is `FILEROOM_MATCH_AUTO_FILE_THRESHOLD`).
    public static func environmentVariable(for key: String) -> String {
        "FILEROOM_" + key.replacingOccurrences(of: ".", with: "_").uppercased()
    }

    /// Every key the config file accepts, dotted for sectioned keys.
    public static let knownKeys: [String] = [
        "home", "spool", "work", "archive", "filed", "review", "unmatched", "quarantine", "outbox", "database",
        "database_url", "host_id",
        "workers", "settle_seconds", "rescan_seconds", "polling", "shutdown_deadline_seconds", "heartbeat_seconds",
        "pages.max_file_bytes", "pages.max_pages", "pages.max_pixels", "pages.max_side", "pages.render_dpi",
        "pages.ocr_page_timeout_seconds", "pages.isolation",
        "ocr.languages", "ocr.tessdata",
        "match.auto_file_threshold", "match.review_threshold", "match.margin",
        "log.format", "log.level",
        "center.name", "center.fax", "center.mrn_system",
        "handoff.fhir", "handoff.hl7", "handoff.attachment", "handoff.base_url",
        "metrics.listen",
    ]

    static let folderKeys: Set<String> = [
        "spool", "work", "archive", "filed", "review", "unmatched", "quarantine", "outbox", "database",
    ]

    private static func readConfigFile(_ path: String) throws(SettingsError) -> [String: RawSetting] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "not readable UTF-8 text" : "no such file"
            throw SettingsError.unreadableFile(path: path, reason: reason)
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw SettingsError.badTOML(
                path: path, line: error.source.begin.line, column: error.source.begin.column,
                message: error.description
            )
        } catch {
            throw SettingsError.badTOML(path: path, line: 0, column: 0, message: String(describing: error))
        }
        var values: [String: RawSetting] = [:]
        try flatten(table, prefix: "", path: path, into: &values)
        return values
    }

    private static func flatten(
        _ table: TOMLTable, prefix: String, path: String, into values: inout [String: RawSetting]
    ) throws(SettingsError) {
        for (key, value) in table {
            let dotted = prefix.isEmpty ? key : prefix + "." + key
            if let nested = value.table {
                try flatten(nested, prefix: dotted, path: path, into: &values)
                continue
            }
            guard knownKeys.contains(dotted) else { throw SettingsError.unknownKey(path: path, key: dotted) }
            let origin = "\(path) key \(dotted)"
            if let bool = value.bool {
                values[dotted] = RawSetting(value: .bool(bool), origin: origin)
            } else if let int = value.int {
                values[dotted] = RawSetting(value: .int(int), origin: origin)
            } else if let double = value.double {
                values[dotted] = RawSetting(value: .double(double), origin: origin)
            } else if let string = value.string {
                values[dotted] = RawSetting(value: .text(string), origin: origin)
            } else if let array = value.array {
                var strings: [String] = []
                for element in array {
                    guard let string = element.string else {
                        throw SettingsError.badValue(
                            key: dotted, value: value.debugDescription, origin: origin, expected: "a list of strings"
                        )
                    }
                    strings.append(string)
                }
                values[dotted] = RawSetting(value: .list(strings), origin: origin)
            } else {
                throw SettingsError.badValue(
                    key: dotted, value: value.debugDescription, origin: origin, expected: "a string, number or boolean"
                )
            }
        }
    }
}

private func nonEmpty(_ value: String?) -> String? {
    guard let value, !value.isEmpty else { return nil }
    return value
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

/// A value as it was written, before it is checked against the setting's type.
struct RawSetting: Sendable {
    enum Value: Sendable {
        case text(String)
        case int(Int)
        case double(Double)
        case bool(Bool)
        case list([String])
    }
    var value: Value
    /// "FILEROOM_WORKERS", "--workers", "/etc/fileroom/fileroom.toml key workers".
    var origin: String

    var display: String {
        switch value {
        case .text(let s): s
        case .int(let i): String(i)
        case .double(let d): String(d)
        case .bool(let b): String(b)
        case .list(let l): l.joined(separator: ",")
        }
    }

    func string(key: String) throws(SettingsError) -> String {
        switch value {
        case .text(let s): return s
        case .list(let l): return l.joined(separator: "+")
        default: throw SettingsError.badValue(key: key, value: display, origin: origin, expected: "a string")
        }
    }
}

/// Picks the winning value of each key: flag > environment > config file.
struct Resolver {
    var fileValues: [String: RawSetting]
    var configPath: String?
    var environment: [String: String]
    var flags: [String: String]
    var foldersFromHomeOnly: Bool

    func raw(_ key: String) -> RawSetting? {
        if let flag = flags[key] {
            return RawSetting(value: .text(flag), origin: "--" + key.replacingOccurrences(of: "_", with: "-"))
        }
        // With a home from --home or FILEROOM_HOME the folders are always the home's own.
        if foldersFromHomeOnly && FileroomSettings.folderKeys.contains(key) { return nil }
        let variable = FileroomSettings.environmentVariable(for: key)
        if let env = environment[variable], !env.isEmpty {
            return RawSetting(value: .text(env), origin: variable)
        }
        return fileValues[key]
    }

    func origin(of key: String) -> String { raw(key)?.origin ?? "default" }

    func string(_ key: String) throws(SettingsError) -> String? {
        guard let raw = raw(key) else { return nil }
        return try raw.string(key: key)
    }

    func int(_ key: String, in range: ClosedRange<Int>) throws(SettingsError) -> Int? {
        guard let raw = raw(key) else { return nil }
        let parsed: Int?
        switch raw.value {
        case .int(let i): parsed = i
        case .text(let s): parsed = Int(s.replacingOccurrences(of: "_", with: "").trimmingCharacters(in: .whitespaces))
        default: parsed = nil
        }
        guard let parsed, range.contains(parsed) else {
            throw SettingsError.badValue(
                key: key, value: raw.display, origin: raw.origin,
                expected: "a whole number from \(range.lowerBound) to \(range.upperBound)"
            )
        }
        return parsed
    }

    func double(_ key: String, in range: ClosedRange<Double>) throws(SettingsError) -> Double? {
        guard let raw = raw(key) else { return nil }
        let parsed: Double?
        switch raw.value {
        case .int(let i): parsed = Double(i)
        case .double(let d): parsed = d
        case .text(let s): parsed = Double(s.trimmingCharacters(in: .whitespaces))
        default: parsed = nil
        }
        guard let parsed, parsed.isFinite, range.contains(parsed) else {
            throw SettingsError.badValue(
                key: key, value: raw.display, origin: raw.origin,
                expected: "a number from \(range.lowerBound) to \(range.upperBound)"
            )
        }
        return parsed
    }

    func bool(_ key: String) throws(SettingsError) -> Bool? {
        guard let raw = raw(key) else { return nil }
        switch raw.value {
        case .bool(let b): return b
        case .text(let s):
            switch s.lowercased() {
            case "true", "1", "yes", "on": return true
            case "false", "0", "no", "off": return false
            default: break
            }
        default: break
        }
        throw SettingsError.badValue(key: key, value: raw.display, origin: raw.origin, expected: "true or false")
    }

    func choice<T: RawRepresentable & CaseIterable>(_ key: String, _ type: T.Type) throws(SettingsError) -> T?
    where T.RawValue == String {
        guard let raw = raw(key) else { return nil }
        if case .text(let s) = raw.value, let value = T(rawValue: s.lowercased()) { return value }
        throw SettingsError.badValue(
            key: key, value: raw.display, origin: raw.origin,
            expected: "one of " + T.allCases.map(\.rawValue).joined(separator: ", ")
        )
    }
}
