/// Everything the health rules look at for one account. Slices, so a store can hand out
/// views of one flat array per table without copying.
public struct AccountHistory: Sendable {
    public var account: Account
    public var surveys: ArraySlice<SurveyAnswer>
    public var tickets: ArraySlice<Ticket>
    public var events: ArraySlice<AccountEvent>

    public init(account: Account, surveys: ArraySlice<SurveyAnswer> = [], tickets: ArraySlice<Ticket> = [],
                events: ArraySlice<AccountEvent> = []) {
        self.account = account; self.surveys = surveys; self.tickets = tickets; self.events = events
    }
}
