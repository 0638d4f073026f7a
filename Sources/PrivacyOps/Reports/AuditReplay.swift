import Foundation

/// One pass over the audit trail in seq order, replaying what the store keeps only as its
/// latest state: who held which role at each event (`store.init`, `users.grant`,
/// `users.revoke`), and which cases were open at each content view (reports and content
/// disclosures, from their own events).
///
/// The policy check's `roles` and `content-views` rows, and the transparency report's statement
/// about content views, read what this finds.
struct AuditReplay {
    /// An event the replay found wrong, and why, in one line.
    struct Problem: Sendable, Equatable {
        var event: AuditEvent
        var problem: String
    }

    /// Events whose actor did not hold a role allowing the action at the time.
    var roleProblems: [Problem] = []
    /// Users whose role in the store is not the one the audit trail gave them (a role changed
    /// without its audited grant), as `(user, problem)`.
    var userProblems: [(user: String, problem: String)] = []
    /// Events whose action this version does not know (their role cannot be checked).
    var unknownActions: [AuditEvent] = []
    /// Every content view (`comms.view`), in seq order.
    var views: [AuditEvent] = []
    /// Content views outside an open case covering the message, or by a role that may not see
    /// content.
    var viewProblems: [Problem] = []
    /// Roles as replayed after the last event.
    var roles: [String: Role] = [:]

    /// A case's state as the replay has it.
    private enum CaseState {
        case report(open: Bool, filer: String, confirmed: Bool)
        case disclosure(open: Bool)
    }

    /// Replays `events` (in seq order). `reports` and `disclosures` are the current records,
    /// read for what never changes on them (the message a report is about, whether an outside
    /// reporter filed it, a disclosure's kind and messages); `users` the current staff.
    static func run(events: [AuditEvent], reports: [String: Report], disclosures: [String: Disclosure],
                    users: [StaffUser]) -> AuditReplay {
        var r = AuditReplay()
        var cases: [String: CaseState] = [:]
        for e in events {
            // The role the actor held before this event. Root is always admin.
            let held: Role? = e.actor == "root" ? .admin : r.roles[e.actor]
            if e.action == Action.storeInit.rawValue {
                r.roles[e.actor] = .admin
                continue
            }
            if let action = Action(rawValue: e.action) {
                if let held {
                    if !RoleTable.allows(held, action) {
                        let may = Role.allCases.filter { RoleTable.allows($0, action) }.map(\.rawValue).joined(separator: ", ")
                        r.roleProblems.append(Problem(event: e, problem: "\(e.actor) held \(held.rawValue) at seq \(e.seq), but \(e.action) needs \(may)"))
                    } else if e.role != held.rawValue {
                        r.roleProblems.append(Problem(event: e, problem: "seq \(e.seq) records \(e.actor) as \(e.role), but the audit trail gave \(e.actor) the role \(held.rawValue)"))
                    }
                } else {
                    r.roleProblems.append(Problem(event: e, problem: "\(e.actor) held no role at seq \(e.seq) (\(e.action)): no audited grant before it"))
                }
            } else {
                r.unknownActions.append(e)
            }

            // Roles change with grants and revocations.
            switch e.action {
            case Action.usersGrant.rawValue:
                if let role = grantedRole(e.detail) {
                    r.roles[e.target] = role
                } else {
                    r.roleProblems.append(Problem(event: e, problem: "seq \(e.seq) grants \(e.target) a role that cannot be read from '\(e.detail)'"))
                }
            case Action.usersRevoke.rawValue:
                r.roles[e.target] = nil
            default:
                break
            }

            // Cases open and close with their own events.
            if let id = e.caseId {
                switch e.action {
                case Action.reportsFile.rawValue: cases[id] = .report(open: true, filer: e.actor, confirmed: false)
                case Action.reportsConfirm.rawValue:
                    if case .report(let open, let filer, _) = cases[id] { cases[id] = .report(open: open, filer: filer, confirmed: true) }
                case Action.moderationUnblock.rawValue, Action.moderationDismiss.rawValue, Action.moderationDelete.rawValue:
                    if case .report(_, let filer, let confirmed) = cases[id] { cases[id] = .report(open: false, filer: filer, confirmed: confirmed) }
                case Action.disclosuresRecord.rawValue, Action.disclosuresUpdate.rawValue,
                     Action.disclosuresRefuse.rawValue, Action.disclosuresWithdraw.rawValue:
                    cases[id] = .disclosure(open: false)
                case Action.disclosuresApprove.rawValue: cases[id] = .disclosure(open: true)
                default: break
                }
            }

            if e.action == Action.commsView.rawValue {
                r.views.append(e)
                if let why = viewProblem(e, held: held, cases: cases, reports: reports, disclosures: disclosures) {
                    r.viewProblems.append(Problem(event: e, problem: why))
                }
            }
        }
        for u in users {
            let replayed = r.roles[u.id]
            if replayed != u.role {
                r.userProblems.append((u.id, "the store gives \(u.id) the role \(u.role.rawValue), but the audit trail \(replayed.map { "gave \($0.rawValue)" } ?? "gave none"): a role changed without 'users grant'"))
            }
        }
        let present = Set(users.map(\.id))
        for (name, role) in r.roles.sorted(by: { $0.key < $1.key }) where !present.contains(name) {
            r.userProblems.append((name, "the audit trail gave \(name) the role \(role.rawValue), but the store has no such user: a role removed without 'users revoke'"))
        }
        return r
    }

    /// Why content view `e` was not allowed at the time, or nil when it was.
    private static func viewProblem(_ e: AuditEvent, held: Role?, cases: [String: CaseState],
                                    reports: [String: Report], disclosures: [String: Disclosure]) -> String? {
        let comm = e.target
        if let held, !RoleTable.allows(held, .commsView) {
            return "\(e.actor) (\(held.rawValue)) viewed the content of \(comm) at seq \(e.seq): that role may not see content"
        }
        guard let id = e.caseId else { return "the content of \(comm) was viewed at seq \(e.seq) without a case" }
        switch cases[id] {
        case nil:
            return "the content of \(comm) was viewed at seq \(e.seq) through \(id), which was not an open case then"
        case .report(let open, let filer, let confirmed)?:
            guard let report = reports[id] else { return "the content of \(comm) was viewed at seq \(e.seq) through report \(id), which is no longer in the store" }
            if report.communicationId != comm { return "report \(id) is about \(report.communicationId), but \(comm) was viewed through it at seq \(e.seq)" }
            if !open { return "report \(id) was closed when \(comm) was viewed through it at seq \(e.seq)" }
            if !confirmed, report.confirmation != .outsideReporter, filer == e.actor {
                return "\(e.actor) viewed \(comm) at seq \(e.seq) through report \(id), which they filed themselves and nobody else had confirmed"
            }
        case .disclosure(let open)?:
            guard let d = disclosures[id] else { return "the content of \(comm) was viewed at seq \(e.seq) through disclosure \(id), which is no longer in the store" }
            if d.kind != .content || !d.communicationIds.contains(comm) { return "disclosure \(id) does not cover the content of \(comm), viewed through it at seq \(e.seq)" }
            if !open { return "disclosure \(id) was not approved when \(comm) was viewed through it at seq \(e.seq)" }
        }
        return nil
    }

    /// The role a `users.grant` event gave: its detail ends `-> ROLE` ("role none -> admin").
    static func grantedRole(_ detail: String) -> Role? {
        guard let arrow = detail.range(of: "-> ", options: .backwards) else { return nil }
        return Role(rawValue: String(detail[arrow.upperBound...]).trimmingCharacters(in: .whitespaces))
    }
}
