/// Anything written can be screenshotted. Flags phrases in a draft for a written channel that
/// admit fault or liability, promise what is not committed, or mention money.
public enum WrittenCaution {
    public struct Warning: Hashable, Sendable, CustomStringConvertible {
        public var phrase: String
        public var reason: String
        public var description: String { "\"\(phrase)\" \(reason): say it on a voice call instead, or leave it out" }
    }

    static let rules: [(reason: String, phrases: [String])] = [
        ("admits fault or liability", ["our fault", "we are at fault", "we're at fault", "we are liable", "we're liable", "liability",
                                       "negligen", "we admit", "we messed up", "we screwed up", "we failed you", "our mistake", "breach of contract"]),
        ("promises what is not committed", ["guarantee", "we promise", "will never happen again", "never again", "100%",
                                            "immediately fix", "by tomorrow", "right away", "whatever it takes"]),
        ("mentions money", ["refund", "discount", "credit", "compensat", "free of charge", "for free", "money back", "chargeback",
                            "reimburs", "waive", "$", "usd", "price"]),
    ]

    public static func check(_ text: String) -> [Warning] {
        let lower = text.lowercased()
        var out: [Warning] = []
        for (reason, phrases) in rules {
            for p in phrases where lower.contains(p) { out.append(Warning(phrase: p, reason: reason)) }
        }
        return out
    }
}
