import Crypto
import Foundation

/// A request as it arrives, from a person at the command line or from the contact form.
public struct OptOutSubmission: Sendable {
    public var contact: String
    public var scopes: [OptOutScope]
    public var source: String
    public var note: String?
    public var name: String?
    public var message: String?
    public var receivedAt: Date?
    public var spoolFile: String?

    public init(contact: String, scopes: [OptOutScope] = OptOutScope.allCases, source: String = "manual",
                note: String? = nil, name: String? = nil, message: String? = nil, receivedAt: Date? = nil,
                spoolFile: String? = nil) {
        self.contact = contact
        self.scopes = scopes
        self.source = source
        self.note = note
        self.name = name
        self.message = message
        self.receivedAt = receivedAt
        self.spoolFile = spoolFile
    }
}

/// An opt-out request with what a person deciding it needs to see.
public struct OptOutDetail: Sendable {
    public var request: OptOutRequest
    /// Customers holding exactly the named contact point, now.
    public var matchingCustomers: [Customer]
    /// The scopes already suppressed for the contact point.
    public var suppressed: [OptOutScope]
    public var overdue: Bool
}

/// Reasons offered when rejecting a request (the console's pick list; free text may follow).
public enum OptOutRejectReason: String, CaseIterable, Sendable {
    case notOurs = "not a contact point we hold"
    case unverifiable = "could not verify the request"
    case duplicate = "duplicate of another request"
    case spam = "spam or abuse of the contact form"
    case other = "other"
}

extension PrivacyOps {
    /// Business days an opt-out request may take (US CAN-SPAM).
    public static let optOutBusinessDays = 10

    /// Checks a submission and turns it into the exact contact point it names.
    func validated(_ s: OptOutSubmission) throws -> (OptOutSubmission, ContactPoint) {
        var out = s
        out.contact = try Validate.text("contact", s.contact, max: 500)
        out.source = try Validate.text("source", s.source, max: 80)
        out.note = try Validate.optionalText("note", s.note)
        out.name = try Validate.optionalText("name", s.name, max: 200)
        out.message = try Validate.optionalText("message", s.message, max: 4000)
        guard let point = ContactPoint.parse(out.contact) else {
            throw OpsError.invalid("cannot tell which contact point '\(TerminalText.sanitize(out.contact))' is: give one e-mail address, phone number or postal address")
        }
        if out.scopes.isEmpty { out.scopes = OptOutScope.allCases }
        return (out, point)
    }

    /// Records an opt-out request; it is due in 10 business days.
    public func submitOptOut(_ submission: OptOutSubmission) throws -> OptOutRequest {
        let (s, point) = try validated(submission)
        return try change(.optoutsSubmit, target: "new opt-out") { ctx in
            let r = try makeRequest(s, point: point, ctx: &ctx)
            ctx.target = r.id
            return ("opt-out \(r.id) received (\(point.channel.rawValue); \(r.scopes.map(\.rawValue).joined(separator: ",")))", r)
        }
    }

    func makeRequest(_ s: OptOutSubmission, point: ContactPoint, ctx: inout ChangeContext) throws -> OptOutRequest {
        let id = try ctx.nextID("optouts", prefix: "O", width: 6)
        let received = s.receivedAt ?? ctx.nowDate
        let due = BusinessDays.add(Self.optOutBusinessDays, to: received)
        let matches = try customers(holding: point, in: ctx.view)
        var r = OptOutRequest(id: id, version: 0, contact: s.contact, channel: point.channel, normalized: point.normalized,
                              scopes: s.scopes.sorted(), state: .pending, source: s.source,
                              receivedAt: UTCStamp.format(unixSeconds: Int(received.timeIntervalSince1970)),
                              dueAt: UTCStamp.format(unixSeconds: Int(due.timeIntervalSince1970)),
                              matches: matches, decidedBy: nil, decidedAt: nil, note: s.note, name: s.name,
                              message: s.message, spoolFile: s.spoolFile)
        try ctx.tx.insert(r, into: Collections.optouts)
        r.version = 1
        return r
    }

    /// Opt-out requests ordered by due date (then id), optionally of one state.
    public func listOptOuts(state: OptOutState? = nil) throws -> [OptOutRequest] {
        try authorize(.optoutsList)
        return try view().all(Collections.optouts)
            .filter { state == nil || $0.state == state }
            .sorted { ($0.dueAt, $0.id) < ($1.dueAt, $1.id) }
    }

