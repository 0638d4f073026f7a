import Foundation

extension PrivacyOps {
    static func validUserName(_ name: String) throws -> String {
        try Validate.noCardNumber("user name", name)
        let t = name.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty, t.count <= 32, t.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0)) }),
              !t.hasPrefix("-") else {
            throw OpsError.invalid("'\(TerminalText.sanitize(name))' is not a user name: use the operating-system login name")
        }
        return t
    }

    /// Gives a user a role (or changes it).
    public func grant(user: String, role: Role) throws -> StaffUser {
        let user = try Self.validUserName(user)
        return try change(.usersGrant, target: user) { ctx in
            var before: String = "none"
            var u: StaffUser
            if let old = try ctx.view.get(Collections.users, id: user) {
                before = old.role.rawValue
                if old.role == role { throw OpsError.invalid("\(user) is already \(role.rawValue)") }
                if old.role == .admin, try adminCount(ctx.view) <= 1 {
                    throw OpsError.invalid("\(user) is the last admin: grant another admin first")
                }
                u = StaffUser(id: user, version: old.version, role: role, grantedBy: ctx.actor, grantedAt: ctx.now)
                try ctx.tx.update(u, in: Collections.users, expecting: old.version)
                u.version = old.version + 1
            } else {
                u = StaffUser(id: user, version: 0, role: role, grantedBy: ctx.actor, grantedAt: ctx.now)
                try ctx.tx.insert(u, into: Collections.users)
                u.version = 1
            }
            return ("role \(before) -> \(role.rawValue)", u)
        }
    }

    /// Takes a user's role away.
    public func revoke(user: String) throws {
        let user = try Self.validUserName(user)
        try change(.usersRevoke, target: user) { ctx in
            guard let old = try ctx.view.get(Collections.users, id: user) else {
                throw OpsError.notFound(OpsProblem("\(user) has no role in this store", record: OpsRecordRef(kind: .user, id: user), remedy: .listRecords(.user)))
            }
            if old.role == .admin, try adminCount(ctx.view) <= 1 {
                throw OpsError.invalid("\(user) is the last admin: grant another admin first")
            }
            try ctx.tx.delete(id: user, from: Collections.users, expecting: old.version)
            return ("role \(old.role.rawValue) revoked", ())
        }
    }

    private func adminCount(_ v: any StoreSnapshot) throws -> Int {
        try v.all(Collections.users).filter { $0.role == .admin }.count
    }

    public func listUsers() throws -> [StaffUser] {
        try authorize(.usersList)
        return try view().all(Collections.users).sorted { $0.id < $1.id }
    }

    /// Audit events newest first, optionally only those after `since`.
    public func listAudit(since: Int? = nil, limit: Int? = nil) throws -> [AuditEvent] {
        try listAudit(filter: AuditFilter(afterSeq: since), limit: limit)
    }

    /// Recomputes the audit chain and checks it still holds every anchor's event.
    public func verifyAudit(anchors: [AuditAnchor] = []) throws -> AuditChain.Verification {
        try authorize(.auditVerify)
        return try AuditChain.verify(view(), anchors: anchors)
    }

    /// The chain's head (last seq and hash): the anchor to record off this host.
    public func auditHead() throws -> AuditAnchor {
        try authorize(.auditVerify)
        return try AuditChain.head(view())
    }

    /// The audit chain's state without a role check (for the console header).
    public func auditChainState() -> AuditChain.Verification? {
        try? AuditChain.verify(view())
    }
}
