import Crypto
import Foundation

/// A disclosure with what a person deciding it needs to see.
public struct DisclosureDetail: Sendable {
    public var disclosure: Disclosure
    /// Its history: every audit event whose case is this disclosure, oldest first.
    public var history: [AuditEvent]
    public var flags: DisclosureFlags
}

/// What a queue marks on a disclosure, in words (never colour alone).
public struct DisclosureFlags: Sendable, Equatable {
    /// Open and past its due date.
    public var overdue: Bool
    /// The customer is to be told now (released with notice due, or a notice delay run out).
    public var noticeDue: Bool
    /// A notice delay whose end date has passed.
    public var delayRunOut: Bool
    /// What it waits for: `approval` (recorded) or `release` (approved); nil when neither.
    public var awaiting: String?

    /// The marks as words, most urgent first: `OVERDUE`, `DELAY RUN OUT`, `NOTICE DUE`,
    /// `AWAITS APPROVAL`, `AWAITS RELEASE`.
    public var words: [String] {
        var out: [String] = []
        if overdue { out.append("OVERDUE") }
        if delayRunOut { out.append("DELAY RUN OUT") }
        if noticeDue, !delayRunOut { out.append("NOTICE DUE") }
        if let awaiting { out.append("AWAITS " + awaiting.uppercased()) }
        return out
    }
}

/// A filter over the register, as `disclosures list` takes it.
public struct DisclosureFilter: Sendable, Equatable {
    public var state: DisclosureState?
    public var kind: DisclosureKind?
    public var ground: DisclosureGround?
    /// Only those whose customer is to be told now.
    public var noticeDue = false

    public init(state: DisclosureState? = nil, kind: DisclosureKind? = nil, ground: DisclosureGround? = nil, noticeDue: Bool = false) {
        self.state = state
        self.kind = kind
        self.ground = ground
        self.noticeDue = noticeDue
    }
}

extension PrivacyOps {
    /// Business days a disclosure request is due in when no due date is given.
    public static let disclosureResponseBusinessDays = 10

    static let disclosureIDPrefix = "D"

    // MARK: Reading

    /// The register in queue order: what awaits approval or release first (by due date), then
    /// the rest, newest first.
    public func listDisclosures(_ filter: DisclosureFilter = DisclosureFilter()) throws -> [Disclosure] {
        try authorize(.disclosuresList)
        let now = nowString
        return try view().all(Collections.disclosures).filter { d in
            (filter.state == nil || d.state == filter.state) && (filter.kind == nil || d.kind == filter.kind)
                && (filter.ground == nil || d.ground == filter.ground)
                && (!filter.noticeDue || DisclosureRules.isNoticeDue(d, now: now))
        }.sorted(by: Self.queueOrder)
    }

    /// Open first, by due date then id; then the rest, newest id first.
    static func queueOrder(_ a: Disclosure, _ b: Disclosure) -> Bool {
        switch (a.state.isOpen, b.state.isOpen) {
        case (true, false): return true
        case (false, true): return false
        case (true, true): return (a.dueAt ?? "~", a.id) < (b.dueAt ?? "~", b.id)
        case (false, false): return a.id > b.id
        }
    }

    /// One disclosure with its history (the audit events of its case).
    public func disclosure(_ id: String) throws -> DisclosureDetail {
        try authorize(.disclosuresShow)
        let id = try Validate.id("disclosure", id)
        let v = view()
        guard let d = try v.get(Collections.disclosures, id: id) else {
            throw OpsError.notFound(.missing(.disclosure, id))
        }
        return DisclosureDetail(disclosure: d, history: try caseHistory(id, in: v), flags: flags(d))
    }

    /// The audit events whose case is `caseId`, oldest first (read from the raw records, decoding
    /// only the matches).
    func caseHistory(_ caseId: String, in v: any StoreSnapshot) throws -> [AuditEvent] {
        var ids: [String] = []
        let needle = Array("\"case\":\"\(caseId)\"".utf8)
        v.forEachRaw(Collections.audit.name) { id, _, bytes in
            if ByteSearch.contains(bytes, needle), RawJSON(bytes: bytes).strings(["case"])["case"] == caseId { ids.append(id) }
            return true
        }
        return try ids.compactMap { try v.get(Collections.audit, id: $0) }.sorted { $0.seq < $1.seq }
    }

    /// What a queue marks on `d` now.
    public func flags(_ d: Disclosure) -> DisclosureFlags {
        let now = nowString
        let awaiting: String? = d.state == .recorded && d.kind.needsApproval ? "approval" : d.state == .approved ? "release" : nil
        return DisclosureFlags(overdue: DisclosureRules.isOverdue(d, now: now), noticeDue: DisclosureRules.isNoticeDue(d, now: now),
                               delayRunOut: DisclosureRules.isDelayRunOut(d, now: now), awaiting: awaiting)
    }

