import Foundation
import Synchronization

/// Wall-clock times in an account's IANA zone (DST-aware, from the toolchain's tz data).
public enum LocalTime {
    /// Building a Calendar and a TimeZone costs more than the arithmetic: one per zone, kept.
    private static let calendars = Mutex<[String: Calendar]>([:])

    static func calendar(_ zone: String) -> Calendar {
        calendars.withLock { cache in
            if let c = cache[zone] { return c }
            var c = Calendar(identifier: .gregorian)
            c.timeZone = TimeZone(identifier: zone) ?? TimeZone(identifier: "UTC") ?? .current
            cache[zone] = c
            return c
        }
    }

    /// The zone's offset from UTC at a moment, in seconds.
    static func offset(_ zone: TimeZone, at seconds: Int64) -> Int64 { rules(zone).offset(at: seconds) }

    /// The zone's transitions, read once from the tz data: a list of escalations asks for
    /// offsets hundreds of thousands of times, and the tz data answers in about a microsecond.
    public static func rules(_ zone: TimeZone) -> ZoneRules {
        if let hit = ruleCache.withLock({ $0[zone.identifier] }) { return hit }
        let built = ZoneRules(zone)
        ruleCache.withLock { $0[zone.identifier] = built }
        return built
    }

    /// By the zone's name: one lookup (every fold of a long list asks for its account's zone).
    public static func rules(_ id: String) -> ZoneRules {
        if let hit = rulesByName.withLock({ $0[id] }) { return hit }
        let built = rules(zone(id))
        rulesByName.withLock { $0[id] = built }
        return built
    }

    private static let rulesByName = Mutex<[String: ZoneRules]>([:])

    private static let ruleCache = Mutex<[String: ZoneRules]>([:])

    public static func date(of t: Timestamp, in rules: ZoneRules) -> CalendarDate {
        CalendarDate(utcOf: Timestamp(seconds: t.unixSeconds + rules.offset(at: t.unixSeconds)))
    }

    public static func moment(_ date: CalendarDate, hour: Int, minute: Int = 0, in rules: ZoneRules) -> Timestamp {
        let wall = date.daysSinceEpoch * 86_400 + Int64(hour * 3600 + minute * 60)
        let first = wall - rules.offset(at: wall)
        let second = wall - rules.offset(at: first)
        return Timestamp(seconds: rules.offset(at: second) == rules.offset(at: first) ? second : max(first, second))
    }

    /// The zone itself, for callers that convert many times (one lookup instead of many).
    public static func zone(_ id: String) -> TimeZone { calendar(id).timeZone }

    /// The local calendar date of a moment.
    public static func date(of t: Timestamp, in zone: String) -> CalendarDate { date(of: t, in: self.zone(zone)) }

    public static func date(of t: Timestamp, in zone: TimeZone) -> CalendarDate {
        CalendarDate(utcOf: Timestamp(seconds: t.unixSeconds + offset(zone, at: t.unixSeconds)))
    }

    /// The moment of `hour:minute` local on a date: the wall time less the offset in force
    /// then (found in two steps, since the offset depends on the moment). In a DST gap, the
    /// wall time as the earlier offset reads it.
    public static func moment(_ date: CalendarDate, hour: Int, minute: Int = 0, in zone: String) -> Timestamp {
        moment(date, hour: hour, minute: minute, in: self.zone(zone))
    }

    public static func moment(_ date: CalendarDate, hour: Int, minute: Int = 0, in zone: TimeZone) -> Timestamp {
        let wall = date.daysSinceEpoch * 86_400 + Int64(hour * 3600 + minute * 60)
        let first = wall - offset(zone, at: wall)
        let second = wall - offset(zone, at: first)
        return Timestamp(seconds: offset(zone, at: second) == offset(zone, at: first) ? second : max(first, second))
    }


    private final class Formatters: @unchecked Sendable { var byZone: [String: DateFormatter] = [:] }
    private static let formatters = Mutex(Formatters())

    /// `Sat 7 Mar 17:00 EST`
    public static func describe(_ t: Timestamp, in zone: String) -> String {
        formatters.withLock { cache in
            let f = cache.byZone[zone] ?? {
                let f = DateFormatter()
                f.locale = Locale(identifier: "en_US_POSIX")
                f.timeZone = TimeZone(identifier: zone) ?? TimeZone(identifier: "UTC")
                f.dateFormat = "EEE d MMM HH:mm zzz"
                cache.byZone[zone] = f
                return f
            }()
            return f.string(from: Date(timeIntervalSince1970: Double(t.unixSeconds)))
        }
    }
}

/// One zone's offsets between 1990 and 2060 as a list of transitions (outside it, the tz data
/// is asked each time). Immutable once built, so folds on several threads share it freely.
public final class ZoneRules: Sendable {
    let zone: TimeZone
    private let transitions: [Int64]
    private let offsets: [Int64]
    static let window: ClosedRange<Int64> = 631_152_000...2_840_140_800  // 1990-01-01 to 2060-01-01

    init(_ zone: TimeZone) {
        self.zone = zone
        var at = Self.window.lowerBound
        var transitions = [at]
        var offsets = [Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(at))))]
        while let next = zone.nextDaylightSavingTimeTransition(after: Date(timeIntervalSince1970: Double(at))) {
            let t = Int64(next.timeIntervalSince1970.rounded(.down))
            guard t > at, t < Self.window.upperBound, transitions.count < 1000 else { break }
            transitions.append(t)
            offsets.append(Int64(zone.secondsFromGMT(for: next)))
            at = t
        }
        self.transitions = transitions
        self.offsets = offsets
    }

    public func offset(at t: Int64) -> Int64 {
        guard Self.window.contains(t) else { return Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(t)))) }
        var lo = 0, hi = transitions.count
        while lo < hi { let mid = (lo + hi) / 2; if transitions[mid] <= t { lo = mid + 1 } else { hi = mid } }
        return offsets[max(lo - 1, 0)]
    }
}
