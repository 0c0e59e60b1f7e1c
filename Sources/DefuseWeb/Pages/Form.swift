import Foundation

/// An `application/x-www-form-urlencoded` body.
struct Form {
    var values: [String: String] = [:]

    init(_ body: [UInt8]) {
        let text = String(decoding: body, as: UTF8.self)
        for pair in text.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.decode(kv[0])
            values[key] = kv.count > 1 ? Self.decode(kv[1]) : ""
        }
    }

    static func decode(_ s: Substring) -> String {
        s.replacing("+", with: " ").removingPercentEncoding ?? String(s)
    }

    subscript(_ key: String) -> String? {
        values[key].flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    }
}

/// At most `limit` failed logins per user name in `window` seconds.
final class LoginLimiter: @unchecked Sendable {
    private var failures: [String: [Double]] = [:]  // guarded by `lock`
    private let lock = NSLock()
    let limit = 10
    let window = 300.0

    func allowed(_ name: String, now: Double) -> Bool {
        lock.withLock { (failures[name] ?? []).filter { now - $0 < window }.count < limit }
    }

    func failed(_ name: String, now: Double) {
        lock.withLock { failures[name, default: []] = (failures[name] ?? []).filter { now - $0 < window } + [now] }
    }
}
