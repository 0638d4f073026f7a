
/// A customer's account status.
public enum CustomerStatus: String, Codable, Sendable, CaseIterable {
    case active, suspended, closed
}

/// A customer record: contact information, account status and choice of services.
public struct Customer: Codable, Sendable, StoreRecord, Equatable {
    public var id: String
    public var version: Int
    public var name: String
    public var email: String
    /// Further e-mail addresses the customer uses; each is its own contact point.
    public var alternateEmails: [String]
    public var phone: String?
    public var address: String?
    public var status: CustomerStatus
    public var services: [String]
    public var createdAt: String
    public var updatedAt: String
    /// Normalised contact points (`email:…`, `phone:…`, `address:…`), kept for exact matching.
    public var contactKeys: [String]

    enum CodingKeys: String, CodingKey {
        case id, version, name, email, phone, address, status, services
        case alternateEmails = "alternate_emails"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case contactKeys = "contact_keys"
    }

    public init(id: String, version: Int = 0, name: String, email: String, alternateEmails: [String] = [],
                phone: String? = nil, address: String? = nil, status: CustomerStatus = .active,
                services: [String] = [], createdAt: String, updatedAt: String) {
        self.id = id
        self.version = version
        self.name = name
        self.email = email
        self.alternateEmails = alternateEmails
        self.phone = phone
        self.address = address
        self.status = status
        self.services = services
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.contactKeys = []
        self.contactKeys = contactPoints.map(\.key)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        version = try c.decode(Int.self, forKey: .version)
        name = try c.decode(String.self, forKey: .name)
        email = try c.decode(String.self, forKey: .email)
        alternateEmails = try c.decodeIfPresent([String].self, forKey: .alternateEmails) ?? []
        phone = try c.decodeIfPresent(String.self, forKey: .phone)
        address = try c.decodeIfPresent(String.self, forKey: .address)
        status = try c.decode(CustomerStatus.self, forKey: .status)
        services = try c.decodeIfPresent([String].self, forKey: .services) ?? []
        createdAt = try c.decode(String.self, forKey: .createdAt)
        updatedAt = try c.decode(String.self, forKey: .updatedAt)
        contactKeys = try c.decodeIfPresent([String].self, forKey: .contactKeys) ?? []
    }

    /// Every contact point of the customer, normalised.
    public var contactPoints: [ContactPoint] {
        var out: [ContactPoint] = []
        if let e = ContactPoint.email(email) { out.append(e) }
        for a in alternateEmails { if let e = ContactPoint.email(a) { out.append(e) } }
        if let p = phone, let cp = ContactPoint.phone(p) { out.append(cp) }
        if let a = address, let cp = ContactPoint.address(a) { out.append(cp) }
        return out
    }

    /// Recomputes ``contactKeys`` after a change of contact fields.
    mutating func refreshContactKeys() {
        contactKeys = contactPoints.map(\.key)
    }

    /// The contact as written for a contact point of this customer.
    public func written(_ point: ContactPoint) -> String {
        switch point.channel {
        case .email:
            return ([email] + alternateEmails).first { ContactPoint.email($0) == point } ?? point.normalized
        case .phone: return phone ?? point.normalized
        case .address: return address ?? point.normalized
        }
    }
}

extension ContactPoint {
    /// `channel:normalized`, the form kept in records and indexes.
    public var key: String { "\(channel.rawValue):\(normalized)" }
}

/// An entry of a customer's append-only log.
public struct CustomerNote: Codable, Sendable, StoreRecord, Equatable {
    public var id: String
    public var version: Int
    public var customerId: String
    public var at: String
    public var by: String
    public var text: String

    enum CodingKeys: String, CodingKey {
        case id, version, at, by, text
        case customerId = "customer_id"
    }
}
