import ArgumentParser
import Foundation
import PrivacyOps

extension DisclosureKind: ExpressibleByArgument {}
extension DisclosureState: ExpressibleByArgument {}
extension RequesterType: ExpressibleByArgument {}
extension DisclosureRequestType: ExpressibleByArgument {}
extension DataCategory: ExpressibleByArgument {}
extension DisclosureOutcome: ExpressibleByArgument {}
extension NoticeMethod: ExpressibleByArgument {}

/// `lgadmin disclosures …`: the register of DESIGN.md §2b. Every rule is the service's; these
/// commands only parse and print.
struct DisclosuresCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disclosures",
        abstract: "The disclosures register: record, approve (a second admin), refuse, withdraw, release, notice.",
        discussion: "Kinds and their grounds: content (provide-service, protect-interests, legal-process, "
            + "law-enforcement-inadvertent), account (harm-prevention, required-by-law). Partner shares are recorded by "
            + "'mailing export partner-offers'. Release before approval is refused with exit 65; approval by the recorder "
            + "(or last editor) with exit 77. Dates: 2026-03-10 or 2026-03-10T14:00:00Z.\n\n" + """
            Examples:
              lgadmin disclosures record --kind content --ground legal-process \\
                --requester "County Court" --requester-type court \\
                --request-type court-order --reference 2026-CV-0142 --comm M0000001
              lgadmin disclosures approve D000001      # as a second admin
              lgadmin disclosures release D000001
              lgadmin disclosures list --notice-due
            """,
        subcommands: [Record.self, Update.self, Approve.self, Refuse.self, Withdraw.self, Release.self, Notify.self,
                      DelayNotice.self, List.self, Show.self])

    /// Keys every disclosure object carries in JSON (null when absent).
    static let keys = ["id", "version", "kind", "ground", "state", "requester", "requester_type", "request_type", "reference",
                       "received_at", "due_at", "customer_ids", "communication_ids", "case_id", "data_categories", "note",
                       "recorded_by", "recorded_at", "updated_by", "updated_at", "approved_by", "approved_at", "outcome",
                       "released_by", "released_at", "manifest", "reason", "decided_by", "decided_at", "notice_state",
                       "notice_delay_until", "notice_order_ref", "notified_at", "notice_method", "flags"]

    /// A disclosure with its flags (and, for `show`, its history) as one JSON object.
    struct JSONObject: Encodable {
        var disclosure: Disclosure
        var flags: [String]
        var history: [AuditEvent]?

        enum Extra: String, CodingKey { case flags, history }

        func encode(to encoder: any Encoder) throws {
            try disclosure.encode(to: encoder)
            var c = encoder.container(keyedBy: Extra.self)
            try c.encode(flags, forKey: .flags)
            if let history { try c.encode(history, forKey: .history) }
        }
    }

    static func json(_ d: Disclosure, _ ops: PrivacyOps) -> JSONObject {
        JSONObject(disclosure: d, flags: ops.flags(d).words, history: nil)
    }

    /// What an action prints: the resulting object (JSON), or one line.
    static func done(_ d: Disclosure, _ ops: PrivacyOps, _ json: Bool, _ what: String? = nil) {
        if json {
            Output.json(Self.json(d, ops), required: keys)
        } else {
            Output.line(what ?? "\(d.id) is now \(d.state.rawValue) (version \(d.version))")
        }
    }

    /// A ground as typed: an unknown name is invalid data (65), like a ground of the wrong kind.
    static func ground(_ text: String?) throws -> DisclosureGround? {
        guard let text else { return nil }
        guard let g = DisclosureGround(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) else {
            throw OpsError.invalid("'\(text)' is not a disclosure ground: use one of \(DisclosureGround.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return g
    }

    static func printOne(_ detail: DisclosureDetail) {
        let d = detail.disclosure
        let words = detail.flags.words
        var pairs: [(String, String)] = [
            ("id", d.id), ("version", String(d.version)), ("kind", d.kind.rawValue),
            ("ground", "\(d.ground.rawValue) (\(d.ground.label))"),
            ("state", d.state.rawValue + (words.isEmpty ? "" : " [" + words.joined(separator: ", ") + "]")),
            ("requester", "\(d.requester) (\(d.requesterType.rawValue))"), ("request type", d.requestType.rawValue + (d.isCountedAsDisclosure ? "" : " (tracked, not counted as a disclosure)")),
            ("reference", d.reference ?? "-"), ("received", d.receivedAt), ("due", d.dueAt ?? "-"),
            ("customers", d.customerIds.isEmpty ? "-" : d.customerIds.joined(separator: ", ")),
            ("communications", d.communicationIds.isEmpty ? "-" : d.communicationIds.joined(separator: ", ")),
            ("case", d.caseId ?? "-"), ("categories", d.dataCategories.map(\.rawValue).joined(separator: ", ")),
            ("recorded", "\(d.recordedBy) at \(d.recordedAt)"),
        ]
        if let by = d.updatedBy { pairs.append(("edited", "\(by) at \(d.updatedAt ?? "")")) }
        pairs.append(("approved", d.approvedBy.map { "\($0) at \(d.approvedAt ?? "")" } ?? "-"))
        pairs.append(("released", d.releasedAt.map { "\(d.releasedBy ?? "?") at \($0), outcome \(d.outcome?.rawValue ?? "-")" } ?? "-"))
        if let reason = d.reason { pairs.append(("\(d.state.rawValue) because", "\(reason) (\(d.decidedBy ?? "?") at \(d.decidedAt ?? ""))")) }
        var notice = d.noticeState.rawValue
        if d.noticeState == .delayedByOrder { notice += " until \(d.noticeDelayUntil ?? "?") by order \(d.noticeOrderRef ?? "?")" }
        if d.noticeState == .notified { notice += " at \(d.notifiedAt ?? "?") by \(d.noticeMethod?.rawValue ?? "?")" }
        pairs.append(("notice", notice))
        if let n = d.contactPoints { pairs.append(("contact points", "\(n) shared, \(d.excludedByOptOuts ?? 0) excluded by opt-outs, \(d.accountsAffected ?? 0) account(s)")) }
        if let note = d.note { pairs.append(("note", note)) }
        Output.fields(pairs)
        if !d.manifest.isEmpty {
            Output.line()
            Output.line("manifest (what was released; ids and hashes only):")
            Output.table([.init(title: "ITEM"), .init(title: "SIZE", alignRight: true), .init(title: "SHA-256", maxWidth: 64)],
                         d.manifest.map { [$0.id, String($0.size), $0.sha256] })
        }
        Output.line()
        Output.line("history:")
        Output.table([.init(title: "SEQ", alignRight: true), .init(title: "AT"), .init(title: "ACTOR"), .init(title: "ACTION"),
                      .init(title: "DETAIL", maxWidth: 90)],
                     detail.history.map { [String($0.seq), $0.at, $0.actor, $0.action, $0.detail] })
    }

    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a content or account disclosure request (it then needs a second admin's approval).")
        @Option(help: "content or account.") var kind: DisclosureKind
        @Option(help: "content: provide-service, protect-interests, legal-process, law-enforcement-inadvertent; account: harm-prevention, required-by-law.") var ground: String?
        @Option(help: "Who asks (an agency, a court, a person).") var requester: String
        @Option(name: .customLong("requester-type"), help: "law-enforcement, court, government-agency, civil-litigant, partner, customer or internal.") var requesterType: RequesterType
        @Option(name: .customLong("request-type"), help: "subpoena, court-order, warrant, interception-order, emergency, preservation, partner-agreement or other.") var requestType: DisclosureRequestType
        @Option(help: "Docket, warrant or agreement number (legal-process needs one).") var reference: String?
        @Option(name: .customLong("customer"), help: "A customer whose information is disclosed (repeatable).") var customers: [String] = []
        @Option(name: .customLong("comm"), help: "A communication whose content is disclosed (repeatable).") var comms: [String] = []
        @Option(name: .customLong("case"), help: "The report in which the content was seen (law-enforcement-inadvertent).") var caseId: String?
        @Option(name: .customLong("category"), help: "contact, account-status, services, customer-log or content (repeatable).") var categories: [DataCategory] = []
        @Option(help: "When the answer is due (default: 10 business days after receipt).") var due: String?
        @Option(help: "When the request arrived (default: now).") var received: String?
        @Option(help: "A note kept with the disclosure.") var note: String?
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try perform {
                let ops = try store.open()
                let d = try ops.recordDisclosure(DisclosureInput(
                    kind: kind, ground: try DisclosuresCommand.ground(ground), requester: requester, requesterType: requesterType,
                    requestType: requestType, reference: reference, receivedAt: received, dueAt: due, customerIds: customers,
                    communicationIds: comms, caseId: caseId, dataCategories: categories, note: note))
                DisclosuresCommand.done(d, ops, output.json, "recorded \(d.id); due \(d.dueAt ?? "-"); it needs the approval of an admin other than \(d.recordedBy)")
            }
        }
    }

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Edit a recorded or approved disclosure: the version goes up and the approval is cleared.")
        @Argument(help: "The disclosure id, e.g. D000001.") var id: String
        @Option(help: "A new ground (see record --help for each kind's grounds).") var ground: String?
        @Option(help: "A new requester.") var requester: String?
        @Option(name: .customLong("requester-type"), help: "A new requester type (as for record).") var requesterType: RequesterType?
        @Option(name: .customLong("request-type"), help: "A new request type (as for record).") var requestType: DisclosureRequestType?
        @Option(help: "A new reference (an empty value clears it).") var reference: String?
        @Option(name: .customLong("customer"), help: "Replaces the customers named (repeatable).") var customers: [String] = []
        @Option(name: .customLong("comm"), help: "Replaces the communications named (repeatable).") var comms: [String] = []
        @Option(name: .customLong("case"), help: "A new case (an empty value clears it).") var caseId: String?
        @Option(name: .customLong("category"), help: "Replaces the data categories (repeatable).") var categories: [DataCategory] = []
        @Option(help: "A new due date.") var due: String?
        @Option(help: "A new date of receipt.") var received: String?
        @Option(help: "A new note.") var note: String?
        @Option(name: .customLong("expect-version"), help: "Refuse (exit 75) unless the record is still at this version.") var expectVersion: Int?
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try perform {
                let ops = try store.open()
                let changes = DisclosureChanges(
                    ground: try DisclosuresCommand.ground(ground), requester: requester, requesterType: requesterType,
                    requestType: requestType, reference: reference, receivedAt: received, dueAt: due,
                    customerIds: customers.isEmpty ? nil : customers, communicationIds: comms.isEmpty ? nil : comms, caseId: caseId,
                    dataCategories: categories.isEmpty ? nil : categories, note: note)
                let d = try ops.updateDisclosure(id, changes, expectVersion: expectVersion)
                DisclosuresCommand.done(d, ops, output.json, "\(d.id) edited (version \(d.version)); it is \(d.state.rawValue) and needs approval again")
            }
        }
    }

    struct Approve: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve a recorded disclosure (an admin other than its recorder).")
        @Argument(help: "The disclosure id, e.g. D000001.") var id: String
        @Option(name: .customLong("expect-version"), help: "Refuse (exit 75) unless the record is still at this version.") var expectVersion: Int?
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        func run() throws {
            try perform {
                let ops = try store.open()
                DisclosuresCommand.done(try ops.approveDisclosure(id, expectVersion: expectVersion), ops, output.json)
            }
        }
    }

    struct Refuse: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Refuse a request, with the reason.")
        @Argument(help: "The disclosure id, e.g. D000001.") var id: String
        @Option(help: "Why the request is refused.") var reason: String
        @Option(name: .customLong("expect-version"), help: "Refuse (exit 75) unless the record is still at this version.") var expectVersion: Int?
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        func run() throws {
            try perform {
                let ops = try store.open()
                DisclosuresCommand.done(try ops.refuseDisclosure(id, reason: reason, expectVersion: expectVersion), ops, output.json)
            }
        }
    }

    struct Withdraw: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Close a request its requester withdrew, with the reason.")
        @Argument(help: "The disclosure id, e.g. D000001.") var id: String
        @Option(help: "Why the requester withdrew it.") var reason: String
        @Option(name: .customLong("expect-version"), help: "Refuse (exit 75) unless the record is still at this version.") var expectVersion: Int?
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        func run() throws {
            try perform {
                let ops = try store.open()
                DisclosuresCommand.done(try ops.withdrawDisclosure(id, reason: reason, expectVersion: expectVersion), ops, output.json)
            }
        }
    }

    struct Release: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Release an approved disclosure; records a manifest (ids, SHA-256, sizes; never a copy).",
            discussion: "Release before approval is refused with exit 65.")
        @Argument(help: "The disclosure id, e.g. D000001.") var id: String
        @Option(help: "all, partial or narrowed (default: all, or partial with --only).") var outcome: DisclosureOutcome?
        @Option(name: .customLong("only"), help: "Release only this named item (repeatable).") var only: [String] = []
        @Option(name: .customLong("expect-version"), help: "Refuse (exit 75) unless the record is still at this version.") var expectVersion: Int?
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        func run() throws {
            try perform {
                let ops = try store.open()
                let d = try ops.releaseDisclosure(id, outcome: outcome, only: only, expectVersion: expectVersion)
                DisclosuresCommand.done(d, ops, output.json, "\(d.id) released (\(d.outcome?.rawValue ?? "-")): \(d.manifest.count) item(s) in its manifest; notice \(d.noticeState.rawValue)")
            }
        }
    }

    struct Notify: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record that the customer was told of the disclosure.")
        @Argument(help: "The disclosure id, e.g. D000001.") var id: String
        @Option(help: "email, post, phone or other.") var method: NoticeMethod
        @Option(name: .customLong("expect-version"), help: "Refuse (exit 75) unless the record is still at this version.") var expectVersion: Int?
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        func run() throws {
            try perform {
                let ops = try store.open()
                let d = try ops.notifyDisclosure(id, method: method, expectVersion: expectVersion)
                DisclosuresCommand.done(d, ops, output.json, "\(d.id): customer notified by \(method.rawValue)")
            }
        }
    }

    struct DelayNotice: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "delay-notice", abstract: "Delay the customer's notice as a court order requires.")
        @Argument(help: "The disclosure id, e.g. D000001.") var id: String
        @Option(help: "The last day of the delay.") var until: String
        @Option(help: "The order's reference.") var order: String
        @Option(name: .customLong("expect-version"), help: "Refuse (exit 75) unless the record is still at this version.") var expectVersion: Int?
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        func run() throws {
            try perform {
                let ops = try store.open()
                let d = try ops.delayNotice(id, until: until, order: order, expectVersion: expectVersion)
                DisclosuresCommand.done(d, ops, output.json, "\(d.id): notice delayed until \(d.noticeDelayUntil ?? "?") by order \(d.noticeOrderRef ?? "?")")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the register: what awaits approval or release first, by due date.")
        @Option(help: "recorded, approved, released, refused or withdrawn.") var state: DisclosureState?
        @Option(help: "content, account, partner-share or traffic-aggregate.") var kind: DisclosureKind?
        @Option(help: "Only disclosures on this ground.") var ground: String?
        @Flag(name: .customLong("notice-due"), help: "Only those whose customer is to be told now (released with notice due, or a notice delay that has run out).") var noticeDue = false
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try perform {
                let ops = try store.open(readOnly: true)
                let ds = try ops.listDisclosures(DisclosureFilter(state: state, kind: kind, ground: try DisclosuresCommand.ground(ground), noticeDue: noticeDue))
                if output.json { Output.json(ds.map { DisclosuresCommand.json($0, ops) }, required: DisclosuresCommand.keys); return }
                Output.table([.init(title: "ID"), .init(title: "STATE"), .init(title: "KIND"), .init(title: "GROUND"), .init(title: "REQUEST"),
                              .init(title: "REQUESTER", maxWidth: 30), .init(title: "DUE"), .init(title: "FLAGS", maxWidth: 40)],
                             ds.map { d in
                                 [d.id, d.state.rawValue, d.kind.rawValue, d.ground.rawValue, d.requestType.rawValue, d.requester,
                                  String((d.dueAt ?? "-").prefix(10)), ops.flags(d).words.joined(separator: ", ")]
                             })
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a disclosure with its manifest and its whole history.")
        @Argument(help: "The disclosure id, e.g. D000001.") var id: String
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try perform {
                let ops = try store.open(readOnly: true)
                let detail = try ops.disclosure(id)
                if output.json {
                    Output.json(JSONObject(disclosure: detail.disclosure, flags: detail.flags.words, history: detail.history),
                                required: DisclosuresCommand.keys)
                    return
                }
                DisclosuresCommand.printOne(detail)
            }
        }
    }
}
