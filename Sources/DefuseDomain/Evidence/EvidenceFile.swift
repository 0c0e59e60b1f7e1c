/// What the evidence locker accepts, judged by a file's bytes (never its name), and the name
/// it is kept under.
public enum EvidenceFile {
    public enum Kind: String, CaseIterable, Sendable {
        case png = "image/png", jpeg = "image/jpeg", webp = "image/webp", pdf = "application/pdf"
        public var isImage: Bool { self != .pdf }
        public var fileExtension: String {
            switch self { case .png: "png"; case .jpeg: "jpg"; case .webp: "webp"; case .pdf: "pdf" }
        }
    }

    /// PNG, JPEG, WebP or PDF by their signatures; nil for anything else.
    public static func sniff(_ b: [UInt8]) -> Kind? {
        if b.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if b.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if b.count >= 12, b.starts(with: Array("RIFF".utf8)), Array(b[8..<12]) == Array("WEBP".utf8) { return .webp }
        if b.starts(with: Array("%PDF-".utf8)) { return .pdf }
        return nil
    }

    /// A name safe to show and to offer as a download: the last path component, without
    /// control characters, quotes or separators, at most 120 characters; `evidence` if
    /// nothing is left.
    public static func sanitisedName(_ raw: String) -> String {
        let last = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        var out = ""
        for u in last.unicodeScalars {
            let bad = u.properties.generalCategory == .control || u.properties.generalCategory == .format
                || "\"'<>:*?|;`$".unicodeScalars.contains(u)
            out.unicodeScalars.append(bad ? "_" : u)
        }
        while out.hasPrefix(".") || out.hasPrefix(" ") { out.removeFirst() }
        out = String(out.prefix(120)).trimmingSpaces
        return out.isEmpty ? "evidence" : out
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