    // MARK: What the actor may do

    /// Why the actor may not take `action` on `d` now (role, read-only store, or the register's
    /// rules: approve is refused to the recorder, release before approval, ...), or nil when it
    /// may. Front ends grey out what this refuses; the service refuses it anyway.
    public func refusal(_ action: Action, on d: Disclosure) -> String? {
        guard let r = try? role() else { return "\(actor.name) is not a member of staff in this store" }
        if action.isChange, store.readOnlyReason != nil { return "the store is read-only" }
        guard RoleTable.allows(r, action) else {
            return "\(actor.name) (\(r.rawValue)) may not \(action.rawValue.replacingOccurrences(of: ".", with: " "))"
        }
        return DisclosureRules.refusal(action, on: d, actor: actor.name, now: nowString)?.message
    }

    /// Whether the actor may take `action` on `d` now (see ``refusal(_:on:)``).
    public func can(_ action: Action, on d: Disclosure) -> Bool { refusal(action, on: d) == nil }

    // MARK: Changes

    /// Records a content or account disclosure request; it waits for a second admin's approval.
    public func recordDisclosure(_ input: DisclosureInput) throws -> Disclosure {
        try change(.disclosuresRecord, target: "new disclosure") { ctx in
            let c = try DisclosureRules.check(input, in: ctx.view, now: ctx.nowDate)
            let id = try ctx.nextID("disclosures", prefix: Self.disclosureIDPrefix, width: 6)
            ctx.caseId = id
            ctx.target = id
            var d = Disclosure(
                id: id, version: 0, kind: c.kind, ground: c.ground, state: .recorded, requester: c.requester,
                requesterType: c.requesterType, requestType: c.requestType, reference: c.reference, receivedAt: c.receivedAt,
                dueAt: c.dueAt, customerIds: c.customerIds, communicationIds: c.communicationIds, caseId: c.caseId,
                dataCategories: c.dataCategories, note: c.note, recordedBy: ctx.actor, recordedAt: ctx.now, updatedBy: nil,
                updatedAt: nil, approvedBy: nil, approvedAt: nil, outcome: nil, releasedBy: nil, releasedAt: nil, manifest: [],
                reason: nil, decidedBy: nil, decidedAt: nil, noticeState: DisclosureRules.initialNotice(c.requestType),
                noticeDelayUntil: nil, noticeOrderRef: nil, notifiedAt: nil, noticeMethod: nil, contactPoints: nil,
                excludedByOptOuts: nil, accountsAffected: nil)
            try ctx.tx.insert(d, into: Collections.disclosures)
            d.version = 1
            return ("recorded \(Self.summary(d))", d)
        }
    }

    /// Edits a recorded or approved disclosure: the version goes up and any approval is cleared
    /// (it must be approved again, by an admin who neither recorded nor edited it).
    public func updateDisclosure(_ id: String, _ changes: DisclosureChanges, expectVersion: Int? = nil) throws -> Disclosure {
        let id = try Validate.id("disclosure", id)
        guard !changes.isEmpty else { throw OpsError.usage("nothing to change: give at least one field to update") }
        return try step(.disclosuresUpdate, id, expectVersion: expectVersion) { d, ctx in
            let c = try DisclosureRules.check(changes.applied(to: d), in: ctx.view, now: ctx.nowDate)
            let wasApproved = d.state == .approved
            d.ground = c.ground
            d.requester = c.requester
            d.requesterType = c.requesterType
            if d.requestType != c.requestType, d.noticeState != .notified, d.noticeState != .delayedByOrder {
                d.noticeState = DisclosureRules.initialNotice(c.requestType)
            }
            d.requestType = c.requestType
            d.reference = c.reference
            d.receivedAt = c.receivedAt
            d.dueAt = c.dueAt
            d.customerIds = c.customerIds
            d.communicationIds = c.communicationIds
            d.caseId = c.caseId
            d.dataCategories = c.dataCategories
            d.note = c.note
            d.updatedBy = ctx.actor
            d.updatedAt = ctx.now
            d.state = .recorded
            d.approvedBy = nil
            d.approvedAt = nil
            return "edited \(Self.summary(d))" + (wasApproved ? "; approval cleared" : "")
        }
    }

