import Foundation

// Read-only helpers and thin wrappers that front ends with lists (the console) need. Every rule
// stays here in the service: who lands on which queue, which fields are valid, which opt-outs a
// bulk apply may take. Front ends call these and present what they return.

/// The queue a member of staff works on first: where the console opens.
public enum WorkQueue: String, Sendable, CaseIterable {
    case customers, optOuts = "optouts", reports, audit
}

/// What a front end may sort the customer list by.
public enum CustomerSortKey: String, Sendable, CaseIterable {
    case id, name, email, phone, status, services
    case optOuts = "opt-outs"
}

/// The marked opt-out requests a bulk apply would take, and why the others would be left.
public struct BulkApplyPlan: Sendable, Equatable {
    public struct Item: Sendable, Equatable {
        public var id: String
        /// The request's version when planned: applying refuses if it moved on.
        public var version: Int
        /// Customers holding exactly the request's contact point now.
        public var matches: Int
    }

    public struct Skip: Sendable, Equatable {
        public var id: String
        public var reason: String
    }

    public var eligible: [Item]
    public var skipped: [Skip]
}

/// What a bulk apply did.
public struct BulkApplyResult: Sendable, Equatable {
    public var applied: [String]
    public var skipped: [BulkApplyPlan.Skip]
}

extension ModerationGround {
    /// Whether a decision on this ground must name the Terms of Use clause violated.
    public var needsClause: Bool { self == .touViolation }
}

extension PrivacyOps {
    // MARK: Where to start

    /// The queue the actor's role works on: support on opt-outs, moderators on reports,
    /// auditors on the audit trail, admins on customers.
    public func workQueue() -> WorkQueue {
        switch try? role() {
        case .support?: return .optOuts
        case .moderator?: return .reports
        case .auditor?: return .audit
        case .admin?, nil: return .customers
        }
    }

    /// The roles that may take `action`, for messages such as "it needs one of the roles …".
    public static func roles(allowedTo action: Action) -> [Role] {
        Role.allCases.filter { RoleTable.allows($0, action) }
    }

    // MARK: Customers

    /// `ids` ordered by `key` (ties by id), reading only that field from each record's bytes.
    ///
    /// - Complexity: O(n log n) comparisons and one field read per id; no full decode.
    public func sortCustomerIDs(_ ids: [String], by key: CustomerSortKey, ascending: Bool = true) throws -> [String] {
        try authorize(.customersList)
        if key == .id { return ascending ? ids.sorted() : ids.sorted(by: >) }
        let v = view()
        let suppressed = key == .optOuts ? try suppressedScopesByContactKey() : [:]
        func value(_ bytes: UnsafeRawBufferPointer) -> String {
            let json = RawJSON(bytes: bytes)
            switch key {
            case .services:
                return (json.stringArray("services") ?? []).joined(separator: ",").lowercased()
            case .optOuts:
                let scopes = Set((json.stringArray("contact_keys") ?? []).flatMap { suppressed[$0] ?? [] })
                // More suppressed scopes sort later (0 to 3: one digit, so text order is numeric).
                return String(scopes.count)
            default:
                return (json.strings([key.rawValue])[key.rawValue] ?? "").lowercased()
            }
        }
        var keyed: [(key: String, id: String)] = []
        keyed.reserveCapacity(ids.count)
        // One pass over the raw records; a subset is picked out by id.
        let wanted: Set<String>? = ids.count == v.count(Collections.customers) ? nil : Set(ids)
        v.forEachRaw(Collections.customers.name) { id, _, bytes in
            if let wanted, !wanted.contains(id) { return true }
            keyed.append((value(bytes), id))
            return true
        }
        // Byte order of the lower-cased text: fast, and stable across locales.
        func order(_ a: String, _ b: String) -> Int {
            var i = a.utf8.makeIterator(), j = b.utf8.makeIterator()
            while true {
                switch (i.next(), j.next()) {
                case (nil, nil): return 0
                case (nil, _): return -1
                case (_, nil): return 1
                case (let x?, let y?): if x != y { return x < y ? -1 : 1 }
                }
            }
        }
        func before(_ a: (key: String, id: String), _ b: (key: String, id: String)) -> Bool {
            let k = order(a.key, b.key)
            return k != 0 ? k < 0 : order(a.id, b.id) < 0
        }
        keyed.sort { ascending ? before($0, $1) : before($1, $0) }
        return keyed.map(\.id)
    }

