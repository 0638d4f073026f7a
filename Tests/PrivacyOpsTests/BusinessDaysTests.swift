import Foundation
import Testing

@testable import PrivacyOps

@Suite struct BusinessDaysTests {
    /// A UTC date from its parts. Foundation's calendar only builds the inputs; the expected
    /// dates below were worked out by hand from a wall calendar.
    static func utc(_ y: Int, _ m: Int, _ d: Int, _ h: Int = 0, _ mi: Int = 0, _ s: Int = 0) -> Date {
        var components = DateComponents()
        components.year = y
        components.month = m
        components.day = d
        components.hour = h
        components.minute = mi
        components.second = s
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        return calendar.date(from: components) ?? Date(timeIntervalSince1970: 0)
    }

    @Test func tenBusinessDaysOverThanksgiving() {
        // Wed 2026-11-25; Thu 11-26 is Thanksgiving (fourth Thursday). Counting: Fri 27 (1),
        // Mon 30 (2), Dec 1 (3), 2 (4), 3 (5), Fri 4 (6), Mon 7 (7), 8 (8), 9 (9), Thu 10 (10).
        let received = Self.utc(2026, 11, 25, 14, 30, 15)
        #expect(BusinessDays.add(10, to: received) == Self.utc(2026, 12, 10, 14, 30, 15))
        #expect(!BusinessDays.isBusinessDay(Self.utc(2026, 11, 26, 12)))
        #expect(BusinessDays.isBusinessDay(Self.utc(2026, 11, 27, 12)))  // day after: not federal
    }

    @Test func ordinaryWeekSkipsTheWeekend() {
        // Mon 2026-03-02 + 10 → Mon 03-16 (no holidays in between).
        #expect(BusinessDays.add(10, to: Self.utc(2026, 3, 2, 9)) == Self.utc(2026, 3, 16, 9))
        // Fri 2026-03-06 + 1 → Mon 03-09.
        #expect(BusinessDays.add(1, to: Self.utc(2026, 3, 6, 23, 59, 59)) == Self.utc(2026, 3, 9, 23, 59, 59))
        // Received on Saturday 2026-03-07: Monday is day 1, so 10 lands on Fri 03-20.
        #expect(BusinessDays.add(10, to: Self.utc(2026, 3, 7, 10)) == Self.utc(2026, 3, 20, 10))
        // Sunday, too.
        #expect(BusinessDays.add(1, to: Self.utc(2026, 3, 8, 10)) == Self.utc(2026, 3, 9, 10))
    }

    @Test func zeroAndNegativeCounts() {
        let date = Self.utc(2026, 3, 7, 10)  // a Saturday
        #expect(BusinessDays.add(0, to: date) == date)
        // Back from Mon 2026-03-09 by 1 → Fri 03-06.
        #expect(BusinessDays.add(-1, to: Self.utc(2026, 3, 9, 8)) == Self.utc(2026, 3, 6, 8))
        // Back over Thanksgiving: Fri 2026-11-27 − 1 → Wed 11-25.
        #expect(BusinessDays.add(-1, to: Self.utc(2026, 11, 27)) == Self.utc(2026, 11, 25))
    }

    @Test func yearBoundaryWithObservedHolidays() {
        // Christmas 2026 is a Friday, New Year 2027 a Friday.
        // Wed 2026-12-23 + 3: Thu 24 (1), [Fri 25 Christmas], Mon 28 (2), Tue 29 (3).
        #expect(BusinessDays.add(3, to: Self.utc(2026, 12, 23, 17)) == Self.utc(2026, 12, 29, 17))
        // Tue 2026-12-29 + 10: Wed 30 (1), Thu 31 (2), [Fri Jan 1], Mon 4 (3), 5, 6, 7, Fri 8 (7),
        // Mon 11 (8), 12 (9), Wed 13 (10).
        #expect(BusinessDays.add(10, to: Self.utc(2026, 12, 29, 17)) == Self.utc(2027, 1, 13, 17))
        // New Year's Day 2022 was a Saturday: observed on Friday 2021-12-31.
        #expect(!BusinessDays.isBusinessDay(Self.utc(2021, 12, 31, 12)))
        // Christmas 2022 was a Sunday: observed on Monday 2022-12-26.
        #expect(!BusinessDays.isBusinessDay(Self.utc(2022, 12, 26, 12)))
        // Fri 2021-12-24 was the observed Christmas (25th a Saturday).
        #expect(!BusinessDays.isBusinessDay(Self.utc(2021, 12, 24, 12)))
        // Thu 2021-12-30 + 1 → Mon 2022-01-03 (Fri 31 observed New Year, then a weekend).
        #expect(BusinessDays.add(1, to: Self.utc(2021, 12, 30, 6)) == Self.utc(2022, 1, 3, 6))
        // MLK Day 2027 is Monday 01-18: Fri 01-15 + 1 → Tue 01-19.
        #expect(BusinessDays.add(1, to: Self.utc(2027, 1, 15)) == Self.utc(2027, 1, 19))
    }

