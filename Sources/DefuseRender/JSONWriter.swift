/// A streaming JSON writer: no intermediate tree, so a 200,000-account report costs one
/// string. Objects and arrays nested deeper than `inlineDepth` are written on one line.
public struct JSONWriter {
    public private(set) var output = ""
    private var stack: [(isFirst: Bool, inline: Bool)] = []
    private var afterKey = false
    public var inlineDepth: Int

    public init(inlineDepth: Int = 2, reserve: Int = 0) {
        self.inlineDepth = inlineDepth
        output.reserveCapacity(reserve)
    }

    private mutating func beforeValue() {
        if afterKey { afterKey = false; return }
        separate()
    }

    private mutating func separate() {
        guard !stack.isEmpty else { return }
        let top = stack[stack.count - 1]
        if !top.isFirst { output += top.inline ? ", " : "," }
        stack[stack.count - 1].isFirst = false
        if !top.inline {
            output += "\n"
            output += String(repeating: "  ", count: stack.count)
        }
    }

    private mutating func open(_ bracket: String) {
        beforeValue()
        output += bracket
        let inline = stack.count >= inlineDepth || (stack.last?.inline ?? false)
        stack.append((true, inline))
    }

    private mutating func close(_ bracket: String) {
        let top = stack.removeLast()
        if !top.inline && !top.isFirst {
            output += "\n"
            output += String(repeating: "  ", count: stack.count)
        }
        output += bracket
        if stack.isEmpty { output += "\n" }
    }

    public mutating func beginObject() { open("{") }
    public mutating func endObject() { close("}") }
    public mutating func beginArray() { open("[") }
    public mutating func endArray() { close("]") }

    public mutating func key(_ k: String) {
        separate()
        Self.appendQuoted(k, to: &output)
        output += ": "
        afterKey = true
    }

    public mutating func string(_ s: String?) {
        beforeValue()
        if let s { Self.appendQuoted(s, to: &output) } else { output += "null" }
    }

    public mutating func bool(_ b: Bool) { beforeValue(); output += b ? "true" : "false" }
    public mutating func null() { beforeValue(); output += "null" }
    public mutating func int(_ i: Int?) { beforeValue(); output += i.map(String.init) ?? "null" }

    /// Whole numbers print without a fraction; others in the shortest form that round-trips,
    /// padded to `minFractionDigits`.
    public mutating func number(_ d: Double?, minFractionDigits: Int = 0) {
        beforeValue()
        guard let d, d.isFinite else { output += "null"; return }
        output += Self.format(d, minFractionDigits: minFractionDigits)
    }

    public static func format(_ d: Double, minFractionDigits: Int = 0) -> String {
        var s: String
        if d == d.rounded(), abs(d) < 1e15 {
            s = String(Int64(d))
            if minFractionDigits > 0 { s += "." + String(repeating: "0", count: minFractionDigits) }
            return s
        }
        s = "\(d)"
        if s.contains("e") { return s }
        if let dot = s.firstIndex(of: ".") {
            let have = s.distance(from: dot, to: s.endIndex) - 1
            if have < minFractionDigits { s += String(repeating: "0", count: minFractionDigits - have) }
        }
        return s
    }

    // Convenience for `key` + value.
    public mutating func field(_ k: String, _ v: String?) { key(k); string(v) }
    public mutating func field(_ k: String, _ v: Int?) { key(k); int(v) }
    public mutating func field(_ k: String, _ v: Bool) { key(k); bool(v) }
    public mutating func field(_ k: String, number v: Double?, minFractionDigits: Int = 0) { key(k); number(v, minFractionDigits: minFractionDigits) }
    public mutating func field(_ k: String, strings: [String]) {
        key(k); beginArray(); for s in strings { string(s) }; endArray()
    }

    static func appendQuoted(_ s: String, to out: inout String) {
        out += "\""
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 34 || $0 == 92 }) {
            out += s
        } else {
            for u in s.unicodeScalars {
                switch u {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case _ where u.value < 0x20:
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                default: out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }
}
