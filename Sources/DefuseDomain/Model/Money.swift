/// US dollars as people read them.
public enum Money {
    /// `1,234,567`: whole dollars with thousands separators.
    public static func grouped(_ v: Double) -> String {
        let whole = String(Int64(v.rounded()))
        var out = ""
        for (i, ch) in whole.reversed().enumerated() {
            if i > 0 && i % 3 == 0 && ch != "-" { out.append(",") }
            out.append(ch)
        }
        return String(out.reversed())
    }
}