    /// One request with its current matches.
    public func optOut(_ id: String) throws -> OptOutDetail {
        try authorize(.optoutsShow)
        let id = try Validate.id("opt-out", id)
        let v = view()
        guard let r = try v.get(Collections.optouts, id: id) else {
            throw OpsError.notFound(.missing(.optOut, id))
        }
        let ids = try customers(holding: r.contactPoint, in: v)
        let customers = try ids.compactMap { try v.get(Collections.customers, id: $0) }
        let sup = try v.get(Collections.suppressions, id: Self.suppressionID(r.contactPoint))?.scopes ?? []
        return OptOutDetail(request: r, matchingCustomers: customers, suppressed: sup, overdue: isOverdue(r))
    }

    /// Whether an open request is past its due date.
    public func isOverdue(_ r: OptOutRequest) -> Bool {
        r.isOpen && r.dueAt < nowString
    }

    static func suppressionID(_ p: ContactPoint) -> String {
        let digest = SHA256.hash(data: Data(p.key.utf8))
        return "S" + digest.prefix(12).map { String(format: "%02x", $0) }.joined()
    }

    /// Applies a request: the exact contact point it names is suppressed for its scopes.
    public func applyOptOut(_ id: String, expectVersion: Int? = nil) throws -> OptOutRequest {
        let id = try Validate.id("opt-out", id)
        return try decide(.optoutsApply, id, expectVersion: expectVersion) { r, ctx in
            r.state = .applied
            r.matches = try customers(holding: r.contactPoint, in: ctx.view)
            let sid = Self.suppressionID(r.contactPoint)
            if var s = try ctx.view.get(Collections.suppressions, id: sid) {
                s.scopes = Array(Set(s.scopes).union(r.scopes)).sorted()
                if !s.requestIds.contains(r.id) { s.requestIds.append(r.id) }
                s.updatedAt = ctx.now
                try ctx.tx.update(s, in: Collections.suppressions, expecting: s.version)
            } else {
                let s = Suppression(id: sid, version: 0, channel: r.channel, normalized: r.normalized, scopes: r.scopes,
                                    requestIds: [r.id], updatedAt: ctx.now)
                try ctx.tx.insert(s, into: Collections.suppressions)
            }
            return "applied: \(r.channel.rawValue) suppressed for \(r.scopes.map(\.rawValue).joined(separator: ",")); \(r.matches.count) matching customer(s)"
        }
    }

    /// Asks the customer for more information.
    public func needInfoOptOut(_ id: String, note: String, expectVersion: Int? = nil) throws -> OptOutRequest {
        let id = try Validate.id("opt-out", id)
        let note = try Validate.text("note", note)
        return try decide(.optoutsNeedInfo, id, allowFrom: [.pending], expectVersion: expectVersion) { r, _ in
            r.state = .needsInfo
            r.note = note
            return "needs info: \(note)"
        }
    }

    /// Rejects a request, with a reason.
    public func rejectOptOut(_ id: String, reason: String, expectVersion: Int? = nil) throws -> OptOutRequest {
        let id = try Validate.id("opt-out", id)
        let reason = try Validate.text("reason", reason)
        return try decide(.optoutsReject, id, expectVersion: expectVersion) { r, _ in
            r.state = .rejected
            r.note = reason
            return "rejected: \(reason)"
        }
    }

    private func decide(_ action: Action, _ id: String, allowFrom: Set<OptOutState> = [.pending, .needsInfo],
                        expectVersion: Int?, _ body: (inout OptOutRequest, inout ChangeContext) throws -> String) throws -> OptOutRequest {
        try change(action, target: id, caseId: id) { ctx in
            guard var r = try ctx.view.get(Collections.optouts, id: id) else {
                throw OpsError.notFound(.missing(.optOut, id))
            }
            if let v = expectVersion, v != r.version {
                throw OpsError.conflict(OpsProblem("opt-out \(id) changed since version \(v) (it is now \(r.state.rawValue), version \(r.version))", record: OpsRecordRef(kind: .optOut, id: id), remedy: .reloadAndRetry(currentVersion: r.version)))
            }
            guard allowFrom.contains(r.state) else {
                throw OpsError.invalid("opt-out \(id) is \(r.state.rawValue): only \(allowFrom.map(\.rawValue).sorted().joined(separator: " or ")) requests can be \(action == .optoutsApply ? "applied" : action == .optoutsReject ? "rejected" : "sent back for information")")
            }
            let detail = try body(&r, &ctx)
            r.decidedBy = ctx.actor
            r.decidedAt = ctx.now
            let expected = r.version
            try ctx.tx.update(r, in: Collections.optouts, expecting: expected)
            r.version = expected + 1
            return (detail, r)
        }
    }

    /// Every suppression, by contact point.
    func suppressions(in view: any StoreSnapshot) throws -> [ContactPoint: Suppression] {
        var out: [ContactPoint: Suppression] = [:]
        for s in try view.all(Collections.suppressions) {
            out[ContactPoint(channel: s.channel, normalized: s.normalized)] = s
        }
        return out
    }
}
