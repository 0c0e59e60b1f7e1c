import DefuseDomain

/// Text for a terminal: display widths (East Asian wide characters take two columns),
/// one-line cells, and ANSI colour when the output is a TTY.
public enum Terminal {
    public static func width(_ s: String) -> Int {
        if isPlainASCII(s) { return s.utf8.count }
        return s.unicodeScalars.reduce(0) { $0 + scalarWidth($1) }
    }

    /// Printable ASCII only: one column per byte, nothing to clean (the common case, checked fast).
    static func isPlainASCII(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { u in u.allSatisfy { $0 >= 0x20 && $0 < 0x7F } }
    }

    static func scalarWidth(_ u: Unicode.Scalar) -> Int {
        let v = u.value
        if v < 0x20 || (0x300...0x36F).contains(v) || v == 0x200B { return 0 }
        if (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
            || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1FAFF).contains(v) || (0x20000...0x3FFFD).contains(v) {
            return 2
        }
        return 1
    }

    /// Control characters (line breaks in names, escape sequences) become spaces, so data
    /// can neither break a table's lines nor drive the terminal.
    public static func cell(_ s: String, max: Int = .max) -> String {
        if isPlainASCII(s) && s.utf8.count <= max { return s }
        var clean = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            clean.append((u.value < 0x20 || u.value == 0x7F || (0x80...0x9F).contains(u.value)) ? " " : u)
        }
        guard width(String(clean)) > max else { return String(clean) }
        var out = String.UnicodeScalarView()
        var w = 0
        for u in clean {
            let cw = scalarWidth(u)
            if w + cw > max - 1 { break }
            out.append(u)
            w += cw
        }
        return String(out) + "…"
    }

    public static func padRight(_ s: String, _ n: Int) -> String {
        let w = width(s)
        return w >= n ? s : s + String(repeating: " ", count: n - w)
    }

    public static func padLeft(_ s: String, _ n: Int) -> String {
        let w = width(s)
        return w >= n ? s : String(repeating: " ", count: n - w) + s
    }

    public enum Colour: String { case red = "31", yellow = "33", green = "32", dim = "2", bold = "1" }

    public static func paint(_ s: String, _ c: Colour, enabled: Bool) -> String {
        enabled ? "\u{1B}[\(c.rawValue)m\(s)\u{1B}[0m" : s
    }

    /// `1,234,567`
    public static func grouped(_ v: Double) -> String { Money.grouped(v) }

    /// A table: header plus rows, each column padded to its widest cell; `rightAligned` columns by index.
    public static func table(_ header: [String], _ rows: [[String]], rightAligned: Set<Int> = []) -> [String] {
        var widths = header.map(width)
        for r in rows { for (i, c) in r.enumerated() where i < widths.count { widths[i] = Swift.max(widths[i], width(c)) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in rightAligned.contains(i) ? padLeft(c, widths[i]) : padRight(c, widths[i]) }
                .joined(separator: "  ").trimmingTrailingSpaces()
        }
        return [line(header)] + rows.map(line)
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