    @Test func federalHolidaysOf2026() {
        let expected: [(Int, Int)] = [
            (1, 1),  // New Year's Day (Thu)
            (1, 19),  // MLK Day, third Monday
            (2, 16),  // Washington's Birthday, third Monday
            (5, 25),  // Memorial Day, last Monday
            (6, 19),  // Juneteenth (Fri)
            (7, 3),  // Independence Day on a Saturday: observed Friday
            (9, 7),  // Labor Day, first Monday
            (10, 12),  // Columbus Day, second Monday
            (11, 11),  // Veterans Day (Wed)
            (11, 26),  // Thanksgiving, fourth Thursday
            (12, 25),  // Christmas (Fri)
        ]
        let got = BusinessDays.holidays(in: 2026)
        #expect(got.map(\.month) == expected.map(\.0))
        #expect(got.map(\.day) == expected.map(\.1))
        for (m, d) in expected {
            #expect(!BusinessDays.isBusinessDay(Self.utc(2026, m, d, 12)), "2026-\(m)-\(d)")
        }
        #expect(BusinessDays.isBusinessDay(Self.utc(2026, 7, 2, 12)))  // Thursday before
    }

    @Test func observedRuleInOtherYears() {
        // 2027: July 4 is a Sunday → Monday 07-05; Juneteenth a Saturday → Friday 06-18;
        // Veterans Day Thursday; Christmas Saturday → Friday 12-24; New Year 2028 a Saturday →
        // Friday 2027-12-31.
        let h2027 = BusinessDays.holidays(in: 2027).map { "\($0.month)-\($0.day)" }
        #expect(h2027 == ["1-1", "1-18", "2-15", "5-31", "6-18", "7-5", "9-6", "10-11", "11-11", "11-25", "12-24", "12-31"])
        // 2028 has no New Year's holiday of its own (it was taken on 2027-12-31).
        let h2028 = BusinessDays.holidays(in: 2028).map { "\($0.month)-\($0.day)" }
        #expect(h2028.first == "1-17")
        #expect(BusinessDays.isBusinessDay(Self.utc(2028, 1, 3, 12)))  // Monday after
        // Juneteenth only from 2021.
        #expect(BusinessDays.isBusinessDay(Self.utc(2020, 6, 19, 12)))
        #expect(!BusinessDays.isBusinessDay(Self.utc(2023, 6, 19, 12)))
    }

    @Test func weekendsAreNeverBusinessDays() {
        #expect(!BusinessDays.isBusinessDay(Self.utc(2026, 3, 7, 0)))  // Saturday 00:00
        #expect(!BusinessDays.isBusinessDay(Self.utc(2026, 3, 8, 23, 59, 59)))  // Sunday
        #expect(BusinessDays.isBusinessDay(Self.utc(2026, 3, 9, 0)))  // Monday 00:00
        // Before 1970, too: Fri 1969-12-26 is a business day, Sat 12-27 is not.
        #expect(BusinessDays.isBusinessDay(Self.utc(1969, 12, 26, 12)))
        #expect(!BusinessDays.isBusinessDay(Self.utc(1969, 12, 27, 12)))
    }

    @Test func civilCalendarRoundTrip() {
        for day in stride(from: -800_000, through: 800_000, by: 997) {
            let civil = BusinessDays.civilDate(fromDay: day)
            #expect(BusinessDays.dayNumber(year: civil.year, month: civil.month, day: civil.day) == day)
        }
        #expect(BusinessDays.dayNumber(year: 2000, month: 3, day: 1) == 11_017)
        #expect(BusinessDays.weekday(ofDay: BusinessDays.dayNumber(year: 2026, month: 11, day: 26)) == 4)
    }

    @Test func keepsFractionalTimeOfDay() {
        let received = Self.utc(2026, 11, 25, 14, 30, 15).addingTimeInterval(0.25)
        let due = BusinessDays.add(10, to: received)
        #expect(due.timeIntervalSince(Self.utc(2026, 12, 10, 14, 30, 15)) == 0.25)
    }
}
