
/// What a member of staff may do; see ``RoleTable``.
public enum Role: String, Codable, Sendable, CaseIterable {
    case admin, support, moderator, auditor
}

/// A member of staff: an operating-system user name with a role.
public struct StaffUser: Codable, Sendable, StoreRecord, Equatable {
    public var id: String
    public var version: Int
    public var role: Role
    public var grantedBy: String
    public var grantedAt: String

    public var name: String { id }

    enum CodingKeys: String, CodingKey {
        case id, version, role
        case grantedBy = "granted_by"
        case grantedAt = "granted_at"
    }
}
