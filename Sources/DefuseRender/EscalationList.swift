import DefuseDomain

/// `esc list` drawn while the escalations are folded: each part (a thread) renders what it
/// folds at once, keeping only the text and where it sorts; `write` puts the rows out most
/// urgent first. No status outlives its rendering.
public protocol EscalationListOutput: AnyObject, Sendable {
    /// Called only from the thread of `part`.
    func add(_ s: EscalationStatus, part: Int)
    /// Once every part is done: the whole list, in urgency order.
    func write(to sink: (UnsafeBufferPointer<UInt8>) -> Void)
}

/// The JSON of `esc list --format json` (and `GET /api/escalations`): each element rendered
/// by its part into the part's buffer, then copied out in order.
public final class EscalationListJSON: EscalationListOutput, @unchecked Sendable {
    private final class Part {
        var writer = JSONWriter(continuingAt: 2, afterFirst: false, inlineDepth: 3)
        var rows: [(urgency: EscalationStatus.Urgency, range: Range<Int>)] = []
    }
    private let parts: [Part]

    public init(parts: Int) { self.parts = (0..<max(1, parts)).map { _ in Part() } }

    public func add(_ s: EscalationStatus, part: Int) {
        let p = parts[part]
        let start = p.writer.byteCount
        p.writer.detachNextElement()
        EscalationJSON.write(s, &p.writer, includeEvents: false, localTimes: false)
        p.rows.append((s.urgency, start..<p.writer.byteCount))
    }

    public func write(to sink: (UnsafeBufferPointer<UInt8>) -> Void) {
        var order: [(urgency: EscalationStatus.Urgency, part: Int, range: Range<Int>)] = []
        order.reserveCapacity(parts.reduce(0) { $0 + $1.rows.count })
        for (k, p) in parts.enumerated() { for r in p.rows { order.append((r.urgency, k, r.range)) } }
        order.sort { $0.urgency < $1.urgency }
        withoutActuallyEscaping(sink) { sink in
            var w = JSONWriter(inlineDepth: 3, sink: sink)
            w.beginObject()
            w.key("escalations"); w.beginArray()
            for o in order { parts[o.part].writer.withBytes(o.range) { w.appendRendered($0) } }
            w.endArray()
            w.endObject()
            w.finish()
        }
    }

    /// The whole list as text (the HTTP API's answer).
    public func text() -> String {
        var out: [UInt8] = []
        write { out.append(contentsOf: $0) }
        return String(decoding: out, as: UTF8.self)
    }
}

/// The table of `esc list`: the cells of each row made by its part, the columns sized once all are in.
public final class EscalationListTable: EscalationListOutput, @unchecked Sendable {
    private final class Part { var rows: [(urgency: EscalationStatus.Urgency, row: EscalationTable.ListRow)] = [] }
    private let parts: [Part]
    private let colour: Bool

    public init(parts: Int, colour: Bool) {
        self.parts = (0..<max(1, parts)).map { _ in Part() }
        self.colour = colour
    }

    public func add(_ s: EscalationStatus, part: Int) { parts[part].rows.append((s.urgency, EscalationTable.listRow(s))) }

    public func write(to sink: (UnsafeBufferPointer<UInt8>) -> Void) {
        let rows = parts.flatMap(\.rows).sorted { $0.urgency < $1.urgency }.map(\.row)
        var text = EscalationTable.renderList(rows, colour: colour)
        text.withUTF8 { sink($0) }
    }
}
