import DefuseDomain
/// A streaming JSON writer into a byte buffer: no intermediate tree, and with a `sink` the
/// buffer is handed on every megabyte, so a 200,000-account report never sits in memory whole.
/// Objects and arrays nested deeper than `inlineDepth` are written on one line.
public struct JSONWriter {
    private let buffer: ByteBuffer
    /// The innermost open container: whether it has no element yet, whether it is written on
    /// one line. The enclosing ones wait in `outer`; `depth` counts them all.
    private var topIsFirst = true
    private var topInline = false
    private var depth = 0
    private var outer: [(isFirst: Bool, inline: Bool)] = []
    private var afterKey = false
    public var inlineDepth: Int
    private let sink: ((UnsafeBufferPointer<UInt8>) -> Void)?

    public init(inlineDepth: Int = 2, sink: ((UnsafeBufferPointer<UInt8>) -> Void)? = nil) {
        self.inlineDepth = inlineDepth
        self.sink = sink
        buffer = ByteBuffer(capacity: sink == nil ? 4096 : 1 << 20 + 4096)
    }

    /// A writer that continues inside `depth` open containers written elsewhere (another
    /// thread renders half of an array this way); `afterFirst` when elements precede it.
    public init(continuingAt depth: Int, afterFirst: Bool, inlineDepth: Int = 2) {
        self.init(inlineDepth: inlineDepth)
        self.depth = depth
        outer = Array(repeating: (true, false), count: depth - 1)
        topIsFirst = !afterFirst
    }

    // MARK: Hot paths
    // For elements written many times over (the report's accounts): the caller writes the
    // element's text directly, and the writer only places the separator before it.

    /// Begins an array element whose text the caller writes with the `append` methods.
    public mutating func beginRawElement() { beforeValue() }
    public mutating func append(_ s: StaticString) { raw(s) }
    public mutating func appendQuoted(_ s: String?) { if let s { quoted(s) } else { raw("null") } }
    public mutating func appendInt(_ v: Int?) { if let v { digits(Int64(v)) } else { raw("null") } }
    /// A moment as ISO 8601 UTC in quotes, or null.
    public mutating func appendTime(_ t: Timestamp?) {
        guard let t else { raw("null"); return }
        buffer.append(34)
        ISO8601.withFormatted(t) { buffer.append($0) }
        buffer.append(34)
    }
    /// True when a container opened now would be written on one line.
    public var nextContainerIsInline: Bool { depth >= inlineDepth || (depth > 0 && topInline) }
    public mutating func appendBool(_ b: Bool) { b ? raw("true") : raw("false") }
    public mutating func appendNumber(_ d: Double?, minFractionDigits: Int = 0) {
        guard let d, d.isFinite else { raw("null"); return }
        if minFractionDigits == 0, d == d.rounded(), abs(d) < 1e15 { digits(Int64(d)); return }
        raw(Self.format(d, minFractionDigits: minFractionDigits))
    }
    /// Ends a raw element (hands a full buffer to the sink).
    public mutating func endRawElement() { maybeFlush() }

    /// How many containers are open.
    public var openDepth: Int { depth }
    /// True when the innermost open container has no element yet.
    public var isAtFirstElement: Bool { depth == 0 || topIsFirst }

    /// The bytes written so far.
    public var bytes: [UInt8] { Array(buffer.bytes) }

    /// Appends array elements rendered by a `continuingAt` writer.
    public mutating func appendElements(_ rendered: [UInt8]) {
        guard !rendered.isEmpty else { return }
        rendered.withUnsafeBufferPointer { buffer.append($0) }
        topIsFirst = false
        maybeFlush()
    }

    // MARK: Elements rendered apart
    // A long list rendered on several threads and sorted afterwards: each element is written
    // as if it came first, and placed later with the separator it then needs.

    /// The next element is written without a separator (see `appendRendered`).
    public mutating func detachNextElement() { topIsFirst = true }
    /// Bytes written and not yet handed on.
    public var byteCount: Int { buffer.count }
    /// The bytes at `range` of what was written.
    public func withBytes<R>(_ range: Range<Int>, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        body(UnsafeBufferPointer(rebasing: buffer.bytes[range]))
    }
    /// Places an element written after `detachNextElement`, with a separator unless it is first.
    public mutating func appendRendered(_ element: UnsafeBufferPointer<UInt8>) {
        if !isAtFirstElement { buffer.append(44) }
        buffer.append(element)
        topIsFirst = false
        maybeFlush()
    }

    /// What has been written and not yet handed to the sink.
    public var output: String { String(decoding: buffer.bytes, as: UTF8.self) }

    /// Hands what is left to the sink.
    public mutating func finish() {
        guard let sink, buffer.count > 0 else { return }
        sink(buffer.bytes)
        buffer.removeAll()
    }

    private mutating func maybeFlush() {
        if sink != nil && buffer.count >= 1 << 20 { finish() }
    }

    private mutating func newline(depth: Int) {
        let indent: StaticString = "\n                                                                "
        buffer.append(UnsafeBufferPointer(start: indent.utf8Start, count: 1 + min(64, depth * 2)))
    }

