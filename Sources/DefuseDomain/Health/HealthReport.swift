/// The daily early-warning report over every account (`health-rules.md`).
import Foundation

public struct HealthReport: Sendable {
    public struct Summary: Equatable, Sendable {
        public var red = 0, yellow = 0, green = 0, unheardSignals = 0
        public init(red: Int = 0, yellow: Int = 0, green: Int = 0, unheardSignals: Int = 0) {
            self.red = red; self.yellow = yellow; self.green = green; self.unheardSignals = unheardSignals
        }
    }

    public var asOf: Timestamp
    public var summary: Summary
    /// Every account, in report order: red, yellow, green; ARR descending; `account_id` by code point.
    public var accounts: [AccountHealth]
    public var thresholds: HealthThresholds

    /// The accounts the report lists: yellow and red, or all of them with `--level all`.
    public func listed(includeGreen: Bool) -> ArraySlice<AccountHealth> {
        includeGreen ? accounts[...] : accounts.prefix { $0.level != .green }
    }

    public static func build(_ histories: [AccountHistory], asOf: Timestamp, thresholds: HealthThresholds) -> HealthReport {
        var accounts = evaluateAll(histories, asOf: asOf, thresholds: thresholds)
        // Sort a permutation by precomputed keys, then apply it in place: moving 200,000 large
        // values while sorting costs more than the rules, and a sorted copy doubles the memory.
        let keys = accounts.map { (rank: $0.level == .red ? 0 : $0.level == .yellow ? 1 : 2, arr: $0.account.arrUSD) }
        let order = accounts.indices.sorted { a, b in
            if keys[a].rank != keys[b].rank { return keys[a].rank < keys[b].rank }
            if keys[a].arr != keys[b].arr { return keys[a].arr > keys[b].arr }
            return codePointOrder(accounts[a].account.id, accounts[b].account.id)
        }
        applyInPlace(order, to: &accounts)
        var summary = Summary()
        for a in accounts {
            switch a.level {
            case .red: summary.red += 1
            case .yellow: summary.yellow += 1
            case .green: summary.green += 1
            }
            if a.hasUnheardSignal { summary.unheardSignals += 1 }
        }
        return HealthReport(asOf: asOf, summary: summary, accounts: accounts, thresholds: thresholds)
    }

    static func evaluateAll(_ histories: [AccountHistory], asOf: Timestamp, thresholds: HealthThresholds) -> [AccountHealth] {
        TwoThreads.map(count: histories.count) { AccountHealth.evaluate(histories[$0], asOf: asOf, thresholds: thresholds) }
    }

    /// Rearranges `values` so that position k holds what was at `order[k]`, following cycles.
    static func applyInPlace<T>(_ order: [Int], to values: inout [T]) {
        var placed = [Bool](repeating: false, count: order.count)
        for start in order.indices where !placed[start] {
            var k = start
            while true {
                placed[k] = true
                let from = order[k]
                if from == start { break }
                values.swapAt(k, from)
                k = from
            }
        }
    }

}

/// Unicode code point order (UTF-8 byte order is the same), not Swift's canonical `<`.
public func codePointOrder(_ a: String, _ b: String) -> Bool {
    a.utf8.lexicographicallyPrecedes(b.utf8)
}
