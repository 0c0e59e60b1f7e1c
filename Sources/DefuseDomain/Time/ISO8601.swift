/// Parsing and printing of the timestamps in `data-formats.md`, over raw UTF-8 bytes.
///
/// Accepted: `2026-03-05`, `2026-03-05T14:02:00Z`, `2026-03-05 14:02`, `...:00.123456`,
/// `...-05:00`, `...+0530`, `...+05`. No offset means UTC; a bare date means midnight UTC.
public enum ISO8601 {
    public static func parse(_ s: String) -> Timestamp? {
        var s = s
        return s.withUTF8 { parse(bytes: $0) }
    }

    public static func parse(bytes b: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        var i = 0
        let n = b.count
        @inline(__always) func digits(_ count: Int) -> Int? {
            guard i + count <= n else { return nil }
            var v = 0
            for k in 0..<count {
                let c = b[i + k]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            i += count
            return v
        }
        @inline(__always) func expect(_ c: UInt8) -> Bool {
            guard i < n, b[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), expect(45), let month = digits(2), expect(45), let day = digits(2) else { return nil }
        guard (1...12).contains(month), day >= 1, day <= CivilDate.daysInMonth(year: year, month: month) else { return nil }
        var micros = CivilDate.days(year: year, month: month, day: day) * 86_400 * TimeSpan.microsPerSecond
        if i == n { return Timestamp(micros: micros) }
        guard b[i] == 84 || b[i] == 116 || b[i] == 32 else { return nil } // T, t or space
        i += 1
        guard let hour = digits(2), hour < 24, expect(58), let minute = digits(2), minute < 60 else { return nil }
        var second = 0
        var fraction: Int64 = 0
        if expect(58) {
            guard let s = digits(2), s < 60 else { return nil }
            second = s
            if i < n, b[i] == 46 || b[i] == 44 { // . or ,
                i += 1
                var scale: Int64 = 100_000
                var any = false
                while i < n, b[i] >= 48, b[i] <= 57 {
                    fraction += Int64(b[i] - 48) * scale
                    scale /= 10
                    any = true
                    i += 1
                }
                guard any else { return nil }
            }
        }
        micros += (Int64(hour) * 3600 + Int64(minute) * 60 + Int64(second)) * TimeSpan.microsPerSecond + fraction
        if i == n { return Timestamp(micros: micros) }
        if b[i] == 90 || b[i] == 122 { // Z
            return i + 1 == n ? Timestamp(micros: micros) : nil
        }
        guard b[i] == 43 || b[i] == 45 else { return nil } // + or -
        let sign: Int64 = b[i] == 43 ? 1 : -1
        i += 1
        guard let oh = digits(2), oh <= 23 else { return nil }
        var om = 0
        if i < n {
            _ = expect(58)
            guard let m = digits(2), m < 60 else { return nil }
            om = m
        }
        guard i == n else { return nil }
        return Timestamp(micros: micros - sign * (Int64(oh) * 3600 + Int64(om) * 60) * TimeSpan.microsPerSecond)
    }

    /// A calendar date `YYYY-MM-DD` (commitment due dates).
    public static func parseDate(_ s: String) -> CalendarDate? {
        var s = s
        return s.withUTF8 { b -> CalendarDate? in
            guard b.count == 10, b[4] == 45, b[7] == 45 else { return nil }
            var v = [0, 0, 0]
            for (k, (from, to)) in [(0, 4), (5, 7), (8, 10)].enumerated() {
                for i in from..<to {
                    guard b[i] >= 48, b[i] <= 57 else { return nil }
                    v[k] = v[k] * 10 + Int(b[i] - 48)
                }
            }
            guard (1...12).contains(v[1]), v[2] >= 1, v[2] <= CivilDate.daysInMonth(year: v[0], month: v[1]) else { return nil }
            return CalendarDate(year: v[0], month: v[1], day: v[2])
        }
    }

    /// `2026-03-05T14:02:00Z`, with `.ffffff` only when the moment has a fraction.
    public static func format(_ t: Timestamp) -> String {
        withFormatted(t) { String(decoding: $0, as: UTF8.self) }
    }

    /// The text of `format` handed to `body` from the stack, for writers that copy it straight
    /// into their output (a long list formats hundreds of thousands).
    public static func withFormatted<R>(_ t: Timestamp, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let c = t.utc
        guard (0...9999).contains(c.year) else {
            var text = "\(c.year)-\(pad(c.month, 2))-\(pad(c.day, 2))T\(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2))Z"
            return text.withUTF8(body)
        }
        var tmp: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        return withUnsafeMutableBytes(of: &tmp) { raw in
            let b = raw.bindMemory(to: UInt8.self)
            func put(_ v: Int, _ at: Int, _ width: Int) {
                var v = v
                for k in stride(from: at + width - 1, through: at, by: -1) { b[k] = UInt8(48 + v % 10); v /= 10 }
            }
            put(c.year, 0, 4); b[4] = 45; put(c.month, 5, 2); b[7] = 45; put(c.day, 8, 2); b[10] = 84
            put(c.hour, 11, 2); b[13] = 58; put(c.minute, 14, 2); b[16] = 58; put(c.second, 17, 2)
            var n = 19
            if c.microsecond != 0 {
                b[19] = 46
                put(c.microsecond, 20, 6)
                n = 26
                while b[n - 1] == 48 { n -= 1 }
            }
            b[n] = 90
            return body(UnsafeBufferPointer(rebasing: b[0...n]))
        }
    }
}
