/// HTML written in Swift. Text and attribute values always escape `& < > " '`; `raw` is the
/// one explicit escape hatch (cmark's output and our own stylesheet).
public indirect enum Node: Sendable {
    case element(String, [(String, String)], Node)
    case text(String)
    case raw(String)
    case fragment([Node])

    public static let empty = Node.fragment([])
    static let voidElements: Set<String> = ["br", "hr", "img", "input", "link", "meta"]

    public func render() -> String {
        var out = ""
        render(into: &out)
        return out
    }

    public func render(into out: inout String) {
        switch self {
        case .text(let s): out += htmlEscape(s)
        case .raw(let s): out += s
        case .fragment(let nodes): for n in nodes { n.render(into: &out) }
        case .element(let name, let attributes, let content):
            out += "<" + name
            for (k, v) in attributes { out += " \(k)=\"\(htmlEscape(v))\"" }
            out += ">"
            guard !Self.voidElements.contains(name) else { return }
            content.render(into: &out)
            out += "</\(name)>"
        }
    }
}

@resultBuilder
public enum HTMLBuilder {
    public static func buildBlock(_ parts: Node...) -> Node { .fragment(parts) }
    public static func buildExpression(_ node: Node) -> Node { node }
    public static func buildExpression(_ text: String) -> Node { .text(text) }
    public static func buildOptional(_ node: Node?) -> Node { node ?? .empty }
    public static func buildEither(first: Node) -> Node { first }
    public static func buildEither(second: Node) -> Node { second }
    public static func buildArray(_ nodes: [Node]) -> Node { .fragment(nodes) }
}

/// `tag("a", ["href": url]) { "text" }`
public func tag(_ name: String, _ attributes: KeyValuePairs<String, String> = [:], @HTMLBuilder _ content: () -> Node = { .empty }) -> Node {
    .element(name, attributes.map { ($0.key, $0.value) }, content())
}

/// Like `tag`, with attributes computed at run time (some present only sometimes).
public func tag(_ name: String, attributes: [(String, String)], @HTMLBuilder _ content: () -> Node = { .empty }) -> Node {
    .element(name, attributes, content())
}
