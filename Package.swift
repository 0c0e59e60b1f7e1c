// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Defuse",
    products: [
        .executable(name: "defuse", targets: ["defuse"]),
    ],
    targets: [
        // C libraries from Debian, wrapped as system libraries (see STACK.md).
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CMicroHTTPD", pkgConfig: "libmicrohttpd", providers: [.apt(["libmicrohttpd-dev"])]),
        .systemLibrary(name: "CCmark", pkgConfig: "libcmark", providers: [.apt(["libcmark-dev"])]),
        .systemLibrary(name: "CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),

        // HTTP on libmicrohttpd: requests in, responses out; no routing here.
        .target(name: "DefuseHTTP", dependencies: ["CMicroHTTPD"]),
        // libcurl: SMTP mail (text + HTML) and webhook POSTs. No scheduling here.
        .target(name: "DefuseDelivery", dependencies: ["CCurl"]),
        // The scheduler and the outbox: what is due, who gets it, sending with retries.
        .target(name: "DefuseNotify", dependencies: ["DefuseDomain", "DefuseStore", "DefuseApp", "DefuseRender", "DefuseCrypto", "DefuseDelivery"]),
        // libsodium: password hashes, SHA-256, tokens.
        .target(name: "DefuseCrypto", dependencies: ["CSodium"]),
        // The pure domain: model, time arithmetic, health rules, thresholds. No I/O, no clock.
        .target(name: "DefuseDomain", exclude: ["Health/README.md"]),
        // RFC 4180 parsing over bytes.
        .target(name: "DefuseCSV"),
        // CSV exports -> validated domain records, with FILE:LINE: column: problem errors.
        .target(name: "DefuseImport", dependencies: ["DefuseDomain", "DefuseCSV"]),
        // The store protocol and its SQLite and PostgreSQL implementations.
        .target(name: "DefuseStore", dependencies: ["DefuseDomain", "CSQLite", "CLibPQ"]),
        // Report and account output: JSON, CSV, table, HTML.
        .target(name: "DefuseRender", dependencies: ["DefuseDomain", "CCmark"]),
        // Use cases shared by the CLI and the HTTP API: open, log, show, list, draft.
        .target(name: "DefuseApp", dependencies: ["DefuseDomain", "DefuseStore", "DefuseCrypto"]),
        // The web app and JSON API: routing, auth, roles, over DefuseHTTP.
        .target(name: "DefuseWeb", dependencies: ["DefuseHTTP", "DefuseApp", "DefuseRender", "DefuseImport", "DefuseStore", "DefuseCrypto", "DefuseDomain"]),
        // A seeded, realistic data set for `defuse demo` and the benchmarks.
        .target(name: "DefuseDemo", dependencies: ["DefuseDomain", "DefuseCSV"]),
        // The `defuse` commands, as a library so tests can run them in-process.
        .target(name: "DefuseCLI", dependencies: ["DefuseDomain", "DefuseImport", "DefuseStore", "DefuseRender", "DefuseCSV", "DefuseDemo", "DefuseApp", "DefuseCrypto", "DefuseWeb", "DefuseHTTP", "DefuseNotify"]),
        .executableTarget(name: "defuse", dependencies: ["DefuseCLI"]),

        .testTarget(name: "DefuseDomainTests", dependencies: ["DefuseDomain"]),
        .testTarget(name: "DefuseCSVTests", dependencies: ["DefuseCSV"]),
        .testTarget(name: "DefuseImportTests", dependencies: ["DefuseImport", "DefuseDomain"]),
        .testTarget(name: "DefuseStoreTests", dependencies: ["DefuseStore", "DefuseDomain", "DefuseImport"]),
        .testTarget(name: "DefuseWebTests", dependencies: ["DefuseWeb", "DefuseHTTP", "DefuseStore", "DefuseDomain", "DefuseCLI", "DefuseCrypto", "DefuseApp"]),
        .testTarget(name: "DefuseNotifyTests", dependencies: ["DefuseNotify", "DefuseDelivery", "DefuseApp", "DefuseStore", "DefuseDomain", "DefuseCrypto"]),
        .testTarget(name: "DefuseCLITests", dependencies: ["DefuseCLI", "DefuseDomain", "DefuseStore"],
                    exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