    /// Approves a recorded content or account disclosure: an admin other than its recorder (and
    /// its last editor) must do this (77 otherwise). An approved content disclosure is a case
    /// through which its communications may be viewed.
    public func approveDisclosure(_ id: String, expectVersion: Int? = nil) throws -> Disclosure {
        let id = try Validate.id("disclosure", id)
        return try step(.disclosuresApprove, id, expectVersion: expectVersion) { d, ctx in
            d.state = .approved
            d.approvedBy = ctx.actor
            d.approvedAt = ctx.now
            return "approved (recorded by \(d.recordedBy))"
        }
    }

    /// Refuses a request, with the reason. Nothing is disclosed, so no notice is owed.
    public func refuseDisclosure(_ id: String, reason: String, expectVersion: Int? = nil) throws -> Disclosure {
        let id = try Validate.id("disclosure", id)
        let reason = try Validate.text("reason", reason)
        return try step(.disclosuresRefuse, id, expectVersion: expectVersion) { d, ctx in
            d.state = .refused
            d.outcome = .refused
            if d.noticeState == .due || d.noticeState == .exigent { d.noticeState = .notRequired }
            d.reason = reason
            d.decidedBy = ctx.actor
            d.decidedAt = ctx.now
            return "refused: \(reason)"
        }
    }

    /// Closes a request its requester withdrew, with the reason; no notice is owed.
    public func withdrawDisclosure(_ id: String, reason: String, expectVersion: Int? = nil) throws -> Disclosure {
        let id = try Validate.id("disclosure", id)
        let reason = try Validate.text("reason", reason)
        return try step(.disclosuresWithdraw, id, expectVersion: expectVersion) { d, ctx in
            d.state = .withdrawn
            d.reason = reason
            if d.noticeState == .due || d.noticeState == .exigent { d.noticeState = .notRequired }
            d.decidedBy = ctx.actor
            d.decidedAt = ctx.now
            return "withdrawn: \(reason)"
        }
    }

    /// Releases an approved disclosure. Release before approval is refused (65). The manifest
    /// lists each item released, never a copy: communications with their SHA-256 and size as
    /// indexed; customer records (account disclosures, or content disclosures that also give
    /// account data) with the SHA-256 and size of their stored canonical JSON.
    ///
    /// `only` releases a subset of the named items (the outcome is then `partial` unless
    /// `narrowed` is given); `all` with a subset is refused.
    public func releaseDisclosure(_ id: String, outcome: DisclosureOutcome? = nil, only: [String] = [],
                                  expectVersion: Int? = nil) throws -> Disclosure {
        let id = try Validate.id("disclosure", id)
        if outcome == .refused {
            throw OpsError.invalid("a refusal is not a release: use 'lgadmin disclosures refuse \(id) --reason ...'")
        }
        let only = try DisclosureRules.ids("item", only)
        return try step(.disclosuresRelease, id, expectVersion: expectVersion) { d, ctx in
            let named = Self.releasableItems(d)
            if let stray = only.first(where: { !named.contains($0) }) {
                throw OpsError.invalid("\(stray) is not named by \(d.id): release only what it names (\(named.joined(separator: ", ")))")
            }
            let chosen = only.isEmpty ? Set(named) : Set(only)
            let subset = chosen.count < Set(named).count
            let result = outcome ?? (subset ? .partial : .all)
            if result == .all, subset {
                throw OpsError.invalid("outcome all means everything \(d.id) names was released, but only \(only.joined(separator: ", ")) is: use --outcome partial or narrowed")
            }
            d.manifest = try Self.manifest(for: d, items: chosen, in: ctx.view)
            guard !d.manifest.isEmpty else {
                throw OpsError.invalid("nothing to release: name at least one communication or customer record of \(d.id)")
            }
            d.state = .released
            d.outcome = result
            d.releasedBy = ctx.actor
            d.releasedAt = ctx.now
            let bytes = d.manifest.reduce(Int64(0)) { $0 + $1.size }
            return "released (\(result.rawValue)): \(d.manifest.count) item(s), \(bytes) bytes; manifest " + d.manifest.map { "\($0.id) \($0.sha256.prefix(12))" }.joined(separator: ", ")
        }
    }

    /// The items a release of `d` puts in its manifest: the communications it names, and the
    /// customer records when it gives account information (an account disclosure, or a content
    /// disclosure that also names non-content categories).
    public static func releasableItems(_ d: Disclosure) -> [String] {
        d.communicationIds + (givesCustomerData(d) ? d.customerIds : [])
    }

    static func givesCustomerData(_ d: Disclosure) -> Bool {
        d.kind == .account || d.dataCategories.contains { $0 != .content }
    }

