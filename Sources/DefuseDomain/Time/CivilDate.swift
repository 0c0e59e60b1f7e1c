/// A proleptic Gregorian date and time of day in UTC, derived from a `Timestamp`.
public struct CivilDateTime: Hashable, Sendable {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int
    public var microsecond: Int

    public init(_ t: Timestamp) {
        let perDay = Int64(86_400) * TimeSpan.microsPerSecond
        var days = t.micros / perDay
        var rem = t.micros % perDay
        if rem < 0 { rem += perDay; days -= 1 }
        (year, month, day) = CivilDate.fromDays(days)
        let secs = rem / TimeSpan.microsPerSecond
        hour = Int(secs / 3600)
        minute = Int(secs / 60 % 60)
        second = Int(secs % 60)
        microsecond = Int(rem % TimeSpan.microsPerSecond)
    }

    /// The calendar quarter as one increasing number: `year * 4 + (month - 1) / 3`.
    public var quarterIndex: Int { year * 4 + (month - 1) / 3 }
}

/// Calendar arithmetic on days since 1970-01-01 (H. Hinnant's civil-from-days algorithms).
public enum CivilDate {
    public static func days(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func fromDays(_ z0: Int64) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return (Int(y), Int(m), Int(d))
    }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

/// A calendar date without time or zone (commitment due dates, renewal dates).
public struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) { self.year = year; self.month = month; self.day = day }
    public init(utcOf t: Timestamp) { let c = t.utc; self.init(year: c.year, month: c.month, day: c.day) }

    public var daysSinceEpoch: Int64 { CivilDate.days(year: year, month: month, day: day) }
    public func adding(days n: Int) -> CalendarDate {
        let (y, m, d) = CivilDate.fromDays(daysSinceEpoch + Int64(n))
        return CalendarDate(year: y, month: m, day: d)
    }
    public static func < (a: CalendarDate, b: CalendarDate) -> Bool { a.daysSinceEpoch < b.daysSinceEpoch }
    public var description: String { "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))" }
}

@inline(__always) func pad(_ v: Int, _ width: Int) -> String {
    let s = String(v)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}
