import DefuseDomain

extension JSONWriter {
    /// Appends the elements of a long array rendered in two halves on two threads (each
    /// element's text is its own, so the halves never contend); short arrays stay on this one.
    public mutating func appendElements<T: Sendable>(_ items: ArraySlice<T>, minimumToSplit: Int = 2_000,
                                                     _ write: @escaping @Sendable (T, inout JSONWriter) -> Void) {
        let depth = openDepth, inline = inlineDepth
        @Sendable func render(_ part: ArraySlice<T>, afterFirst: Bool) -> [UInt8] {
            var w = JSONWriter(continuingAt: depth, afterFirst: afterFirst, inlineDepth: inline)
            for item in part { write(item, &w) }
            return w.bytes
        }
        guard items.count >= minimumToSplit else {
            appendElements(render(items, afterFirst: !isAtFirstElement))
            return
        }
        let mid = items.startIndex + items.count / 2
        let afterFirst = !isAtFirstElement
        let (first, second) = TwoThreads.run({ render(items[..<mid], afterFirst: afterFirst) }, { render(items[mid...], afterFirst: true) })
        appendElements(first)
        appendElements(second)
    }
}