    private mutating func raw(_ s: StaticString) {
        buffer.append(UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    private mutating func raw(_ s: String) {
        var s = s
        s.withUTF8 { buffer.append($0) }
    }

    private mutating func beforeValue() {
        if afterKey { afterKey = false; return }
        separate()
    }

    private mutating func separate() {
        guard depth > 0 else { return }
        if !topIsFirst { topInline ? raw(", ") : raw(",") }
        topIsFirst = false
        if !topInline { newline(depth: depth) }
    }

    private mutating func open(_ bracket: StaticString) {
        beforeValue()
        raw(bracket)
        let inline = nextContainerIsInline
        if depth > 0 { outer.append((topIsFirst, topInline)) }
        depth += 1
        topIsFirst = true
        topInline = inline
    }

    private mutating func close(_ bracket: StaticString) {
        let wasInline = topInline, wasFirst = topIsFirst
        depth -= 1
        if depth > 0 { (topIsFirst, topInline) = outer.removeLast() }
        if !wasInline && !wasFirst { newline(depth: depth) }
        raw(bracket)
        if depth == 0 { buffer.append(10) }
        maybeFlush()
    }

    public mutating func beginObject() { open("{") }
    public mutating func endObject() { close("}") }
    public mutating func beginArray() { open("[") }
    public mutating func endArray() { close("]") }

    /// A key written in the source: copied as it is (such keys need no escaping).
    public mutating func key(_ k: StaticString) {
        separate()
        buffer.append(34)
        raw(k)
        raw("\": ")
        afterKey = true
    }

    /// A key made at run time (a field's name from the data): escaped.
    public mutating func key(named k: String) {
        separate()
        quoted(k)
        raw(": ")
        afterKey = true
    }

    public mutating func string(_ s: String?) {
        beforeValue()
        if let s { quoted(s) } else { raw("null") }
    }

    public mutating func bool(_ b: Bool) { beforeValue(); b ? raw("true") : raw("false") }
    public mutating func null() { beforeValue(); raw("null") }
    public mutating func int(_ i: Int?) {
        beforeValue()
        if let i { digits(Int64(i)) } else { raw("null") }
    }

    /// Decimal digits straight into the buffer, without a String.
    private mutating func digits(_ v: Int64) {
        if v < 0 { buffer.append(45) }
        var m = v.magnitude
        var tmp: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                  UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &tmp) { t in
            repeat { t[19 - n] = UInt8(48 + m % 10); m /= 10; n += 1 } while m > 0
            buffer.append(UnsafeBufferPointer(rebasing: t.bindMemory(to: UInt8.self)[(20 - n)...]))
        }
    }

    /// Whole numbers print without a fraction; others in the shortest form that round-trips,
    /// padded to `minFractionDigits`.
    public mutating func number(_ d: Double?, minFractionDigits: Int = 0) {
        beforeValue()
        guard let d, d.isFinite else { raw("null"); return }
        if minFractionDigits == 0, d == d.rounded(), abs(d) < 1e15 { digits(Int64(d)); return }
        raw(Self.format(d, minFractionDigits: minFractionDigits))
    }

    public static func format(_ d: Double, minFractionDigits: Int = 0) -> String {
        var s: String
        if d == d.rounded(), abs(d) < 1e15 {
            s = String(Int64(d))
            if minFractionDigits > 0 { s += "." + String(repeating: "0", count: minFractionDigits) }
            return s
        }
        s = "\(d)"
        if s.utf8.contains(UInt8(ascii: "e")) { return s }
        if let dot = s.firstIndex(of: ".") {
            let have = s.distance(from: dot, to: s.endIndex) - 1
            if have < minFractionDigits { s += String(repeating: "0", count: minFractionDigits - have) }
        }
        return s
    }

    // Convenience for `key` + value.
    public mutating func field(_ k: StaticString, _ v: String?) { key(k); string(v) }
    public mutating func field(_ k: StaticString, _ v: Int?) { key(k); int(v) }
    public mutating func field(_ k: StaticString, _ v: Bool) { key(k); bool(v) }
    public mutating func field(_ k: StaticString, number v: Double?, minFractionDigits: Int = 0) { key(k); number(v, minFractionDigits: minFractionDigits) }
    /// A moment as ISO 8601 UTC (`ISO8601.format`), or null.
    public mutating func field(_ k: StaticString, time t: Timestamp?) {
        key(k)
        beforeValue()
        appendTime(t)
    }
    /// A string known at compile time (codes, levels): no escaping needed.
    public mutating func code(_ s: StaticString) {
        beforeValue()
        buffer.append(34)
        raw(s)
        buffer.append(34)
    }

    public mutating func field(_ k: StaticString, strings: [String]) {
        key(k); beginArray(); for s in strings { string(s) }; endArray()
    }

    private mutating func quoted(_ s: String) {
        buffer.append(34)
        var s = s
        s.withUTF8 { u in
            var start = 0
            for i in 0..<u.count {
                let c = u[i]
                guard c < 0x20 || c == 34 || c == 92 else { continue }
                buffer.append(UnsafeBufferPointer(rebasing: u[start..<i]))
                switch c {
                case 34: raw("\\\"")
                case 92: raw("\\\\")
                case 10: raw("\\n")
                case 13: raw("\\r")
                case 9: raw("\\t")
                default:
                    raw("\\u00")
                    buffer.append(Self.hex[Int(c >> 4)])
                    buffer.append(Self.hex[Int(c & 15)])
                }
                start = i + 1
            }
            buffer.append(UnsafeBufferPointer(rebasing: u[start..<u.count]))
        }
        buffer.append(34)
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)
}
