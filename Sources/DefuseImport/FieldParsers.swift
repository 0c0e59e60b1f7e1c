/// Number parsers over raw field bytes, stricter than `Double(_:)`: plain decimals only.
enum FieldParsers {
    /// `120000`, `120000.50`, `-3`, `.5`; no exponent, no thousands separators, no currency sign.
    static func decimal(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        var i = 0
        var negative = false
        if i < b.count, b[i] == 43 || b[i] == 45 { negative = b[i] == 45; i += 1 }
        var intPart: Double = 0
        var digits = 0
        while i < b.count, b[i] >= 48, b[i] <= 57 { intPart = intPart * 10 + Double(b[i] - 48); i += 1; digits += 1 }
        var value = intPart
        if i < b.count, b[i] == 46 {
            i += 1
            var scale = 0.1
            var frac: Double = 0
            var fracDigits = 0
            while i < b.count, b[i] >= 48, b[i] <= 57 { frac += Double(b[i] - 48) * scale; scale /= 10; i += 1; fracDigits += 1 }
            if fracDigits > 0 {
                // Re-parse exactly so that 0.1-style values round like Double("0.1").
                value = Double(String(decoding: b, as: UTF8.self)).map { abs($0) } ?? (intPart + frac)
            }
            digits += fracDigits
        }
        guard digits > 0, i == b.count, digits <= 30 else { return nil }
        return negative ? -value : value
    }

    /// A whole number, allowing a zero fraction: `7`, `7.0`, `7.00`; not `7.5`.
    static func wholeNumber(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let d = decimal(b), d.rounded() == d, abs(d) < 1e15 else { return nil }
        return Int(d)
    }
}
