import DefuseCrypto
import DefuseDomain
import DefuseRender
import DefuseStore
import Foundation

/// `defuse migrate`: brings the database to this build's schema (every command does on opening).
enum MigrateCommand {
    static func run(_ args: [String], _ g: GlobalOptions, _ ctx: Context) throws(CLIError) -> Int32 {
        let a = try Arguments(args, valued: [], switches: [], command: "migrate")
        guard a.positional.isEmpty else { throw .usage("migrate: unexpected argument \(a.positional[0])") }
        let store = try g.openStore()
        let version = store is PostgresStore ? PostgresStore.schemaVersion : SQLiteStore.schemaVersion
        ctx.out("\(store.location): schema \(version), up to date\n")
        return 0
    }
}

/// `defuse copy --from A --to B [--force]`: everything, table by table, then counts and
/// checksums compared on both sides.
enum CopyCommand {
    static func run(_ args: [String], _ g: GlobalOptions, _ ctx: Context) throws(CLIError) -> Int32 {
        let a = try Arguments(args, valued: ["from", "to"], switches: ["force"], command: "copy")
        guard a.positional.isEmpty, let from = a["from"], let to = a["to"] else {
            throw .usage("copy: defuse copy --from defuse.db --to postgres://... [--force]")
        }
        guard from != to else { throw .usage("copy: --from and --to are the same database") }
        do {
            guard let source = try openStore(from) as? TableCopy & Store, let target = try openStore(to) as? TableCopy & Store else {
                throw CLIError.input("copy: these stores cannot be copied")
            }
            let present = try CopyTables.tables.map { try target.rowCount($0.name) }.reduce(0, +)
            if present > 0 {
                guard a.has("force") else {
                    throw CLIError.input("copy: \(target.location) already holds \(present) rows; nothing was copied (add --force to replace them)")
                }
                try target.clearAll()
            }
            let progress = ctx.stderrIsTTY
            for (table, _) in CopyTables.tables {
                var copied = 0
                try source.readTable(table, batch: 5_000) { rows in
                    try target.writeTable(table, rows)
                    copied += rows.count
                    if progress { ctx.err("\r\(table): \(Money.grouped(Double(copied))) rows…") }
                }
                if progress { ctx.err("\r\u{1B}[K") }
            }
            try target.resetSequences()
            var mismatches = 0
            for (table, _) in CopyTables.tables {
                let (n1, h1) = try checksum(source, table)
                let (n2, h2) = try checksum(target, table)
                let same = n1 == n2 && h1 == h2
                if !same { mismatches += 1 }
                ctx.out("\(table): \(Money.grouped(Double(n2))) rows, \(same ? "checksums match" : "MISMATCH (source \(n1) rows, \(h1.prefix(12)); target \(h2.prefix(12)))")\n")
            }
            guard mismatches == 0 else { throw CLIError.input("copy: \(mismatches) table(s) differ after the copy") }
            ctx.out("copied \(source.location) to \(target.location)\n")
        } catch let e as CLIError { throw e } catch { throw .input("copy: \(error)") }
        return 0
    }

    /// Rows and a SHA-256 over them in key order, values separated by 0x1F, NULL as 0x00.
    static func checksum(_ store: TableCopy, _ table: String) throws -> (Int, String) {
        var hash = Crypto.SHA256()
        var count = 0
        try store.readTable(table, batch: 10_000) { rows in
            var bytes: [UInt8] = []
            for row in rows {
                for v in row { if let v { bytes += Array(v.utf8) } else { bytes.append(0) }; bytes.append(0x1F) }
                bytes.append(0x1E)
            }
            hash.update(bytes)
            count += rows.count
        }
        return (count, hash.hex())
    }
}

/// `defuse backup FILE`, `defuse restore FILE [--force]`: SQLite's online backup API. For
/// PostgreSQL, pg_dump and pg_restore (see the README).
enum BackupCommand {
    static func run(_ args: [String], _ g: GlobalOptions, _ ctx: Context, restore: Bool) throws(CLIError) -> Int32 {
        let name = restore ? "restore" : "backup"
        let a = try Arguments(args, valued: [], switches: restore ? ["force"] : [], command: name)
        guard a.positional.count == 1 else { throw .usage("\(name): defuse \(name) FILE" + (restore ? " [--force]" : "")) }
        let file = a.positional[0]
        guard !isPostgresURL(g.db) else {
            throw .usage("\(name): for PostgreSQL use pg_dump -Fc (and pg_restore); see the README's Backups section")
        }
        let store = try g.openStore()
        guard let sqlite = store as? SQLiteStore else { throw .input("\(name): not a SQLite database") }
        do {
            if restore {
                guard FileManager.default.fileExists(atPath: file) else { throw CLIError.input("restore: no file \(file)") }
                let present = try CopyTables.tables.map { try sqlite.rowCount($0.name) }.reduce(0, +)
                guard present == 0 || a.has("force") else {
                    throw CLIError.input("restore: \(g.db) holds \(present) rows; nothing was changed (add --force to replace them with the backup)")
                }
                try sqlite.restore(from: file)
                ctx.out("restored \(g.db) from \(file)\n")
            } else {
                try sqlite.backup(to: file)
                ctx.out("backed up \(g.db) to \(file)\n")
            }
        } catch let e as CLIError { throw e } catch { throw .input("\(name): \(error)") }
        return 0
    }
}
