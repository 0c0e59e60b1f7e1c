import DefuseDomain
import Foundation

/// The board's report, computed at most once a minute: over 200,000 accounts the report takes
/// seconds, the board must answer in milliseconds, and a health report a minute old is as good
/// as a fresh one. Imports through this server clear it at once; the API always computes anew.
final class ReportCache: @unchecked Sendable {
    static let maxAge: UInt64 = 60 * 1_000_000_000
    private var entry: (report: HealthReport, madeAt: UInt64)?  // guarded by `lock`
    private let lock = NSLock()

    func report(_ compute: () throws -> HealthReport) rethrows -> HealthReport {
        try lock.withLock {
            let now = DispatchTime.now().uptimeNanoseconds
            if let e = entry, now - e.madeAt < Self.maxAge { return e.report }
            let r = try compute()
            entry = (r, DispatchTime.now().uptimeNanoseconds)
            return r
        }
    }

    func clear() { lock.withLock { entry = nil } }
}
