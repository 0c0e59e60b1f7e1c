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
        guard !text.isEmpty else { return nil }
        var text = text
        var name = name
        return text.withUTF8 { u in
            name.withUTF8 { key -> String? in
                var i = 0
                while i < u.count {
                    var end = i
                    var escaped = false
                    while end < u.count, u[end] != 10 { if u[end] == 92 { escaped = true; end += 2 } else { end += 1 } }
                    end = min(end, u.count)
                    let eq = i + key.count
                    if eq < end, u[eq] == UInt8(ascii: "="), memcmp(u.baseAddress! + i, key.baseAddress!, key.count) == 0 {
                        let raw = UnsafeBufferPointer(rebasing: u[(eq + 1)..<end])
                        return escaped ? unescape(raw) : String(decoding: raw, as: UTF8.self)
                    }
                    i = end + 1
                }
                return nil
            }
        }
    }
}
