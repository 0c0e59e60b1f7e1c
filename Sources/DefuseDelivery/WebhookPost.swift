import CCurl

/// POSTs JSON to a webhook with libcurl. Any 2xx answer is a delivery.
public enum WebhookPost {
    public static func send(url: String, body: [UInt8], headers: [String], timeoutSeconds: Int = 10) throws(DeliveryError) {
        let curl = try CurlEasy()
        curl.set(CURLOPT_URL, url)
        curl.set(CURLOPT_TIMEOUT, timeoutSeconds)
        curl.set(CURLOPT_CONNECTTIMEOUT, min(5, timeoutSeconds))
        curl.set(CURLOPT_POST, 1)
        curl.set(CURLOPT_HTTPHEADER, list: ["Content-Type: application/json", "User-Agent: defuse"] + headers)
        _ = defuse_curl_size(curl.handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
        _ = body.withUnsafeBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: max(buf.count, 1)) { defuse_curl_pointer(curl.handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: $0)) }
        }
        _ = defuse_curl_discard_body(curl.handle)
        try curl.perform("POST \(url)")
        let code = curl.responseCode
        guard (200..<300).contains(code) else { throw DeliveryError("POST \(url): HTTP \(code)") }
    }
}
