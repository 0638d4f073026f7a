/// One published row of a traffic report: rounded counts, or none when withheld.
public struct TrafficRow: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
        /// A period's total over every page view.
        case total
        /// One value of the breakdown (a page, a domain).
        case cell
        /// The cells under K, merged.
        case other
    }

    /// The period's label (`2026-03`, `2026-W10`, `2026-03-05`).
    public var period: String
    /// The page, domain or special label; never an address or a host name.
    public var value: String
    public var kind: Kind
    /// Distinct visitors, rounded; nil when withheld.
    public var visitors: Int?
    /// Page views, rounded; nil when withheld.
    public var pageViews: Int?

    public var isWithheld: Bool { visitors == nil }
}

/// The rows of one breakdown and how many cells disclosure control kept back.
public struct TrafficTable: Sendable, Equatable {
    public var by: TrafficBreakdown
    public var rows: [TrafficRow]
    /// Cells under K merged into "other".
    public var cellsMerged: Int
    /// Rows withheld by secondary suppression.
    public var cellsWithheld: Int
}

/// A traffic report as it may be published: aggregate rows only, already rounded and
/// suppressed. Nothing in it is a visitor's: no address, host name, user agent, query string
/// or per-visitor row exists in this type, so no output format can show one.
public struct TrafficReport: Sendable, Equatable {
    public var minCount: Int
    public var rounding: Int
    public var period: TrafficPeriod
    /// The labels of the periods covered, oldest first.
    public var periods: [String]
    /// One row per period.
    public var totals: [TrafficRow]
    public var tables: [TrafficTable]
    /// Visitor counts above this are estimates (see ``DistinctVisitors``).
    public var exactUpTo: Int
    /// Who the report is for (`--for`), if anyone.
    public var preparedFor: String?
    /// The domains taken as the site itself for referrers (`--site`).
    public var siteDomains: [String]
    /// When it was made (UTC, RFC 3339).
    public var generatedAt: String

    /// Periods whose total was withheld.
    public var totalsWithheld: Int { totals.filter(\.isWithheld).count }
    public var cellsMerged: Int { tables.reduce(0) { $0 + $1.cellsMerged } }
    public var cellsWithheld: Int { tables.reduce(0) { $0 + $1.cellsWithheld } + totalsWithheld }

    static let visitorDefinition = "distinct client addresses per day (UTC); counted, never shown"
    static let pageViewDefinition = "GET requests answered 2xx or 304 for a page (not a static file), known crawlers left out"
}
