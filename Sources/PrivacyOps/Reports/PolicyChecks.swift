import Foundation

/// What the policy check reads from files rather than records: the card-number scan of every
/// file of the store, and what is wrong with the message files (both read-only). Given apart,
/// so the rows are a pure function of a store view, the time and these.
public struct PolicyCheckInputs: Sendable {
    public var cardFindings: [CardNumberFinding]
    /// How many files the card-number scan read.
    public var filesScanned: Int
    /// One line per message whose files are not in line with its state (``PrivacyOps``'s
    /// message-file check, the one `store check` prints).
    public var messageFileProblems: [String]
    /// The opt-out scope of each list, as the mailing code defines it; a test may give another.
    public var scopeOf: @Sendable (MailingList) -> OptOutScope?

    public init(cardFindings: [CardNumberFinding] = [], filesScanned: Int = 0, messageFileProblems: [String] = [],
                scopeOf: @escaping @Sendable (MailingList) -> OptOutScope? = { $0.scope }) {
        self.cardFindings = cardFindings
        self.filesScanned = filesScanned
        self.messageFileProblems = messageFileProblems
        self.scopeOf = scopeOf
    }
}

/// The rows of the policy check (DESIGN.md §2b), one per promise, each checked on the store as it
/// is. WARN marks what is about to break or cannot be proven; FAIL what is broken.
///
/// Decisions written down here:
/// - `optouts-overdue`: FAIL for an open request (pending or needs-info) past its due date;
///   WARN for one that falls due within the next 24 hours.
/// - `optouts-suppressed`: exports keep only their counts and the SHA-256 of what was sent
///   (a partner share) or nothing of their rows (other lists), so "absent from every later
///   export" is checked through what decides it: each applied request's exact contact point is
///   suppressed for every scope it asked for, and the export rule (``MailingRules``) leaves a
///   point so suppressed out of each of those lists.
/// - `notice-delays`: WARN (the customer is owed notice now; nothing was disclosed wrongly).
/// - `traffic-min-count`: a run whose K cannot be read from its audit event is WARN.
/// - `content-views` and `roles` replay the audit trail (``AuditReplay``): a view is judged by
///   the case's state and the viewer's role at the time of the view.
enum PolicyChecks {
    /// The smallest K a traffic report may be run with (DESIGN.md §2b).
    static let smallestTrafficMinCount = 5
    /// The audit action of a traffic report run.
    static let trafficReportAction = "traffic.report"

