import Foundation
import Settings
import Testing

@Suite struct SettingsTests {
    /// No system config file: a path that can't exist.
    let noSystemConfig = "/nonexistent/fileroom.toml"

    @Test func defaultsWithoutAnyConfiguration() throws {
        let settings = try FileroomSettings.load(environment: [:], systemConfigPath: noSystemConfig)
        #expect(settings.home == "/var/lib/fileroom")
        #expect(settings.homeOrigin == .builtInDefault)
        #expect(settings.configFile == nil)
        #expect(settings.spool == "/var/lib/fileroom/spool")
        #expect(settings.database == "/var/lib/fileroom/fileroom.db")
        #expect(settings.workers == max(1, ProcessInfo.processInfo.activeProcessorCount))
        #expect(settings.settleSeconds == 2)
        #expect(settings.rescanSeconds == 30)
        #expect(settings.polling == false)
        #expect(settings.shutdownDeadlineSeconds == 30)
        #expect(settings.heartbeatSeconds == 60)
        #expect(settings.pages.maxFileBytes == 100 * 1024 * 1024)
        #expect(settings.pages.maxPages == 200)
        #expect(settings.pages.maxPixels == 40_000_000)
        #expect(settings.pages.maxSide == 20_000)
        #expect(settings.pages.renderDPI == 300)
        #expect(settings.pages.ocrPageTimeoutSeconds == 60)
        #expect(settings.ocr.languages == "eng")
        #expect(settings.ocr.tessdata == nil)
        #expect(settings.match.autoFileThreshold == 0.98)
        #expect(settings.match.reviewThreshold == 0.5)
        #expect(settings.log.format == .logfmt)
        #expect(settings.log.level == .info)
        #expect(settings.center.fax == nil)
    }

    @Test func flagBeatsEnvironmentBeatsFileBeatsDefault() async throws {
        try await withTemporaryFolder { folder in
            let config = folder + "/fileroom.toml"
            try write(
                """
                home = "\(folder)/from-file"
                workers = 3
                settle_seconds = 5
                rescan_seconds = 7

                [match]
                auto_file_threshold = 0.99
                review_threshold = 0.6
                """, to: config
            )
            let settings = try FileroomSettings.load(
                configFlag: config,
                environment: ["FILEROOM_WORKERS": "5", "FILEROOM_SETTLE_SECONDS": "9",
                              "FILEROOM_MATCH_AUTO_FILE_THRESHOLD": "0.995"],
                flags: ["workers": "7"],
                systemConfigPath: noSystemConfig
            )
            #expect(settings.configFile == config)
            #expect(settings.workers == 7)  // flag
            #expect(settings.settleSeconds == 9)  // environment
            #expect(settings.match.autoFileThreshold == 0.995)  // sectioned environment variable
            #expect(settings.rescanSeconds == 7)  // file
            #expect(settings.match.reviewThreshold == 0.6)  // file, sectioned
            #expect(settings.heartbeatSeconds == 60)  // default
            #expect(settings.home == folder + "/from-file")
            #expect(settings.homeOrigin == .configFile)
        }
    }

    @Test func homeFromFlagOrEnvironmentMovesEveryFolder() async throws {
        try await withTemporaryFolder { folder in
            let config = folder + "/fileroom.toml"
            try write(
                """
                home = "/srv/other"
                spool = "/srv/other/incoming"
                database = "/srv/other/db/fileroom.db"
                quarantine = "bad"
                """, to: config
            )
            let fromFile = try FileroomSettings.load(configFlag: config, environment: [:], systemConfigPath: noSystemConfig)
            #expect(fromFile.spool == "/srv/other/incoming")
            #expect(fromFile.quarantine == "/srv/other/bad")
            #expect(fromFile.database == "/srv/other/db/fileroom.db")

            let home = folder + "/demo"
            for settings in [
                try FileroomSettings.load(
                    configFlag: config, environment: ["FILEROOM_HOME": home], systemConfigPath: noSystemConfig),
                try FileroomSettings.load(
                    homeFlag: home, configFlag: config, environment: ["FILEROOM_HOME": "/elsewhere"],
                    systemConfigPath: noSystemConfig),
            ] {
                #expect(settings.home == home)
                #expect(settings.folders.allSatisfy { $0.hasPrefix(home + "/") })
                #expect(settings.spool == home + "/spool")
                #expect(settings.quarantine == home + "/quarantine")
                #expect(settings.database == home + "/fileroom.db")
            }
        }
    }

