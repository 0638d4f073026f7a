
/// What a customer can opt out of.
public enum OptOutScope: String, Codable, Sendable, CaseIterable, Comparable {
    case newsletter
    case productNotices = "product-notices"
    case partnerOffers = "partner-offers"

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    /// Parses a scope name; `all` means every scope.
    public static func parseList(_ names: [String]) -> [OptOutScope]? {
        var out = Set<OptOutScope>()
        for n in names {
            let t = n.trimmingCharacters(in: .whitespaces).lowercased()
            if t == "all" { out.formUnion(allCases); continue }
            guard let s = OptOutScope(rawValue: t) else { return nil }
            out.insert(s)
        }
        return out.isEmpty ? OptOutScope.allCases : out.sorted()
    }
}

/// The lists mail goes out on. Service bulletins ignore marketing opt-outs (the policy reserves
/// the right to send them).
public enum MailingList: String, Codable, Sendable, CaseIterable {
    case newsletter
    case productNotices = "product-notices"
    case partnerOffers = "partner-offers"
    case serviceBulletins = "service-bulletins"

    /// The opt-out scope that suppresses this list, or nil when opt-outs do not apply.
    public var scope: OptOutScope? {
        switch self {
        case .newsletter: return .newsletter
        case .productNotices: return .productNotices
        case .partnerOffers: return .partnerOffers
        case .serviceBulletins: return nil
        }
    }
}

public enum OptOutState: String, Codable, Sendable, CaseIterable {
    case pending
    case needsInfo = "needs-info"
    case applied, rejected
}

/// A request to stop marketing mail to one exact contact point.
public struct OptOutRequest: Codable, Sendable, StoreRecord, Equatable {
    public var id: String
    public var version: Int
    /// The contact point as the customer typed it.
    public var contact: String
    public var channel: ContactChannel
    public var normalized: String
    public var scopes: [OptOutScope]
    public var state: OptOutState
    public var source: String
    public var receivedAt: String
    public var dueAt: String
    /// Customers holding this exact contact point (found when the request was taken or decided).
    public var matches: [String]
    public var decidedBy: String?
    public var decidedAt: String?
    public var note: String?
    /// Name and message the customer gave on the contact form.
    public var name: String?
    public var message: String?
    /// The spool file the request came from, so a file taken twice is counted once.
    public var spoolFile: String?

    enum CodingKeys: String, CodingKey {
        case id, version, contact, channel, normalized, scopes, state, source, matches, note, name, message
        case receivedAt = "received_at"
        case dueAt = "due_at"
        case decidedBy = "decided_by"
        case decidedAt = "decided_at"
        case spoolFile = "spool_file"
    }

    public var contactPoint: ContactPoint { ContactPoint(channel: channel, normalized: normalized) }

    /// Open requests still need a decision.
    public var isOpen: Bool { state == .pending || state == .needsInfo }
}

/// The suppressions in force for one exact contact point.
public struct Suppression: Codable, Sendable, StoreRecord, Equatable {
    public var id: String
    public var version: Int
    public var channel: ContactChannel
    public var normalized: String
    public var scopes: [OptOutScope]
    public var requestIds: [String]
    public var updatedAt: String

    enum CodingKeys: String, CodingKey {
        case id, version, channel, normalized, scopes
        case requestIds = "request_ids"
        case updatedAt = "updated_at"
    }
}
