import DefuseDomain
import DefuseStore
import Foundation

/// `--db` and `--config`, which every command accepts anywhere on the line.
public struct GlobalOptions {
    public var db: String
    public var configPath: String?

    /// Pulls the global flags out of `args`, leaving the command's own.
    static func extract(_ args: inout [String], context: Context) throws(CLIError) -> GlobalOptions {
        var db: String?
        var config: String?
        var rest: [String] = []
        var i = 0
        while i < args.count {
            let a = args[i]
            func value() throws(CLIError) -> String {
                if let eq = a.firstIndex(of: "=") { return String(a[a.index(after: eq)...]) }
                i += 1
                guard i < args.count else { throw .usage("\(a) needs a value") }
                return args[i]
            }
            if a == "--db" || a.hasPrefix("--db=") { db = try value() }
            else if a == "--config" || a.hasPrefix("--config=") { config = try value() }
            else if a == "--" { rest += args[i...]; break }
            else { rest.append(a) }
            i += 1
        }
        args = rest
        let location = db ?? context.environment["DEFUSE_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "./defuse.db"
        return GlobalOptions(db: location, configPath: config)
    }

    /// The configuration: `--config FILE`, else `defuse.conf` beside the database, else defaults.
    func configuration() throws(CLIError) -> Configuration {
        let path: String
        if let configPath {
            path = configPath
        } else {
            let isURL = db.contains("://")
            let dir = isURL ? "." : (db as NSString).deletingLastPathComponent
            path = ((dir.isEmpty ? "." : dir) as NSString).appendingPathComponent("defuse.conf")
            guard FileManager.default.fileExists(atPath: path) else { return Configuration() }
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .input("\(path): cannot read the configuration file")
        }
        do {
            return try Configuration.parse(String(decoding: data, as: UTF8.self))
        } catch {
            throw .input("\(path):\(error.line): \(error.message)")
        }
    }

    func openStore() throws(CLIError) -> Store {
        do {
            return try DefuseStore.openStore(db)
        } catch let e as StoreError {
            throw .input(e.description)
        } catch {
            throw .input("cannot open the database \(db): \(error)")
        }
    }
}

/// Parses a `T` flag value (`--at`, `--as-of`), naming the flag when it is bad.
func timestamp(_ value: String?, flag: String) throws(CLIError) -> Timestamp? {
    guard let value else { return nil }
    guard let t = ISO8601.parse(value) else {
        throw .input("--\(flag): not a timestamp: \"\(value)\" (expected e.g. 2026-03-05T14:02:00Z)")
    }
    return t
}

/// Parses a whole-number flag value within `range`.
func wholeNumber(_ value: String?, flag: String, in range: ClosedRange<Int>) throws(CLIError) -> Int? {
    guard let value else { return nil }
    guard let n = Int(value), range.contains(n) else {
        throw .input("--\(flag): expected a whole number from \(range.lowerBound) to \(range.upperBound), got \"\(value)\"")
    }
    return n
}
