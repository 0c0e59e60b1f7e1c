import DefuseDomain
import DefuseStore

/// Who receives a notice: the account's CSM and users by role by e-mail (when SMTP is set up),
/// and every configured webhook. Each address once.
struct Recipients {
    var users: [User]
    var settings: NotificationSettings

    var emailOn: Bool { settings.smtpURL != nil }
    var webhooks: [Webhook] { settings.webhooks.filter { $0.url != nil } }
    /// Nothing could ever be delivered: the scheduler can rest.
    var isEmpty: Bool { !emailOn && webhooks.isEmpty }

    func expand(_ audiences: [Audience], csm: String?) -> [(channel: OutboxMessage.Channel, to: String)] {
        var out: [(OutboxMessage.Channel, String)] = []
        var seen = Set<String>()
        func mail(_ address: String?) {
            guard emailOn, let address, address.contains("@"), seen.insert(address.lowercased()).inserted else { return }
            out.append((.email, address))
        }
        for a in audiences {
            switch a {
            case .csm: mail(csm)
            case .role(let role): for u in users where u.role == role { mail(u.email) }
            case .user(let name): mail(users.first { $0.name == name }?.email)
            case .address(let address): mail(address)
            case .team: for w in webhooks where seen.insert("webhook:" + w.name).inserted { out.append((.webhook, w.name)) }
            case .webhook(let name):
                if webhooks.contains(where: { $0.name == name }), seen.insert("webhook:" + name).inserted { out.append((.webhook, name)) }
            }
        }
        return out
    }
}
