/// A parsed command line: positional words and `--flag value` / `--flag` pairs, checked
/// against the flags a command accepts.
public struct Arguments {
    public var positional: [String] = []
    public var values: [String: String] = [:]
    public var switches: Set<String> = []

    /// `valued` flags take a value (`--at T` or `--at=T`); `switches` take none.
    public init(_ args: [String], valued: Set<String>, switches allowed: Set<String>, command: String) throws(CLIError) {
        var i = 0
        var onlyPositional = false
        while i < args.count {
            let a = args[i]
            i += 1
            if onlyPositional || !a.hasPrefix("--") || a == "-" {
                positional.append(a); continue
            }
            if a == "--" { onlyPositional = true; continue }
            var name = String(a.dropFirst(2))
            var inline: String?
            if let eq = name.firstIndex(of: "=") {
                inline = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            if valued.contains(name) {
                if let inline { values[name] = inline; continue }
                guard i < args.count else { throw .usage("\(command): --\(name) needs a value") }
                values[name] = args[i]
                i += 1
            } else if allowed.contains(name), inline == nil {
                switches.insert(name)
            } else {
                let known = (valued.union(allowed)).sorted().map { "--\($0)" }.joined(separator: " ")
                throw .usage("\(command): unknown flag --\(name)" + (known.isEmpty ? "" : " (accepted: \(known))"))
            }
        }
    }

    public subscript(_ name: String) -> String? { values[name] }
    public func has(_ name: String) -> Bool { switches.contains(name) }
}
