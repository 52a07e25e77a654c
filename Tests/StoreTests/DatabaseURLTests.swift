import Foundation
import Settings
import Testing

/// `database_url` as libpq reads it, and `host_id`, through the settings' precedence.
@Suite struct DatabaseURLTests {
    let noSystemConfig = "/nonexistent/fileroom.toml"

    @Test func urlsParseAsLibpqReadsThem() throws {
        let tcp = try DatabaseURL.parse("postgresql://fileroom:s%40cret@db.example:6543/intake?sslmode=require").get()
        #expect(tcp.user == "fileroom")
        #expect(tcp.password == "s@cret")
        #expect(tcp.host == "db.example")
        #expect(tcp.socketDirectory == nil)
        #expect(tcp.port == 6543)
        #expect(tcp.database == "intake")
        #expect(tcp.sslMode == .require)
        // The password never shows in the description (logs, errors).
        #expect(!tcp.description.contains("s@cret"))
        #expect(try DatabaseURL.parse(tcp.secretURL).get() == tcp)

        let socket = try DatabaseURL.parse("postgres://fileroom@/intake?host=/run/postgresql").get()
        #expect(socket.host == nil)
        #expect(socket.socketPath == "/run/postgresql/.s.PGSQL.5432")
        #expect(socket.sslMode == .prefer)
        // No host at all: Debian's socket folder, as libpq does.
        #expect(try DatabaseURL.parse("postgresql://fileroom@/intake").get().socketDirectory == "/run/postgresql")
        // No database: the user's name.
        #expect(try DatabaseURL.parse("postgresql://fileroom@db:5432").get().database == "fileroom")
        #expect(try DatabaseURL.parse("postgresql://u@[::1]:5433/d").get().host == "::1")
    }

    @Test func badURLsAreRefusedWithWhatIsWrong() {
        #expect(throws: DatabaseURLError.scheme) { try DatabaseURL.parse("mysql://u@h/d").get() }
        #expect(throws: DatabaseURLError.badValue(key: "sslmode", value: "sometimes")) {
            try DatabaseURL.parse("postgresql://u@h/d?sslmode=sometimes").get()
        }
        #expect(throws: DatabaseURLError.unknownParameter("application")) {
            try DatabaseURL.parse("postgresql://u@h/d?application=x").get()
        }
    }

    @Test func databaseURLAndHostIDFollowThePrecedence() throws {
        let unset = try FileroomSettings.load(environment: [:], systemConfigPath: noSystemConfig)
        #expect(unset.databaseURL == nil)
        #expect(unset.hostID == ProcessInfo.processInfo.hostName)

        let environment = [
            "FILEROOM_DATABASE_URL": "postgresql://a@/one?host=/tmp", "FILEROOM_HOST_ID": "host-env",
        ]
        let fromEnvironment = try FileroomSettings.load(environment: environment, systemConfigPath: noSystemConfig)
        #expect(fromEnvironment.databaseURL?.database == "one")
        #expect(fromEnvironment.hostID == "host-env")

        let fromFlags = try FileroomSettings.load(
            environment: environment, flags: ["database_url": "postgresql://a@/two?host=/tmp", "host_id": "host-flag"],
            systemConfigPath: noSystemConfig
        )
        #expect(fromFlags.databaseURL?.database == "two")
        #expect(fromFlags.hostID == "host-flag")

        #expect(throws: SettingsError.self) {
            try FileroomSettings.load(environment: ["FILEROOM_DATABASE_URL": "postgresql://a:pw@h/d?sslmode=x"],
                                      systemConfigPath: noSystemConfig)
        }
        #expect(throws: SettingsError.self) {
            try FileroomSettings.load(environment: ["FILEROOM_HOST_ID": "a b/c"], systemConfigPath: noSystemConfig)
        }
    }
}
