import DefuseDomain
import Foundation
import Testing

@Suite("ISO 8601 timestamps")
struct TimeTests {
    @Test("the accepted forms", arguments: [
        ("2026-03-05T14:02:00Z", "2026-03-05T14:02:00Z"),
        ("2026-03-05T09:02:00-05:00", "2026-03-05T14:02:00Z"),
        ("2026-03-05T19:32:00+05:30", "2026-03-05T14:02:00Z"),
        ("2026-03-05T19:32:00+0530", "2026-03-05T14:02:00Z"),
        ("2026-03-05 14:02:00", "2026-03-05T14:02:00Z"),
        ("2026-03-05T14:02", "2026-03-05T14:02:00Z"),
        ("2026-03-05T14:02:00.25Z", "2026-03-05T14:02:00.25Z"),
        ("2026-03-05T14:02:00.123456789Z", "2026-03-05T14:02:00.123456Z"),
        ("2026-03-05", "2026-03-05T00:00:00Z"),
        ("2024-02-29", "2024-02-29T00:00:00Z"),
        ("1969-12-31T23:59:59Z", "1969-12-31T23:59:59Z"),
    ])
    func accepted(input: String, utc: String) {
        #expect(ISO8601.parse(input).map(ISO8601.format) == utc)
    }

    @Test("rejected forms", arguments: ["", "2026-3-5", "2026-02-30", "2025-02-29", "2026-13-01", "2026-03-05T24:00:00Z",
                                        "2026-03-05T14:60", "2026-03-05T14:02:00ZZ", "2026-03-05T14:02:00.Z", "yesterday",
                                        "2026-03-05T14:02:00+25:00", "05/03/2026", "2026-03-05T"])
    func rejected(input: String) {
        #expect(ISO8601.parse(input) == nil)
    }

    @Test("civil dates round-trip and quarters are UTC")
    func civil() {
        for days in stride(from: Int64(-800_000), through: 800_000, by: 997) {
            let (y, m, d) = CivilDate.fromDays(days)
            #expect(CivilDate.days(year: y, month: m, day: d) == days)
        }
        #expect(t("2026-03-31T23:59:59Z").utc.quarterIndex == 2026 * 4)
        #expect(t("2026-04-01T00:00:00Z").utc.quarterIndex == 2026 * 4 + 1)
        #expect(t("2026-12-31T23:59:59Z").utc.quarterIndex + 1 == t("2027-01-01").utc.quarterIndex)
        for micros in stride(from: Int64(-5_000_000_000_000_000), through: 5_000_000_000_000_000, by: 86_399_999_999) {
            let ts = Timestamp(micros: micros)
            #expect(ts.quarterIndex == ts.utc.quarterIndex)
        }
    }
}

@Suite("The configuration file")
struct ConfigurationTests {
    @Test("names, comments and blank lines")
    func parses() throws {
        let c = try Configuration.parse("""
        # thresholds
        open_tickets_max = 8
        response_delay_days = 14.5   # two weeks and a half

        webhook.team.url = http://127.0.0.1:9000/hook
        webhook.team.kind = signed
        webhook.team.secret = s3cret
        warn_recap = 45m
        daily_report_at = 07:30
        team_timezone = Europe/Berlin
        """)
        #expect(c.health.openTicketsMax == 8)
        #expect(c.health.responseDelayDays == 14.5)
        #expect(c.health.detractorBelow == 7)
        #expect(c.notifications.webhooks == [Webhook(name: "team", url: "http://127.0.0.1:9000/hook", kind: .signed, secret: "s3cret")])
        #expect(c.notifications.warnRecap == .minutes(45))
        #expect(c.notifications.dailyReportAt == TimeOfDay(hour: 7, minute: 30))
        #expect(c.health.changedFromDefaults.map(\.name) == ["open_tickets_max", "response_delay_days"])
    }

    @Test("an unknown name or a bad value is an error naming the line", arguments: [
        ("open_tickets_max = 5\nopen_tickets = 3", 2, "unknown setting"),
        ("open_tickets_max = five", 1, "whole number"),
        ("\n\nresponse_delay_days = -1", 3, "number >= 0"),
        ("team_timezone = Mars/Olympus", 1, "time zone"),
        ("just words", 1, "name = value"),
        ("warn_recap = 30 minutes", 1, "duration"),
        ("webhook.team.kind = carrier-pigeon", 1, "slack or signed"),
    ])
    func errors(text: String, line: Int, fragment: String) {
        #expect {
            _ = try Configuration.parse(text)
        } throws: { error in
            guard let e = error as? ConfigurationError else { return false }
            return e.line == line && e.message.contains(fragment)
        }
    }
}

@Suite("Zone rules")
struct ZoneRulesTests {
    @Test("the transition table answers as the tz data does, every 97 minutes from 1990 to 2060, in zones with DST, without, and with changed standard offsets")
    func sameAsTzData() {
        for id in ["America/New_York", "Australia/Sydney", "Europe/Berlin", "Asia/Kolkata", "America/Caracas", "Europe/Volgograd",
                   "Australia/Lord_Howe", "Asia/Kathmandu", "Pacific/Apia", "UTC"] {
            let zone = TimeZone(identifier: id)!
            let rules = LocalTime.rules(id)
            var t: Int64 = 631_152_000 - 86_400
            var mismatches = 0
            while t < 2_840_140_800 + 86_400 {
                if rules.offset(at: t) != Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(t)))) { mismatches += 1 }
                t += 97 * 60
            }
            #expect(mismatches == 0, "\(id): \(mismatches) moments differ")
        }
    }
}
