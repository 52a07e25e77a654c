import Foundation

/// Where a PostgreSQL store lives: `postgresql://USER[:PASSWORD]@[HOST][:PORT]/DB[?host=SOCKET_DIR&sslmode=...]`
/// (`postgres://` too), as libpq reads it. Unset `database_url` means the SQLite file in the home.
public struct DatabaseURL: Sendable, Hashable, CustomStringConvertible {
    public enum SSLMode: String, Sendable, Hashable, CaseIterable {
        /// `disable`: plain text; `prefer` (libpq's default): TLS when the server offers it; `require`: TLS or no
        /// connection. `verify-ca` and `verify-full` also check the server's certificate against the system's roots.
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    public var user: String
    public var password: String?
    /// A host name or address for TCP; nil when `socketDirectory` is set.
    public var host: String?
    /// The folder holding the server's Unix socket (`?host=/run/postgresql`, or a host part starting with `/`).
    public var socketDirectory: String?
    public var port: Int
    public var database: String
    public var sslMode: SSLMode

    /// The socket file libpq would use: `<dir>/.s.PGSQL.<port>`.
    public var socketPath: String? { socketDirectory.map { "\($0)/.s.PGSQL.\(port)" } }

    /// The URL itself, password included, for a child process's environment (never for a log line).
    public var secretURL: String {
        func escape(_ part: String) -> String {
            part.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? part
        }
        var text = "postgresql://\(escape(user))\(password.map { ":" + escape($0) } ?? "")@\(host ?? ""):\(port)/\(escape(database))"
        var query: [String] = []
        if let socketDirectory { query.append("host=\(socketDirectory)") }
        query.append("sslmode=\(sslMode.rawValue)")
        text += "?" + query.joined(separator: "&")
        return text
    }

    /// The URL with the password replaced, for logs and error messages.
    public var description: String {
        var text = "postgresql://\(user)\(password == nil ? "" : ":***")@\(host ?? ""):\(port)/\(database)"
        var query: [String] = []
        if let socketDirectory { query.append("host=\(socketDirectory)") }
        query.append("sslmode=\(sslMode.rawValue)")
        text += "?" + query.joined(separator: "&")
        return text
    }

    public init(
        user: String, password: String? = nil, host: String? = nil, socketDirectory: String? = nil, port: Int = 5432,
        database: String, sslMode: SSLMode = .prefer
    ) {
        self.user = user
        self.password = password
        self.host = host
        self.socketDirectory = socketDirectory
        self.port = port
        self.database = database
        self.sslMode = sslMode
    }

    /// True for the two schemes that select PostgreSQL.
    public static func isPostgres(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Parses a URL; the error says what is wrong without echoing the password.
    public static func parse(_ text: String) -> Result<DatabaseURL, DatabaseURLError> {
        guard isPostgres(text) else { return .failure(.scheme) }
        guard let components = URLComponents(string: text) else { return .failure(.malformed) }
        // The user defaults as libpq's does: to the operating-system user.
        let user = components.percentEncodedUser.flatMap { $0.removingPercentEncoding } ?? currentUser()
        guard !user.isEmpty else { return .failure(.missing("user")) }
        let password = components.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
        var host = components.percentEncodedHost.flatMap { $0.removingPercentEncoding }.flatMap { $0.isEmpty ? nil : $0 }
        if let bracketed = host, bracketed.hasPrefix("["), bracketed.hasSuffix("]") {
            host = String(bracketed.dropFirst().dropLast())
        }
        var socketDirectory: String? = nil
        var sslMode = SSLMode.prefer
        var port = components.port ?? 5432
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "host":
                if value.hasPrefix("/") { socketDirectory = value } else if !value.isEmpty { host = value }
            case "port":
                guard let number = Int(value) else { return .failure(.badValue(key: "port", value: value)) }
                port = number
            case "sslmode":
                guard let mode = SSLMode(rawValue: value) else { return .failure(.badValue(key: "sslmode", value: value)) }
                sslMode = mode
            case "dbname", "user", "password":
                continue  // taken from the URL's own parts
            default:
                return .failure(.unknownParameter(item.name))
            }
        }
        if let named = host, named.hasPrefix("/") {
            socketDirectory = named
            host = nil
        }
        if socketDirectory != nil { host = nil }
        if host == nil && socketDirectory == nil {
            // libpq's default with no host: the Unix socket in /run/postgresql on Debian.
            socketDirectory = "/run/postgresql"
        }
        guard (1...65535).contains(port) else { return .failure(.badValue(key: "port", value: String(port))) }
        var database = components.percentEncodedPath
        while database.hasPrefix("/") { database.removeFirst() }
        database = database.removingPercentEncoding ?? database
        if database.isEmpty { database = user }
        guard !database.contains("/") else { return .failure(.badValue(key: "database", value: database)) }
        return .success(
            DatabaseURL(
                user: user, password: password, host: host, socketDirectory: socketDirectory, port: port,
                database: database, sslMode: sslMode
            )
        )
    }

    static func currentUser() -> String {
        ProcessInfo.processInfo.environment["USER"] ?? NSUserName()
    }
}

/// Why a `database_url` does not parse. Never carries the password.
public enum DatabaseURLError: Error, Equatable, Sendable, CustomStringConvertible {
    case scheme
    case malformed
    case missing(String)
    case badValue(key: String, value: String)
    case unknownParameter(String)

    public var description: String {
        switch self {
        case .scheme: "a PostgreSQL URL starting with postgres:// or postgresql://"
        case .malformed: "a URL of the form postgresql://USER[:PASSWORD]@[HOST][:PORT]/DB[?host=SOCKET_DIR&sslmode=...]"
        case .missing(let part): "a URL that names the \(part)"
        case .badValue(let key, let value): "a valid \(key) in the URL (not '\(value)')"
        case .unknownParameter(let name): "only host, port and sslmode parameters in the URL (not '\(name)')"
        }
    }
}
