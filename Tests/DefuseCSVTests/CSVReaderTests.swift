import DefuseCSV
import Testing

/// Reads every record of `text` as (line, fields).
func records(_ text: String) throws -> [(Int, [String])] {
    let bytes = Array(text.utf8)
    return try bytes.withUnsafeBufferPointer { buf in
        var reader = CSVReader(bytes: buf)
        var fields: [CSVField] = []
        var out: [(Int, [String])] = []
        while let line = try reader.next(into: &fields) { out.append((line, fields.map(reader.string))) }
        return out
    }
}

@Suite("RFC 4180 reading")
struct CSVReaderTests {
    @Test("plain rows with LF and CRLF line ends")
    func plain() throws {
        let r = try records("a,b,c\r\n1,2,3\n4,5,6")
        #expect(r.map(\.1) == [["a", "b", "c"], ["1", "2", "3"], ["4", "5", "6"]])
        #expect(r.map(\.0) == [1, 2, 3])
    }

    @Test("a BOM is skipped")
    func bom() throws {
        #expect(try records("\u{FEFF}id,name\n1,x\n").map(\.1) == [["id", "name"], ["1", "x"]])
    }

    @Test("quoted fields hold commas, doubled quotes and line breaks; the record's first line is kept")
    func quoted() throws {
        let r = try records("id,name\n1,\"Acme, Inc.\"\n2,\"The \"\"Quoted\"\" Co\"\n3,\"Line\r\nBreak\"\n4,after\n")
        #expect(r.map(\.1) == [["id", "name"], ["1", "Acme, Inc."], ["2", "The \"Quoted\" Co"], ["3", "Line\r\nBreak"], ["4", "after"]])
        #expect(r.map(\.0) == [1, 2, 3, 4, 6])
    }

    @Test("values are trimmed; blank lines are skipped; a short row has fewer fields")
    func trimAndBlank() throws {
        let r = try records("a , b\n\n  x  ,  \"y\"  \n\r\nonly\n")
        #expect(r.map(\.1) == [["a", "b"], ["x", "y"], ["only"]])
        #expect(r.map(\.0) == [1, 3, 5])
    }

    @Test("empty fields and a trailing comma")
    func empties() throws {
        #expect(try records("a,,c,\n").map(\.1) == [["a", "", "c", ""]])
        #expect(try records("\"\"\n").map(\.1) == [[""]])
    }

    @Test("an unterminated quote is an error at the line it opened")
    func unterminated() {
        #expect(throws: CSVSyntaxError(line: 2, message: "a quoted field is never closed")) {
            _ = try records("a,b\n1,\"never\nclosed\n")
        }
    }

    @Test("text after a closing quote is an error")
    func textAfterQuote() {
        #expect(throws: CSVSyntaxError.self) { _ = try records("a\n\"x\"y\n") }
    }

    @Test("UTF-8 text survives, and writing quotes what needs it")
    func unicodeAndWriting() throws {
        #expect(try records("東京商事,Zürich\n").map(\.1) == [["東京商事", "Zürich"]])
        #expect(CSVWriter.row(["a", "b,c", "d\"e", "f\ng"]) == "a,\"b,c\",\"d\"\"e\",\"f\ng\"\n")
        let round = try records(CSVWriter.row(["x,\"y\"\n", " "]))
        #expect(round.map(\.1) == [["x,\"y\"\n", ""]], "a line break inside quotes is content, not space")
    }
}
