import Foundation
import Testing

/// The built binary on the checked-in fixture set, against golden files.
@Suite("defuse report, end to end")
struct ReportEndToEndTests {
    let asOf = "2026-11-15T12:00:00Z"

    func imported() throws -> TempDir {
        let dir = try TempDir()
        let r = try runBinary(["--db", dir.db, "import", fixtures + "/health"])
        #expect(r.code == 0, "import failed: \(r.err)")
        return dir
    }

    @Test("the JSON report matches the golden file")
    func jsonGolden() throws {
        let dir = try imported()
        let r = try runBinary(["--db", dir.db, "report", "--as-of", asOf, "--format", "json", "--level", "all"])
        #expect(r.code == 0)
        #expect(r.err.isEmpty)
        try expectGolden(r.out, "report.json")
    }

    @Test("without --level all the report lists only red and yellow, but counts everyone")
    func defaultLevel() throws {
        let dir = try imported()
        let r = try runBinary(["--db", dir.db, "report", "--as-of", asOf, "--format", "json"])
        let json = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any]
        let ids = (json?["accounts"] as? [[String: Any]])?.compactMap { $0["account_id"] as? String }
        #expect(ids == ["RED-1", "RED-2", "YEL-1", "YEL-2"])
        #expect((json?["summary"] as? [String: Int])?["green"] == 5)
    }

    @Test("CSV, table and account views match their golden files")
    func otherFormats() throws {
        let dir = try imported()
        try expectGolden(try runBinary(["--db", dir.db, "report", "--as-of", asOf, "--format", "csv", "--level", "all"]).out, "report.csv")
        try expectGolden(try runBinary(["--db", dir.db, "report", "--as-of", asOf]).out, "report.txt")
        try expectGolden(try runBinary(["--db", dir.db, "account", "RED-1", "--as-of", asOf, "--format", "json"]).out, "account-RED-1.json")
        try expectGolden(try runBinary(["--db", dir.db, "account", "RED-2", "--as-of", asOf]).out, "account-RED-2.txt")
    }

    @Test("the HTML report is one self-contained page with every data string escaped")
    func html() throws {
        let dir = try imported()
        let r = try runBinary(["--db", dir.db, "report", "--as-of", asOf, "--format", "html", "--level", "all"])
        #expect(r.out.hasPrefix("<!doctype html>"))
        #expect(r.out.contains("&lt;b&gt;O&#39;Brien &amp; &quot;Sons&quot;&lt;/b&gt;"))
        #expect(!r.out.contains("<b>O'Brien"))
        #expect(!r.out.contains("<script"), "no script and no injected markup")
        #expect(!r.out.contains("http://") && !r.out.contains("https://"), "no external resources")
    }

    @Test("the report is the same read back through the account view")
    func accountAgreesWithReport() throws {
        let dir = try imported()
        let r = try runBinary(["--db", dir.db, "account", "RED-2", "--as-of", asOf, "--format", "json"])
        let json = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any]
        #expect(json?["flags"] as? [String] == ["response_delay", "sponsor_change"])
        let waiting = ((json?["evidence"] as? [String: Any])?["response_delay"] as? [String: Any])?["waiting"] as? [[String: Any]]
        #expect(waiting?.first?["ticket_id"] as? String == "R2-1")
        #expect(waiting?.first?["subject"] as? String == "<script>alert(1)</script>", "JSON carries the text as it is")
    }
}
