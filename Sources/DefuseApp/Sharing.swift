import DefuseCrypto
import DefuseDomain
import DefuseStore
import Foundation

/// The customer's share links (`playbook.md`, "What the customer sees"). A link's token is
/// HMAC-SHA256 of the row's random salt under a key kept outside the database; the database keeps
/// only the token's SHA-256. The key lets Defuse print a live link again (for the public reply);
/// a copy of the database alone opens nothing.
public struct Sharing {
    public let store: Store
    public let config: Configuration
    public let keyFile: String
    /// Links stop working this long after the escalation is closed.
    public static let lifetimeAfterClose = TimeSpan.days(Int64(30))

    public init(store: Store, config: Configuration, storeLocation: String) {
        self.store = store
        self.config = config
        let isFile = !storeLocation.contains("://")
        keyFile = isFile ? URL(fileURLWithPath: storeLocation).deletingLastPathComponent().appendingPathComponent("defuse.key").path : "defuse.key"
    }

    func wrap<T>(_ body: () throws -> T) throws(AppError) -> T {
        do { return try body() } catch let e as AppError { throw e } catch { throw .input("\(error)") }
    }

    /// `share_secret`, else 32 random bytes in `defuse.key` (created once, readable by its owner only).
    func key() throws -> [UInt8] {
        if let secret = config.sharing.shareSecret { return Array(secret.utf8) }
        if let data = FileManager.default.contents(atPath: keyFile), data.count >= 32 { return [UInt8](data) }
        let fd = open(keyFile, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        if fd >= 0 {
            let bytes = Crypto.randomBytes(32)
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, 32) }
            close(fd)
            guard written == 32 else { throw EvidenceError("cannot write the share key \(keyFile)") }
            return bytes
        }
        // Another process created it first.
        guard let data = FileManager.default.contents(atPath: keyFile), data.count >= 32 else { throw EvidenceError("cannot read the share key \(keyFile)") }
        return [UInt8](data)
    }

    func token(salt: String, key: [UInt8]) -> String {
        "s" + Crypto.hmacSHA256Hex(key: key, message: Array("defuse-share:\(salt)".utf8))
    }

    public func url(_ token: String) -> String { "\(config.sharing.baseURL)/s/\(token)" }

    /// A new link for the escalation (earlier live links keep working until revoked).
    public func create(_ id: String, user: String, now: Timestamp) throws(AppError) -> String {
        guard let number = Escalation.number(fromID: id), try wrap({ try store.loadEscalation(number) }) != nil else {
            throw .notFound("no escalation \"\(id)\"")
        }
        let salt = Crypto.randomHex(bytes: 16)
        let token = token(salt: salt, key: try wrap { try key() })
        try wrap { try store.saveShareLink(escalation: number, salt: salt, hash: Crypto.sha256Hex(Array(token.utf8)), user: user, at: now) }
        return url(token)
    }

    public func revoke(_ id: String, now: Timestamp) throws(AppError) -> Int {
        guard let number = Escalation.number(fromID: id), try wrap({ try store.loadEscalation(number) }) != nil else {
            throw .notFound("no escalation \"\(id)\"")
        }
        return try wrap { try store.revokeShareLinks(escalation: number, at: now) }
    }

    /// The newest live link, for the public reply; nil when there is none (or no key to rebuild it).
    public func currentLink(_ number: Int) -> String? {
        guard let link = try? store.liveShareLinks(escalation: number).first, let key = try? key() else { return nil }
        return url(token(salt: link.salt, key: key))
    }

    /// The customer's view for a token, or nil for a made-up, revoked or expired one (all 404).
    public func view(token: String, now: Timestamp) -> CustomerView? {
        guard token.utf8.count == 65, token.hasPrefix("s"), token.utf8.dropFirst().allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }) else {
            return nil
        }
        guard let number = try? store.shareLinkEscalation(hash: Crypto.sha256Hex(Array(token.utf8))) else { return nil }
        let svc = Escalations(store: store, config: config)
        guard let s = try? svc.status(number, asOf: now) else { return nil }
        if let closed = s.progress.closedAt, now >= closed + Self.lifetimeAfterClose { return nil }
        return CustomerView(s, vendor: config.sharing.vendorName)
    }
}
