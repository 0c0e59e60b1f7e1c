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

    /// The local calendar date of a moment.
    public static func date(of t: Timestamp, in zone: String) -> CalendarDate {
        let d = calendar(zone).dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(t.unixSeconds)))
        return CalendarDate(year: d.year ?? 1970, month: d.month ?? 1, day: d.day ?? 1)
    }

    /// The moment of `hour:minute` local on a date. In a DST gap the clock's next valid time.
    public static func moment(_ date: CalendarDate, hour: Int, minute: Int = 0, in zone: String) -> Timestamp {
        let comps = DateComponents(year: date.year, month: date.month, day: date.day, hour: hour, minute: minute)
        let d = calendar(zone).date(from: comps) ?? Date(timeIntervalSince1970: 0)
        return Timestamp(seconds: Int64(d.timeIntervalSince1970.rounded()))
    }

    /// `14:17` local.
    public static func clock(_ t: Timestamp, in zone: String) -> String {
        let d = calendar(zone).dateComponents([.hour, .minute], from: Date(timeIntervalSince1970: Double(t.unixSeconds)))
        return "\(pad(d.hour ?? 0, 2)):\(pad(d.minute ?? 0, 2))"
    }

    /// `Sat 7 Mar 17:00 EST`
    public static func describe(_ t: Timestamp, in zone: String) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: zone) ?? TimeZone(identifier: "UTC")
        f.dateFormat = "EEE d MMM HH:mm zzz"
        return f.string(from: Date(timeIntervalSince1970: Double(t.unixSeconds)))
    }
}
