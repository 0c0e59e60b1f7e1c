import DefuseCrypto
import DefuseDomain
import Foundation

/// Evidence files, content-addressed by SHA-256 under one directory (`ab/abcdef...`), written
/// once, read-only, never altered or removed.
public struct EvidenceLocker: Sendable {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    /// `evidence_dir`, else `evidence/` beside a SQLite file (or in the working directory).
    public init(config: Configuration, storeLocation: String) {
        if let dir = config.sharing.evidenceDir { directory = dir; return }
        let isFile = !storeLocation.contains("://")
        directory = isFile ? URL(fileURLWithPath: storeLocation).deletingLastPathComponent().appendingPathComponent("evidence").path : "evidence"
    }

    public func path(_ sha256: String) -> String { "\(directory)/\(sha256.prefix(2))/\(sha256)" }

    /// Keeps the bytes and returns their SHA-256. A file already kept under that hash stays as it is.
    public func put(_ bytes: [UInt8]) throws -> String {
        let sha = Crypto.sha256Hex(bytes)
        let target = path(sha)
        let fm = FileManager.default
        if fm.fileExists(atPath: target) { return sha }
        let folder = (target as NSString).deletingLastPathComponent
        try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // Written beside, then renamed: a crash leaves no half file under the hash.
        let temp = "\(folder)/.\(sha).\(UUID().uuidString)"
        guard fm.createFile(atPath: temp, contents: Data(bytes), attributes: [.posixPermissions: 0o444]) else {
            throw EvidenceError("cannot write the evidence file in \(folder)")
        }
        if rename(temp, target) != 0 {
            try? fm.removeItem(atPath: temp)
            throw EvidenceError("cannot store the evidence file as \(target)")
        }
        return sha
    }

    public func read(_ sha256: String) -> [UInt8]? {
        guard sha256.count == 64, sha256.allSatisfy(\.isHexDigit), let data = FileManager.default.contents(atPath: path(sha256)) else { return nil }
        return [UInt8](data)
    }

    public enum Check: Equatable, Sendable {
        case intact
        case changed(actual: String)
        case missing
    }

    /// Re-hashes the stored file.
    public func verify(_ sha256: String) -> Check {
        guard let bytes = read(sha256) else { return .missing }
        let actual = Crypto.sha256Hex(bytes)
        return actual == sha256 ? .intact : .changed(actual: actual)
    }
}

public struct EvidenceError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension Escalations {
    /// Files one piece of evidence: checked by its bytes (PNG, JPEG, WebP or PDF) and size,
    /// stored by its SHA-256, and logged as an `evidence` event with hash, name, size and type.
    public func logEvidence(_ id: String, bytes: [UInt8], name: String, note: String?, at: Timestamp?, user: String, now: Timestamp,
                            locker: EvidenceLocker) throws(AppError) -> EscalationStatus {
        let limit = config.sharing.evidenceMaxBytes
        guard bytes.count <= limit else {
            throw .tooLarge("the file is \(Money.grouped(Double(bytes.count))) bytes; the evidence limit is \(Money.grouped(Double(limit))) (evidence_max_mb)")
        }
        guard !bytes.isEmpty else { throw .input("the file is empty") }
        guard let kind = EvidenceFile.sniff(bytes) else {
            throw .unsupported("\(EvidenceFile.sanitisedName(name)) is not a PNG, JPEG, WebP or PDF (judged by its content, not its name)")
        }
        let sha = Crypto.sha256Hex(bytes)
        var fields = ["file": EvidenceFile.sanitisedName(name), "sha256": sha, "size": String(bytes.count), "type": kind.rawValue]
        if let note, !note.trimmingCharacters(in: .whitespaces).isEmpty { fields["note"] = note }
        return try record(id, .evidence, fields, at: at, user: user, now: now) {
            let stored = try locker.put(bytes)
            guard stored == sha else { throw EvidenceError("the stored file's hash differs") }
        }
    }

    /// Every evidence item of the escalation with the outcome of re-hashing its stored file.
    public func verifyEvidence(_ id: String, locker: EvidenceLocker) throws(AppError) -> [(event: EscalationEvent, check: EvidenceLocker.Check)] {
        let e = try escalation(id)
        return e.ordered.filter { $0.kind == .evidence }.map { ev in
            guard let sha = ev["sha256"] else { return (ev, .missing) }
            return (ev, locker.verify(sha))
        }
    }
}
