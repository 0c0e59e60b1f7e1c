import DefuseApp
import DefuseDomain
import DefuseNotify
import DefuseStore
import Foundation

func ts(_ s: String) -> Timestamp { ISO8601.parse(s) ?? Timestamp(micros: 0) }

/// The backends the scheduler and outbox tests run on: SQLite always; PostgreSQL when
/// `DEFUSE_TEST_POSTGRES` names a server (scripts/test sets it).
enum Backend: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgres
    var description: String { rawValue }
    static let postgresURL = ProcessInfo.processInfo.environment["DEFUSE_TEST_POSTGRES"]
    static let available: [Backend] = postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]
}

/// A fresh store (a SQLite file, or a new PostgreSQL database) with one account (Acme, Inc.,
/// New York, CSM kim@) and a manager, an exec and a viewer; removed afterwards.
final class Desk {
    let dir: String
    let location: String
    let store: Store
    var config: Configuration
    private var dropFrom: String?

    init(_ backend: Backend = .sqlite, zone: String = "America/New_York", configure: (inout Configuration) -> Void = { _ in }) throws {
        dir = NSTemporaryDirectory() + "defuse-notify-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        if backend == .postgres, let base = Backend.postgresURL {
            let name = "n_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            try PGConnection(url: base).exec("CREATE DATABASE \(name)")
            location = String(base[..<(base.lastIndex(of: "/") ?? base.endIndex)]) + "/" + name
            dropFrom = base
        } else {
            location = dir + "/test.db"
        }
        store = try openStore(location)
        var b = ImportBatch()
        b.accounts = [Account(id: "ACME", name: "Acme, Inc.", arrUSD: 50_000, csm: "kim@example.com", timeZone: zone)]
        _ = try store.apply(b)
        try store.saveUser(User(name: "lee", role: .manager, email: "lee@example.com"))
        try store.saveUser(User(name: "ann", role: .exec, email: "ann@example.com"))
        try store.saveUser(User(name: "vic", role: .viewer, email: "vic@example.com"))
        config = Configuration()
        config.notifications.smtpURL = "smtp://127.0.0.1:9"
        config.notifications.webhooks = [Webhook(name: "team", url: "http://127.0.0.1:9/hook", kind: .signed, secret: "s3cret")]
        configure(&config)
    }

    /// Another connection to the same data (a second worker, a restart).
    func another() throws -> Store { try openStore(location) }

    deinit {
        try? FileManager.default.removeItem(atPath: dir)
        if let base = dropFrom, let name = location.split(separator: "/").last {
            _ = try? PGConnection(url: base).exec("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        }
    }

    var escalations: Escalations { Escalations(store: store, config: config) }

    func open(at t: String, channel: String = "twitter", reach: Int? = nil) throws -> String {
        var f = ["channel": channel, "text": "Fix the exports or we post the thread"]
        if let reach { f["reach"] = "\(reach)" }
        return try escalations.open(accountID: "ACME", fields: f, at: nil, user: "kim", now: ts(t)).escalation.id
    }

    func log(_ id: String, _ event: String, at t: String, _ fields: [String: String] = [:], user: String = "kim", loggedAt: String? = nil) throws {
        _ = try escalations.log(id, event: event, fields: fields, at: ts(t), user: user, now: ts(loggedAt ?? t))
    }
}

/// Remembers what it was asked to deliver, and when; fails while `failing` is set.
final class Recorder: Transport, @unchecked Sendable {
    var delivered: [(at: Timestamp, key: String)] = []
    var messages: [OutboxMessage] = []
    var failing = false
    func deliver(_ message: OutboxMessage, at now: Timestamp) throws {
        if failing { throw DeliveryError("the receiver is down") }
        delivered.append((now, message.key))
        messages.append(message)
    }
    struct DeliveryError: Error, CustomStringConvertible { var description: String; init(_ d: String) { description = d } }
}
