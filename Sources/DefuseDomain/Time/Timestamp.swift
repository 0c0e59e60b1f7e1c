/// A moment in time: whole microseconds since 1970-01-01T00:00:00Z.
///
/// Durations in Defuse are exact (a day is 86,400 s), so plain integer arithmetic is the
/// right model; calendars only matter for quarters (UTC) and local due times (see `LocalTime`).
public struct Timestamp: Hashable, Comparable, Sendable {
    public var micros: Int64

    public init(micros: Int64) { self.micros = micros }
    public init(seconds: Int64) { self.micros = seconds * TimeSpan.microsPerSecond }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.micros < b.micros }

    public static func + (t: Timestamp, d: TimeSpan) -> Timestamp { Timestamp(micros: t.micros + d.micros) }
    public static func - (t: Timestamp, d: TimeSpan) -> Timestamp { Timestamp(micros: t.micros - d.micros) }
    public static func - (a: Timestamp, b: Timestamp) -> TimeSpan { TimeSpan(micros: a.micros - b.micros) }

    /// Whole seconds since the epoch, rounded down.
    public var unixSeconds: Int64 { micros >= 0 ? micros / TimeSpan.microsPerSecond : (micros - TimeSpan.microsPerSecond + 1) / TimeSpan.microsPerSecond }

    /// The UTC calendar date and time of day.
    public var utc: CivilDateTime { CivilDateTime(self) }

    /// The UTC calendar quarter, `year * 4 + (month - 1) / 3`, from the day alone (the rounds
    /// ask this of every answer; a whole date-time costs more).
    public var quarterIndex: Int {
        let perDay = Int64(86_400) * TimeSpan.microsPerSecond
        let days = micros >= 0 ? micros / perDay : (micros - perDay + 1) / perDay
        let (y, m, _) = CivilDate.fromDays(days)
        return y * 4 + (m - 1) / 3
    }
}

/// An exact span of time in microseconds.
public struct TimeSpan: Hashable, Comparable, Sendable {
    public static let microsPerSecond: Int64 = 1_000_000
    public var micros: Int64

    public init(micros: Int64) { self.micros = micros }
    public static func seconds(_ s: Int64) -> TimeSpan { TimeSpan(micros: s * microsPerSecond) }
    public static func minutes(_ m: Int64) -> TimeSpan { .seconds(m * 60) }
    public static func hours(_ h: Int64) -> TimeSpan { .seconds(h * 3600) }
    public static func days(_ d: Int64) -> TimeSpan { .seconds(d * 86_400) }
    /// Fractional days, as configured thresholds may be (`response_delay_days = 0.5`).
    public static func days(_ d: Double) -> TimeSpan { TimeSpan(micros: Int64((d * 86_400 * 1_000_000).rounded())) }

    public static func < (a: TimeSpan, b: TimeSpan) -> Bool { a.micros < b.micros }
    public static func + (a: TimeSpan, b: TimeSpan) -> TimeSpan { TimeSpan(micros: a.micros + b.micros) }

    public var days: Double { Double(micros) / 86_400_000_000 }
    public var seconds: Double { Double(micros) / 1_000_000 }
}
