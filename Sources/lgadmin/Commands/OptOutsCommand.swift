import ArgumentParser
import Foundation
import PrivacyOps

extension OptOutState: ExpressibleByArgument {}
extension MailingList: ExpressibleByArgument {}

struct OptOutsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optouts", abstract: "Opt-out requests: submit, ingest the contact form's spool, decide.",
        discussion: """
            Examples:
              lgadmin optouts ingest
              lgadmin optouts list --state pending
              lgadmin optouts show O000001
              lgadmin optouts apply O000001
              lgadmin optouts submit --contact zoe@example.net --scope newsletter
            """,
        subcommands: [Submit.self, Ingest.self, List.self, Show.self, Apply.self, NeedInfo.self, Reject.self])

    static func printOne(_ r: OptOutRequest, overdue: Bool) {
        let matches = r.matches.isEmpty ? "no customer holds this contact point" : r.matches.joined(separator: ", ")
        let decided: String = r.decidedBy.map { "\($0) at \(r.decidedAt ?? "")" } ?? "-"
        let state = r.state.rawValue + (overdue ? " (OVERDUE)" : "")
        var pairs: [(String, String)] = [("id", r.id), ("version", String(r.version)), ("contact", r.contact), ("channel", r.channel.rawValue)]
        pairs.append(("scopes", r.scopes.map(\.rawValue).joined(separator: ", ")))
        pairs.append(contentsOf: [("state", state), ("source", r.source), ("received", r.receivedAt), ("due", r.dueAt)])
        pairs.append(contentsOf: [("matches", matches), ("decided", decided), ("note", r.note ?? "-")])
        if let n = r.name { pairs.append(("name given", n)) }
        if let m = r.message { pairs.append(("message", m)) }
        Output.fields(pairs)
    }

    static func decided(_ r: OptOutRequest, _ json: Bool) {
        if json { Output.json(r, required: Output.Keys.optout) } else { Output.line("\(r.id) is now \(r.state.rawValue)") }
    }

    struct Submit: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record an opt-out request by hand.")
        @Option(help: "The exact contact point: an e-mail address, phone number or postal address.") var contact: String
        @Option(name: .customLong("scope"), help: "newsletter, product-notices, partner-offers or all (repeatable; none given means all).") var scopes: [String] = []
        @Option(help: "Where the request came from.") var source = "manual"
        @Option(help: "A note kept with the request.") var note: String?
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try perform {
                guard let sc = OptOutScope.parseList(scopes) else {
                    throw OpsError.usage("unknown --scope \(scopes.joined(separator: ",")): use newsletter, product-notices, partner-offers or all")
                }
                let ops = try store.open()
                let r = try ops.submitOptOut(OptOutSubmission(contact: contact, scopes: sc, source: source, note: note))
                if output.json { Output.json(r, required: Output.Keys.optout) } else {
                    Output.line("\(r.id) received; due \(r.dueAt); \(r.matches.count) matching customer(s)")
                }
            }
        }
    }

    struct Ingest: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take every request waiting in the inbox spool.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try perform {
                let ops = try store.open()
                let rep = try ops.ingestOptOuts()
                if output.json {
                    struct J: Encodable {
                        var taken: [String]; var already_taken: [String]; var bad: [[String: String]]
                        var masked: [[String: String]]; var left: [[String: String]]; var failed: [[String: String]]
                    }
                    Output.json(J(taken: rep.taken, already_taken: rep.alreadyTaken, bad: rep.rejected.map { ["file": $0.file, "reason": $0.reason] },
                                  masked: rep.masked.map { ["file": $0.file, "fields": $0.fields.joined(separator: ",")] },
                                  left: rep.left.map { ["file": $0.file, "reason": $0.reason] },
                                  failed: rep.failed.map { ["file": $0.file, "problem": $0.problem] }))
                } else {
                    Output.line("taken \(rep.taken.count), already taken \(rep.alreadyTaken.count), set aside \(rep.rejected.count)")
                    for m in rep.masked { Output.line("  taken \(TerminalText.sanitize(m.file)) with a card number masked in the \(m.fields.joined(separator: " and "))") }
                    for b in rep.rejected { Output.line("  \(TerminalText.sanitize(IngestReport.setAsidePath(b.file))): \(TerminalText.sanitize(b.reason))") }
                    for l in rep.left { Output.line("  left in \(TerminalText.sanitize(IngestReport.leftPath(l.file))): \(TerminalText.sanitize(l.reason))") }
                }
                // Nothing fails silently: what could not be handled is an error (exit 1), in one line.
                let unhandled = rep.failed.map { ($0.file, $0.problem) } + rep.left.map { ($0.file, $0.reason) }
                if !unhandled.isEmpty {
                    let each = unhandled.map { "\(TerminalText.sanitize($0.0)): \(TerminalText.sanitize($0.1))" }.joined(separator: "; ")
                    throw OpsError.failure("\(unhandled.count) spool file(s) could not be handled: \(each)")
                }
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List requests by due date.")
        @Option(help: "pending, needs-info, applied or rejected.") var state: OptOutState?
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try perform {
                let ops = try store.open(readOnly: true)
                let rs = try ops.listOptOuts(state: state)
                if output.json { Output.json(rs, required: Output.Keys.optout); return }
                Output.table([.init(title: "ID"), .init(title: "STATE"), .init(title: "DUE"), .init(title: "!"), .init(title: "CHANNEL"),
                              .init(title: "CONTACT", maxWidth: 36), .init(title: "SCOPES", maxWidth: 40), .init(title: "MATCHES")],
                             rs.map { [$0.id, $0.state.rawValue, String($0.dueAt.prefix(10)), ops.isOverdue($0) ? "OVERDUE" : "",
                                       $0.channel.rawValue, $0.contact, $0.scopes.map(\.rawValue).joined(separator: ","), String($0.matches.count)] })
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a request and the customers holding its contact point.")
        @Argument(help: "The request id, e.g. O000001.") var id: String
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try perform {
                let ops = try store.open(readOnly: true)
                let d = try ops.optOut(id)
                if output.json { Output.json(d.request, required: Output.Keys.optout); return }
                OptOutsCommand.printOne(d.request, overdue: d.overdue)
                if !d.matchingCustomers.isEmpty {
                    Output.line()
                    CustomersCommand.printList(d.matchingCustomers)
                }
            }
        }
    }

    struct Apply: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Apply a request: suppress its exact contact point for its scopes.")
        @Argument(help: "The request id, e.g. O000001.") var id: String
        @Option(name: .customLong("expect-version"), help: "Refuse (exit 75) unless the record is still at this version.") var expectVersion: Int?
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        func run() throws {
            try perform { OptOutsCommand.decided(try store.open().applyOptOut(id, expectVersion: expectVersion), output.json) }
        }
    }

    struct NeedInfo: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "need-info", abstract: "Ask the customer for more information.")
        @Argument(help: "The request id, e.g. O000001.") var id: String
        @Option(help: "What to ask the customer, kept with the request.") var note: String
        @Option(name: .customLong("expect-version"), help: "Refuse (exit 75) unless the record is still at this version.") var expectVersion: Int?
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        func run() throws {
            try perform { OptOutsCommand.decided(try store.open().needInfoOptOut(id, note: note, expectVersion: expectVersion), output.json) }
        }
    }

    struct Reject: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject a request, with a reason.")
        @Argument(help: "The request id, e.g. O000001.") var id: String
        @Option(help: "Why the request is rejected.") var reason: String
        @Option(name: .customLong("expect-version"), help: "Refuse (exit 75) unless the record is still at this version.") var expectVersion: Int?
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        func run() throws {
            try perform { OptOutsCommand.decided(try store.open().rejectOptOut(id, reason: reason, expectVersion: expectVersion), output.json) }
        }
    }
}

