/// A problem in the CSV syntax itself, at a physical line.
public struct CSVSyntaxError: Error, Equatable, Sendable {
    public var line: Int
    public var message: String
    public init(line: Int, message: String) { self.line = line; self.message = message }
}

/// One field of a record: where its content (without surrounding quotes and spaces) lies in
/// the source bytes, and whether it holds `""` pairs still to be turned into `"`.
public struct CSVField: Equatable, Sendable {
    public var start: Int
    public var end: Int
    public var hasEscapedQuotes: Bool
    public var isEmpty: Bool { start == end }
}

/// A streaming RFC 4180 reader over UTF-8 bytes: comma separated, double-quoted fields that
/// may hold commas, `""` and line breaks, LF or CRLF line ends, an optional BOM. Fields are
/// trimmed of surrounding spaces; blank lines are skipped. It never copies the input: fields
/// are ranges, turned into strings only on demand.
public struct CSVReader {
    public let bytes: UnsafeBufferPointer<UInt8>
    private var position: Int
    private var line = 1

    public init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        let hasBOM = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
        position = hasBOM ? 3 : 0
    }

    /// How far the reader has come, for progress lines.
    public var bytesRead: Int { position }

    /// Reads the next non-blank record into `fields`; returns the line where it starts, or nil
    /// at the end of the input.
    public mutating func next(into fields: inout [CSVField]) throws(CSVSyntaxError) -> Int? {
        let n = bytes.count
        while true {
            guard position < n else { return nil }
            fields.removeAll(keepingCapacity: true)
            let startLine = line
            var atRecordEnd = false
            while !atRecordEnd {
                let (field, endedRecord) = try readField()
                fields.append(field)
                atRecordEnd = endedRecord
            }
            if fields.count == 1 && fields[0].isEmpty && !isQuotedEmpty(fields[0]) { continue } // blank line
            return startLine
        }
    }

    /// A `""` field on its own line is a record with one empty value, not a blank line.
    private func isQuotedEmpty(_ f: CSVField) -> Bool {
        f.start > 0 && f.start < bytes.count && bytes[f.start - 1] == 34 && bytes[f.start] == 34
    }

    private mutating func readField() throws(CSVSyntaxError) -> (CSVField, Bool) {
        let n = bytes.count
        var i = position
        while i < n, bytes[i] == 32 || bytes[i] == 9 { i += 1 }
        if i < n, bytes[i] == 34 { // quoted
            let quoteLine = line
            i += 1
            let contentStart = i
            var escaped = false
            while true {
                guard i < n else { throw CSVSyntaxError(line: quoteLine, message: "a quoted field is never closed") }
                let c = bytes[i]
                if c == 34 {
                    if i + 1 < n, bytes[i + 1] == 34 { escaped = true; i += 2; continue }
                    break
                }
                if c == 10 { line += 1 }
                i += 1
            }
            let contentEnd = i
            i += 1 // closing quote
            while i < n, bytes[i] == 32 || bytes[i] == 9 { i += 1 }
            let (ended, next) = try delimiter(at: i, afterQuote: true)
            position = next
            let (s, e) = trim(contentStart, contentEnd)
            return (CSVField(start: s, end: e, hasEscapedQuotes: escaped), ended)
        }
        let start = i
        while i < n {
            let c = bytes[i]
            if c == 44 || c == 10 || c == 13 { break }
            i += 1
        }
        let (ended, next) = try delimiter(at: i, afterQuote: false)
        position = next
        let (s, e) = trim(start, i)
        return (CSVField(start: s, end: e, hasEscapedQuotes: false), ended)
    }

    /// At a field's end: a comma (more fields), a line end or the end of input (record ends).
    private mutating func delimiter(at i: Int, afterQuote: Bool) throws(CSVSyntaxError) -> (Bool, Int) {
        let n = bytes.count
        guard i < n else { return (true, n) }
        switch bytes[i] {
        case 44: return (false, i + 1)
        case 10: line += 1; return (true, i + 1)
        case 13:
            line += 1
            return (true, i + 1 < n && bytes[i + 1] == 10 ? i + 2 : i + 1)
        default:
            throw CSVSyntaxError(line: line, message: "text after the closing quote of a quoted field")
        }
    }

    private func trim(_ s0: Int, _ e0: Int) -> (Int, Int) {
        var s = s0, e = e0
        while s < e, bytes[s] == 32 || bytes[s] == 9 { s += 1 }
        while e > s, bytes[e - 1] == 32 || bytes[e - 1] == 9 { e -= 1 }
        return (s, e)
    }

    /// The raw bytes of a field (quotes still doubled if it had any).
    @inline(__always)
    public func raw(_ f: CSVField) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[f.start..<f.end])
    }

    /// The field's text, with `""` turned into `"`; invalid UTF-8 is repaired with U+FFFD.
    public func string(_ f: CSVField) -> String {
        let s = String(decoding: raw(f), as: UTF8.self)
        return f.hasEscapedQuotes ? s.replacing("\"\"", with: "\"") : s
    }
}
