import CCurl

/// A message could not be delivered; the outbox retries it.
public struct DeliveryError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Owns one libcurl easy handle (and its error buffer), cleaned up in `deinit`.
final class CurlEasy {
    private static let ready: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK
    let handle: UnsafeMutableRawPointer
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    /// Lists handed to curl must outlive `perform`.
    private var lists: [CurlList] = []

    init() throws(DeliveryError) {
        guard Self.ready, let h = curl_easy_init() else { throw DeliveryError("libcurl could not start") }
        handle = h
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        _ = defuse_curl_long(h, CURLOPT_NOSIGNAL, 1)
        _ = defuse_curl_pointer(h, CURLOPT_ERRORBUFFER, errorBuffer)
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    func set(_ option: CURLoption, _ value: Int) { _ = defuse_curl_long(handle, option, value) }
    func set(_ option: CURLoption, _ value: String) { _ = defuse_curl_string(handle, option, value) }
    func set(_ option: CURLoption, list items: [String]) {
        let list = CurlList(items)
        lists.append(list)
        _ = defuse_curl_pointer(handle, option, UnsafeMutableRawPointer(list.head))
    }

    /// Runs the transfer; a failure says what curl saw.
    func perform(_ what: String) throws(DeliveryError) {
        errorBuffer[0] = 0
        let rc = curl_easy_perform(handle)
        guard rc == CURLE_OK else {
            let detail = String(cString: errorBuffer)
            throw DeliveryError("\(what): \(detail.isEmpty ? String(cString: curl_easy_strerror(rc)) : detail)")
        }
    }

    var responseCode: Int {
        var code = 0
        _ = defuse_curl_response_code(handle, &code)
        return code
    }
}

/// Owns a `curl_slist`.
final class CurlList {
    private(set) var head: UnsafeMutablePointer<curl_slist>?
    init(_ items: [String]) { for i in items { head = curl_slist_append(head, i) } }
    deinit { curl_slist_free_all(head) }
}
