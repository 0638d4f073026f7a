import ArgumentParser
import Foundation
import PrivacyOps

/// `lgadmin transparency report`: the transparency report of DESIGN.md §2b. The figures, the
/// formats and the audit event are the service's; this command parses and prints the bytes the
/// audit event's SHA-256 covers, exactly.
struct TransparencyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transparency", abstract: "The transparency report.",
        discussion: """
            Examples:
              lgadmin transparency report --period 2026H1
              lgadmin transparency report --from 2026-01-01 --to 2026-03-31 --csv
            """, subcommands: [Report.self])

    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Disclosures, partner shares, moderation and opt-outs of a period, from the store alone (audited).",
            discussion: """
                Give --period 2026H1, 2026H2 or 2026, or --from DAY --to DAY (both included, UTC). The report names the \
                store seq and the audit chain head it was computed from (as 'lgadmin audit head' prints it), so anyone can \
                re-check it; counts are exact. Generating it is audited (transparency.report, with the period and the \
                SHA-256 of exactly what is printed), so it needs a store that can be written. Admins and auditors.
                """)
        @Option(help: ArgumentHelp("A half-year or a year: 2026H1, 2026H2, 2026.", valueName: "period")) var period: String?
        @Option(help: ArgumentHelp("The first day (with --to): 2026-01-01.", valueName: "day")) var from: String?
        @Option(help: ArgumentHelp("The last day (with --from): 2026-03-31.", valueName: "day")) var to: String?
        @Flag(help: "Print RFC 4180 CSV (one table: section,metric,breakdown,value).") var csv = false
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try perform {
                if csv && output.json { throw OpsError.usage("choose one of --json and --csv") }
                let chosen: ReportPeriod
                switch (period, from, to) {
                case (let p?, nil, nil): chosen = try ReportPeriod.named(p)
                case (nil, let f?, let t?): chosen = try ReportPeriod.between(from: f, to: t)
                case (nil, nil, nil): throw OpsError.usage("say which period: --period 2026H1 (or 2026H2, 2026), or --from 2026-01-01 --to 2026-03-31")
                case (_?, _, _): throw OpsError.usage("give either --period or --from and --to, not both")
                default: throw OpsError.usage("--from and --to go together: give both days")
                }
                let out = try store.open().transparencyReport(chosen, format: csv ? .csv : output.json ? .json : .text)
                FileHandle.standardOutput.write(Data(out.bytes))
            }
        }
    }
}

/// `lgadmin policy check`: one row per promise of the privacy policy, checked on the live store.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "policy", abstract: "The policy check.",
        discussion: """
            Examples:
              lgadmin policy check
              lgadmin policy check --strict --json
            """, subcommands: [Check.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every promise of the privacy policy on the store: PASS, WARN or FAIL per row (exit 1 on FAIL).",
            discussion: """
                One row per promise, with how many records break it and the first ids. Exit 0 with no FAIL, 1 with any; \
                with --strict a WARN fails too. It prints the audit chain head it saw. Not audited (a read, like 'store \
                check'). Admins and auditors.
                """)
        @Flag(help: "Fail on WARN too.") var strict = false
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try perform {
                let ops = try store.open(readOnly: true)
                let result = try ops.policyCheck()
                if output.json {
                    Output.json(result)
                } else {
                    Output.line("policy check of \(ops.storePath) at store seq \(result.storeSeq), \(result.checkedAt)")
                    Output.line("audit chain head \(result.auditHead.description)")
                    Output.line()
                    Output.table([.init(title: "STATUS"), .init(title: "CHECK"), .init(title: "COUNT", alignRight: true),
                                  .init(title: "CHECKED", alignRight: true), .init(title: "FIRST IDS", maxWidth: 44),
                                  .init(title: "FINDING", maxWidth: 100)],
                                 result.rows.map { [$0.status.rawValue, $0.id, String($0.count), String($0.checked),
                                                    $0.firstIds.joined(separator: ", "), $0.detail] })
                    Output.line()
                    Output.line("\(result.rows.count) checks: \(result.count(.pass)) PASS, \(result.count(.warn)) WARN, \(result.count(.fail)) FAIL")
                }
                if result.fails(strict: strict) {
                    let failing = result.rows.filter { $0.status == .fail || (strict && $0.status == .warn) }
                    throw OpsError.failure("policy check failed\(strict ? " (--strict)" : ""): \(result.summary) (\(failing.map(\.id).joined(separator: ", ")))")
                }
            }
        }
    }
}