    /// The scopes suppressed for each contact point, keyed as customer records key them
    /// (`email:ann@example.com`, see ``ContactPoint/key``).
    public func suppressedScopesByContactKey() throws -> [String: [OptOutScope]] {
        try authorize(.customersList)
        var out: [String: [OptOutScope]] = [:]
        for s in try view().all(Collections.suppressions) {
            out[ContactPoint(channel: s.channel, normalized: s.normalized).key] = s.scopes
        }
        return out
    }

    /// What is wrong with each changed customer field, by field name (`name`, `email`,
    /// `phone`, `address`, `services`), checked exactly as ``updateCustomer(_:_:expectVersion:)``
    /// checks it (the card-number guard first). Nothing is changed; an empty result means the
    /// values would be accepted.
    public func customerFieldProblems(_ changes: CustomerChanges) -> [String: String] {
        var out: [String: String] = [:]
        func check(_ field: String, _ body: () throws -> Void) {
            do { try body() } catch { out[field] = OpsError.from(error).message }
        }
        if let name = changes.name { check("name") { _ = try CustomerFieldRules.name(name) } }
        if let email = changes.email { check("email") { _ = try CustomerFieldRules.email(email) } }
        if let phone = changes.phone, !phone.isEmpty { check("phone") { _ = try CustomerFieldRules.phone(phone) } }
        if let address = changes.address { check("address") { _ = try CustomerFieldRules.address(address) } }
        if let services = changes.services { check("services") { _ = try CustomerFieldRules.services(services) } }
        return out
    }

    /// What is wrong with each field of a new customer, as ``addCustomer(_:)`` checks it.
    public func customerFieldProblems(_ input: CustomerInput) -> [String: String] {
        customerFieldProblems(CustomerChanges(name: input.name, email: input.email, phone: input.phone ?? "",
                                              address: input.address ?? "", services: input.services))
    }

    // MARK: Opt-outs

    /// Which of `ids` a bulk apply takes: requests still open (pending or needs-info) whose
    /// contact point at least one customer holds exactly. The others are listed with the reason.
    public func planBulkApply(_ ids: [String]) throws -> BulkApplyPlan {
        try authorize(.optoutsShow)
        let v = view()
        var plan = BulkApplyPlan(eligible: [], skipped: [])
        for raw in ids {
            let id = try Validate.id("opt-out", raw)
            guard let r = try v.get(Collections.optouts, id: id) else {
                plan.skipped.append(.init(id: id, reason: "no such request"))
                continue
            }
            guard r.isOpen else {
                plan.skipped.append(.init(id: id, reason: "already \(r.state.rawValue)"))
                continue
            }
            let holders = try customers(holding: r.contactPoint, in: v)
            guard !holders.isEmpty else {
                plan.skipped.append(.init(id: id, reason: "no exact match"))
                continue
            }
            plan.eligible.append(.init(id: id, version: r.version, matches: holders.count))
        }
        return plan
    }

    /// Applies the eligible requests of `plan`, each in its own commit with its own audit event,
    /// refusing any that changed since it was planned. Nothing already committed is undone when
    /// a later one fails.
    public func applyOptOuts(_ plan: BulkApplyPlan) -> BulkApplyResult {
        var result = BulkApplyResult(applied: [], skipped: plan.skipped)
        for item in plan.eligible {
            do {
                _ = try applyOptOut(item.id, expectVersion: item.version)
                result.applied.append(item.id)
            } catch {
                let e = OpsError.from(error)
                let reason: String
                if case .conflict = e { reason = "changed meanwhile" } else { reason = e.message }
                result.skipped.append(.init(id: item.id, reason: reason))
            }
        }
        return result
    }

    // MARK: Audit

    /// Ids of the audit events, newest first (decode one with ``auditEvent(_:)``).
    public func auditEventIDs() throws -> [String] {
        try authorize(.auditList)
        return view().ids(Collections.audit).reversed()
    }

    /// One audit event.
    public func auditEvent(_ id: String) throws -> AuditEvent? {
        try authorize(.auditList)
        return try view().get(Collections.audit, id: id)
    }
}
