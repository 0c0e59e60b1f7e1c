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
    static func offset(_ zone: TimeZone, at seconds: Int64) -> Int64 {
        Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds))))
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
