/// A part of the work a front end offers as a place of its own (a console tab, a web page):
/// the customers, the opt-out queue, the reports, and so on.
///
/// Which of them a member of staff may use is decided here, by the role table, and never by a
/// front end: a place is offered when the role may list what it shows.
public enum Workspace: String, Sendable, CaseIterable {
    case customers
    case optOuts = "optouts"
    case reports, disclosures, audit, policy, traffic

    /// The action a role needs to use the place: listing what it shows (running a report, for
    /// traffic).
    public var action: Action {
        switch self {
        case .customers: .customersList
        case .optOuts: .optoutsList
        case .reports: .reportsList
        case .disclosures: .disclosuresList
        case .audit: .auditList
        case .policy: .policyCheck
        case .traffic: .trafficReport
        }
    }

    /// Whether `role` may use the place.
    public func isOpen(to role: Role) -> Bool { RoleTable.allows(role, action) }
}

extension PrivacyOps {
    /// The places the actor's role may use, in the order of ``Workspace/allCases``. A user
    /// without a role gets none. A read-only store hides nothing: what may not be changed there
    /// is refused where it is asked for.
    public func workspaces() -> [Workspace] {
        guard let role = try? role() else { return [] }
        return Workspace.allCases.filter { $0.isOpen(to: role) }
    }

    /// Whether the actor's role may use `workspace`.
    public func mayUse(_ workspace: Workspace) -> Bool {
        guard let role = try? role() else { return false }
        return workspace.isOpen(to: role)
    }
}
