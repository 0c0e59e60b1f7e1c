import CMicroHTTPD
import Foundation

/// libmicrohttpd, owned: started by `start`, stopped (in-flight requests finish) by `stop`
/// or `deinit`. Each request's body is read whole (up to `maxBodyBytes`, else 413) and handed
/// to the handler on a worker thread.
public final class HTTPServer: @unchecked Sendable {
    let handler: any HTTPHandler
    let maxBodyBytes: Int
    private var daemon: OpaquePointer?  // guarded by `lock`
    private let lock = NSLock()

    public init(handler: any HTTPHandler, maxBodyBytes: Int = 64 << 20) {
        self.handler = handler
        self.maxBodyBytes = maxBodyBytes
    }

    deinit { stop() }

    public struct StartError: Error, CustomStringConvertible { public var description: String }

    /// Starts listening; returns the port (useful with port 0).
    @discardableResult
    public func start(host: String, port: UInt16, threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws(StartError) -> UInt16 {
        let ctx = Unmanaged.passUnretained(self).toOpaque()
        guard let d = defuse_mhd_start(host, port, UInt32(max(1, threads)), accessHandler, ctx, completedHandler) else {
            throw StartError(description: "cannot listen on \(host):\(port) (address in use, or not an IPv4 address?)")
        }
        lock.withLock { daemon = d }
        return defuse_mhd_port(d)
    }

    public func stop() {
        let d = lock.withLock { () -> OpaquePointer? in
            let old = daemon
            daemon = nil
            return old
        }
        if let d { MHD_stop_daemon(d) }
    }
}

/// One request in flight: the body read so far. Retained in `*con_cls`, released when done.
final class RequestState {
    var body: [UInt8] = []
    var tooLarge = false
}

private let completedHandler: MHD_RequestCompletedCallback = { _, _, conCls, _ in
    guard let conCls, let raw = conCls.pointee else { return }
    Unmanaged<RequestState>.fromOpaque(raw).release()
    conCls.pointee = nil
}

private let accessHandler: MHD_AccessHandlerCallback = { cls, connection, url, method, _, uploadData, uploadDataSize, conCls in
    guard let cls, let connection, let conCls, let uploadDataSize else { return .NO }
    let server = Unmanaged<HTTPServer>.fromOpaque(cls).takeUnretainedValue()
    // The first call only sets up the request: answering now would make libmicrohttpd close
    // the connection (no keep-alive).
    guard let raw = conCls.pointee else {
        conCls.pointee = Unmanaged.passRetained(RequestState()).toOpaque()
        return .YES
    }
    let state = Unmanaged<RequestState>.fromOpaque(raw).takeUnretainedValue()
    if uploadDataSize.pointee > 0 {
        if let uploadData, !state.tooLarge {
            if state.body.count + uploadDataSize.pointee > server.maxBodyBytes {
                state.tooLarge = true
                state.body = []
            } else {
                uploadData.withMemoryRebound(to: UInt8.self, capacity: uploadDataSize.pointee) {
                    state.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: uploadDataSize.pointee))
                }
            }
        }
        uploadDataSize.pointee = 0
        return .YES
    }
    let response: HTTPResponse
    if state.tooLarge {
        response = .text(413, #"{"error": "the request body is too large"}"#, type: "application/json")
    } else {
        var request = HTTPRequest(method: method.map { String(cString: $0) } ?? "GET", path: url.map { String(cString: $0) } ?? "/")
        request.headers = collect(connection, .HEADER_KIND, lowercase: true)
        request.query = collect(connection, .GET_ARGUMENT_KIND, lowercase: false)
        request.body = state.body
        response = server.handler.handle(request)
    }
    return queue(response, on: connection)
}

private final class Pairs { var values: [String: String] = [:]; var lowercase = false }

private func collect(_ connection: OpaquePointer, _ kind: MHD_ValueKind, lowercase: Bool) -> [String: String] {
    let pairs = Pairs()
    pairs.lowercase = lowercase
    _ = MHD_get_connection_values(connection, kind, { cls, _, key, value in
        guard let cls, let key else { return .YES }
        let pairs = Unmanaged<Pairs>.fromOpaque(cls).takeUnretainedValue()
        let k = String(cString: key)
        pairs.values[pairs.lowercase ? k.lowercased() : k] = value.map { String(cString: $0) } ?? ""
        return .YES
    }, Unmanaged.passUnretained(pairs).toOpaque())
    return withExtendedLifetime(pairs) { pairs.values }
}

private func queue(_ r: HTTPResponse, on connection: OpaquePointer) -> MHD_Result {
    let response = r.body.withUnsafeBytes { bytes in
        defuse_mhd_response(bytes.count, bytes.baseAddress)
    }
    guard let response else { return .NO }
    for (name, value) in r.headers { MHD_add_response_header(response, name, value) }
    let result = MHD_queue_response(connection, UInt32(r.status), response)
    MHD_destroy_response(response)
    return result
}
