import CSodium
import Foundation

/// libsodium, wrapped: argon2id password hashes, SHA-256, random tokens, constant-time compare.
public enum Crypto {
    /// sodium_init once, before any other call (thread-safe in libsodium).
    private static let ready: Bool = sodium_init() >= 0

    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        _ = ready
        var out = [UInt8](repeating: 0, count: Int(crypto_hash_sha256_bytes()))
        _ = crypto_hash_sha256(&out, bytes, UInt64(bytes.count))
        return hex(out)
    }

    /// HMAC-SHA256 of `message` under `key` (any length), as lower-case hex.
    public static func hmacSHA256Hex(key: [UInt8], message: [UInt8]) -> String {
        _ = ready
        var state = crypto_auth_hmacsha256_state()
        var out = [UInt8](repeating: 0, count: Int(crypto_auth_hmacsha256_bytes()))
        _ = crypto_auth_hmacsha256_init(&state, key, key.count)
        _ = crypto_auth_hmacsha256_update(&state, message, UInt64(message.count))
        _ = crypto_auth_hmacsha256_final(&state, &out)
        return hex(out)
    }

    /// SHA-256 over data given in pieces.
    public struct SHA256 {
        private var state = crypto_hash_sha256_state()
        public init() { _ = ready; _ = crypto_hash_sha256_init(&state) }
        public mutating func update(_ bytes: [UInt8]) { _ = crypto_hash_sha256_update(&state, bytes, UInt64(bytes.count)) }
        public mutating func hex() -> String {
            var out = [UInt8](repeating: 0, count: Int(crypto_hash_sha256_bytes()))
            _ = crypto_hash_sha256_final(&state, &out)
            return Crypto.hex(out)
        }
    }

    /// `count` random bytes.
    public static func randomBytes(_ count: Int) -> [UInt8] {
        _ = ready
        var buf = [UInt8](repeating: 0, count: count)
        randombytes_buf(&buf, count)
        return buf
    }

    /// `count` random bytes as lower-case hex.
    public static func randomHex(bytes count: Int) -> String {
        _ = ready
        var buf = [UInt8](repeating: 0, count: count)
        randombytes_buf(&buf, count)
        return hex(buf)
    }

    /// Equal without leaking where they differ.
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count, !a.isEmpty else { return a.isEmpty && b.isEmpty }
        return sodium_memcmp(a, b, a.count) == 0
    }

    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }
}

public struct CryptoError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// argon2id (libsodium's `crypto_pwhash_str`, interactive limits).
public enum PasswordHash {
    public static func make(_ password: String) throws(CryptoError) -> String {
        _ = Crypto.sha256Hex([])
        var out = [CChar](repeating: 0, count: Int(crypto_pwhash_strbytes()))
        let rc = password.withCString { p in
            crypto_pwhash_str(&out, p, UInt64(strlen(p)), UInt64(crypto_pwhash_opslimit_interactive()), crypto_pwhash_memlimit_interactive())
        }
        guard rc == 0 else { throw CryptoError(description: "could not hash the password (out of memory)") }
        return String(decoding: out.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public static func verify(_ password: String, against hash: String) -> Bool {
        _ = Crypto.sha256Hex([])
        return hash.withCString { h in password.withCString { p in crypto_pwhash_str_verify(h, p, UInt64(strlen(p))) == 0 } }
    }
}
