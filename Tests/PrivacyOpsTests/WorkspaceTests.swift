import Testing

@testable import PrivacyOps

/// Which places of work each role may use is the role table's answer.
@Suite struct WorkspaceTests {
    @Test func eachRoleGetsThePlacesItMayListOrRun() {
        func open(_ role: Role) -> [Workspace] { Workspace.allCases.filter { $0.isOpen(to: role) } }
        #expect(open(.admin) == Workspace.allCases)
        #expect(open(.support) == [.customers, .optOuts])
        #expect(open(.moderator) == [.customers, .reports])
        #expect(open(.auditor) == [.customers, .optOuts, .reports, .disclosures, .audit, .policy])
        for role in Role.allCases {
            for w in Workspace.allCases { #expect(w.isOpen(to: role) == RoleTable.allows(role, w.action)) }
        }
    }
}
