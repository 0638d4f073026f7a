import ArgumentParser
import Foundation
import PrivacyOps

extension CommunicationState: ExpressibleByArgument {}
extension ReportState: ExpressibleByArgument {}
extension ReportTrigger: ExpressibleByArgument {}
extension ModerationGround: ExpressibleByArgument {}

struct CommsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "comms", abstract: "Customers' stored communications: index, list, view through a case.",
        discussion: """
            Examples:
              lgadmin comms import-maildir Assets/samples/Maildir --customer C0000001
              lgadmin comms list --customer C0000001
              lgadmin comms view M0000001 --case R000001
            """,
        subcommands: [ImportMaildir.self, List.self, View.self])

    static func printList(_ cs: [Communication]) {
        Output.table([.init(title: "ID"), .init(title: "CUSTOMER"), .init(title: "STATE"), .init(title: "DATE"),
                      .init(title: "FROM", maxWidth: 30), .init(title: "SUBJECT", maxWidth: 50)],
                     cs.map { [$0.id, $0.customerId, $0.state.rawValue, String(($0.date ?? "").prefix(10)), $0.from, $0.subject] })
    }

    struct ImportMaildir: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "import-maildir", abstract: "Index a customer's Maildir in place.")
        @Argument(help: "The Maildir (the folder holding cur/, new/ and tmp/).") var dir: String
        @Option(help: "The customer the Maildir belongs to.") var customer: String
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try perform {
                let ops = try store.open()
                let r = try ops.importMaildir(dir, customer: customer)
                if output.json { Output.json(r.indexed, required: Output.Keys.communication) } else {
                    Output.line("indexed \(r.indexed.count) message(s); \(r.alreadyIndexed) already indexed")
                    if !r.masked.isEmpty { Output.line("a card number was masked in the headers of \(r.masked.joined(separator: ", "))") }
                    for s in r.skipped { Output.line("skipped \(TerminalText.sanitize(s.file)): \(TerminalText.sanitize(s.reason))") }
                }
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List communications' metadata (never content).")
        @Option(help: "Only this customer's communications.") var customer: String?
        @Option(help: "visible, blocked or deleted.") var state: CommunicationState?
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try perform {
                let cs = try store.open(readOnly: true).listCommunications(customer: customer, state: state)
                if output.json { Output.json(cs, required: Output.Keys.communication) } else { CommsCommand.printList(cs) }
            }
        }
    }

    struct View: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a message's content through an open case (audited).",
            discussion: """
                The message is decoded for reading: quoted-printable and base64 undone, the \
                charset turned into text (an unknown one shown with \u{FFFD} and a note), \
                encoded words in headers decoded, text/plain parts shown, text/html parts \
                shown as plain text (never rendered, nothing fetched), and every other part \
                listed with its file name, type and size: never opened, saved or run. Control \
                characters are shown, never sent to the terminal. --raw prints the message \
                as stored instead.

                --json prints one object: id, case, content (the message as stored, as \
                before), and: headers (name and value of From, Reply-To, To, Cc, Date and \
                Subject, decoded), text (the decoded view as printed), parts (each leaf part: \
                part number, type, charset, transfer_encoding, disposition, filename, size in \
                bytes after decoding, shown as text, html-as-text, attachment or alternative, \
                and text for a shown part), attachments (part, filename, type, size) and notes \
                (what was damaged or left out).
                """)
        @Argument(help: "The communication id, e.g. M0000001.") var id: String
        @Option(name: .customLong("case"), help: "The open report (or disclosure) that covers this message.") var caseId: String?
        @Flag(help: "Print the message as stored (headers and body, not decoded).") var raw = false
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        /// `comms view --json`: the fields of earlier versions (id, case, content) and the decoded message.
        struct JSONView: Encodable {
            struct Header: Encodable { var name: String; var value: String }
            struct Part: Encodable {
                var part: String
                var type: String
                var charset: String?
                var transferEncoding: String
                var disposition: String?
                var filename: String?
                var size: Int
                var shown: String
                var text: String?
                enum CodingKeys: String, CodingKey {
                    case part, type, charset, disposition, filename, size, shown, text
                    case transferEncoding = "transfer_encoding"
                }
            }
            struct Attachment: Encodable { var part: String; var filename: String?; var type: String; var size: Int }
            var id: String
            var `case`: String
            var content: String
            var headers: [Header]
            var text: String
            var parts: [Part]
            var attachments: [Attachment]
            var notes: [String]

            init(_ m: MessageContent) {
                id = m.communication.id
                `case` = m.caseId
                content = m.text
                headers = m.decoded.headers.map { Header(name: $0.name, value: $0.value) }
                text = m.decoded.displayText()
                parts = m.decoded.parts.map {
                    Part(part: $0.number, type: $0.contentType, charset: $0.charset, transferEncoding: $0.transferEncoding,
                         disposition: $0.disposition, filename: $0.filename, size: $0.size, shown: $0.presentation.rawValue, text: $0.text)
                }
                attachments = m.decoded.attachments.map { Attachment(part: $0.number, filename: $0.filename, type: $0.contentType, size: $0.size) }
                notes = m.decoded.notes
            }
        }

        func run() throws {
            try perform {
                // No case, no content: a refusal (77) like a wrong or closed case, not a usage slip.
                guard let caseId else {
                    throw OpsError.denied("content is viewable only through an open case: add --case REPORT_ID (file one with 'lgadmin reports file --comm \(TerminalText.sanitize(id)) ...')")
                }
                let m = try store.open().viewContent(id, case: caseId)
                if output.json {
                    Output.json(JSONView(m))
                } else if raw {
                    Output.line(TerminalText.sanitizeMultiline(m.text))
                } else {
                    for line in m.decoded.displayLines() { Output.line(TerminalText.sanitizeMultiline(line.text)) }
                }
            }
        }
    }
}

