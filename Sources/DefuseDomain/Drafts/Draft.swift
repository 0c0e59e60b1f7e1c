/// A message Defuse drafts from the record, in Markdown, with the caution warnings when it
/// goes out on a written channel.
public struct Draft: Sendable {
    public enum Kind: String, CaseIterable, Sendable { case triage, recap, ceo, `public`, postmortem }
    public var kind: Kind
    public var markdown: String
    public var warnings: [WrittenCaution.Warning]

    /// `timeline`: the customer's share page, linked from the public reply.
    public static func make(_ kind: Kind, _ s: EscalationStatus, timeline: String? = nil) -> Draft {
        let md: String
        var written = true
        switch kind {
        case .triage: md = Drafts.triage(s); written = s.channel?.isWritten ?? true
        case .recap: md = Drafts.recap(s)
        case .ceo: md = Drafts.ceo(s); written = false
        case .public: md = Drafts.publicReply(s, timeline: timeline)
        case .postmortem: md = Drafts.postmortem(s); written = false
        }
        // The call guide in the triage draft is internal: only the reply is checked.
        let checked = kind == .triage ? String(md.split(separator: "\n## Call guide", maxSplits: 1).first ?? "") : md
        return Draft(kind: kind, markdown: md, warnings: written ? WrittenCaution.check(checked) : [])
    }
}