    /// The manifest of a release: ids, SHA-256 and sizes only.
    static func manifest(for d: Disclosure, items: Set<String>, in v: any StoreSnapshot) throws -> [ManifestItem] {
        var out: [ManifestItem] = []
        for id in d.communicationIds where items.contains(id) {
            guard let c = try v.get(Collections.communications, id: id) else {
                throw OpsError.notFound("communication \(id) named by \(d.id) is no longer in the store")
            }
            guard c.state != .deleted else {
                throw OpsError.invalid("communication \(id) was deleted (only its SHA-256 and size remain): release the others with --only, as a partial release")
            }
            out.append(ManifestItem(id: c.id, sha256: c.sha256, size: c.size))
        }
        if givesCustomerData(d) {
            for id in d.customerIds where items.contains(id) {
                guard let raw = v.rawJSON(Collections.customers.name, id: id) else {
                    throw OpsError.notFound("customer \(id) named by \(d.id) is no longer in the store")
                }
                out.append(ManifestItem(id: id, sha256: MessageMover.hex(SHA256.hash(data: raw)), size: Int64(raw.count)))
            }
        }
        return out
    }

    /// Records that the customer was told, and how.
    public func notifyDisclosure(_ id: String, method: NoticeMethod, expectVersion: Int? = nil) throws -> Disclosure {
        let id = try Validate.id("disclosure", id)
        return try step(.disclosuresNotify, id, expectVersion: expectVersion) { d, ctx in
            d.noticeState = .notified
            d.notifiedAt = ctx.now
            d.noticeMethod = method
            return "customer notified by \(method.rawValue)"
        }
    }

    /// Delays the customer's notice as a court order requires: until a date, naming the order.
    public func delayNotice(_ id: String, until: String, order: String, expectVersion: Int? = nil) throws -> Disclosure {
        let id = try Validate.id("disclosure", id)
        let order = try Validate.text("order reference", order, max: 200)
        let untilText = try Validate.text("delay end date", until, max: 40)
        let end = try DisclosureDates.parse(untilText, field: "delay end date", endOfDay: true)
        return try step(.disclosuresDelayNotice, id, expectVersion: expectVersion) { d, ctx in
            guard end > ctx.now else {
                throw OpsError.invalid("the delay ends \(end), which has passed: a notice delay ends in the future")
            }
            d.noticeState = .delayedByOrder
            d.noticeDelayUntil = end
            d.noticeOrderRef = order
            return "notice delayed until \(end) by order \(order)"
        }
    }

    /// One step on an existing disclosure: the role, the expected version, the register's rules
    /// for the step (``DisclosureRules/refusal(_:on:actor:now:)``), then the change, its audit
    /// event (case = the disclosure) and both committed together.
    private func step(_ action: Action, _ id: String, expectVersion: Int?,
                      _ body: (inout Disclosure, inout ChangeContext) throws -> String) throws -> Disclosure {
        try change(action, target: id, caseId: id) { ctx in
            guard var d = try ctx.view.get(Collections.disclosures, id: id) else {
                throw OpsError.notFound(.missing(.disclosure, id))
            }
            if let v = expectVersion, v != d.version {
                throw OpsError.conflict(OpsProblem("disclosure \(id) changed since version \(v) (it is now \(d.state.rawValue), version \(d.version))", record: OpsRecordRef(kind: .disclosure, id: id), remedy: .reloadAndRetry(currentVersion: d.version)))
            }
            if let refusal = DisclosureRules.refusal(action, on: d, actor: ctx.actor, now: ctx.now) { throw refusal }
            let detail = try body(&d, &ctx)
            let expected = d.version
            try ctx.tx.update(d, in: Collections.disclosures, expecting: expected)
            d.version = expected + 1
            return (detail, d)
        }
    }

    /// A short description for the audit trail, without personal data beyond ids.
    static func summary(_ d: Disclosure) -> String {
        var s = "\(d.kind.rawValue) disclosure (\(d.ground.rawValue); \(d.requestType.rawValue) from \(d.requesterType.rawValue)"
        if let r = d.reference { s += "; ref \(r)" }
        s += ")"
        if !d.communicationIds.isEmpty { s += " of " + d.communicationIds.joined(separator: ",") }
        if !d.customerIds.isEmpty { s += " for " + d.customerIds.joined(separator: ",") }
        if let c = d.caseId { s += " seen in \(c)" }
        return s
    }

    // MARK: Partner shares

