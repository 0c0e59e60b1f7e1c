import DefuseDomain
import Foundation

/// What `releaseAtExit` keeps: written once per command, on the command's thread.
private final class KeptUntilExit: @unchecked Sendable {
    let lock = NSLock()
    var values: [Any] = []
    func keep(_ v: Any) { lock.withLock { values.append(v) } }
}
private let keptUntilExit = KeptUntilExit()

/// Everything a command touches outside itself, passed in so tests can run commands
/// in-process with a fixed clock and captured output.
public final class Context: @unchecked Sendable {
    public var now: @Sendable () -> Timestamp
    public var environment: [String: String]
    public var stdoutIsTTY: Bool
    public var stderrIsTTY: Bool
    public var out: (String) -> Void
    /// Raw bytes to standard output, for large outputs that are already UTF-8.
    public var outBytes: (UnsafeBufferPointer<UInt8>) -> Void
    public var err: (String) -> Void
    public var readStdin: () -> String
    public var loginName: String
    /// How the user invoked us, for commands we suggest (`.build/release/defuse`).
    public var programName = "defuse"
    /// Hands over a large result the command is done with. The real process keeps it until it
    /// exits, when the system takes the memory back at once: freeing 300,000 small objects one
    /// by one costs a list of 10,000 escalations a seventh of its time. Tests let it go.
    public var releaseAtExit: (Any) -> Void = { _ in }

    public init(now: @escaping @Sendable () -> Timestamp, environment: [String: String], stdoutIsTTY: Bool, stderrIsTTY: Bool,
                out: @escaping (String) -> Void, err: @escaping (String) -> Void, readStdin: @escaping () -> String,
                loginName: String) {
        self.now = now; self.environment = environment; self.stdoutIsTTY = stdoutIsTTY; self.stderrIsTTY = stderrIsTTY
        self.out = out; self.outBytes = { out(String(decoding: $0, as: UTF8.self)) }; self.err = err; self.readStdin = readStdin; self.loginName = loginName
    }

    /// The real process: system clock, real streams.
    public static func process() -> Context {
        let ctx = Context(
            now: { Timestamp(micros: Int64((Date().timeIntervalSince1970 * 1_000_000).rounded())) },
            environment: ProcessInfo.processInfo.environment,
            stdoutIsTTY: isatty(1) == 1, stderrIsTTY: isatty(2) == 1,
            out: { s in var s = s; s.withUTF8 { writeAll(1, $0) } },
            err: { s in var s = s; s.withUTF8 { writeAll(2, $0) } },
            readStdin: { String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self) },
            loginName: ProcessInfo.processInfo.environment["USER"] ?? ProcessInfo.processInfo.environment["LOGNAME"] ?? "defuse")
        ctx.programName = CommandLine.arguments.first ?? "defuse"
        ctx.outBytes = { bytes in writeAll(1, bytes) }
        ctx.releaseAtExit = { value in keptUntilExit.keep(value) }
        return ctx
    }

    /// All of `bytes` to a file descriptor, straight from memory (no copy into Data), short
    /// writes continued; stops quietly when the reader has gone (`defuse esc list | head`).
    static func writeAll(_ fd: Int32, _ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress else { return }
        var done = 0
        while done < bytes.count {
            let n = write(fd, base + done, bytes.count - done)
            if n > 0 { done += n } else if n < 0 && errno == EINTR { continue } else { return }
        }
    }

    /// Colour only on a terminal, and never when NO_COLOR is set.
    public var colourOut: Bool { stdoutIsTTY && environment["NO_COLOR"] == nil }
}
