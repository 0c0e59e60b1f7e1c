import Foundation

/// Wall-clock time per phase, printed to stderr when `DEFUSE_TIMINGS` is set (the bench reads it).
struct PhaseTimings {
    let enabled: Bool
    private var last = DispatchTime.now().uptimeNanoseconds
    private var laps: [(String, Double)] = []

    init(enabled: Bool) { self.enabled = enabled }

    mutating func lap(_ name: String) {
        guard enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        laps.append((name, Double(now - last) / 1e6))
        last = now
    }

    func report(_ ctx: Context) {
        guard enabled else { return }
        ctx.err("timings: " + laps.map { "\($0.0)=\(String(format: "%.0f", $0.1))ms" }.joined(separator: " ") + "\n")
    }
}