    /// Records, inside a partner export's transaction, the `partner-share` disclosure it makes:
    /// released, on the partner-program ground, with the counts and the SHA-256 of the export's
    /// exact bytes. The export's audit event names it as its case.
    func recordPartnerShare(partner: String, export: MailingExport, ctx: inout ChangeContext) throws -> Disclosure {
        let id = try ctx.nextID("disclosures", prefix: Self.disclosureIDPrefix, width: 6)
        ctx.caseId = id
        var d = Disclosure(
            id: id, version: 0, kind: .partnerShare, ground: .partnerProgram, state: .released, requester: partner,
            requesterType: .partner, requestType: .partnerAgreement, reference: nil, receivedAt: ctx.now, dueAt: nil,
            customerIds: [], communicationIds: [], caseId: nil, dataCategories: [.contact], note: nil, recordedBy: ctx.actor,
            recordedAt: ctx.now, updatedBy: nil, updatedAt: nil, approvedBy: nil, approvedAt: nil, outcome: .all,
            releasedBy: ctx.actor, releasedAt: ctx.now,
            manifest: [ManifestItem(id: "\(export.list.rawValue).csv", sha256: export.sha256, size: Int64(export.csv.count))],
            reason: nil, decidedBy: nil, decidedAt: nil, noticeState: .notRequired, noticeDelayUntil: nil, noticeOrderRef: nil,
            notifiedAt: nil, noticeMethod: nil, contactPoints: export.recipients.count, excludedByOptOuts: export.suppressed,
            accountsAffected: Set(export.recipients.map(\.customerId)).count)
        try ctx.tx.insert(d, into: Collections.disclosures)
        d.version = 1
        return d
    }
}

extension PrivacyOps {
    /// Records, inside a traffic report's transaction, the `traffic-aggregate` disclosure that
    /// `traffic report --for PARTY` makes: released, on the traffic-profile ground, no customer
    /// data, with the SHA-256 and size of exactly what was handed over. The run's audit event
    /// names it as its case.
    func recordTrafficAggregate(party: String, sha256: String, size: Int, ctx: inout ChangeContext) throws -> Disclosure {
        let id = try ctx.nextID("disclosures", prefix: Self.disclosureIDPrefix, width: 6)
        ctx.caseId = id
        var d = Disclosure(
            id: id, version: 0, kind: .trafficAggregate, ground: .trafficProfile, state: .released, requester: party,
            requesterType: .partner, requestType: .other, reference: nil, receivedAt: ctx.now, dueAt: nil,
            customerIds: [], communicationIds: [], caseId: nil, dataCategories: [], note: nil, recordedBy: ctx.actor,
            recordedAt: ctx.now, updatedBy: nil, updatedAt: nil, approvedBy: nil, approvedAt: nil, outcome: .all,
            releasedBy: ctx.actor, releasedAt: ctx.now,
            manifest: [ManifestItem(id: "traffic-report", sha256: sha256, size: Int64(size))],
            reason: nil, decidedBy: nil, decidedAt: nil, noticeState: .notRequired, noticeDelayUntil: nil, noticeOrderRef: nil,
            notifiedAt: nil, noticeMethod: nil, contactPoints: nil, excludedByOptOuts: nil, accountsAffected: 0)
        try ctx.tx.insert(d, into: Collections.disclosures)
        d.version = 1
        return d
    }
}

extension MailingExport {
    /// The export as a partner receives it: RFC 4180 CSV (`customer_id,name,channel,contact`,
    /// CRLF line ends, fields quoted when they hold a comma, quote or line break). Its SHA-256 is
    /// what the partner-share disclosure records.
    static func csv(_ recipients: [MailingRecipient]) -> [UInt8] {
        var out: [UInt8] = []
        RFC4180.record(["customer_id", "name", "channel", "contact"], into: &out)
        for r in recipients { RFC4180.record([r.customerId, r.name, r.channel.rawValue, r.contact], into: &out) }
        return out
    }
}

extension PrivacyOps {
    /// Refuses (77) viewing `commId` through disclosure `d` unless `d` is an approved (or
    /// released) content disclosure that names it: an approved content disclosure is a case,
    /// exactly as a report is.
    static func checkDisclosureCase(_ d: Disclosure, covers commId: String) throws {
        guard d.kind == .content else {
            throw OpsError.denied("case \(d.id) is a \(d.kind.rawValue) disclosure: content is viewable only through a content disclosure or a report that covers it")
        }
        guard d.communicationIds.contains(commId) else {
            throw OpsError.denied("case \(d.id) names \(d.communicationIds.joined(separator: ", ")), not \(commId): content is viewable only through a case that covers it")
        }
        guard d.isOpenContentCase else {
            throw OpsError.denied("case \(d.id) is \(d.state.rawValue), not approved: a content disclosure is a case only once a second admin approved it")
        }
    }
}
