import ArgumentParser
import Foundation
import PrivacyOps

extension TrafficPeriod: ExpressibleByArgument {}

struct TrafficCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "traffic", abstract: "The site's traffic profile from web access logs: aggregate only.",
        discussion: """
            Examples:
              lgadmin traffic report /var/log/nginx/access.log*
              lgadmin traffic report --period week --by page Assets/samples/access.log
              zcat access.log.2.gz | lgadmin traffic report --for "Acme Ads" --csv -
            """,
        subcommands: [Report.self])

    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Count distinct visitors and page views by period, page, ISP domain and referring site (admin; audited).",
            discussion: """
            Reads Common and Combined Log Format files as Apache and nginx write them, plain or gzip \
            (recognised by content), and - for standard input. Cells with fewer than K distinct \
            visitors are merged into "other"; an "other" under K is withheld with the next smallest \
            cell; every count is rounded to a multiple of 5. No output holds an address, a host \
            name, a user agent, a query string or a per-visitor row. Lines that cannot be read are \
            counted and named by file and line number on standard error, never shown.
            """)

        @Argument(help: ArgumentHelp("Access logs (plain or gzip); - reads standard input.", valueName: "access-log"))
        var logs: [String] = []
        @Option(name: .customLong("min-count"), help: ArgumentHelp("K: the fewest distinct visitors a published cell may have (at least 5).", valueName: "k"))
        var minCount = TrafficReportRequest.defaultMinCount
        @Option(help: "day, week (ISO) or month.") var period: TrafficPeriod = .month
        @Option(name: .customLong("by"), help: ArgumentHelp("page, isp, referrer: repeat or separate with commas (default: all three).", valueName: "breakdown"))
        var by: [String] = []
        @Option(name: .customLong("for"), help: ArgumentHelp("The party the report is for (recorded in the audit trail).", valueName: "party"))
        var party: String?
        @Option(name: .customLong("site"), help: ArgumentHelp("The site's own domain: referrals from it count as (internal). Repeatable.", valueName: "domain"))
        var sites: [String] = []
        @Flag(help: "Print CSV (RFC 4180) instead of aligned text.") var csv = false
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try perform {
                if output.json, csv { throw OpsError.usage("--json and --csv cannot be used together: choose one") }
                var breakdowns: [TrafficBreakdown] = []
                for word in by.flatMap({ $0.split(separator: ",") }) {
                    let w = word.trimmingCharacters(in: .whitespaces).lowercased()
                    guard let b = TrafficBreakdown(rawValue: w == "referer" ? "referrer" : w) else {
                        throw OpsError.usage("--by \(TerminalText.sanitize(String(word))) is not a breakdown: use page, isp or referrer")
                    }
                    breakdowns.append(b)
                }
                let request = TrafficReportRequest(
                    logs: logs, minCount: minCount, period: period, breakdowns: breakdowns.isEmpty ? TrafficBreakdown.allCases : breakdowns,
                    party: party, siteDomains: sites, format: output.json ? .json : csv ? .csv : .text)
                // Usage first (K, names), before the store is even opened.
                _ = try PrivacyOps.checkTrafficRequest(request)
                let ops = try store.open()
                let tty = isatty(2) == 1
                let run = try ops.trafficReport(request, progress: tty ? { Self.showProgress($0) } : nil)
                if tty { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
                FileHandle.standardOutput.write(Data(run.output))
                Self.printSummary(run.input)
            }
        }

        static func showProgress(_ p: TrafficProgress) {
            var text = "reading \(TerminalText.sanitize(p.file)): \(Self.mib(p.bytesRead))"
            if let total = p.totalBytes, total > 0 {
                text += " of \(Self.mib(total)) (\(min(100, Int(p.bytesRead * 100 / total)))%)"
            }
            text += ", \(p.lines) lines"
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
        }

        static func mib(_ bytes: Int64) -> String { String(format: "%.1f MiB", Double(bytes) / 1_048_576) }

        /// What reading found, on standard error: counts, and unreadable lines by number only.
        static func printSummary(_ s: TrafficInputSummary) {
            var text = "read \(s.lines) line(s) from \(s.files.count) log(s): \(s.pageViews) page view(s), \(s.otherRequests) other request(s), \(s.crawlerRequests) from crawlers; \(s.cells) cell(s), \(s.estimatedCells) of them estimated"
            if s.unreadable > 0 {
                text += "; \(s.unreadable) line(s) could not be read (not shown: they hold addresses): " + s.unreadableAt.joined(separator: ", ")
                if s.unreadable > s.unreadableAt.count { text += ", and \(s.unreadable - s.unreadableAt.count) more" }
            }
            Output.error(text)
            for p in s.problems { Output.error("incomplete: \(p)") }
        }
    }
}
