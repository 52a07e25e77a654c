// swift-tools-version:6.0
import Foundation
import PackageDescription

/// Settings every Swift target shares: strict Swift 6 concurrency plus the upcoming features the
/// model server codebases enable, so the whole package reads the same way.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "fileroom",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "fileroom", targets: ["fileroom"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // C libraries from Debian, each through a module map and a shim header.
        .systemLibrary(
            name: "CTIFF",
            pkgConfig: "libtiff-4",
            providers: [.apt(["libtiff-dev"])]
        ),
        .systemLibrary(
            name: "CPoppler",
            pkgConfig: "poppler-glib",
            providers: [.apt(["libpoppler-glib-dev"])]
        ),
        // The page workers' sandbox (seccomp filter, rlimits, spawning); see its shim.h for the policy.
        .systemLibrary(
            name: "CSeccomp",
            pkgConfig: "libseccomp",
            providers: [.apt(["libseccomp-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .systemLibrary(
            name: "CTesseract",
            pkgConfig: "tesseract",
            providers: [.apt(["libtesseract-dev", "libleptonica-dev"])]
        ),

        // Images in the terminal (symbols, sixel, kitty, iTerm): the review screens draw where a field was read.
        .systemLibrary(
            name: "CChafa",
            pkgConfig: "chafa",
            providers: [.apt(["libchafa-dev"])]
        ),

        // Value types shared by the pipeline stages.
        .target(name: "FileroomModel", swiftSettings: swiftSettings),

        // Stage 1: files to page rasters or text layers (libtiff, poppler).
        .target(
            name: "Pages",
            dependencies: ["CTIFF", "CPoppler", "CZlib", "FileroomModel"],
            swiftSettings: swiftSettings
        ),
        // Stage 2: rasters to words with boxes and confidences (tesseract, leptonica).
        .target(
            name: "OCR",
            dependencies: ["CTesseract", "Pages", "FileroomModel"],
            swiftSettings: swiftSettings
        ),
        // Stages 1-2 in child processes: decoding and OCR under rlimits and seccomp, deaths attributed.
        .target(
            name: "PageWorkers",
            dependencies: [
                "CSeccomp", "Pages", "OCR", "FileroomModel", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Stage 3: page texts to documents with types and fields. Pure.
        .target(name: "Understanding", dependencies: ["FileroomModel"], swiftSettings: swiftSettings),
        // Stage 4: fields to a case decision. Pure.
        .target(name: "Matching", dependencies: ["FileroomModel"], swiftSettings: swiftSettings),
        // Home folder, config file, environment: every setting with its default and precedence.
        .target(
            name: "Settings",
            dependencies: ["FileroomModel", .product(name: "TOMLKit", package: "TOMLKit")],
            swiftSettings: swiftSettings
        ),
        // State: cases, sources, documents, queues, audit (SQLite through GRDB).
        .target(
            name: "Store",
            dependencies: [
                "FileroomModel",
                "Matching",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        // The same store on PostgreSQL (postgres-nio): several daemons on several hosts, leases instead of one process.
        .target(
            name: "PostgresStore",
            dependencies: [
                "FileroomModel",
                "Matching",
                "Store",
                "Settings",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The hand-off to the EHR: FHIR R4 DocumentReference and HL7 v2.5.1 MDM builders. Pure.
        .target(name: "Handoff", dependencies: ["FileroomModel"], swiftSettings: swiftSettings),
        // Ops metrics: swift-metrics instruments over a Prometheus registry, the node_exporter textfile, /metrics.
        .target(
            name: "Telemetry",
            dependencies: [
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        // The daemon: spool, claiming, state machine, workers, filing.
        .target(
            name: "Intake",
            dependencies: [
                "FileroomModel", "Pages", "OCR", "PageWorkers", "Understanding", "Matching", "Store", "Settings", "Telemetry",
                "Handoff", "PostgresStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Measuring against a labelled corpus: truth files, field normalization, scores. Pure.
        .target(name: "Evaluation", dependencies: ["FileroomModel"], swiftSettings: swiftSettings),
        // The staff desk: review, queue and correction actions with their rules (no terminal code). Files through
        // the daemon's one filing door and re-reads a source through its engine, so it depends on Intake.
        .target(
            name: "Review",
            dependencies: [
                "FileroomModel", "Pages", "Matching", "Settings", "Store", "Intake",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Every subcommand; the executable is a thin @main over it, and tests call it too.
        .target(
            name: "FileroomCommands",
            dependencies: [
                "FileroomModel", "Pages", "OCR", "PageWorkers", "Understanding", "Matching", "Store", "Intake", "Telemetry",
                "Settings", "Review", "Evaluation", "CChafa", "PostgresStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "fileroom", dependencies: ["FileroomCommands"], swiftSettings: swiftSettings),

        // Renders known text into fax TIFF and PDF fixtures (cairo, libtiff).
        .target(
            name: "TestSupport",
            dependencies: ["CTIFF", "CPoppler", "FileroomModel", "Pages"],
            swiftSettings: swiftSettings
        ),

        // Development tool: regenerates samples/ and probes the decoder on a folder of faxes.
        .executableTarget(
            name: "pages-tool",
            dependencies: ["Pages", "TestSupport", "FileroomModel"],
            path: "Sources/PagesTool",
            swiftSettings: swiftSettings
        ),

        .testTarget(name: "PagesTests", dependencies: ["Pages", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "OCRTests", dependencies: ["OCR", "Pages", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "PageWorkersTests",
            dependencies: [
                "PageWorkers", "Intake", "Pages", "OCR", "TestSupport", "FileroomModel", "Settings", "Store",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "UnderstandingTests", dependencies: ["Understanding"], swiftSettings: swiftSettings),
        .testTarget(name: "MatchingTests", dependencies: ["Matching"], swiftSettings: swiftSettings),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "FileroomModel"], swiftSettings: swiftSettings),
        .testTarget(name: "HandoffTests", dependencies: ["Handoff", "FileroomModel"], swiftSettings: swiftSettings),
        .testTarget(name: "TelemetryTests", dependencies: ["Telemetry"], swiftSettings: swiftSettings),
        .testTarget(
            name: "StoreTests",
            dependencies: [
                "Store", "PostgresStore", "Matching", "Settings", .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "IntakeTests",
            dependencies: [
                "Intake", "Store", "Settings", "TestSupport", "FileroomCommands", "FileroomModel", "Pages",
                "PageWorkers", "OCR", "Review",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The unseen-layout set (Sources/TestSupport/Layouts) read through the page stage and understanding.
        .testTarget(
            name: "LayoutTests",
            dependencies: ["TestSupport", "Pages", "OCR", "Understanding", "Evaluation", "Store", "FileroomModel"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CommandTests",
            dependencies: [
                "FileroomCommands", "Store", "TestSupport", "Intake", "Review", "Settings", "FileroomModel", "Pages",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)

// libFuzzer target for TIFF and PDF reading: only scripts/fuzz.sh builds it (FILEROOM_FUZZ=1, its own
// scratch path, -sanitize=fuzzer,address), because without libFuzzer's main it does not link.
if ProcessInfo.processInfo.environment["FILEROOM_FUZZ"] == "1" {
    package.targets.append(
        .executableTarget(name: "fuzz-pages", dependencies: ["Pages"], path: "Sources/FuzzPages", swiftSettings: swiftSettings)
    )
}
