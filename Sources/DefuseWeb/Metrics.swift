import Foundation

/// Request counts and latencies per route, in the Prometheus text format.
final class Metrics: @unchecked Sendable {
    static let buckets: [Double] = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5]
    private struct Series { var count = 0; var sum = 0.0; var buckets = [Int](repeating: 0, count: Metrics.buckets.count) }
    private var byRoute: [String: Series] = [:]  // guarded by `lock`
    private let lock = NSLock()

    func observe(route: String, seconds: Double) {
        lock.withLock {
            var s = byRoute[route] ?? Series()
            s.count += 1
            s.sum += seconds
            for (i, b) in Self.buckets.enumerated() where seconds <= b { s.buckets[i] += 1 }
            byRoute[route] = s
        }
    }

    func render(_ gauges: (open: Int, breached: Int)) -> String {
        var out = "# HELP defuse_requests_total HTTP requests answered.\n# TYPE defuse_requests_total counter\n"
        let snapshot = lock.withLock { byRoute }
        for (route, s) in snapshot.sorted(by: { $0.key < $1.key }) { out += "defuse_requests_total{route=\"\(route)\"} \(s.count)\n" }
        out += "# HELP defuse_request_seconds Time to answer a request.\n# TYPE defuse_request_seconds histogram\n"
        for (route, s) in snapshot.sorted(by: { $0.key < $1.key }) {
            for (i, b) in Self.buckets.enumerated() { out += "defuse_request_seconds_bucket{route=\"\(route)\",le=\"\(b)\"} \(s.buckets[i])\n" }
            out += "defuse_request_seconds_bucket{route=\"\(route)\",le=\"+Inf\"} \(s.count)\n"
            out += "defuse_request_seconds_sum{route=\"\(route)\"} \(s.sum)\ndefuse_request_seconds_count{route=\"\(route)\"} \(s.count)\n"
        }
        out += "# HELP defuse_open_escalations Escalations not closed.\n# TYPE defuse_open_escalations gauge\ndefuse_open_escalations \(gauges.open)\n"
        out += "# HELP defuse_breached_clocks Clocks of open escalations past due and not met.\n# TYPE defuse_breached_clocks gauge\ndefuse_breached_clocks \(gauges.breached)\n"
        return out
    }
}