struct ReportsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reports", abstract: "Reports about stored communications: the cases moderation works through.",
        discussion: """
            Examples:
              lgadmin reports file --comm M0000001 --trigger abuse-report \\
                --reason "Phishing link" --reporter abuse@example.org
              lgadmin reports list --state open
              lgadmin reports show R000001
              lgadmin reports confirm R000001 --note "The link is phishing."
            """,
        subcommands: [File.self, List.self, Show.self, Confirm.self])

    /// Who stands behind the report besides its filer: "awaiting", "mo at …", "outside reporter".
    static func confirmation(_ r: Report) -> String {
        switch r.confirmation {
        case .awaiting: return "awaiting (another moderator or admin must confirm before \(r.filedBy) may view)"
        case .confirmed: return "by \(r.confirmedBy ?? "?") at \(r.confirmedAt ?? "")"
        case .outsideReporter: return "not needed: outside reporter"
        }
    }

    static func printOne(_ r: Report) {
        Output.fields([("id", r.id), ("version", String(r.version)), ("communication", r.communicationId), ("customer", r.customerId),
                       ("trigger", r.trigger.rawValue), ("reason", r.reason), ("reporter", r.reporter ?? "-"), ("state", r.state.rawValue),
                       ("ground", r.ground.map { $0.rawValue + (r.clause.map { " \($0)" } ?? "") } ?? "-"),
                       ("decided", r.decidedBy.map { "\($0) at \(r.decidedAt ?? "")" } ?? "-"), ("filed", "\(r.filedBy) at \(r.filedAt)"),
                       ("confirmed", confirmation(r))])
    }

    struct File: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "File a report about a communication.")
        @Option(help: "The communication id, e.g. M0000001.") var comm: String
        @Option(help: "abuse-report, tou-complaint, automated-flag or legal.") var trigger: ReportTrigger
        @Option(help: "What is wrong with it.") var reason: String
        @Option(help: "Who reported it (a customer id, an address, a system).") var reporter: String?
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try perform {
                let r = try store.open().fileReport(communication: comm, trigger: trigger, reason: reason, reporter: reporter)
                if output.json { Output.json(r, required: Output.Keys.report) } else { Output.line("filed \(r.id) about \(r.communicationId)") }
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List reports, oldest open first.")
        @Option(help: "open, blocked, reinstated, dismissed or deleted.") var state: ReportState?
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try perform {
                let rs = try store.open(readOnly: true).listReports(state: state)
                if output.json { Output.json(rs, required: Output.Keys.report); return }
                Output.table([.init(title: "ID"), .init(title: "STATE"), .init(title: "FILED"), .init(title: "COMM"), .init(title: "CUSTOMER"),
                              .init(title: "TRIGGER"), .init(title: "CONFIRMED"), .init(title: "REASON", maxWidth: 50)],
                             rs.map { [$0.id, $0.state.rawValue, String($0.filedAt.prefix(10)), $0.communicationId, $0.customerId, $0.trigger.rawValue,
                                       $0.confirmation == .confirmed ? ($0.confirmedBy ?? "?") : $0.confirmation.rawValue, $0.reason] })
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a report with its case history.")
        @Argument(help: "The report id, e.g. R000001.") var id: String
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try perform {
                let d = try store.open(readOnly: true).report(id)
                if output.json { Output.json(d.report, required: Output.Keys.report); return }
                ReportsCommand.printOne(d.report)
                if let c = d.communication {
                    Output.line()
                    Output.fields([("message", c.id), ("from", c.from), ("subject", c.subject), ("date", c.date ?? "-"),
                                   ("size", "\(c.size) bytes"), ("sha256", c.sha256), ("state", c.state.rawValue)])
                }
                Output.line()
                Output.line("history:")
                Output.table([.init(title: "AT"), .init(title: "BY"), .init(title: "ACTION"), .init(title: "NOTE", maxWidth: 70)],
                             d.report.history.map { [$0.at, $0.by, $0.action, $0.note ?? ""] })
            }
        }
    }
}

