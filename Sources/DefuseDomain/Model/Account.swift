/// A customer account, as exported from the CRM (`accounts.csv`).
public struct Account: Hashable, Sendable {
    public var id: String
    public var name: String
    public var arrUSD: Double
    public var renewalDate: Timestamp?
    public var csm: String?
    public var execSponsor: String?
    /// Survey answers before this moment do not count.
    public var onboardedOn: Timestamp?
    /// IANA zone of the customer; `UTC` when the CRM gave none.
    public var timeZone: String

    public init(id: String, name: String, arrUSD: Double, renewalDate: Timestamp? = nil, csm: String? = nil,
                execSponsor: String? = nil, onboardedOn: Timestamp? = nil, timeZone: String = "UTC") {
        self.id = id; self.name = name; self.arrUSD = arrUSD; self.renewalDate = renewalDate; self.csm = csm
        self.execSponsor = execSponsor; self.onboardedOn = onboardedOn; self.timeZone = timeZone
    }
}
