import DefuseCSV
import DefuseDomain
import Foundation

/// A realistic, seeded data set in the four export formats: plausible company names, an ARR
/// spread from small to flagship, customers in many time zones, two years of survey rounds,
/// help-desk tickets and account events. About 70% of accounts are healthy, 20% wobbling and
/// 10% in trouble, so the report has something to say.
public struct DemoData: Sendable {
    public var accounts = ""
    public var surveys = ""
    public var tickets = ""
    public var events = ""

    public var files: [(name: String, text: String)] {
        [("accounts.csv", accounts), ("surveys.csv", surveys), ("tickets.csv", tickets), ("events.csv", events)]
    }

    /// Account ids are `D-` and six digits, so demo data is easy to tell from real data.
    public static let idPrefix = "D-"

    public static func generate(accounts count: Int, asOf: Timestamp, seed: UInt64 = 2026) -> DemoData {
        var rng = SeededRandom(seed: seed)
        var d = DemoData()
        d.accounts.reserveCapacity(count * 140)
        d.surveys.reserveCapacity(count * 4 * 60)
        d.tickets.reserveCapacity(count * 3 * 120)
        d.accounts += "account_id,name,arr_usd,renewal_date,csm,exec_sponsor,onboarded_on,timezone\n"
        d.surveys += "response_id,account_id,kind,score,responded_at,comment\n"
        d.tickets += "ticket_id,account_id,status,opened_at,last_customer_message_at,last_agent_reply_at,closed_at,subject\n"
        d.events += "account_id,kind,at,detail\n"
        var response = 0, ticket = 0
        func ts(_ t: Timestamp) -> String { ISO8601.format(Timestamp(seconds: t.unixSeconds)) }
        func date(_ t: Timestamp) -> String { CalendarDate(utcOf: t).description }
        func ago(_ days: Double) -> Timestamp { asOf - TimeSpan.days(days) }

        for i in 1...max(count, 1) {
            let id = idPrefix + pad6(i)
            let health = rng.chance(0.7) ? 0 : rng.chance(0.67) ? 1 : 2 // healthy, wobbling, troubled
            let arr = arrSpread(&rng)
            let name = companyName(&rng)
            let sponsor = rng.pick(firstNames) + " " + rng.pick(lastNames)
            let onboarded = ago(Double(rng.int(120...1500)))
            d.accounts += "\(id),\(CSVWriter.field(name)),\(arr),\(date(asOf + TimeSpan.days(Int64(rng.int(5...365))))),\(rng.pick(csms)),\(CSVWriter.field(sponsor)),\(date(onboarded)),\(rng.pick(zones))\n"

            // Surveys: up to eight quarters back; troubled accounts trend down.
            for q in 0..<8 {
                for kind in ["nps", "csat"] {
                    guard rng.chance(kind == "nps" ? 0.35 : 0.2) else { continue }
                    for _ in 0..<rng.int(1...2) {
                        let when = ago(Double(q) * 91 + Double(rng.int(0...88)) + Double(rng.int(0...86_399)) / 86_400)
                        guard when >= onboarded else { continue }
                        let base = [8.6, 7.0, q < 3 ? 4.2 : 6.5][health]
                        let score = min(10, max(0, Int((base + Double(rng.int(-25...25)) / 10).rounded())))
                        response += 1
                        let comment = score < 7 ? rng.pick(detractorComments) : (rng.chance(0.2) ? rng.pick(promoterComments) : "")
                        d.surveys += "R\(response),\(id),\(kind),\(score),\(ts(when)),\(CSVWriter.field(comment))\n"
                    }
                }
            }

            // Tickets: older ones solved; troubled accounts pile up open ones, some unanswered.
            let ticketCount = [rng.int(0...4), rng.int(1...6), rng.int(3...9)][health]
            for _ in 0..<ticketCount {
                ticket += 1
                let opened = ago(Double(rng.int(1...120)) + Double(rng.int(0...86_399)) / 86_400)
                let age = (asOf - opened).days
                let open = age < 20 ? rng.chance(0.6) : rng.chance(health == 2 ? 0.6 : 0.08)
                let status = open ? rng.pick(["new", "open", "open", "pending", "hold"]) : rng.pick(["solved", "closed"])
                let customer = opened + TimeSpan.days(Double(rng.int(0...max(0, Int(age * 0.3)))))
                let answered = health == 2 ? rng.chance(0.4) : rng.chance(0.85)
                let agent = answered ? ts(min(asOf, customer + TimeSpan.hours(Int64(rng.int(1...60))))) : ""
                let closed = open ? "" : ts(min(asOf, customer + TimeSpan.days(Int64(rng.int(1...5)))))
                d.tickets += "T\(ticket),\(id),\(status),\(ts(opened)),\(ts(customer)),\(agent),\(closed),\(CSVWriter.field(rng.pick(subjects)))\n"
            }

            // Events: sponsor changes, health calls (some after the latest detractor answer), renewals.
            if rng.chance(health == 0 ? 0.03 : 0.12) {
                d.events += "\(id),sponsor_change,\(ts(ago(Double(rng.int(1...200))))),\(CSVWriter.field("New sponsor: " + rng.pick(firstNames) + " " + rng.pick(lastNames)))\n"
            }
            if health > 0 && rng.chance(0.35) {
                d.events += "\(id),health_call,\(ts(ago(Double(rng.int(0...60))))),Health call with the sponsor\n"
            }
            if rng.chance(0.05) { d.events += "\(id),renewed,\(ts(ago(Double(rng.int(30...300))))),Renewed for 12 months\n" }
        }
        return d
    }