extension ReportsCommand {
    struct Confirm: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Confirm a report someone else filed, so that its filer may view the content through it too (audited).")
        @Argument(help: "The report id.") var id: String
        @Option(help: "Why the report stands, for the case history.") var note: String?
        @Option(name: .customLong("expect-version"), help: "Refuse (exit 75) unless the record is still at this version.") var expectVersion: Int?
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try perform {
                let r = try store.open().confirmReport(id, note: note, expectVersion: expectVersion)
                if output.json { Output.json(r, required: Output.Keys.report) } else { Output.line("\(r.id) confirmed by \(r.confirmedBy ?? "")") }
            }
        }
    }
}

struct ModerationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "moderation", abstract: "Decide reports: block, unblock, delete, dismiss.",
        discussion: """
            Examples:
              lgadmin moderation block R000001 --ground tou-violation --clause 4.2 \\
                --note "Phishing link"
              lgadmin moderation unblock R000001 --reason "The sender was spoofed"
              lgadmin moderation dismiss R000002 --note "An ordinary newsletter"
              lgadmin moderation delete R000003 --ground harm-customers \\
                --note "Malware attachment" --confirm
            """,
        subcommands: [Block.self, Unblock.self, Delete.self, Dismiss.self])

    static func done(_ r: Report, _ json: Bool) {
        if json { Output.json(r, required: Output.Keys.report) } else { Output.line("\(r.id) is now \(r.state.rawValue)") }
    }

    struct Block: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Block the reported message: it leaves the customer's Maildir for the quarantine.")
        @Argument(help: "The report id.") var id: String
        @Option(help: "harm-company, harm-customers, harm-third-parties or tou-violation.") var ground: ModerationGround
        @Option(help: "The Terms of Use clause (needed with tou-violation).") var clause: String?
        @Option(help: "Why it is blocked, for the case history.") var note: String
        @Option(name: .customLong("expect-version"), help: "Refuse (exit 75) unless the record is still at this version.") var expectVersion: Int?
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        func run() throws {
            try perform { ModerationCommand.done(try store.open().block(report: id, ground: ground, clause: clause, note: note, expectVersion: expectVersion), output.json) }
        }
    }

    struct Unblock: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Put a blocked message back into the customer's Maildir.")
        @Argument(help: "The report id, e.g. R000001.") var id: String
        @Option(help: "Why it goes back, for the case history.") var reason: String
        @Option(name: .customLong("expect-version"), help: "Refuse (exit 75) unless the record is still at this version.") var expectVersion: Int?
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        func run() throws {
            try perform { ModerationCommand.done(try store.open().unblock(report: id, reason: reason, expectVersion: expectVersion), output.json) }
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete the reported message for good (keeps SHA-256 and size).")
        @Argument(help: "The report id, e.g. R000001.") var id: String
        @Option(help: "harm-company, harm-customers, harm-third-parties or tou-violation.") var ground: ModerationGround
        @Option(help: "The Terms of Use clause (needed with tou-violation).") var clause: String?
        @Option(help: "Why it is deleted, for the case history.") var note: String
        @Flag(help: "Confirm: deletion cannot be undone.") var confirm = false
        @Option(name: .customLong("expect-version"), help: "Refuse (exit 75) unless the record is still at this version.") var expectVersion: Int?
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        func run() throws {
            try perform {
                ModerationCommand.done(try store.open().delete(report: id, ground: ground, clause: clause, note: note, confirmed: confirm, expectVersion: expectVersion), output.json)
            }
        }
    }

    struct Dismiss: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Close a report without action.")
        @Argument(help: "The report id, e.g. R000001.") var id: String
        @Option(help: "Why no action is taken, for the case history.") var note: String
        @Option(name: .customLong("expect-version"), help: "Refuse (exit 75) unless the record is still at this version.") var expectVersion: Int?
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        func run() throws {
            try perform { ModerationCommand.done(try store.open().dismiss(report: id, note: note, expectVersion: expectVersion), output.json) }
        }
    }
}