    @Test func configFileFromEnvironmentAndSystemPathButNeverCurrentFolder() async throws {
        try await withTemporaryFolder { folder in
            let system = folder + "/system.toml"
            try write("workers = 4\n", to: system)
            let other = folder + "/other.toml"
            try write("workers = 6\n", to: other)
            // A fileroom.toml in the current folder is never read.
            try write("workers = 9\n", to: folder + "/fileroom.toml")

            let viaSystem = try FileroomSettings.load(environment: [:], systemConfigPath: system, workingDirectory: folder)
            #expect(viaSystem.workers == 4)
            let viaEnvironment = try FileroomSettings.load(
                environment: ["FILEROOM_CONFIG": other], systemConfigPath: system, workingDirectory: folder)
            #expect(viaEnvironment.workers == 6)
            let viaFlag = try FileroomSettings.load(
                configFlag: system, environment: ["FILEROOM_CONFIG": other], systemConfigPath: noSystemConfig)
            #expect(viaFlag.workers == 4)
            let none = try FileroomSettings.load(environment: [:], systemConfigPath: noSystemConfig, workingDirectory: folder)
            #expect(none.configFile == nil)
            #expect(none.workers != 9)
        }
    }

    @Test func shippedConfigFileParsesToTheDefaults() throws {
        // config/fileroom.toml documents every key commented out: loading it must give the built-in defaults.
        let repoConfig = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("config/fileroom.toml").path
        let shipped = try FileroomSettings.load(configFlag: repoConfig, environment: [:], systemConfigPath: noSystemConfig)
        var expected = try FileroomSettings.load(environment: [:], systemConfigPath: noSystemConfig)
        expected.configFile = repoConfig
        #expect(shipped == expected)
        // And it mentions every key with its environment variable.
        let text = try String(contentsOfFile: repoConfig, encoding: .utf8)
        for key in FileroomSettings.knownKeys {
            let variable = FileroomSettings.environmentVariable(for: key)
            #expect(text.contains(variable), "config/fileroom.toml does not document \(variable)")
        }
    }

    @Test func errorsAreOneLineAndNameTheProblem() async throws {
        try await withTemporaryFolder { folder in
            let bad = folder + "/bad.toml"
            try write("workers = 2\nsettle_seconds = = 3\n", to: bad)
            #expect(throws: SettingsError.self) {
                try FileroomSettings.load(configFlag: bad, environment: [:], systemConfigPath: noSystemConfig)
            }
            do {
                _ = try FileroomSettings.load(configFlag: bad, environment: [:], systemConfigPath: noSystemConfig)
            } catch let error as SettingsError {
                guard case .badTOML(_, let line, _, _) = error else {
                    Issue.record("expected badTOML, got \(error)")
                    return
                }
                #expect(line == 2)
                #expect(!error.description.contains("\n"))
            }

            do {
                _ = try FileroomSettings.load(
                    environment: ["FILEROOM_WORKERS": "many"], systemConfigPath: noSystemConfig)
                Issue.record("a bad worker count was accepted")
            } catch let error as SettingsError {
                #expect(error.description.contains("workers"))
                #expect(error.description.contains("FILEROOM_WORKERS"))
            }

            let typo = folder + "/typo.toml"
            try write("[match]\nauto_file_treshold = 0.9\n", to: typo)
            #expect(throws: SettingsError.unknownKey(path: typo, key: "match.auto_file_treshold")) {
                try FileroomSettings.load(configFlag: typo, environment: [:], systemConfigPath: noSystemConfig)
            }
            #expect(throws: SettingsError.unreadableFile(path: folder + "/missing.toml", reason: "no such file")) {
                try FileroomSettings.load(
                    configFlag: folder + "/missing.toml", environment: [:], systemConfigPath: noSystemConfig)
            }
            #expect(throws: SettingsError.self) {
                try FileroomSettings.load(
                    environment: ["FILEROOM_MATCH_REVIEW_THRESHOLD": "1.5"], systemConfigPath: noSystemConfig)
            }
            #expect(throws: SettingsError.self) {
                try FileroomSettings.load(environment: ["FILEROOM_LOG_FORMAT": "xml"], systemConfigPath: noSystemConfig)
            }
        }
    }

    @Test func homeFoldersAreCreatedOwnerOnly() async throws {
        try await withTemporaryFolder { folder in
            let settings = try FileroomSettings.load(
                homeFlag: folder + "/home", environment: [:], systemConfigPath: noSystemConfig)
            try Home.prepare(settings)
            // The permission model: the documents folders are group-readable (setgid), everything else private.
            let shared = [settings.filed, settings.review, settings.unmatched]
            for path in [settings.home] + settings.folders {
                var info = stat()
                #expect(stat(path, &info) == 0)
                let mode = Int(info.st_mode & 0o7777)
                let expected = shared.contains(path) ? 0o2750 : 0o700
                #expect(mode == expected, "\(path) has mode \(String(mode, radix: 8))")
            }
            // Idempotent.
            try Home.prepare(settings)
            // A file where a folder should be is one clear error.
            try write("x", to: folder + "/file")
            #expect(throws: SettingsError.self) { try Home.ensureFolder(folder + "/file") }
        }
    }
}
