import Foundation

/// What a new customer is made of, as given by a person or a CSV row.
public struct CustomerInput: Sendable, Equatable {
    public var name: String
    public var email: String
    public var alternateEmails: [String] = []
    public var phone: String?
    public var address: String?
    public var services: [String] = []
    public var status: CustomerStatus = .active

    public init(name: String, email: String, alternateEmails: [String] = [], phone: String? = nil,
                address: String? = nil, services: [String] = [], status: CustomerStatus = .active) {
        self.name = name
        self.email = email
        self.alternateEmails = alternateEmails
        self.phone = phone
        self.address = address
        self.services = services
        self.status = status
    }
}

/// Changes to a customer; nil fields stay as they are.
public struct CustomerChanges: Sendable, Equatable {
    public var name: String?
    public var email: String?
    public var alternateEmails: [String]?
    public var phone: String?
    public var address: String?
    public var status: CustomerStatus?
    public var services: [String]?

    public init(name: String? = nil, email: String? = nil, alternateEmails: [String]? = nil, phone: String? = nil,
                address: String? = nil, status: CustomerStatus? = nil, services: [String]? = nil) {
        self.name = name
        self.email = email
        self.alternateEmails = alternateEmails
        self.phone = phone
        self.address = address
        self.status = status
        self.services = services
    }

    public var isEmpty: Bool {
        name == nil && email == nil && alternateEmails == nil && phone == nil && address == nil && status == nil && services == nil
    }
}

/// A customer with everything shown on its detail view.
public struct CustomerDetail: Sendable {
    public var customer: Customer
    public var notes: [CustomerNote]
    /// Each contact point with the scopes suppressed for it.
    public var contactPoints: [(point: ContactPoint, written: String, suppressed: [OptOutScope])]
    public var optOuts: [OptOutRequest]
    public var communications: [Communication]
}

/// The checks of each customer field, in one place: adding, updating, importing and the
/// console's inline form errors all call these.
enum CustomerFieldRules {
    static func name(_ v: String) throws -> String { try Validate.text("name", v, max: 200) }
    static func email(_ v: String) throws -> String { try Validate.email("email", v) }
    static func alternateEmail(_ v: String) throws -> String { try Validate.email("alternate email", v) }
    static func phone(_ v: String?) throws -> String? { try Validate.phone("phone", v) }
    static func address(_ v: String?) throws -> String? { try Validate.optionalText("address", v, max: 500) }
    static func services(_ v: [String]) throws -> [String] { try Validate.services(v) }
}

extension PrivacyOps {
    static let customerIDWidth = 7

    /// Checks a customer's fields; returns them cleaned.
    func validated(_ input: CustomerInput) throws -> CustomerInput {
        var out = input
        out.name = try CustomerFieldRules.name(input.name)
        out.email = try CustomerFieldRules.email(input.email)
        out.alternateEmails = try input.alternateEmails.map(CustomerFieldRules.alternateEmail)
        out.phone = try CustomerFieldRules.phone(input.phone)
        out.address = try CustomerFieldRules.address(input.address)
        out.services = try CustomerFieldRules.services(input.services)
        return out
    }

    /// Adds a customer.
    public func addCustomer(_ input: CustomerInput) throws -> Customer {
        let clean = try validated(input)
        return try change(.customersAdd, target: "new customer") { ctx in
            let id = try ctx.nextID("customers", prefix: "C", width: Self.customerIDWidth)
            ctx.target = id
            let c = Customer(id: id, name: clean.name, email: clean.email, alternateEmails: clean.alternateEmails,
                             phone: clean.phone, address: clean.address, status: clean.status, services: clean.services,
                             createdAt: ctx.now, updatedAt: ctx.now)
            try ctx.tx.insert(c, into: Collections.customers)
            var stored = c
            stored.version = 1
            return ("added \(id)", stored)
        }
    }

