import Foundation

/// A disclosure as staff write it down: what `disclosures record` takes.
///
/// Dates are text as a person types them (`2026-03-10` or `2026-03-10T14:00:00Z`); the service
/// reads them, so every front end accepts the same forms.
public struct DisclosureInput: Sendable, Equatable {
    public var kind: DisclosureKind
    /// Exactly one ground; nil is refused (a disclosure names its ground).
    public var ground: DisclosureGround?
    public var requester: String
    public var requesterType: RequesterType
    public var requestType: DisclosureRequestType
    public var reference: String?
    /// When the request arrived (default: now).
    public var receivedAt: String?
    /// When the answer is due (default: ``PrivacyOps/disclosureResponseBusinessDays`` business
    /// days after receipt).
    public var dueAt: String?
    public var customerIds: [String]
    public var communicationIds: [String]
    /// The report in which the content was seen (`law-enforcement-inadvertent`).
    public var caseId: String?
    /// What is disclosed; a content disclosure always includes `content`.
    public var dataCategories: [DataCategory]
    public var note: String?

    public init(kind: DisclosureKind, ground: DisclosureGround?, requester: String, requesterType: RequesterType,
                requestType: DisclosureRequestType, reference: String? = nil, receivedAt: String? = nil, dueAt: String? = nil,
                customerIds: [String] = [], communicationIds: [String] = [], caseId: String? = nil,
                dataCategories: [DataCategory] = [], note: String? = nil) {
        self.kind = kind
        self.ground = ground
        self.requester = requester
        self.requesterType = requesterType
        self.requestType = requestType
        self.reference = reference
        self.receivedAt = receivedAt
        self.dueAt = dueAt
        self.customerIds = customerIds
        self.communicationIds = communicationIds
        self.caseId = caseId
        self.dataCategories = dataCategories
        self.note = note
    }
}

/// Changes to a recorded disclosure; nil fields stay as they are. An empty string clears an
/// optional text field (reference, case, note). Any change raises the version and clears the
/// approval.
public struct DisclosureChanges: Sendable, Equatable {
    public var ground: DisclosureGround?
    public var requester: String?
    public var requesterType: RequesterType?
    public var requestType: DisclosureRequestType?
    public var reference: String?
    public var receivedAt: String?
    public var dueAt: String?
    public var customerIds: [String]?
    public var communicationIds: [String]?
    public var caseId: String?
    public var dataCategories: [DataCategory]?
    public var note: String?

    public init(ground: DisclosureGround? = nil, requester: String? = nil, requesterType: RequesterType? = nil,
                requestType: DisclosureRequestType? = nil, reference: String? = nil, receivedAt: String? = nil,
                dueAt: String? = nil, customerIds: [String]? = nil, communicationIds: [String]? = nil, caseId: String? = nil,
                dataCategories: [DataCategory]? = nil, note: String? = nil) {
        self.ground = ground
        self.requester = requester
        self.requesterType = requesterType
        self.requestType = requestType
        self.reference = reference
        self.receivedAt = receivedAt
        self.dueAt = dueAt
        self.customerIds = customerIds
        self.communicationIds = communicationIds
        self.caseId = caseId
        self.dataCategories = dataCategories
        self.note = note
    }

    public var isEmpty: Bool { self == DisclosureChanges() }

    /// The input these changes make of `d`.
    func applied(to d: Disclosure) -> DisclosureInput {
        func clearable(_ new: String?, _ old: String?) -> String? {
            guard let new else { return old }
            return new.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : new
        }
        return DisclosureInput(
            kind: d.kind, ground: ground ?? d.ground, requester: requester ?? d.requester,
            requesterType: requesterType ?? d.requesterType, requestType: requestType ?? d.requestType,
            reference: clearable(reference, d.reference), receivedAt: receivedAt ?? d.receivedAt, dueAt: dueAt ?? d.dueAt,
            customerIds: customerIds ?? d.customerIds, communicationIds: communicationIds ?? d.communicationIds,
            caseId: clearable(caseId, d.caseId), dataCategories: dataCategories ?? d.dataCategories,
            note: clearable(note, d.note))
    }
}

