/// The fields each event takes (the playbook's table), by their CLI flag names without
/// dashes. One table serves the CLI, the API and validation, so they cannot drift apart.
public enum EventSchema {
    public enum FieldType: Sendable, Equatable {
        case text
        case count           // a whole number >= 0
        case ordinal         // a whole number >= 1
        case money           // USD, a plain decimal >= 0
        case date            // a calendar date YYYY-MM-DD
        case choice([String])
        case flag            // present or not
    }

    public struct Field: Sendable {
        public var name: String
        public var type: FieldType
        public var required: Bool
    }

    static func f(_ name: String, _ type: FieldType = .text, required: Bool = false) -> Field {
        Field(name: name, type: type, required: required)
    }

    public static func fields(_ kind: EventKind) -> [Field] {
        switch kind {
        case .threat:
            return [f("account", required: true), f("channel", .choice(Channel.allCases.map(\.rawValue)), required: true),
                    f("text", required: true), f("reach", .count), f("press", .flag)]
        case .ack, .ceoBriefed, .ceoDecision, .updateSent, .diagnosed, .resolved, .closed: return [f("text")]
        case .callStart, .callEnd: return []
        case .note:
            return [f("phase", .choice(NotePhase.allCases.map(\.rawValue)), required: true), f("text"), f("what_broke"),
                    f("expected"), f("need_now"), f("pressure")]
        case .commitment: return [f("text", required: true), f("owner", required: true), f("due", .date, required: true)]
        case .commitmentDone: return [f("n", .ordinal, required: true)]
        case .recapSent: return [f("force", .flag)]
        case .publicPost: return [f("url"), f("reach", .count)]
        case .publicResponse: return [f("url")]
        case .concession:
            return [f("kind", .choice(ConcessionKind.allCases.map(\.rawValue)), required: true), f("amount", .money, required: true),
                    f("override")]
        case .evidence: return [f("file", required: true), f("note")]
        case .marker: return [f("name", .choice(MarkerName.allCases.map(\.rawValue)), required: true)]
        }
    }

    /// The yes/no fields of any event (`press`, `force`).
    public static let flagNames: Set<String> = Set(EventKind.allCases.flatMap { fields($0) }.filter { $0.type == .flag }.map(\.name))

    /// A problem with the fields given: not in the event's row (usage) or a bad value (input).
    public enum Problem: Error, Equatable, Sendable {
        case unknownField(String)
        case badValue(String)
    }

    /// Checks raw values against the event's row and returns them normalised
    /// (trimmed text, `true` for flags, canonical numbers and dates).
    public static func normalise(_ kind: EventKind, _ raw: [String: String]) -> Result<[String: String], Problem> {
        let row = fields(kind)
        for name in raw.keys.sorted() where !row.contains(where: { $0.name == name }) {
            return .failure(.unknownField("\(kind.rawValue) takes no \(name)" + (row.isEmpty ? "" : " (it takes: \(row.map(\.name).joined(separator: ", ")))")))
        }
        var out: [String: String] = [:]
        for field in row {
            guard let value = raw[field.name]?.trimmingWhitespace() else {
                if field.required { return .failure(.badValue("\(kind.rawValue) needs \(field.name)")) }
                continue
            }
            switch field.type {
            case .text:
                guard !value.isEmpty else {
                    if field.required { return .failure(.badValue("\(kind.rawValue) needs \(field.name)")) }
                    continue
                }
                out[field.name] = value
            case .count, .ordinal:
                guard let n = Int(value), n >= (field.type == .ordinal ? 1 : 0) else {
                    return .failure(.badValue("\(field.name) must be a whole number\(field.type == .ordinal ? " from 1" : " >= 0"), got \"\(value)\""))
                }
                out[field.name] = String(n)
            case .money:
                guard let d = Double(value), d.isFinite, d >= 0, !value.contains("e"), !value.contains("E") else {
                    return .failure(.badValue("\(field.name) must be an amount in USD such as 5000 or 1250.50, got \"\(value)\""))
                }
                out[field.name] = value
            case .date:
                guard let d = ISO8601.parseDate(value) else {
                    return .failure(.badValue("\(field.name) must be a calendar date YYYY-MM-DD, got \"\(value)\""))
                }
                out[field.name] = d.description
            case .choice(let options):
                let v = value.lowercased()
                guard options.contains(v) else {
                    return .failure(.badValue("\(field.name) must be one of \(options.joined(separator: ", ")), got \"\(value)\""))
                }
                out[field.name] = v
            case .flag:
                switch value.lowercased() {
                case "", "true", "yes", "1": out[field.name] = "true"
                case "false", "no", "0": break
                default: return .failure(.badValue("\(field.name) is a yes/no flag, got \"\(value)\""))
                }
            }
        }
        return .success(out)
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
