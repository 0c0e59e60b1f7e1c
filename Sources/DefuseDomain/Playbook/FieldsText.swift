import Foundation

/// An event's fields as `key=value` lines, sorted by key; `\\` and line breaks escaped.
/// Hand-rolled because listing 10,000 escalations decodes 300,000 of these.
public enum FieldsText {
    public static func encode(_ fields: [String: String]) -> String {
        fields.keys.sorted().map { key in
            var v = ""
            for ch in fields[key] ?? "" {
                switch ch {
                case "\\": v += "\\\\"
                case "\n": v += "\\n"
                case "\r": v += "\\r"
                default: v.append(ch)
                }
            }
            return key + "=" + v
        }.joined(separator: "\n")
    }

    public static func decode(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        var text = text
        text.withUTF8 { u in
            var i = 0
            while i < u.count {
                var eq = i
                while eq < u.count, u[eq] != UInt8(ascii: "="), u[eq] != 10 { eq += 1 }
                var end = eq
                var escaped = false
                while end < u.count, u[end] != 10 { if u[end] == 92 { escaped = true; end += 2 } else { end += 1 } }
                end = min(end, u.count)
                if eq < end {
                    let key = String(decoding: UnsafeBufferPointer(rebasing: u[i..<eq]), as: UTF8.self)
                    let raw = UnsafeBufferPointer(rebasing: u[(eq + 1)..<end])
                    out[key] = escaped ? unescape(raw) : String(decoding: raw, as: UTF8.self)
                }
                i = end + 1
            }
        }
        return out
    }

    private static func unescape(_ raw: UnsafeBufferPointer<UInt8>) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(raw.count)
        var k = 0
        while k < raw.count {
            if raw[k] == 92, k + 1 < raw.count {
                let c = raw[k + 1]
                bytes.append(c == UInt8(ascii: "n") ? 10 : c == UInt8(ascii: "r") ? 13 : c)
                k += 2
            } else {
                bytes.append(raw[k])
                k += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// One field's value, found by scanning the lines (events have a handful).
    public static func value(_ name: String, in text: String) -> String? {
        withValue(name, in: text) { raw, escaped in escaped ? unescape(raw) : String(decoding: raw, as: UTF8.self) }
    }

    /// A whole-number field read straight from its bytes (no String made); nil when absent or not a number.
    public static func int(_ name: String, in text: String) -> Int? {
        withValue(name, in: text) { raw, _ -> Int? in
            var i = 0, negative = false, v = 0
            if raw.first == UInt8(ascii: "-") || raw.first == UInt8(ascii: "+") { negative = raw.first == UInt8(ascii: "-"); i = 1 }
            guard i < raw.count, raw.count - i <= 18 else { return raw.count - i > 18 ? Int(String(decoding: raw, as: UTF8.self)) : nil }
            while i < raw.count {
                let d = raw[i] &- 48
                guard d < 10 else { return nil }
                v = v * 10 + Int(d)
                i += 1
            }
            return negative ? -v : v
        } ?? nil
    }

    /// Runs `body` on the stored bytes of one field (still escaped when `escaped`), if present.
    public static func withValue<R>(_ name: String, in text: String, _ body: (UnsafeBufferPointer<UInt8>, _ escaped: Bool) -> R) -> R? {
        guard !text.isEmpty else { return nil }
        var text = text
        var name = name
        return text.withUTF8 { u in
            name.withUTF8 { key -> R? in
                var i = 0
                while i < u.count {
                    var end = i
                    var escaped = false
                    while end < u.count, u[end] != 10 { if u[end] == 92 { escaped = true; end += 2 } else { end += 1 } }
                    end = min(end, u.count)
                    let eq = i + key.count
                    if eq < end, u[eq] == UInt8(ascii: "="), memcmp(u.baseAddress! + i, key.baseAddress!, key.count) == 0 {
                        return body(UnsafeBufferPointer(rebasing: u[(eq + 1)..<end]), escaped)
                    }
                    i = end + 1
                }
                return nil
            }
        }
    }
}
