import CLibPQ
import Foundation

/// Owns one libpq connection (`PGconn*`) and finishes it in `deinit`. One per thread.
/// Every query is parameterised (`$1`...), values sent as text.
public final class PGConnection {
    let handle: OpaquePointer
    public let url: String
    /// Statements prepared on this connection, by their text: parsed and planned once.
    private var prepared: [String: String] = [:]

    public init(url: String) throws {
        guard let conn = PQconnectdb(url) else { throw StoreError("PostgreSQL: out of memory connecting") }
        guard PQstatus(conn) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(conn)).trimmingTrailingNewlines
            PQfinish(conn)
            throw StoreError("PostgreSQL at \(Self.redacted(url)): \(message)")
        }
        handle = conn
        self.url = url
        _ = try exec("SET client_min_messages = warning")
    }

    deinit { PQfinish(handle) }

    /// The URL without its password, for messages.
    static func redacted(_ url: String) -> String {
        guard let at = url.firstIndex(of: "@"), let scheme = url.range(of: "://"), let colon = url[scheme.upperBound..<at].firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + ":***" + String(url[at...])
    }

    /// Runs one statement with text parameters; `nil` is SQL NULL.
    @discardableResult
    public func exec(_ sql: String, _ params: [String?] = []) throws -> PGResult {
        let result: OpaquePointer?
        if params.isEmpty {
            result = PQexec(handle, sql)
        } else {
            var cStrings: [UnsafeMutablePointer<CChar>?] = params.map { $0.flatMap { strdup($0) } }
            defer { for p in cStrings { free(p) } }
            let name = try statement(sql, count: params.count)
            result = cStrings.withUnsafeMutableBufferPointer { buf in
                buf.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: buf.count) { values in
                    PQexecPrepared(handle, name, Int32(params.count), values, nil, nil, 0)
                }
            }
        }
        return try check(result, sql)
    }

    /// The prepared statement for `sql`, preparing it on first use.
    private func statement(_ sql: String, count: Int) throws -> String {
        if let name = prepared[sql] { return name }
        let name = "defuse_\(prepared.count + 1)"
        _ = try check(PQprepare(handle, name, sql, Int32(count), nil), sql)
        prepared[sql] = name
        return name
    }

    func check(_ result: OpaquePointer?, _ sql: String) throws -> PGResult {
        guard let result else { throw StoreError("PostgreSQL: \(String(cString: PQerrorMessage(handle)).trimmingTrailingNewlines)") }
        let r = PGResult(result)
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_COPY_IN: return r
        default:
            let message = String(cString: PQresultErrorMessage(result)).trimmingTrailingNewlines
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            throw PGError(message: message, sqlState: state)
        }
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    public func transaction<T>(_ isolation: String = "READ COMMITTED", _ body: () throws -> T) throws -> T {
        try exec("BEGIN ISOLATION LEVEL \(isolation)")
        do {
            let value = try body()
            try exec("COMMIT")
            return value
        } catch {
            _ = try? exec("ROLLBACK")
            throw error
        }
    }

    /// `COPY table (columns) FROM STDIN`: rows in COPY's text format, written by `fill`.
    public func copy(_ sql: String, _ fill: (inout PGCopyRows) -> Void) throws {
        try exec(sql)
        var rows = PGCopyRows(conn: handle)
        fill(&rows)
        try rows.flush(force: true)
        guard PQputCopyEnd(handle, nil) == 1 else { throw StoreError("PostgreSQL COPY: \(String(cString: PQerrorMessage(handle)))") }
        while let r = PQgetResult(handle) {
            defer { PQclear(r) }
            if PQresultStatus(r) != PGRES_COMMAND_OK {
                throw PGError(message: String(cString: PQresultErrorMessage(r)).trimmingTrailingNewlines, sqlState: nil)
            }
        }
    }
}

/// Rows for COPY's text format: tab between fields, `\N` for NULL, backslash escapes.
public struct PGCopyRows {
    var buffer: [UInt8] = []
    let conn: OpaquePointer
    /// A failed send, reported when the copy ends.
    var failure: StoreError?
    var atRowStart = true

    init(conn: OpaquePointer) { self.conn = conn; buffer.reserveCapacity(1 << 20 + 4096) }

    public mutating func field(_ v: String?) {
        if !atRowStart { buffer.append(9) }
        atRowStart = false
        guard let v else { buffer.append(contentsOf: [92, 78]); return }
        for b in v.utf8 {
            switch b {
            case 92: buffer.append(contentsOf: [92, 92])
            case 9: buffer.append(contentsOf: [92, 116])
            case 10: buffer.append(contentsOf: [92, 110])
            case 13: buffer.append(contentsOf: [92, 114])
            default: buffer.append(b)
            }
        }
    }
    public mutating func field(_ v: Int64?) { field(v.map { String($0) }) }
    public mutating func field(_ v: Double?) { field(v.map { "\($0)" }) }
    /// Ends a row; a megabyte of rows goes to the server at once.
    public mutating func endRow() {
        buffer.append(10)
        atRowStart = true
        if buffer.count > 1 << 20 { try? flush(force: false) }
    }

    mutating func flush(force: Bool) throws {
        if let failure { throw failure }
        guard !buffer.isEmpty else { return }
        let ok = buffer.withUnsafeBufferPointer { b in
            b.baseAddress!.withMemoryRebound(to: CChar.self, capacity: b.count) { PQputCopyData(conn, $0, Int32(b.count)) }
        }
        guard ok == 1 else {
            failure = StoreError("PostgreSQL COPY: \(String(cString: PQerrorMessage(conn)))")
            throw failure!
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// A query's rows; cleared in `deinit`.
public final class PGResult {
    let handle: OpaquePointer
    init(_ handle: OpaquePointer) { self.handle = handle }
    deinit { PQclear(handle) }

    public var count: Int { Int(PQntuples(handle)) }
    /// Rows changed by an INSERT, UPDATE or DELETE.
    public var changed: Int { Int(String(cString: PQcmdTuples(handle))) ?? 0 }
    public func isNull(_ r: Int, _ c: Int) -> Bool { PQgetisnull(handle, Int32(r), Int32(c)) == 1 }
    public func string(_ r: Int, _ c: Int) -> String { String(cString: PQgetvalue(handle, Int32(r), Int32(c))) }
    public func optionalString(_ r: Int, _ c: Int) -> String? { isNull(r, c) ? nil : string(r, c) }
    public func int64(_ r: Int, _ c: Int) -> Int64 { strtoll(PQgetvalue(handle, Int32(r), Int32(c)), nil, 10) }
    public func int(_ r: Int, _ c: Int) -> Int { Int(int64(r, c)) }
    public func optionalInt64(_ r: Int, _ c: Int) -> Int64? { isNull(r, c) ? nil : int64(r, c) }
    public func double(_ r: Int, _ c: Int) -> Double { strtod(PQgetvalue(handle, Int32(r), Int32(c)), nil) }
    /// The first byte of a text value (statuses and kinds differ in theirs).
    public func firstByte(_ r: Int, _ c: Int) -> UInt8 { UInt8(bitPattern: PQgetvalue(handle, Int32(r), Int32(c)).pointee) }
}

/// A PostgreSQL error with its SQLSTATE (`40001` serialization failure, `23505` unique violation).
public struct PGError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var sqlState: String?
    public var description: String { "PostgreSQL: \(message)" }
}

extension String {
    /// libpq's messages run over several lines; Defuse's errors are one line each.
    var trimmingTrailingNewlines: String {
        split(whereSeparator: { $0 == "\n" || $0 == "\t" }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
    }
}
