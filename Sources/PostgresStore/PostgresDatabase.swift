import Foundation
import Logging
import PostgresNIO
import Store

/// A value bound to a `?` of a statement: the few types the store writes, nil included, so statements read as in
/// the SQLite store (`arguments: [id, page, nil]`).
protocol SQLArgument: Sendable {
    func bind(into bindings: inout PostgresBindings)
}

extension String: SQLArgument {
    func bind(into bindings: inout PostgresBindings) { bindings.append(self) }
}

extension Int: SQLArgument {
    func bind(into bindings: inout PostgresBindings) { bindings.append(Int64(self)) }
}

extension Int64: SQLArgument {
    func bind(into bindings: inout PostgresBindings) { bindings.append(self) }
}

extension Double: SQLArgument {
    func bind(into bindings: inout PostgresBindings) { bindings.append(self) }
}

extension Bool: SQLArgument {
    func bind(into bindings: inout PostgresBindings) { bindings.append(self) }
}

extension Optional: SQLArgument where Wrapped: SQLArgument {
    func bind(into bindings: inout PostgresBindings) {
        switch self {
        case .none: bindings.appendNull()
        case .some(let value): value.bind(into: &bindings)
        }
    }
}

typealias StatementArguments = [any SQLArgument]

/// One connection inside one transaction: what a store method's body runs its statements on.
struct PostgresDatabase: Sendable {
    let connection: PostgresConnection
    let logger: Logger

    /// `?` placeholders become `$1`, `$2`, ...: the statements are written once, in the SQLite store's style. No
    /// statement of the store holds a `?` inside a literal.
    static func query(_ sql: String, _ arguments: StatementArguments) -> PostgresQuery {
        var text = ""
        text.reserveCapacity(sql.utf8.count + 8)
        var index = 0
        for character in sql {
            if character == "?" {
                index += 1
                text += "$\(index)"
            } else {
                text.append(character)
            }
        }
        var bindings = PostgresBindings(capacity: arguments.count)
        for argument in arguments { argument.bind(into: &bindings) }
        return PostgresQuery(unsafeSQL: text, binds: bindings)
    }

    func execute(sql: String, arguments: StatementArguments = []) async throws {
        try await connection.query(Self.query(sql, arguments), logger: logger).consume()
    }

    /// Runs a statement with `RETURNING` (or a `SELECT`) and tells how many rows it gave: PostgreSQL's changes count.
    func changes(sql: String, arguments: StatementArguments = []) async throws -> Int {
        try await rows(sql: sql, arguments: arguments).count
    }

    func rows(sql: String, arguments: StatementArguments = []) async throws -> [PGRow] {
        var result: [PGRow] = []
        for try await row in try await connection.query(Self.query(sql, arguments), logger: logger) {
            result.append(PGRow(row.makeRandomAccess()))
        }
        return result
    }
}

extension PostgresRowSequence {
    /// Drains a result nobody reads, so the connection is free for the next statement.
    func consume() async throws {
        for try await _ in self {}
    }
}

/// A result row read by column name, as GRDB's `Row` is in the SQLite store: `row["id"]` (nil for SQL NULL) and
/// `try row.required("id")`.
struct PGRow: @unchecked Sendable {
    // @unchecked: PostgresRandomAccessRow holds ByteBuffers (value types, copy-on-write) and is only read.
    let row: PostgresRandomAccessRow

    init(_ row: PostgresRandomAccessRow) { self.row = row }

    /// Nil for SQL NULL, a missing column, or a value that does not decode as `T` (read loosely, as GRDB does).
    subscript<T: PostgresDecodable>(_ column: String) -> T? {
        guard row.contains(column) else { return nil }
        let cell = row[column]
        guard cell.bytes != nil else { return nil }
        return try? cell.decode(T.self)
    }

    func required<T: PostgresDecodable>(_ column: String) throws -> T {
        guard row.contains(column), row[column].bytes != nil else { throw StoreError.corrupt("column \(column) is null") }
        do {
            return try row[column].decode(T.self)
        } catch {
            throw StoreError.corrupt("column \(column) does not decode as \(T.self)")
        }
    }

    static func fetchAll(_ db: PostgresDatabase, sql: String, arguments: StatementArguments = []) async throws -> [PGRow] {
        try await db.rows(sql: sql, arguments: arguments)
    }

    static func fetchOne(_ db: PostgresDatabase, sql: String, arguments: StatementArguments = []) async throws -> PGRow? {
        try await db.rows(sql: sql, arguments: arguments).first
    }
}

extension PostgresDecodable where Self: Sendable {
    /// The first column of each row (`String.fetchAll(db, sql: "SELECT id ...")`).
    static func fetchAll(_ db: PostgresDatabase, sql: String, arguments: StatementArguments = []) async throws -> [Self] {
        try await db.rows(sql: sql, arguments: arguments).compactMap { row in
            let cell = row.row[0]
            return cell.bytes == nil ? nil : try cell.decode(Self.self)
        }
    }

    static func fetchOne(_ db: PostgresDatabase, sql: String, arguments: StatementArguments = []) async throws -> Self? {
        guard let row = try await db.rows(sql: sql, arguments: arguments).first else { return nil }
        let cell = row.row[0]
        return cell.bytes == nil ? nil : try cell.decode(Self.self)
    }
}

/// A PostgreSQL row as the shared record decoders read it (`StoredRecords`).
struct PostgresStoredRow: StoredRow {
    let row: PGRow

    init(_ row: PGRow) { self.row = row }

    func text(_ column: String) -> String? { row[column] }
    func integer(_ column: String) -> Int64? { row[column] }
    func real(_ column: String) -> Double? { row[column] }
}