/// The rules of DESIGN.md §2b, in one place: recording, editing and every later step call
/// these, and front ends ask them (through ``PrivacyOps/refusal(_:on:)``) what to grey out.
enum DisclosureRules {
    /// The checked fields of a disclosure, ready to store.
    struct Checked {
        var kind: DisclosureKind
        var ground: DisclosureGround
        var requester: String
        var requesterType: RequesterType
        var requestType: DisclosureRequestType
        var reference: String?
        var receivedAt: String
        var dueAt: String
        var customerIds: [String]
        var communicationIds: [String]
        var caseId: String?
        var dataCategories: [DataCategory]
        var note: String?
    }

    /// Checks a disclosure as written against the rules and the store; one typed error with the
    /// §5 exit code for the first rule broken: card numbers and bad values (65) first, then the
    /// ground and what it needs (65), then the records it names (66 when missing).
    static func check(_ input: DisclosureInput, in view: any StoreSnapshot, now: Date) throws -> Checked {
        // The card-number guard on every text field, before anything else is looked at.
        let requester = try Validate.text("requester", input.requester, max: 200)
        let reference = try Validate.optionalText("reference", input.reference, max: 200)
        let note = try Validate.optionalText("note", input.note, max: 4000)
        let caseText = try Validate.optionalText("case", input.caseId, max: 128)
        for (field, values) in [("customer", input.customerIds), ("communication", input.communicationIds)] {
            for v in values { try Validate.noCardNumber(field + " id", v) }
        }
        try Validate.noCardNumber("received date", input.receivedAt ?? "")
        try Validate.noCardNumber("due date", input.dueAt ?? "")

        let kind = input.kind
        guard kind.isRecordedByHand else {
            throw OpsError.invalid("\(kind.rawValue) disclosures are recorded automatically (by 'mailing export partner-offers' or 'traffic report --for'): record content or account disclosures here")
        }
        guard let ground = input.ground else {
            throw OpsError.invalid("a \(kind.rawValue) disclosure names exactly one ground: add --ground \(grounds(of: kind))")
        }
        guard ground.kind == kind else {
            throw OpsError.invalid("\(ground.rawValue) is a ground for \(ground.kind.rawValue) disclosures, not \(kind.rawValue): use --ground \(grounds(of: kind))")
        }
        switch ground {
        case .legalProcess:
            guard reference != nil else {
                throw OpsError.invalid("legal-process needs the reference of the legal process (docket or warrant number): add --reference")
            }
            guard input.requestType.isLegalProcess else {
                throw OpsError.invalid("legal-process needs a legal request type, not \(input.requestType.rawValue): use --request-type \(DisclosureRequestType.legal.map(\.rawValue).joined(separator: "|"))")
            }
        case .lawEnforcementInadvertent:
            guard input.requesterType == .lawEnforcement else {
                throw OpsError.invalid("law-enforcement-inadvertent discloses only to law enforcement, not to a \(input.requesterType.rawValue) requester: use --requester-type law-enforcement")
            }
            guard caseText != nil else {
                throw OpsError.invalid("law-enforcement-inadvertent needs the report (case) in which the content was seen: add --case REPORT_ID")
            }
        default:
            break
        }

        // The records it names.
        let customerIds = try ids("customer", input.customerIds)
        let communicationIds = try ids("communication", input.communicationIds)
        var caseId: String?
        if let caseText { caseId = try Validate.id("case", caseText) }
        var allCustomers = customerIds
        for id in communicationIds {
            guard let c = try view.get(Collections.communications, id: id) else {
                throw OpsError.notFound(.missing(.communication, id))
            }
            if kind == .content, !allCustomers.contains(c.customerId) { allCustomers.append(c.customerId) }
        }
        for id in customerIds where try view.get(Collections.customers, id: id) == nil {
            throw OpsError.notFound(.missing(.customer, id))
        }
        if let caseId {
            guard let report = try view.get(Collections.reports, id: caseId) else {
                throw OpsError.notFound("no report \(caseId): the case must be the report in which the content was seen ('lgadmin reports list')")
            }
            if ground == .lawEnforcementInadvertent {
                guard communicationIds.allSatisfy({ $0 == report.communicationId }), !communicationIds.isEmpty else {
                    throw OpsError.invalid("report \(caseId) is about \(report.communicationId): law-enforcement-inadvertent covers only the content seen in that case, so name --comm \(report.communicationId) and no other")
                }
            }
        }

        // What is disclosed.
        var categories = Array(Set(input.dataCategories)).sorted()
        switch kind {
        case .content:
            guard !communicationIds.isEmpty else {
                throw OpsError.invalid("a content disclosure names the communications whose content is disclosed: add --comm ID")
            }
            if !categories.contains(.content) { categories.append(.content) }
            categories.sort()
        default:
            guard !customerIds.isEmpty else {
                throw OpsError.invalid("an account disclosure names the customers whose information is disclosed: add --customer ID")
            }
            guard !categories.contains(.content) else {
                throw OpsError.invalid("the content of communications is disclosed only by a content disclosure (four grounds, a second admin): leave --category content out, or record a content disclosure")
            }
            guard !categories.isEmpty else {
                throw OpsError.invalid("say what is disclosed: add --category \(DataCategory.allCases.filter { $0 != .content }.map(\.rawValue).joined(separator: "|"))")
            }
        }

        // When.
        let nowStamp = stamp(now)
        let received = try input.receivedAt.map { try DisclosureDates.parse($0, field: "received date", endOfDay: false) } ?? nowStamp
        guard received <= nowStamp else {
            throw OpsError.invalid("the received date \(received) is in the future: give the date the request arrived")
        }
        let due: String
        if let d = input.dueAt {
            due = try DisclosureDates.parse(d, field: "due date", endOfDay: true)
        } else {
            let r = RFC3339.parse(received) ?? now
            due = stamp(BusinessDays.add(PrivacyOps.disclosureResponseBusinessDays, to: r))
        }
        guard due >= received else {
            throw OpsError.invalid("the due date \(due) is before the request was received (\(received)): give a later --due")
        }

        return Checked(kind: kind, ground: ground, requester: requester, requesterType: input.requesterType,
                       requestType: input.requestType, reference: reference, receivedAt: received, dueAt: due,
                       customerIds: allCustomers, communicationIds: communicationIds, caseId: caseId,
                       dataCategories: categories, note: note)
    }

