import Crypto
import Foundation

/// What `lgadmin traffic report` is asked for.
public struct TrafficReportRequest: Sendable, Equatable {
    /// The access logs, by path as the user named them; `-` is standard input.
    public var logs: [String]
    /// K: the fewest distinct visitors a published cell may have.
    public var minCount: Int
    public var period: TrafficPeriod
    public var breakdowns: [TrafficBreakdown]
    /// Who the report is for (`--for`), recorded in the audit event.
    public var party: String?
    /// The site's own domains: referrals from them are "(internal)".
    public var siteDomains: [String]
    public var format: TrafficFormat

    public static let defaultMinCount = 10
    /// Below this K is refused (DESIGN.md §2b).
    public static let smallestMinCount = 5
    public static let largestMinCount = 1_000_000
    public static let rounding = 5

    public init(logs: [String], minCount: Int = defaultMinCount, period: TrafficPeriod = .month,
                breakdowns: [TrafficBreakdown] = TrafficBreakdown.allCases, party: String? = nil, siteDomains: [String] = [],
                format: TrafficFormat = .text) {
        self.logs = logs
        self.minCount = minCount
        self.period = period
        self.breakdowns = breakdowns
        self.party = party
        self.siteDomains = siteDomains
        self.format = format
    }
}

/// A finished traffic report run: the report, the exact bytes of its output (what was hashed
/// and audited), and what reading the logs found (for the operator, not the report).
public struct TrafficReportRun: Sendable {
    public var report: TrafficReport
    public var output: [UInt8]
    /// SHA-256 of `output`, lower-case hex, as recorded in the audit event.
    public var sha256: String
    public var input: TrafficInputSummary
}

extension PrivacyOps {
    /// Makes a traffic report from access logs named by path (DESIGN.md §2b): admin only,
    /// aggregate only, small cells suppressed, every run audited with its parameters and the
    /// SHA-256 of its output.
    ///
    /// The role is checked before any log is opened; every log is opened (through
    /// ``LogFileOpener``, with the sudo user's rights under sudo) before any is read, so a
    /// missing or forbidden one stops the run before it starts.
    /// - Parameters:
    ///   - progress: called now and then while reading, on the reading thread.
    ///   - cancelled: asked now and then; true stops the run (nothing is audited).
    public func trafficReport(_ request: TrafficReportRequest, progress: ((TrafficProgress) -> Void)? = nil,
                              cancelled: @escaping () -> Bool = { false }) throws -> TrafficReportRun {
        let request = try Self.checked(request)
        try authorize(.trafficReport)
        if let why = store.readOnlyReason {
            throw OpsError.conflict("the store is read-only (\(why)), so this run could not be audited: reopen it and try again")
        }
        var inputs: [TrafficLogInput] = []
        for path in request.logs {
            // Under sudo, a log is opened with the rights of the person who named it (§6c): a log
            // they could not read themselves is refused, though the process runs as root.
            do {
                if let user = actor.invokingUser, path != "-" {
                    inputs.append(try user.withRights { try TrafficLogInput.open(path) })
                } else {
                    inputs.append(try TrafficLogInput.open(path))
                }
            } catch let e as TrafficInputError {
                throw e.opsError
            } catch {
                throw OpsError.from(error)
            }
        }
        return try trafficReport(request, inputs: inputs, progress: progress, cancelled: cancelled)
    }

    /// Makes a traffic report from logs already open (descriptors or byte sources); `request.logs`
    /// is ignored in favour of the inputs' names.
    public func trafficReport(_ request: TrafficReportRequest, inputs: [TrafficLogInput], progress: ((TrafficProgress) -> Void)? = nil,
                              cancelled: @escaping () -> Bool = { false }) throws -> TrafficReportRun {
        var request = try Self.checked(request, needsLogs: false)
        request.logs = inputs.map(\.name)
        try authorize(.trafficReport)
        let aggregator = TrafficAggregator(period: request.period, breakdowns: request.breakdowns, minCount: request.minCount,
                                           siteDomains: request.siteDomains)
        let sizes = inputs.map(\.size)
        let total: Int64? = sizes.contains(where: { $0 == nil }) ? nil : sizes.reduce(0) { $0 + ($1 ?? 0) }
        var done: Int64 = 0
        do {
            for input in inputs {
                try aggregator.read(input, done: done, total: total, progress: progress, cancelled: cancelled)
                done = aggregator.summary.bytes
            }
        } catch {
            throw OpsError.failure("the traffic report was stopped before it finished; nothing was recorded")
        }
        let report = Self.publish(aggregator, request: request, generatedAt: nowString)
        let output = report.rendered(request.format)
        let sha = SHA256.hash(data: output).map { String(format: "%02x", $0) }.joined()
        let summary = aggregator.finishedSummary
        let detail = Self.auditDetail(request, summary: summary, report: report, sha256: sha)
        // With --for PARTY the run is a disclosure of the traffic profile: registered in the
        // same commit as its audit event, which names it as its case.
        try change(.trafficReport, target: "traffic") { ctx in
            if let party = request.party {
                let d = try recordTrafficAggregate(party: party, sha256: sha, size: output.count, ctx: &ctx)
                return (detail + "; recorded as disclosure \(d.id)", ())
            }
            return (detail, ())
        }
        return TrafficReportRun(report: report, output: output, sha256: sha, input: summary)
    }

