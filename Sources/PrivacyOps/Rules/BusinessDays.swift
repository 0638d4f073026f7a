import Foundation

/// Business-day arithmetic in UTC for deadlines, such as the opt-out deadline of 10 business days
/// after receipt (US CAN-SPAM).
///
/// A business day is a Monday to Friday that is not a US federal holiday as observed: New Year's
/// Day, Martin Luther King Jr. Day (third Monday of January, from 1986), Washington's Birthday
/// (third Monday of February), Memorial Day (last Monday of May), Juneteenth (June 19, from
/// 2021), Independence Day, Labor Day (first Monday of September), Columbus Day (second Monday of
/// October), Veterans Day (November 11), Thanksgiving (fourth Thursday of November) and
/// Christmas. A fixed-date holiday on a Saturday is observed the Friday before (New Year's Day
/// then falls on December 31), on a Sunday the Monday after. Holidays are computed per year from
/// these rules; there is no table of dates. Days are UTC calendar days.
public enum BusinessDays {
    static let secondsPerDay = 86_400.0

    /// The date `days` business days after `date` (before it, for a negative count), at the same
    /// time of day (UTC).
    ///
    /// Counting starts on the day after `date`, whatever `date` itself is: a request received on
    /// a Saturday is 1 business day old on the following Monday (unless that is a holiday).
    /// Adding 0 returns `date` unchanged.
    /// - Complexity: O(`days`), a few holiday computations per day stepped.
    public static func add(_ days: Int, to date: Date) -> Date {
        guard days != 0 else { return date }
        let step = days > 0 ? secondsPerDay : -secondsPerDay
        var remaining = days.magnitude
        var current = date
        while remaining > 0 {
            current = current.addingTimeInterval(step)
            if isBusinessDay(current) { remaining -= 1 }
        }
        return current
    }

    /// `true` if the UTC calendar day of `date` is a Monday to Friday and not an observed US
    /// federal holiday.
    public static func isBusinessDay(_ date: Date) -> Bool {
        let day = dayNumber(date)
        let weekday = weekday(ofDay: day)
        if weekday == 0 || weekday == 6 { return false }
        return !isHoliday(day)
    }

    /// The observed US federal holidays of `year`, as (month, day) pairs in date order: the days
    /// off that fall within that calendar year (so a Saturday New Year's Day of the next year
    /// shows up as December 31).
    public static func holidays(in year: Int) -> [(month: Int, day: Int)] {
        observedHolidays(in: year).map { day in
            let civil = civilDate(fromDay: day)
            return (civil.month, civil.day)
        }
    }

    // MARK: - Holidays

    /// Whether day number `day` (days since 1970-01-01) is an observed federal holiday.
    static func isHoliday(_ day: Int) -> Bool {
        let year = civilDate(fromDay: day).year
        return observedHolidays(in: year).contains(day)
    }

    /// Day numbers of the observed holidays falling within `year`, sorted.
    static func observedHolidays(in year: Int) -> [Int] {
        var days: [Int] = []
        // New Year's Day of this year (a Saturday one is observed in the previous year).
        let newYear = observed(dayNumber(year: year, month: 1, day: 1))
        if civilDate(fromDay: newYear).year == year { days.append(newYear) }
        if year >= 1986 { days.append(nthWeekday(3, weekday: 1, year: year, month: 1)) }
        days.append(nthWeekday(3, weekday: 1, year: year, month: 2))
        days.append(lastWeekday(1, year: year, month: 5))
        if year >= 2021 { days.append(observed(dayNumber(year: year, month: 6, day: 19))) }
        days.append(observed(dayNumber(year: year, month: 7, day: 4)))
        days.append(nthWeekday(1, weekday: 1, year: year, month: 9))
        days.append(nthWeekday(2, weekday: 1, year: year, month: 10))
        days.append(observed(dayNumber(year: year, month: 11, day: 11)))
        days.append(nthWeekday(4, weekday: 4, year: year, month: 11))
        days.append(observed(dayNumber(year: year, month: 12, day: 25)))
        // Next year's New Year's Day, observed on December 31 when it is a Saturday.
        let nextNewYear = observed(dayNumber(year: year + 1, month: 1, day: 1))
        if civilDate(fromDay: nextNewYear).year == year { days.append(nextNewYear) }
        return days
    }

    /// The day a fixed-date holiday is observed: Saturday → Friday before, Sunday → Monday after.
    static func observed(_ day: Int) -> Int {
        switch weekday(ofDay: day) {
        case 6: day - 1
        case 0: day + 1
        default: day
        }
    }

    /// The `n`th `weekday` (0 = Sunday … 6 = Saturday) of a month, as a day number.
    static func nthWeekday(_ n: Int, weekday: Int, year: Int, month: Int) -> Int {
        let first = dayNumber(year: year, month: month, day: 1)
        let offset = (weekday - self.weekday(ofDay: first) + 7) % 7
        return first + offset + 7 * (n - 1)
    }

    /// The last `weekday` (0 = Sunday … 6 = Saturday) of a month, as a day number.
    static func lastWeekday(_ weekday: Int, year: Int, month: Int) -> Int {
        let nextMonthFirst =
            month == 12
            ? dayNumber(year: year + 1, month: 1, day: 1)
            : dayNumber(year: year, month: month + 1, day: 1)
        let last = nextMonthFirst - 1
        let back = (self.weekday(ofDay: last) - weekday + 7) % 7
        return last - back
    }

    // MARK: - Civil calendar (proleptic Gregorian, UTC)

    /// Days since 1970-01-01 of the UTC calendar day holding `date`.
    static func dayNumber(_ date: Date) -> Int {
        Int((date.timeIntervalSince1970 / secondsPerDay).rounded(.down))
    }

    /// 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday).
    static func weekday(ofDay day: Int) -> Int {
        let r = (day + 4) % 7
        return r < 0 ? r + 7 : r
    }

    /// Days since 1970-01-01 of a civil date (H. Hinnant's `days_from_civil`).
    static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The civil date of a day number (H. Hinnant's `civil_from_days`).
    static func civilDate(fromDay day: Int) -> (year: Int, month: Int, day: Int) {
        let z = day + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
