/// Days, ISO weeks and months in UTC, as whole numbers, for bucketing log lines without
/// Foundation's calendar (millions of lines).
enum TrafficCalendar {
    /// Days since 1970-01-01 of a proleptic Gregorian date (the civil calendar the business-day
    /// rule keeps: one implementation).
    static func days(year: Int, month: Int, day: Int) -> Int {
        BusinessDays.dayNumber(year: year, month: month, day: day)
    }

    /// The date of a day number.
    static func civil(_ days: Int) -> (year: Int, month: Int, day: Int) {
        BusinessDays.civilDate(fromDay: days)
    }

    /// The day number of the Monday starting the ISO week that holds `days`.
    static func mondayOfWeek(_ days: Int) -> Int {
        // 1970-01-01 was a Thursday: Monday is 0 in ((days + 3) mod 7).
        let weekday = ((days + 3) % 7 + 7) % 7
        return days - weekday
    }

    /// `2026-03-05`.
    static func dayLabel(_ days: Int) -> String {
        let (y, m, d) = civil(days)
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    /// `2026-W10`: the ISO year and week of the week starting on `monday`.
    static func weekLabel(monday: Int) -> String {
        // The ISO week belongs to the year of its Thursday; week 1 holds the year's first Thursday.
        let thursday = monday + 3
        let year = civil(thursday).year
        let firstThursdayWeekMonday = mondayOfWeek(days(year: year, month: 1, day: 4))
        let week = (monday - firstThursdayWeekMonday) / 7 + 1
        return "\(pad(year, 4))-W\(pad(week, 2))"
    }

    /// `2026-03`, from `year * 12 + month - 1`.
    static func monthLabel(_ key: Int) -> String {
        "\(pad(key / 12, 4))-\(pad(key % 12 + 1, 2))"
    }

    private static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}

/// How finely a traffic report divides time: never finer than a day.
public enum TrafficPeriod: String, CaseIterable, Sendable, Codable {
    case day, week, month

    /// The bucket of a day number: the day itself, the Monday of its ISO week, or year·12+month.
    func key(ofDay days: Int) -> Int {
        switch self {
        case .day: return days
        case .week: return TrafficCalendar.mondayOfWeek(days)
        case .month:
            let (y, m, _) = TrafficCalendar.civil(days)
            return y * 12 + m - 1
        }
    }

    /// The label of a bucket: `2026-03-05`, `2026-W10` or `2026-03`.
    func label(ofKey key: Int) -> String {
        switch self {
        case .day: return TrafficCalendar.dayLabel(key)
        case .week: return TrafficCalendar.weekLabel(monday: key)
        case .month: return TrafficCalendar.monthLabel(key)
        }
    }
}