    /// Checks a request's own rules without a store (front ends call it before opening one).
    public static func checkTrafficRequest(_ r: TrafficReportRequest) throws -> TrafficReportRequest {
        try checked(r)
    }

    /// The request with its rules checked: K at least 5 (64), a known breakdown at most once,
    /// site domains that are domains, no card number in what the audit event will hold (65).
    static func checked(_ r: TrafficReportRequest, needsLogs: Bool = true) throws -> TrafficReportRequest {
        var r = r
        if needsLogs, r.logs.isEmpty { throw OpsError.usage("name at least one access log (or - for standard input)") }
        if r.logs.filter({ $0 == "-" }).count > 1 { throw OpsError.usage("standard input (-) can be read only once: name it once") }
        guard r.minCount >= TrafficReportRequest.smallestMinCount else {
            throw OpsError.usage("--min-count \(r.minCount) is below \(TrafficReportRequest.smallestMinCount): a published cell needs at least \(TrafficReportRequest.smallestMinCount) distinct visitors (the default is \(TrafficReportRequest.defaultMinCount))")
        }
        guard r.minCount <= TrafficReportRequest.largestMinCount else {
            throw OpsError.usage("--min-count \(r.minCount) is above \(TrafficReportRequest.largestMinCount): choose a smaller minimum")
        }
        var seen: [TrafficBreakdown] = []
        for b in r.breakdowns where !seen.contains(b) { seen.append(b) }
        r.breakdowns = seen.isEmpty ? TrafficBreakdown.allCases : seen
        r.party = try Validate.optionalText("--for", r.party, max: 200).map(TerminalText.sanitize)
        var sites: [String] = []
        for d in r.siteDomains {
            guard let domain = RegistrableDomain.of(d.trimmingCharacters(in: .whitespaces)) else {
                throw OpsError.usage("--site '\(TerminalText.sanitize(d))' is not a domain name: give the site's domain, e.g. loopgalaxy.com")
            }
            if !sites.contains(domain) { sites.append(domain) }
        }
        r.siteDomains = sites
        for path in r.logs { try Validate.noCardNumber("the access log's name", path) }
        return r
    }

    /// The report as it may be published: each period's total, then per breakdown and period
    /// the cells through ``DisclosureControl``.
    static func publish(_ a: TrafficAggregator, request: TrafficReportRequest, generatedAt: String) -> TrafficReport {
        let k = request.minCount
        let rounding = TrafficReportRequest.rounding
        let groups = a.groups()
        let periodKeys = groups.keys.filter { $0.breakdown == 0 }.map(\.period).sorted()
        var totals: [TrafficRow] = []
        for p in periodKeys {
            let label = request.period.label(ofKey: p)
            for cell in groups[.init(breakdown: 0, period: p)] ?? [] {
                totals.append(DisclosureControl.total(visitors: a.visitors[cell].count(limit: a.exactLimit), pageViews: a.views[cell],
                                                      period: label, minCount: k, rounding: rounding))
            }
        }
        var tables: [TrafficTable] = []
        for (b, breakdown) in request.breakdowns.enumerated() {
            var table = TrafficTable(by: breakdown, rows: [], cellsMerged: 0, cellsWithheld: 0)
            for p in periodKeys {
                let cells = (groups[.init(breakdown: b + 1, period: p)] ?? []).map { cell -> DisclosureCell in
                    let visitors = a.visitors[cell].count(limit: a.exactLimit)
                    return DisclosureCell(label: TerminalText.sanitize(a.values.value(a.valueID(ofCell: cell))), visitors: visitors,
                                          pageViews: a.views[cell], members: visitors < k ? a.visitors[cell].members : [])
                }
                let outcome = DisclosureControl.apply(cells, period: request.period.label(ofKey: p), minCount: k, rounding: rounding)
                table.rows += outcome.rows
                table.cellsMerged += outcome.merged
                table.cellsWithheld += outcome.withheld
            }
            tables.append(table)
        }
        return TrafficReport(minCount: k, rounding: rounding, period: request.period, periods: periodKeys.map { request.period.label(ofKey: $0) },
                             totals: totals, tables: tables, exactUpTo: a.exactLimit, preparedFor: request.party,
                             siteDomains: request.siteDomains, generatedAt: generatedAt)
    }

    /// The audit event's detail: the run's parameters (logs by name), what was read, what was
    /// suppressed, and the SHA-256 of the output.
    static func auditDetail(_ r: TrafficReportRequest, summary: TrafficInputSummary, report: TrafficReport, sha256: String) -> String {
        var parts = [
            "logs: " + r.logs.map(TerminalText.sanitize).joined(separator: ", "),
            "min_count: \(r.minCount)",
            "rounding: \(report.rounding)",
            "period: \(r.period.rawValue)",
            "by: " + r.breakdowns.map(\.rawValue).joined(separator: ","),
            "format: \(r.format.rawValue)",
        ]
        if let party = r.party { parts.append("for: \(party)") }
        if !r.siteDomains.isEmpty { parts.append("site: " + r.siteDomains.joined(separator: ",")) }
        parts.append("lines: \(summary.lines) read, \(summary.unreadable) unreadable, \(summary.pageViews) page views")
        if !summary.problems.isEmpty { parts.append("incomplete logs: \(summary.problems.count)") }
        parts.append("cells: \(report.cellsMerged) merged, \(report.cellsWithheld) withheld")
        parts.append("sha256: \(sha256)")
        return parts.joined(separator: "; ")
    }
}