struct MailingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "mailing", abstract: "Mailing lists.",
        discussion: """
            Examples:
              lgadmin mailing export newsletter --csv > newsletter.csv
              lgadmin mailing export service-bulletins --json
              lgadmin mailing export partner-offers --partner "Acme Travel" --csv
            """, subcommands: [Export.self])

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export a list's recipients, less the contact points that opted out of it.",
            discussion: "Lists: newsletter, product-notices, partner-offers, service-bulletins (bulletins ignore marketing opt-outs).")
        @Argument(help: "newsletter, product-notices, partner-offers or service-bulletins.") var list: MailingList
        @Option(help: "Who receives a partner-offers export (recorded in its partner-share disclosure; else 'partners').") var partner: String?
        @Flag(help: "Print the export's exact bytes (RFC 4180 CSV): the bytes whose SHA-256 a partner share records.") var csv = false
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try perform {
                let ops = try store.open()
                let ex = try ops.exportMailing(list, partner: partner)
                if csv {
                    FileHandle.standardOutput.write(Data(ex.csv))
                } else if output.json {
                    Output.json(ex.recipients)
                } else {
                    Output.table([.init(title: "CUSTOMER"), .init(title: "CHANNEL"), .init(title: "CONTACT", maxWidth: 60), .init(title: "NAME", maxWidth: 40)],
                                 ex.recipients.map { [$0.customerId, $0.channel.rawValue, $0.contact, $0.name] })
                }
                var summary = "\(ex.recipients.count) recipient(s); \(ex.suppressed) opted-out contact point(s) left out"
                if let d = ex.disclosure { summary += "; recorded partner share \(d.id) to \(d.requester) (sha256 \(ex.sha256))" }
                Output.error(summary)
            }
        }
    }
}
