import DefuseCSV
import DefuseDomain

/// Reads the typed values of one record by column name, collecting a message per bad value.
struct RowReader {
    let name: String
    var reader: CSVReader
    let columns: [String: Int]
    private(set) var errors: [ImportError] = []
    private var fields: [CSVField] = []
    private var line = 0
    private var rowErrors = 0

    init(name: String, reader: CSVReader, columns: [String: Int]) {
        self.name = name; self.reader = reader; self.columns = columns
    }

    mutating func begin(fields: [CSVField], line: Int) {
        self.fields = fields; self.line = line; rowErrors = 0
    }

    var isGood: Bool { rowErrors == 0 }

    mutating func fail(_ column: Col, _ message: String) { fail(column.name, message) }

    mutating func fail(_ column: String, _ message: String) {
        rowErrors += 1
        errors.append(ImportError(file: name, line: line, column: column, message: message))
    }

    /// A column resolved once per file, so rows do not look names up.
    func col(_ name: String) -> Col { Col(name: name, index: columns[name] ?? -1) }

    /// The field, or nil when the column is absent or the value empty ("not given").
    @inline(__always)
    private func field(_ c: Col) -> CSVField? {
        guard c.index >= 0, c.index < fields.count, !fields[c.index].isEmpty else { return nil }
        return fields[c.index]
    }

    mutating func text(_ column: Col, required: Bool = false) -> String? {
        guard let f = field(column) else {
            if required { fail(column, "missing value") }
            return nil
        }
        return reader.string(f)
    }

    mutating func timestamp(_ column: Col, required: Bool = false) -> Timestamp? {
        guard let f = field(column) else {
            if required { fail(column, "missing value") }
            return nil
        }
        guard let t = ISO8601.parse(bytes: reader.raw(f)) else {
            fail(column, "not a timestamp: \"\(reader.string(f))\" (expected e.g. 2026-03-05T14:02:00Z or 2026-03-05)")
            return nil
        }
        return t
    }

    mutating func decimal(_ column: Col, required: Bool = false) -> Double? {
        guard let f = field(column) else {
            if required { fail(column, "missing value") }
            return nil
        }
        guard let v = FieldParsers.decimal(reader.raw(f)) else {
            fail(column, "not a number: \"\(reader.string(f))\" (expected a plain decimal such as 120000.50)")
            return nil
        }
        return v
    }

    mutating func whole(_ column: Col, required: Bool = false) -> Int? {
        guard let f = field(column) else {
            if required { fail(column, "missing value") }
            return nil
        }
        guard let v = FieldParsers.wholeNumber(reader.raw(f)) else {
            fail(column, "not a whole number: \"\(reader.string(f))\"")
            return nil
        }
        return v
    }

    /// A case-insensitive choice among an enum's raw values.
    mutating func choice<E: RawRepresentable & CaseIterable>(_ column: Col, _: E.Type) -> E? where E.RawValue == String {
        guard let raw = text(column, required: true) else { return nil }
        guard let v = E(rawValue: raw.lowercased()) else {
            fail(column, "unknown \(column.name) \"\(raw)\" (expected one of: \(E.allCases.map(\.rawValue).joined(separator: ", ")))")
            return nil
        }
        return v
    }

    mutating func accountID(_ c: Col, state: borrowing some AccountLookup) -> String? {
        guard let id = text(c, required: true) else { return nil }
        guard state.accountExists(id) else {
            fail(c, "unknown account \"\(id)\" (not in the accounts imported nor already known)")
            return nil
        }
        return id
    }
}

protocol AccountLookup { func accountExists(_ id: String) -> Bool }

/// A column of the file being read: its name (for messages) and position (-1 when absent).
struct Col {
    let name: String
    let index: Int
}
