import DefuseCLI
import DefuseDomain
import Foundation
import Testing

/// The checked-in fixtures, read from the source tree.
let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

/// A temporary directory for one test, removed afterwards.
final class TempDir {
    let path: String
    init() throws {
        path = NSTemporaryDirectory() + "defuse-cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
    var db: String { path + "/test.db" }
    func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path + "/" + name))
    }
}

struct Run {
    var code: Int32
    var out: String
    var err: String
}

/// Runs `defuse` in-process with a fixed clock and captured streams.
func defuse(_ args: [String], now: String = "2026-12-04T09:00:00Z", stdin: String = "", tty: Bool = false) -> Run {
    var out = "", err = ""
    let clock = ISO8601.parse(now) ?? Timestamp(micros: 0)
    let ctx = Context(now: { clock }, environment: [:], stdoutIsTTY: tty, stderrIsTTY: false,
                      out: { out += $0 }, err: { err += $0 }, readStdin: { stdin }, loginName: "tester")
    let code = DefuseCLI.run(args, context: ctx)
    return Run(code: code, out: out, err: err)
}

/// The built `defuse` executable beside the test bundle.
func binaryPath() -> String {
    var dir = Bundle.main.bundleURL
    for _ in 0..<3 {
        let candidate = dir.appendingPathComponent("defuse").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        dir = dir.deletingLastPathComponent()
    }
    return URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../.build/debug/defuse").standardized.path
}

/// Runs the real executable and waits for it.
@discardableResult
func runBinary(_ args: [String], environment: [String: String] = [:]) throws -> Run {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: binaryPath())
    p.arguments = args
    p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return Run(code: p.terminationStatus, out: String(decoding: o, as: UTF8.self), err: String(decoding: e, as: UTF8.self))
}

/// Compares `actual` with a golden file; `DEFUSE_RECORD_GOLDEN=1` rewrites the file instead.
func expectGolden(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let path = fixtures + "/golden/" + name
    if ProcessInfo.processInfo.environment["DEFUSE_RECORD_GOLDEN"] == "1" {
        try FileManager.default.createDirectory(atPath: fixtures + "/golden", withIntermediateDirectories: true)
        try Data(actual.utf8).write(to: URL(fileURLWithPath: path))
        return
    }
    guard let data = FileManager.default.contents(atPath: path) else {
        Issue.record("no golden file \(name): run with DEFUSE_RECORD_GOLDEN=1 and review it", sourceLocation: sourceLocation)
        return
    }
    let expected = String(decoding: data, as: UTF8.self)
    if actual != expected {
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false), e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let first = zip(a, e).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, e.count)
        Issue.record("\(name) differs at line \(first + 1):\n  expected: \(first < e.count ? String(e[first]) : "<end>")\n  actual:   \(first < a.count ? String(a[first]) : "<end>")",
                     sourceLocation: sourceLocation)
    }
}