    static func run(on v: any StoreSnapshot, now: Date, inputs: PolicyCheckInputs) throws -> PolicyCheckResult {
        let nowStamp = ReportTime.stamp(Int(now.timeIntervalSince1970))
        let events = try v.all(Collections.audit)
        let reports = try v.all(Collections.reports)
        let disclosures = try v.all(Collections.disclosures)
        let optouts = try v.all(Collections.optouts)
        let replay = AuditReplay.run(events: events, reports: Dictionary(reports.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }),
                                     disclosures: Dictionary(disclosures.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }),
                                     users: try v.all(Collections.users))
        let rows = [
            cardNumbers(inputs.cardFindings, files: inputs.filesScanned),
            optOutsOverdue(optouts, now: nowStamp),
            optOutsSuppressed(optouts, suppressions: try v.all(Collections.suppressions), scopeOf: inputs.scopeOf),
            bulletinsOnly(scopeOf: inputs.scopeOf),
            disclosureGrounds(disclosures, reports: Set(reports.map(\.id))),
            disclosureApproval(disclosures, events: events),
            noticeDelays(disclosures, now: nowStamp),
            contentViews(replay),
            moderationGrounds(reports),
            quarantine(inputs.messageFileProblems, communications: v.count(Collections.communications)),
            trafficMinCount(events),
            try auditChain(v),
            roles(replay, events: events.count),
        ]
        return PolicyCheckResult(rows: rows, checkedAt: nowStamp, storeSeq: v.seq, auditHead: try AuditChain.head(v))
    }

    // MARK: Building a row

    static func row(_ id: String, _ promise: String, checked: Int, fails: [PolicyFinding] = [], warns: [PolicyFinding] = [],
                    holds: String) -> PolicyRow {
        let status: PolicyStatus = !fails.isEmpty ? .fail : !warns.isEmpty ? .warn : .pass
        let shown = status == .fail ? fails : warns
        var detail = holds
        if let f = shown.first {
            detail = f.problem + (shown.count > 1 ? " (and \(shown.count - 1) more)" : "")
        }
        return PolicyRow(id: id, promise: promise, status: status, count: shown.count, checked: checked,
                         first: Array((fails + warns).prefix(PolicyCheckResult.firstLimit)), detail: detail)
    }

    static func things(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(n) \(n == 1 ? singular : plural ?? singular + "s")"
    }

    // MARK: The rows

    static func cardNumbers(_ found: [CardNumberFinding], files: Int) -> PolicyRow {
        let fails = found.map { PolicyFinding(id: "\($0.file):\($0.line)", kind: .file,
                                              problem: "a card-number-like run ending \($0.last4) in \($0.file) line \($0.line): remove it ('lgadmin store scan' lists them)") }
        return row("card-numbers", "No card number anywhere in the store (payments go through PayPal)", checked: files,
                   fails: fails, holds: "\(things(files, "file")) of the store scanned: no card-number-like digit run")
    }

    static func optOutsOverdue(_ all: [OptOutRequest], now: String) -> PolicyRow {
        let open = all.filter(\.isOpen).sorted { ($0.dueAt, $0.id) < ($1.dueAt, $1.id) }
        let soon = ReportTime.seconds(now).map { ReportTime.stamp($0 + 86_400) } ?? now
        let fails = open.filter { $0.dueAt < now }.map {
            PolicyFinding(id: $0.id, kind: .optOut, problem: "opt-out \($0.id) (\($0.state.rawValue)) was due \($0.dueAt) and is not decided")
        }
        let warns = open.filter { $0.dueAt >= now && $0.dueAt < soon }.map {
            PolicyFinding(id: $0.id, kind: .optOut, problem: "opt-out \($0.id) (\($0.state.rawValue)) falls due \($0.dueAt), within a day")
        }
        return row("optouts-overdue", "No opt-out request overdue (10 business days; WARN when one falls due within a day)",
                   checked: open.count, fails: fails, warns: warns, holds: "\(things(open.count, "open request")), none overdue or due within a day")
    }

    static func optOutsSuppressed(_ all: [OptOutRequest], suppressions: [Suppression],
                                  scopeOf: (MailingList) -> OptOutScope?) -> PolicyRow {
        var byPoint: [String: Suppression] = [:]
        for s in suppressions { byPoint[ContactPoint(channel: s.channel, normalized: s.normalized).key] = s }
        let applied = all.filter { $0.state == .applied }.sorted { $0.id < $1.id }
        var fails: [PolicyFinding] = []
        for r in applied {
            let scopes = byPoint[r.contactPoint.key]?.scopes ?? []
            let missing = r.scopes.filter { !scopes.contains($0) }
            // Each list the request opted out of, as the export rule decides it for an active account.
            let stillSent = MailingList.allCases.filter { list in
                guard let scope = list.scope, r.scopes.contains(scope) else { return false }
                return MailingRules.includes(list, status: .active, suppressed: scopes, scopeOf: scopeOf)
            }
            if !missing.isEmpty {
                fails.append(PolicyFinding(id: r.id, kind: .optOut, problem: "opt-out \(r.id) was applied, but its \(r.channel.rawValue) is not suppressed for \(missing.map(\.rawValue).joined(separator: ", "))"))
            } else if !stillSent.isEmpty {
                fails.append(PolicyFinding(id: r.id, kind: .optOut, problem: "opt-out \(r.id) was applied, but the export rule still sends \(stillSent.map(\.rawValue).joined(separator: ", ")) to its \(r.channel.rawValue)"))
            }
        }
        return row("optouts-suppressed",
                   "Every applied contact point suppressed in every marketing list it opted out of, and so left out of every later export",
                   checked: applied.count, fails: fails,
                   holds: "\(things(applied.count, "applied request")): each exact contact point suppressed for its scopes, and the export rule leaves it out (exports keep only counts and a SHA-256, so the rule is what is checked)")
    }

    static func bulletinsOnly(scopeOf: (MailingList) -> OptOutScope?) -> PolicyRow {
        var fails: [PolicyFinding] = []
        var warns: [PolicyFinding] = []
        let everyScope = OptOutScope.allCases
        for list in MailingList.allCases {
            let ignores = MailingRules.ignoresOptOuts(list, scopeOf: scopeOf)
            // What an export does with a contact point that opted out of everything.
            let sendsAnyway = MailingRules.includes(list, status: .active, suppressed: everyScope, scopeOf: scopeOf)
            if list == .serviceBulletins {
                if !ignores || !sendsAnyway {
                    warns.append(PolicyFinding(id: list.rawValue, kind: .list, problem: "service-bulletins honours marketing opt-outs: the policy lets it ignore them (not a breach, but bulletins may not reach everyone)"))
                }
            } else if ignores || sendsAnyway {
                fails.append(PolicyFinding(id: list.rawValue, kind: .list, problem: "\(list.rawValue) ignores opt-outs: only service-bulletins may"))
            }
        }
        return row("bulletins-only", "service-bulletins is the only list that ignores opt-outs", checked: MailingList.allCases.count,
                   fails: fails, warns: warns,
                   holds: "newsletter, product-notices and partner-offers leave out a contact point that opted out; service-bulletins does not")
    }

    /// What is wrong with `d`'s ground, or nil: a ground of another kind, legal-process without
    /// its reference or a legal request type, law-enforcement-inadvertent to anyone but law
    /// enforcement or without the report (one of `reports`) in which the content was seen.
    static func groundProblem(_ d: Disclosure, reports: Set<String>) -> String? {
        if d.ground.kind != d.kind {
            return "\(d.id) is a \(d.kind.rawValue) disclosure on \(d.ground.rawValue), a ground for \(d.ground.kind.rawValue) disclosures"
        }
        switch d.ground {
        case .legalProcess:
            if (d.reference ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                return "\(d.id) is on legal-process without the reference of the legal process"
            }
            if !d.requestType.isLegalProcess {
                return "\(d.id) is on legal-process with the request type \(d.requestType.rawValue), not a legal one"
            }
        case .lawEnforcementInadvertent:
            if d.requesterType != .lawEnforcement {
                return "\(d.id) is on law-enforcement-inadvertent to a \(d.requesterType.rawValue) requester, not law enforcement"
            }
            if d.caseId.map({ !reports.contains($0) }) ?? true {
                return "\(d.id) is on law-enforcement-inadvertent without the report (case) in which the content was seen"
            }
        default:
            break
        }
        return nil
    }

    static func disclosureGrounds(_ all: [Disclosure], reports: Set<String>) -> PolicyRow {
        let fails = all.sorted(by: { $0.id < $1.id }).compactMap { d in
            groundProblem(d, reports: reports).map { PolicyFinding(id: d.id, kind: .disclosure, problem: $0) }
        }
        return row("disclosure-grounds", "Every disclosure names a valid ground for its kind, with what that ground needs",
                   checked: all.count, fails: fails, holds: "\(things(all.count, "disclosure")): each on a ground of its kind, legal-process with its reference, law-enforcement-inadvertent with its case")
    }

    /// Who approved which disclosure, as the audit trail records it (`case` and actor of each
    /// `disclosures.approve`).
    static func approvals(_ events: [AuditEvent]) -> Set<String> {
        var out = Set<String>()
        for e in events where e.action == Action.disclosuresApprove.rawValue {
            if let c = e.caseId { out.insert(c + "\u{0}" + e.actor) }
        }
        return out
    }

    /// What is wrong with the approval of `d`, or nil: for an approved or released content or
    /// account disclosure, no approver, an approver who recorded or last edited it, or one the
    /// audit trail (`approvals`) does not show approving it.
    static func approvalProblem(_ d: Disclosure, approvals: Set<String>) -> String? {
        guard d.kind.needsApproval, d.state == .approved || d.state == .released else { return nil }
        guard let by = d.approvedBy else {
            return d.state == .released ? "\(d.id) was released without approval" : "\(d.id) is approved but names no approver"
        }
        if by == d.recordedBy { return "\(d.id) was approved by \(by), who recorded it: a second admin must approve" }
        if by == d.updatedBy { return "\(d.id) was approved by \(by), who last edited it: a second admin must approve" }
        if !approvals.contains(d.id + "\u{0}" + by) { return "\(d.id) names \(by) as approver, but the audit trail has no approval of \(d.id) by \(by)" }
        return nil
    }

    static func disclosureApproval(_ all: [Disclosure], events: [AuditEvent]) -> PolicyRow {
        let approvals = approvals(events)
        let needing = all.filter { $0.kind.needsApproval }.sorted { $0.id < $1.id }
        let fails = needing.compactMap { d in approvalProblem(d, approvals: approvals).map { PolicyFinding(id: d.id, kind: .disclosure, problem: $0) } }
        let decided = needing.filter { $0.state == .approved || $0.state == .released }.count
        return row("disclosure-approval", "Every content and account disclosure approved by an admin other than its recorder; none released unapproved",
                   checked: needing.count, fails: fails,
                   holds: "\(things(decided, "approved or released disclosure")) of \(needing.count): each approved by a second admin, as the audit trail records")
    }

    static func noticeDelays(_ all: [Disclosure], now: String) -> PolicyRow {
        let delayed = all.filter { $0.noticeState == .delayedByOrder }.sorted { ($0.noticeDelayUntil ?? "", $0.id) < ($1.noticeDelayUntil ?? "", $1.id) }
        let warns = delayed.filter { DisclosureRules.isDelayRunOut($0, now: now) }.map {
            PolicyFinding(id: $0.id, kind: .disclosure, problem: "the notice delay of \($0.id) (order \($0.noticeOrderRef ?? "?")) ran out \($0.noticeDelayUntil ?? "?"): tell the customer now")
        }
        return row("notice-delays", "No notice delay has run out with the customer not yet told", checked: delayed.count, warns: warns,
                   holds: "\(things(delayed.count, "notice delay")) by order, none run out")
    }

    static func contentViews(_ replay: AuditReplay) -> PolicyRow {
        let fails = replay.viewProblems.map { PolicyFinding(id: $0.event.id, kind: .auditEvent, problem: $0.problem) }
        return row("content-views", "Every content view inside an open case that covers the message, by a role that may see content",
                   checked: replay.views.count, fails: fails,
                   holds: "\(things(replay.views.count, "content view")) replayed through the audit trail: each through an open case, by an admin or moderator")
    }

    static func moderationGrounds(_ all: [Report]) -> PolicyRow {
        let decided = all.filter { $0.state == .blocked || $0.state == .deleted || $0.state == .reinstated }.sorted { $0.id < $1.id }
        var fails: [PolicyFinding] = []
        for r in decided {
            let what = r.state == .deleted ? "deleted" : "blocked"
            if r.ground == nil {
                fails.append(PolicyFinding(id: r.id, kind: .report, problem: "report \(r.id) was \(what) without a ground"))
            } else if r.ground == .touViolation, (r.clause ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                fails.append(PolicyFinding(id: r.id, kind: .report, problem: "report \(r.id) was \(what) as a Terms of Use violation without the clause"))
            }
        }
        return row("moderation-grounds", "Every block and deletion names a ground (and the clause for tou-violation)", checked: decided.count,
                   fails: fails, holds: "\(things(decided.count, "blocked, deleted or reinstated report")): each with a ground")
    }

    static func quarantine(_ problems: [String], communications: Int) -> PolicyRow {
        let fails = problems.map { p -> PolicyFinding in
            let id = String(p.prefix { $0 != " " && $0 != ":" })
            return PolicyFinding(id: id, kind: .communication, problem: p)
        }
        return row("quarantine", "Blocked messages are in the quarantine and out of the Maildir; visible ones are not in the quarantine",
                   checked: communications, fails: fails,
                   holds: "\(things(communications, "message")): each file where its state says (read-only; 'lgadmin store check' says the same)")
    }

    static func trafficMinCount(_ events: [AuditEvent]) -> PolicyRow {
        let runs = events.filter { $0.action == trafficReportAction }
        var fails: [PolicyFinding] = []
        var warns: [PolicyFinding] = []
        for e in runs {
            guard let k = minCount(e.detail) else {
                warns.append(PolicyFinding(id: e.id, kind: .auditEvent, problem: "the traffic report at seq \(e.seq) does not record its minimum count K"))
                continue
            }
            if k < smallestTrafficMinCount {
                fails.append(PolicyFinding(id: e.id, kind: .auditEvent, problem: "the traffic report at seq \(e.seq) ran with K = \(k), below \(smallestTrafficMinCount)"))
            }
        }
        return row("traffic-min-count", "Every traffic report run with K ≥ \(smallestTrafficMinCount)", checked: runs.count, fails: fails, warns: warns,
                   holds: runs.isEmpty ? "no traffic report has been run" : "\(things(runs.count, "traffic report")) run, each with K ≥ \(smallestTrafficMinCount)")
    }

    /// The K a traffic report's audit detail records: `min_count: 10` (also `min-count 10`, `K=10`).
    static func minCount(_ detail: String) -> Int? {
        for key in ["min_count:", "min_count=", "min-count:", "min-count", "K="] {
            guard let r = detail.range(of: key) else { continue }
            let digits = detail[r.upperBound...].drop { $0 == " " }.prefix { $0.isASCII && $0.isNumber }
            if let k = Int(digits) { return k }
        }
        return nil
    }

    static func auditChain(_ v: any StoreSnapshot) throws -> PolicyRow {
        let result = try AuditChain.verify(v)
        let head = try AuditChain.head(v)
        var fails: [PolicyFinding] = []
        if let bad = result.firstBadSeq {
            fails.append(PolicyFinding(id: AuditEvent.recordID(seq: bad), kind: .auditEvent, problem: "the audit chain is broken at seq \(bad): \(result.problem ?? "it does not verify")"))
        }
        return row("audit-chain", "The audit chain verifies", checked: result.events, fails: fails,
                   holds: "intact: \(things(result.events, "event")); head \(head.description)")
    }

    static func roles(_ replay: AuditReplay, events: Int) -> PolicyRow {
        var fails = replay.roleProblems.map { PolicyFinding(id: $0.event.id, kind: .auditEvent, problem: $0.problem) }
        fails += replay.userProblems.map { PolicyFinding(id: $0.user, kind: .user, problem: $0.problem) }
        let warns = replay.unknownActions.map {
            PolicyFinding(id: $0.id, kind: .auditEvent, problem: "seq \($0.seq) records \($0.action), an action this version of lgadmin does not know: its role cannot be checked")
        }
        return row("roles", "Every actor held the role the action needed at the time", checked: events, fails: fails, warns: warns,
                   holds: "\(things(events, "audit event")) replayed against the role table, grants and revocations in order; the staff list matches")
    }
}
