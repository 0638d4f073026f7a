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
    /// Words that must each appear, ignoring case and accents, in the event's seq, actor,
    /// role, action, target, case, detail or changes.
    public var words: [String] = []

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

    /// The names a filter line takes before a colon (`actor:sam`).
    public static let keys = ["actor", "action", "target", "since", "until"]

    /// A filter as one line of text, as the console's `/` takes it: `actor:sam action:customers
    /// target:C0000004 since:2026-03-01 until:2026-03-31`, each at most once, in any order; every
    /// other word is one of ``words``. A later `key:` replaces an earlier one.
    public init(parsing line: String) {
        self.init()
        for word in line.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
            let w = String(word)
            // A key still being typed (`actor:`) is no criterion yet.
            if w.hasSuffix(":"), Self.keys.contains(String(w.dropLast()).lowercased()) { continue }
            if let colon = w.firstIndex(of: ":"), w.index(after: colon) < w.endIndex {
                let value = String(w[w.index(after: colon)...])
                switch w[..<colon].lowercased() {
                case "actor": actor = value; continue
                case "action": action = value; continue
                case "target": target = value; continue
                case "since": since = value; continue
                case "until": until = value; continue
                default: break
                }
            }
            words.append(w)
        }
    }

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
                        since: from.flatMap(ReportTime.seconds), until: to.flatMap(ReportTime.seconds), afterSeq: afterSeq,
                        words: words.compactMap(clean).map(CaseFold.folded))
    }

    struct Compiled {
        var actor: String?
        var action: String?
        var target: String?
        var since: Int?
        var until: Int?
        var afterSeq: Int?
        var words: [String] = []

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
            if !words.isEmpty {
                let fields = [String(e.seq), e.actor, e.realActor ?? "", e.role, e.action, e.target, e.caseId ?? "", e.detail, e.changesSummary]
                for w in words where !fields.contains(where: { CaseFold.contains($0, folded: w) }) { return false }
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
