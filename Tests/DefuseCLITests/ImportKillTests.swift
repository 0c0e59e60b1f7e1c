import DefuseStore
import Foundation
import Testing

@Suite("An import killed part-way leaves the database as it was", .serialized)
struct ImportKillTests {
    @Test("SIGKILL at several moments: the database holds either nothing new or everything")
    func killMidImport() throws {
        let dir = try TempDir()
        let data = dir.path + "/data"
        let gen = try runBinary(["--db", dir.db, "demo", "--accounts", "30000", "--csv", data, "--no-import", "--at", "2026-12-01T00:00:00Z"])
        #expect(gen.code == 0, "\(gen.err)")
        // A first small import, so "as it was" is not just "empty".
        try Data("account_id,name,arr_usd\nKEEP-1,Keep,1\n".utf8).write(to: URL(fileURLWithPath: dir.path + "/keep.csv"))
        #expect(try runBinary(["--db", dir.db, "import", dir.path + "/keep.csv"]).code == 0)

        var killedMidWay = 0
        for delay in [0.15, 0.3, 0.45, 0.6, 0.8, 1.0, 1.3] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: binaryPath())
            p.arguments = ["--db", dir.db, "import", data]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            Thread.sleep(forTimeInterval: delay)
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let store = try SQLiteStore(path: dir.db)
            let count = try store.accountCount()
            #expect(count == 1 || count == 30_001, "after a kill at \(delay)s the database holds \(count) accounts")
            #expect(try store.db.scalar("SELECT count(*) FROM pragma_integrity_check WHERE integrity_check != 'ok'") == 0)
            if p.terminationReason == .uncaughtSignal && count == 1 { killedMidWay += 1 }
            if count == 30_001 { break }
        }
        #expect(killedMidWay > 0, "no kill landed before the import finished")
    }
}