    /// The notice a new disclosure starts with: none is owed for a preservation request (it
    /// discloses nothing); an emergency request waits until the emergency is over; otherwise the
    /// customer is to be told.
    static func initialNotice(_ requestType: DisclosureRequestType) -> NoticeState {
        switch requestType {
        case .preservation: return .notRequired
        case .emergency: return .exigent
        default: return .due
        }
    }

    /// Why `actor` may not take `action` on `d` now, as the typed error the service throws; nil
    /// when the step is allowed. Roles are checked separately (``RoleTable``).
    static func refusal(_ action: Action, on d: Disclosure, actor: String, now: String) -> OpsError? {
        let id = d.id
        switch action {
        case .disclosuresUpdate:
            guard d.kind.isRecordedByHand else { return .invalid("\(id) was recorded by \(d.kind == .partnerShare ? "a partner export" : "a traffic report"): it cannot be edited") }
            guard d.state.isOpen else { return .invalid("\(id) is \(d.state.rawValue): only recorded or approved disclosures can be edited; record a new one") }
        case .disclosuresApprove:
            guard d.kind.needsApproval else { return .invalid("\(id) is a \(d.kind.rawValue) disclosure: it needs no approval") }
            guard d.state == .recorded else {
                if d.state == .approved { return .invalid("\(id) is already approved by \(d.approvedBy ?? "?")") }
                return .invalid("\(id) is \(d.state.rawValue): only recorded disclosures can be approved")
            }
            if d.recordedBy == actor {
                return .denied("\(actor) recorded \(id): another admin must approve it (approver and recorder must differ)")
            }
            if let editor = d.updatedBy, editor == actor {
                return .denied("\(actor) last edited \(id): another admin must approve it (approver and author must differ)")
            }
        case .disclosuresRefuse, .disclosuresWithdraw:
            guard d.kind.isRecordedByHand else { return .invalid("\(id) is a \(d.kind.rawValue) disclosure, already released: it cannot be \(action == .disclosuresRefuse ? "refused" : "withdrawn")") }
            guard d.state.isOpen else { return .invalid("\(id) is \(d.state.rawValue): only recorded or approved disclosures can be \(action == .disclosuresRefuse ? "refused" : "withdrawn")") }
        case .disclosuresRelease:
            guard d.kind.needsApproval else { return .invalid("\(id) is a \(d.kind.rawValue) disclosure, released when it was recorded") }
            switch d.state {
            case .approved: break
            case .recorded: return .invalid("\(id) is not approved: a second admin must approve it before release ('lgadmin disclosures approve \(id)')")
            default: return .invalid("\(id) is \(d.state.rawValue): only approved disclosures can be released")
            }
        case .disclosuresNotify:
            guard d.state != .refused, d.state != .withdrawn else { return .invalid("\(id) is \(d.state.rawValue): nothing was disclosed, so there is no notice to give") }
            switch d.noticeState {
            case .notified: return .invalid("the customer was already told of \(id) at \(d.notifiedAt ?? "?")")
            case .notRequired: return .invalid("\(id) needs no notice (\(d.requestType == .preservation ? "a preservation request discloses nothing" : d.kind.rawValue))")
            case .delayedByOrder where !isDelayRunOut(d, now: now):
                return .invalid("notice of \(id) is delayed by order \(d.noticeOrderRef ?? "?") until \(d.noticeDelayUntil ?? "?"): telling the customer earlier would breach it")
            default: break
            }
        case .disclosuresDelayNotice:
            guard d.state != .refused, d.state != .withdrawn else { return .invalid("\(id) is \(d.state.rawValue): nothing was disclosed, so there is no notice to delay") }
            switch d.noticeState {
            case .notified: return .invalid("the customer was already told of \(id): a notice cannot be delayed after it was given")
            case .notRequired: return .invalid("\(id) needs no notice, so there is none to delay")
            default: break
            }
        default:
            break
        }
        return nil
    }