    static func pad6(_ i: Int) -> String { let s = String(i); return String(repeating: "0", count: max(0, 6 - s.count)) + s }

    /// Mostly $5k-$100k, a long tail of flagships up to $2M.
    static func arrSpread(_ rng: inout SeededRandom) -> Int {
        let u = Double.random(in: 0..<1, using: &rng)
        let value = u < 0.85 ? 5_000 * pow(10, u / 0.85 * 1.3) : 100_000 * pow(10, (u - 0.85) / 0.15 * 1.3)
        return Int(value / 100) * 100
    }

    static func companyName(_ rng: inout SeededRandom) -> String {
        let r = Double.random(in: 0..<1, using: &rng)
        if r < 0.04 { return rng.pick(international) }
        return rng.pick(prefixes) + " " + rng.pick(suffixes) + (rng.chance(0.4) ? ", " + rng.pick(legal) : "")
    }

    static let prefixes = ["Northwind", "Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Vandelay", "Soylent",
                           "Cyberdyne", "Tyrell", "Aperture", "Massive", "Blue Harbor", "Redwood", "Silverline", "Bluebird", "Granite",
                           "Lumen", "Orbital", "Pioneer", "Summit", "Brightwater", "Kestrel", "Juniper", "Halcyon", "Meridian",
                           "O'Brien & Sons", "Fjord", "Cobalt", "Evergreen", "Atlas", "Beacon", "Crescent", "Driftwood"]
    static let suffixes = ["Logistics", "Health", "Robotics", "Analytics", "Foods", "Energy", "Capital", "Labs", "Systems",
                           "Retail", "Media", "Mobility", "Insurance", "Biotech", "Freight", "Software", "Hotels", "Pharma"]
    static let legal = ["Inc.", "Ltd", "GmbH", "LLC", "S.A.", "Pty Ltd", "AG", "B.V."]
    static let international = ["東京商事", "Zürich Rück", "Société Générale de Fret", "Ålesund Fisk AS", "Müller & Töchter",
                                "São Paulo Seguros", "Łódź Logistyka", "한빛 소프트", "Bengaluru Tech Pvt Ltd"]
    static let firstNames = ["Dana", "Kim", "Alex", "Priya", "Jordan", "Mei", "Lars", "Fatima", "Diego", "Olivia", "Kenji", "Amara",
                             "Noah", "Sofia", "Ravi", "Chloé", "Mateo", "Ingrid", "Tomás", "Aisha"]
    static let lastNames = ["Nguyen", "Smith", "Okafor", "Schmidt", "Tanaka", "García", "Patel", "Johansson", "O'Neil", "Kowalski",
                            "Rossi", "Dubois", "Haddad", "Müller", "Silva", "Chen"]
    static let csms = ["kim@example.com", "lee@example.com", "priya@example.com", "sam@example.com", "jo@example.com",
                       "ana@example.com", "max@example.com", "eve@example.com"]
    static let zones = ["America/New_York", "America/Chicago", "America/Los_Angeles", "America/Sao_Paulo", "Europe/London",
                        "Europe/Berlin", "Europe/Paris", "Asia/Kolkata", "Asia/Tokyo", "Asia/Singapore", "Australia/Sydney", "UTC"]
    static let subjects = ["Export to CSV fails for large reports", "SSO login loops back to the sign-in page", "Invoice shows the wrong tax",
                           "Dashboard slow since the last release", "Webhook deliveries delayed", "API returns 500 on /v2/orders",
                           "Need help with user provisioning", "Data missing after sync, \"urgent\"", "Mobile app crashes on upload",
                           "Question about the renewal quote"]
    static let detractorComments = ["Support takes days to answer.", "The export has been broken for weeks, \"we are losing patience\".",
                                    "Too many outages this quarter.", "Feature we were promised still not there.",
                                    "Considering alternatives, to be honest.", "Onboarding of the new team was painful"]
    static let promoterComments = ["Great support team!", "Love the new dashboard.", "Works well, thanks.", "Kim is fantastic."]
}
