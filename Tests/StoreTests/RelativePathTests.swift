import FileroomModel
import Foundation
import GRDB
import Store
import Testing

/// Issue 14: paths inside the database are relative to the home; callers give and get absolute paths.
@Suite("paths relative to the home")
struct RelativePathTests {
    static func raw(_ database: String) throws -> [String?] {
        try DatabaseQueue(path: database).read { db in
            try String?.fetchAll(db, sql: "SELECT archive_path FROM sources ORDER BY id")
        }
    }

    @Test func pathsUnderTheHomeAreStoredRelativeAndGivenBackAbsolute() async throws {
        try await withTemporaryFolder { home in
            let store = try SQLiteStore(path: home + "/fileroom.db", home: home)
            _ = try await store.recordClaim(newSource("src_A"))
            _ = try await store.recordClaim(newSource("src_B"))
            try await store.setState("src_A", to: .decoded, archivePath: home + "/archive/ab/abc.pdf")
            try await store.setState("src_B", to: .decoded, archivePath: "/elsewhere/archive/x.pdf")
            #expect(try Self.raw(home + "/fileroom.db") == ["archive/ab/abc.pdf", "/elsewhere/archive/x.pdf"])
            #expect(try await store.source("src_A")?.archivePath == home + "/archive/ab/abc.pdf")
            #expect(try await store.source("src_B")?.archivePath == "/elsewhere/archive/x.pdf")

            // The same database opened in another home (a copy) resolves into that home.
            let moved = try SQLiteStore(path: home + "/fileroom.db", home: "/srv/copy")
            #expect(try await moved.source("src_A")?.archivePath == "/srv/copy/archive/ab/abc.pdf")
        }
    }

    @Test func absolutePathsWrittenBeforeAreMadeRelativeAtOpen() async throws {
        try await withTemporaryFolder { home in
            // Written the old way: no home, absolute paths.
            let old = try SQLiteStore(path: home + "/fileroom.db")
            _ = try await old.recordClaim(newSource("src_A"))
            try await old.setState("src_A", to: .decoded, archivePath: home + "/archive/ab/abc.pdf")
            #expect(try Self.raw(home + "/fileroom.db") == [home + "/archive/ab/abc.pdf"])

            let store = try SQLiteStore(path: home + "/fileroom.db", home: home + "/")
            #expect(try Self.raw(home + "/fileroom.db") == ["archive/ab/abc.pdf"])
            #expect(try await store.source("src_A")?.archivePath == home + "/archive/ab/abc.pdf")
        }
    }
}