    /// Changes a customer. With `expectVersion`, refuses (conflict) if the record moved on.
    public func updateCustomer(_ id: String, _ changes: CustomerChanges, expectVersion: Int? = nil) throws -> Customer {
        let id = try Validate.id("customer", id)
        guard !changes.isEmpty else { throw OpsError.usage("nothing to change: give at least one of --name, --email, --phone, --address, --status, --service") }
        // Validate the new values before taking the lock.
        let name = try changes.name.map(CustomerFieldRules.name)
        let email = try changes.email.map(CustomerFieldRules.email)
        let alts = try changes.alternateEmails.map { try $0.map(CustomerFieldRules.alternateEmail) }
        let phone = try changes.phone.map { $0.isEmpty ? "" : (try CustomerFieldRules.phone($0) ?? "") }
        let address = try changes.address.map { try CustomerFieldRules.address($0) ?? "" }
        let services = try changes.services.map(CustomerFieldRules.services)
        let onlyStatus = changes.status != nil && name == nil && email == nil && alts == nil && phone == nil && address == nil && services == nil
        return try change(onlyStatus ? .customersStatus : .customersUpdate, target: id) { ctx in
            guard var c = try ctx.view.get(Collections.customers, id: id) else {
                throw OpsError.notFound(.missing(.customer, id))
            }
            if let v = expectVersion, v != c.version {
                throw OpsError.conflict(.changed(.customer, id, expected: v, actual: c.version))
            }
            var fields: [String] = []
            if let name, name != c.name { c.name = name; fields.append("name") }
            if let email, email != c.email { c.email = email; fields.append("email") }
            if let alts, alts != c.alternateEmails { c.alternateEmails = alts; fields.append("alternate_emails") }
            if let phone { let p: String? = phone.isEmpty ? nil : phone; if p != c.phone { c.phone = p; fields.append("phone") } }
            if let address { let a: String? = address.isEmpty ? nil : address; if a != c.address { c.address = a; fields.append("address") } }
            if let services, services != c.services { c.services = services; fields.append("services") }
            var detail = ""
            if let s = changes.status, s != c.status {
                detail = "status \(c.status.rawValue) -> \(s.rawValue)"
                c.status = s
                fields.append("status")
            }
            guard !fields.isEmpty else {
                throw OpsError.invalid("customer \(id) already has these values: nothing changed")
            }
            c.updatedAt = ctx.now
            c.refreshContactKeys()
            let expected = c.version
            try ctx.tx.update(c, in: Collections.customers, expecting: expected)
            c.version = expected + 1
            let changed = "changed " + fields.joined(separator: ", ")
            return (detail.isEmpty ? changed : changed + "; " + detail, c)
        }
    }

    /// Appends a note to a customer's log.
    public func addNote(customer id: String, text: String) throws -> CustomerNote {
        let id = try Validate.id("customer", id)
        let text = try Validate.text("note", text, max: 4000)
        return try change(.customersNote, target: id) { ctx in
            guard try ctx.view.get(Collections.customers, id: id) != nil else {
                throw OpsError.notFound(.missing(.customer, id))
            }
            let nid = try ctx.nextID("notes", prefix: "N", width: 8)
            let note = CustomerNote(id: nid, version: 1, customerId: id, at: ctx.now, by: ctx.actor, text: text)
            try ctx.tx.insert(note, into: Collections.notes)
            return ("note \(nid) added", note)
        }
    }

    /// One customer.
    public func customer(_ id: String) throws -> Customer {
        try authorize(.customersShow)
        let id = try Validate.id("customer", id)
        guard let c = try view().get(Collections.customers, id: id) else {
            throw OpsError.notFound(.missing(.customer, id))
        }
        return c
    }

    /// A customer with notes, suppressions per contact point, opt-outs and communications.
    public func customerDetail(_ id: String) throws -> CustomerDetail {
        let c = try customer(id)
        let v = view()
        let notes = try v.all(Collections.notes).filter { $0.customerId == c.id }
        let sups = try suppressions(in: v)
        let points = c.contactPoints.map { p in (p, c.written(p), sups[p]?.scopes ?? []) }
        let keys = Set(c.contactPoints)
        let role = try self.role()
        let optouts = RoleTable.allows(role, .optoutsList)
            ? try v.all(Collections.optouts).filter { $0.matches.contains(c.id) || keys.contains($0.contactPoint) } : []
        let comms = RoleTable.allows(role, .commsList)
            ? try v.all(Collections.communications).filter { $0.customerId == c.id } : []
        return CustomerDetail(customer: c, notes: notes, contactPoints: points, optOuts: optouts, communications: comms)
    }

    /// Customers in id order, filtered across name, e-mail, phone and address.
    public func listCustomers(filter: String? = nil, status: CustomerStatus? = nil, limit: Int? = nil) throws -> [Customer] {
        try authorize(.customersList)
        let query = CustomerQuery(text: filter, status: status)
        return try query.run(on: view(), limit: limit)
    }

    /// Ids of the customers matching `filter` and `status` (see ``CustomerQuery``), in id order,
    /// at most `limit`; no record is decoded.
    public func matchingCustomerIDs(filter: String? = nil, status: CustomerStatus? = nil, limit: Int? = nil) throws -> [String] {
        try authorize(.customersList)
        return try CustomerQuery(text: filter, status: status).matchingIDs(on: view(), limit: limit)
    }

    /// How many customers the store holds.
    public func customerCount() throws -> Int {
        try authorize(.customersList)
        return view().count(Collections.customers)
    }

    /// Ids of the customers holding exactly this contact point.
    func customers(holding point: ContactPoint, in view: any StoreSnapshot) throws -> [String] {
        try CustomerQuery.holders(of: point, in: view)
    }
}
