/// A command's failure: one line for standard error, and the exit code `cli.md` gives it.
public struct CLIError: Error, Equatable, Sendable {
    public var message: String
    public var exitCode: Int32

    /// 1: bad input (a bad value, an unknown id, a bad file).
    public static func input(_ m: String) -> CLIError { CLIError(message: m, exitCode: 1) }
    /// 2: the command line itself is wrong (unknown command or flag, missing argument).
    public static func usage(_ m: String) -> CLIError { CLIError(message: m, exitCode: 2) }
    /// 3: the playbook refuses the event.
    public static func refused(_ m: String) -> CLIError { CLIError(message: m, exitCode: 3) }
}