    /// A notice delay whose end date has passed (the customer is to be told now).
    static func isDelayRunOut(_ d: Disclosure, now: String) -> Bool {
        guard d.noticeState == .delayedByOrder, let until = d.noticeDelayUntil else { return false }
        return until < now
    }

    /// Whether the customer is to be told now: a released disclosure whose notice is due, or a
    /// notice delay that has run out.
    static func isNoticeDue(_ d: Disclosure, now: String) -> Bool {
        guard d.state != .refused, d.state != .withdrawn else { return false }
        if isDelayRunOut(d, now: now) { return true }
        return d.state == .released && d.noticeState == .due
    }

    /// An open request past its due date.
    static func isOverdue(_ d: Disclosure, now: String) -> Bool {
        guard d.state.isOpen, let due = d.dueAt else { return false }
        return due < now
    }

    static func grounds(of kind: DisclosureKind) -> String {
        kind.grounds.map(\.rawValue).joined(separator: "|")
    }

    static func stamp(_ d: Date) -> String { UTCStamp.format(unixSeconds: Int(d.timeIntervalSince1970)) }

    /// Ids checked and de-duplicated, in the order given.
    static func ids(_ kind: String, _ values: [String]) throws -> [String] {
        var out: [String] = []
        for v in values {
            let id = try Validate.id(kind, v)
            if !out.contains(id) { out.append(id) }
        }
        return out
    }
}

/// Dates as staff type them: a day (`2026-03-10`) or an RFC 3339 time.
public enum DisclosureDates {
    /// The time `text` names, as a stored timestamp. A day alone means its start, or its last
    /// second when `endOfDay` (a due date or a delay runs through the day named).
    public static func parse(_ text: String, field: String, endOfDay: Bool) throws -> String {
        let t = text.trimmingCharacters(in: .whitespaces)
        let dayOnly = t.utf8.count == 10 && t.utf8.enumerated().allSatisfy { i, b in
            (i == 4 || i == 7) ? b == UInt8(ascii: "-") : (b >= 0x30 && b <= 0x39)
        }
        let full = dayOnly ? t + (endOfDay ? "T23:59:59Z" : "T00:00:00Z") : t
        guard let d = RFC3339.parse(full), !dayOnly || DisclosureRules.stamp(d) == full else {
            throw OpsError.invalid("\(field) '\(TerminalText.sanitize(text))' is not a date: write it as 2026-03-10 or 2026-03-10T14:00:00Z")
        }
        return DisclosureRules.stamp(d)
    }
}
