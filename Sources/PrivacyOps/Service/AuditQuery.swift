import Foundation

/// Which audit events to list: every criterion given must hold (`audit list --actor --action
/// --target --since --until`, the console's audit filters and a record's history).
public struct AuditFilter: Sendable, Equatable {
    /// The user the event is recorded for, or the one who really ran it (root acting with `--as`).
    public var actor: String?
    /// An action (`customers.update`), or a family of actions (`customers` for `customers.*`).
    public var action: String?
    /// A record id: events whose target or case is the record, or that changed it (an
    /// ``AuditChange`` of the record). Ids are compared ignoring case.
    public var target: String?
    /// The first moment listed, as staff write it: a day (`2026-03-10`, from its start) or an
    /// RFC 3339 time.
    public var since: String?
    /// The last moment listed: a day (through its end) or an RFC 3339 time.
    public var until: String?
    /// Only events after this seq.
    public var afterSeq: Int?

    public init(actor: String? = nil, action: String? = nil, target: String? = nil, since: String? = nil,
                until: String? = nil, afterSeq: Int? = nil) {
        self.actor = actor
        self.action = action
        self.target = target
        self.since = since
        self.until = until
        self.afterSeq = afterSeq
    }

    /// Whether no criterion is given.
    public var isEmpty: Bool { self == AuditFilter() }

    /// The filter checked and ready to match: blank criteria dropped, dates read (a bad date is
    /// invalid data, exit 65).
    func compiled() throws -> Compiled {
        func clean(_ s: String?) -> String? {
            guard let t = s?.trimmingCharacters(in: .whitespaces), !t.isEmpty else { return nil }
            return t
        }
        let from = try clean(since).map { try DisclosureDates.parse($0, field: "since", endOfDay: false) }
        let to = try clean(until).map { try DisclosureDates.parse($0, field: "until", endOfDay: true) }
        if let from, let to, let a = ReportTime.seconds(from), let b = ReportTime.seconds(to), b < a {
            throw OpsError.invalid("until (\(to)) is before since (\(from)): give a range that runs forward")
        }
        return Compiled(actor: clean(actor), action: clean(action)?.lowercased(), target: clean(target)?.lowercased(),
                        since: from.flatMap(ReportTime.seconds), until: to.flatMap(ReportTime.seconds), afterSeq: afterSeq)
    }

    struct Compiled {
        var actor: String?
        var action: String?
        var target: String?
        var since: Int?
        var until: Int?
        var afterSeq: Int?

        func matches(_ e: AuditEvent) -> Bool {
            if let actor, e.actor != actor, e.realActor != actor { return false }
            if let action, e.action != action, !e.action.hasPrefix(action + ".") { return false }
            if let target, e.target.lowercased() != target, e.caseId?.lowercased() != target,
               !(e.changes ?? []).contains(where: { $0.record.lowercased() == target }) {
                return false
            }
            if since != nil || until != nil {
                guard let t = ReportTime.seconds(e.at) else { return false }
                if let since, t < since { return false }
                if let until, t > until { return false }
            }
            return true
        }
    }
}

extension PrivacyOps {
    /// Audit events matching `filter`, newest first, at most `limit`.
    /// - Complexity: O(*n*) in the number of audit events (each is decoded once).
    public func listAudit(filter: AuditFilter, limit: Int? = nil) throws -> [AuditEvent] {
        try authorize(.auditList)
        let f = try filter.compiled()
        let v = view()
        var out: [AuditEvent] = []
        for id in v.ids(Collections.audit).reversed() {
            guard let e = try v.get(Collections.audit, id: id) else { continue }
            if let after = f.afterSeq, e.seq <= after { break }
            guard f.matches(e) else { continue }
            out.append(e)
            if let limit, out.count >= limit { break }
        }
        return out
    }
}
