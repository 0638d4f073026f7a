import Foundation

extension TransparencyReport {
    /// Computes the report for `period` from the store view `v` alone, as of `now` (the time
    /// of generation). A pure function of its arguments: the same view, period and time give
    /// the same report.
    ///
    /// What is counted where (all times UTC, a time in the period when `start ≤ t < end`):
    /// - disclosures (content and account, not preservation requests): received by
    ///   `received_at`, disclosed by `released_at`, refused and withdrawn by `decided_at`;
    ///   accounts affected are the distinct customers of those disclosed; the median days to
    ///   respond runs from receipt to release or refusal, over those answered in the period;
    ///   notices sent by `notified_at`; delayed, exigent and not yet given over those disclosed
    ///   in the period, as the store stands;
    /// - partner shares and traffic profiles by `released_at`;
    /// - moderation: reports by `filed_at`; decisions by the time in the report's history,
    ///   each with the ground it was taken on (a block later turned into a deletion keeps its
    ///   own ground, read from its audit event); the median hours run from filing to the
    ///   report's first decision, over reports first decided in the period; content views from
    ///   the audit trail;
    /// - opt-outs: the requests received in the period, in their state now; durations from
    ///   receipt to application; the 10 business days by ``BusinessDays`` (the rule that sets
    ///   `due_at`); the share over the requests not rejected; overdue at ``asOf``, whenever
    ///   received; the worst case is the longest wait (an open request waits until `now`).
    static func compute(from v: any StoreSnapshot, period: ReportPeriod, now: Date) throws -> TransparencyReport {
        let nowSeconds = Int(now.timeIntervalSince1970)
        let nowStamp = ReportTime.stamp(nowSeconds)
        let asOf = min(period.end, nowStamp)
        let disclosures = try v.all(Collections.disclosures).sorted { $0.id < $1.id }
        let reports = try v.all(Collections.reports).sorted { $0.id < $1.id }
        let optouts = try v.all(Collections.optouts).sorted { $0.id < $1.id }
        let events = try v.all(Collections.audit)
        let replay = AuditReplay.run(events: events, reports: Dictionary(reports.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }),
                                     disclosures: Dictionary(disclosures.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }),
                                     users: try v.all(Collections.users))
        let inPeriod = events.filter { period.contains($0.at) }
        let seqs = inPeriod.isEmpty ? nil : SeqRange(first: inPeriod.map(\.seq).min() ?? 0, last: inPeriod.map(\.seq).max() ?? 0)

        let moderation = moderationSection(reports, events: events, replay: replay, period: period)
        var report = TransparencyReport(
            period: period, generatedAt: nowStamp, asOf: asOf, storeSeq: v.seq, auditHead: try AuditChain.head(v), auditSeqs: seqs,
            disclosures: disclosureSection(disclosures, period: period), partnerShares: partnerSection(disclosures, period: period),
            traffic: trafficSection(disclosures, period: period), moderation: moderation.section,
            optOuts: optOutSection(optouts, period: period, asOf: asOf, nowSeconds: nowSeconds), statements: [])
        report.statements = statements(disclosures: disclosures, reports: reports, optouts: optouts, events: events, replay: replay,
                                       decisions: moderation.decisions, period: period, nowSeconds: nowSeconds)
        return report
    }

    // MARK: Disclosures

    /// Content and account disclosures that count as disclosures (not preservation requests).
    static func counted(_ all: [Disclosure]) -> [Disclosure] {
        all.filter { $0.kind.needsApproval && $0.isCountedAsDisclosure }
    }

    static func released(_ d: Disclosure, in period: ReportPeriod) -> Bool {
        d.state == .released && period.contains(d.releasedAt)
    }

    static func figures(_ name: String, _ list: [Disclosure], period: ReportPeriod) -> DisclosureFigures {
        var f = DisclosureFigures(name: name)
        var durations: [Int] = []
        var customers = Set<String>()
        for d in list {
            if period.contains(d.receivedAt) { f.received += 1 }
            if released(d, in: period) {
                f.disclosed += 1
                customers.formUnion(d.customerIds)
                if let s = ReportTime.between(d.receivedAt, d.releasedAt) { durations.append(s) }
            }
            if d.state == .refused, period.contains(d.decidedAt) {
                f.refused += 1
                if let s = ReportTime.between(d.receivedAt, d.decidedAt) { durations.append(s) }
            }
            if d.state == .withdrawn, period.contains(d.decidedAt) { f.withdrawn += 1 }
        }
        f.accountsAffected = customers.count
        f.responded = durations.count
        f.medianDaysToRespond = ReportNumber.scaled(Median.of(durations), per: 86_400)
        return f
    }

    static func disclosureSection(_ all: [Disclosure], period: ReportPeriod) -> DisclosureSection {
        let list = counted(all)
        var s = DisclosureSection(
            all: figures("all", list, period: period),
            byKind: DisclosureKind.allCases.filter(\.needsApproval).map { k in figures(k.rawValue, list.filter { $0.kind == k }, period: period) },
            byRequestType: DisclosureRequestType.allCases.filter(\.isDisclosure).map { t in figures(t.rawValue, list.filter { $0.requestType == t }, period: period) },
            byGround: DisclosureGround.allCases.filter(\.kind.needsApproval).map { g in figures(g.rawValue, list.filter { $0.ground == g }, period: period) })
        for d in list {
            if period.contains(d.notifiedAt) { s.noticesSent += 1 }
            guard released(d, in: period) else { continue }
            switch d.noticeState {
            case .delayedByOrder: s.noticesDelayedByOrder += 1
            case .exigent: s.noticesExigent += 1
            case .due: s.noticesNotYetGiven += 1
            case .notified, .notRequired: break
            }
        }
        s.preservationRequests = all.filter { $0.kind.needsApproval && !$0.isCountedAsDisclosure && period.contains($0.receivedAt) }.count
        return s
    }

    // MARK: Partner shares and traffic profiles

    static func partnerSection(_ all: [Disclosure], period: ReportPeriod) -> PartnerShareSection {
        var total = PartnerFigures(partner: "all")
        var by: [String: PartnerFigures] = [:]
        for d in all where d.kind == .partnerShare && period.contains(d.releasedAt ?? d.recordedAt) {
            let name = TerminalText.sanitize(d.requester)
            var f = by[name] ?? PartnerFigures(partner: name)
            for i in 0..<2 {
                var t = i == 0 ? f : total
                t.exports += 1
                t.contactPoints += d.contactPoints ?? 0
                t.excludedByOptOuts += d.excludedByOptOuts ?? 0
                t.accounts += d.accountsAffected ?? 0
                if i == 0 { f = t } else { total = t }
            }
            by[name] = f
        }
        return PartnerShareSection(all: total, byPartner: by.values.sorted { $0.partner < $1.partner })
    }

    static func trafficSection(_ all: [Disclosure], period: ReportPeriod) -> TrafficSection {
        var by: [String: Int] = [:]
        var s = TrafficSection()
        for d in all where d.kind == .trafficAggregate && period.contains(d.releasedAt ?? d.recordedAt) {
            s.disclosures += 1
            by[TerminalText.sanitize(d.requester), default: 0] += 1
        }
        s.byParty = by.map { NamedCount(name: $0.key, count: $0.value) }.sorted { $0.name < $1.name }
        return s
    }

    // MARK: Moderation

    /// One moderation decision: which report, what, when, on which ground and clause.
    struct Decision {
        var report: String
        var action: String
        var at: String
        var ground: ModerationGround?
        var clause: String?
    }

    static let decisionActions: Set<String> = ["blocked", "deleted", "dismissed", "reinstated"]

    static func moderationSection(_ reports: [Report], events: [AuditEvent], replay: AuditReplay,
                                  period: ReportPeriod) -> (section: ModerationSection, decisions: [Decision]) {
        var blockEvents: [String: AuditEvent] = [:]
        for e in events where e.action == Action.moderationBlock.rawValue {
            if let c = e.caseId, blockEvents[c] == nil { blockEvents[c] = e }
        }
        var filed: [ReportTrigger: Int] = [:]
        var s = ModerationSection(byTrigger: [], decisions: DecisionFigures(name: "all"), byGround: [], touByClause: [])
        var decisions: [Decision] = []
        var toFirst: [Int] = []
        for r in reports {
            if period.contains(r.filedAt) {
                filed[r.trigger, default: 0] += 1
                s.reportsFiled += 1
            }
            let taken = r.history.filter { decisionActions.contains($0.action) }
            let laterDeleted = taken.contains { $0.action == "deleted" }
            for (i, h) in taken.enumerated() {
                if i == 0, h.action != "reinstated", period.contains(h.at), let secs = ReportTime.between(r.filedAt, h.at) {
                    toFirst.append(secs)
                }
                guard period.contains(h.at) else { continue }
                var d = Decision(report: r.id, action: h.action, at: h.at, ground: r.ground, clause: r.clause)
                if h.action == "dismissed" {
                    d.ground = nil
                    d.clause = nil
                } else if h.action == "blocked", laterDeleted {
                    // The record keeps the deletion's ground: the block's own is in its event.
                    let own = blockEvents[r.id].flatMap { blockGround($0.detail, note: h.note) }
                    d.ground = own?.ground
                    d.clause = own?.clause
                }
                decisions.append(d)
            }
        }
        s.byTrigger = ReportTrigger.allCases.map { NamedCount(name: $0.rawValue, count: filed[$0] ?? 0) }
        func add(_ f: inout DecisionFigures, _ action: String) {
            switch action {
            case "blocked": f.blocked += 1
            case "deleted": f.deleted += 1
            case "dismissed": f.dismissed += 1
            default: f.reinstated += 1
            }
        }
        var byGround: [String: DecisionFigures] = [:]
        var byClause: [String: DecisionFigures] = [:]
        for d in decisions {
            add(&s.decisions, d.action)
            let g = d.ground?.rawValue ?? (d.action == "dismissed" ? "none" : "unknown")
            add(&byGround[g, default: DecisionFigures(name: g)], d.action)
            if d.ground == .touViolation {
                let c = TerminalText.sanitize(d.clause ?? "(no clause)")
                add(&byClause[c, default: DecisionFigures(name: c)], d.action)
            }
        }
        var names = ModerationGround.allCases.map(\.rawValue) + ["none"]
        if byGround["unknown"] != nil { names.append("unknown") }
        s.byGround = names.map { byGround[$0] ?? DecisionFigures(name: $0) }
        s.touByClause = byClause.values.sorted { $0.name < $1.name }
        s.firstDecisions = toFirst.count
        s.medianHoursToDecision = ReportNumber.scaled(Median.of(toFirst), per: 3600)
        s.contentViews = replay.views.filter { period.contains($0.at) }.count
        return (s, decisions)
    }

    /// The ground and clause of a block from its audit detail, `blocked (GROUND[ CLAUSE]): NOTE`,
    /// where NOTE is the note of the report's history for that block.
    static func blockGround(_ detail: String, note: String?) -> (ground: ModerationGround, clause: String?)? {
        let prefix = "blocked ("
        let suffix = "): " + (note ?? "")
        guard detail.hasPrefix(prefix), detail.hasSuffix(suffix), detail.count >= prefix.count + suffix.count else { return nil }
        let inner = String(detail.dropFirst(prefix.count).dropLast(suffix.count))
        for g in ModerationGround.allCases {
            if inner == g.rawValue { return (g, nil) }
            if inner.hasPrefix(g.rawValue + " ") { return (g, String(inner.dropFirst(g.rawValue.count + 1))) }
        }
        return nil
    }

    // MARK: Opt-outs

    /// The end of the 10 business days a request received at `received` (seconds) has.
    static func deadline(_ received: Int) -> Int {
        Int(BusinessDays.add(PrivacyOps.optOutBusinessDays, to: Date(timeIntervalSince1970: TimeInterval(received))).timeIntervalSince1970)
    }

    static func optOutSection(_ all: [OptOutRequest], period: ReportPeriod, asOf: String, nowSeconds: Int) -> OptOutSection {
        var s = OptOutSection()
        var toApply: [Int] = []
        var worst: (wait: Int, id: String, r: OptOutRequest, within: Bool)?
        for r in all where period.contains(r.receivedAt) {
            s.received += 1
            switch r.state {
            case .applied: s.applied += 1
            case .needsInfo: s.needsInfo += 1
            case .pending: s.pending += 1
            case .rejected: s.rejected += 1
            }
            guard r.state != .rejected, let received = ReportTime.seconds(r.receivedAt) else { continue }
            let end = deadline(received)
            let wait: Int
            let within: Bool
            if r.state == .applied, let decided = ReportTime.seconds(r.decidedAt) {
                wait = decided - received
                within = decided <= end
                toApply.append(wait)
                if wait <= 48 * 3600 { s.appliedWithin48Hours += 1 }
                if within { s.appliedWithin10BusinessDays += 1 }
            } else {
                wait = nowSeconds - received
                within = nowSeconds <= end
            }
            if worst.map({ wait > $0.wait || (wait == $0.wait && r.id < $0.id) }) ?? true { worst = (wait, r.id, r, within) }
        }
        s.considered = s.received - s.rejected
        s.medianHoursToApply = ReportNumber.scaled(Median.of(toApply), per: 3600)
        s.shareWithin48Hours = ReportNumber.percent(s.appliedWithin48Hours, of: s.considered)
        s.shareWithin10BusinessDays = ReportNumber.percent(s.appliedWithin10BusinessDays, of: s.considered)
        if let w = worst {
            s.worstCase = OptOutWorstCase(id: w.id, state: w.r.state, days: ReportNumber.scaled(Double(w.wait), per: 86_400) ?? 0,
                                          withinTenBusinessDays: w.within)
        }
        // Open at the period's end and past due: received before it, not closed by then.
        if let cut = ReportTime.seconds(asOf) {
            for r in all {
                guard let received = ReportTime.seconds(r.receivedAt), received < cut, deadline(received) < cut else { continue }
                let closedBy = (r.state == .applied || r.state == .rejected) ? ReportTime.seconds(r.decidedAt) : nil
                if closedBy.map({ $0 > cut }) ?? true { s.overdueAtPeriodEnd += 1 }
            }
        }
        return s
    }

    // MARK: Statements

    /// How many ids a statement's sentence names (``ReportStatement/ids`` holds them all).
    static let idsInSentence = 20

    static func statement(_ key: String, ids: [String], holds: String, not: (String) -> String) -> ReportStatement {
        if ids.isEmpty { return ReportStatement(key: key, holds: true, text: holds, ids: []) }
        var named = ids.prefix(idsInSentence).joined(separator: ", ")
        if ids.count > idsInSentence { named += " and \(ids.count - idsInSentence) more" }
        return ReportStatement(key: key, holds: false, text: not(named), ids: ids)
    }

    static func statements(disclosures: [Disclosure], reports: [Report], optouts: [OptOutRequest], events: [AuditEvent],
                           replay: AuditReplay, decisions: [Decision], period: ReportPeriod, nowSeconds: Int) -> [ReportStatement] {
        var out: [ReportStatement] = []
        let approvals = PolicyChecks.approvals(events)
        for kind in [DisclosureKind.content, .account] {
            // As the table counts them: preservation requests are not disclosures (the policy check covers them too).
            let released = counted(disclosures).filter { $0.kind == kind && Self.released($0, in: period) }
            let bad = released.filter { PolicyChecks.approvalProblem($0, approvals: approvals) != nil }.map(\.id)
            let what = kind == .content ? "content" : "personal or account information"
            out.append(statement(kind == .content ? "content_second_approver" : "account_second_approver", ids: bad,
                                 holds: "No \(what) was disclosed without a second approver (\(PolicyChecks.things(released.count, "\(kind.rawValue) disclosure")) released).",
                                 not: { "\(kind == .content ? "Content" : "Personal or account information") was disclosed without a second admin's approval: \($0)." }))
        }
        let reportIDs = Set(reports.map(\.id))
        let touched = disclosures.filter { period.contains($0.receivedAt) || period.contains($0.releasedAt) }
        out.append(statement("valid_grounds", ids: touched.filter { PolicyChecks.groundProblem($0, reports: reportIDs) != nil }.map(\.id),
                             holds: "Every disclosure received or released in the period named one of the policy's grounds for its kind, with what that ground needs.",
                             not: { "Disclosures named no valid ground, or lacked what their ground needs: \($0)." }))
        let views = replay.views.filter { period.contains($0.at) }
        let badViews = replay.viewProblems.filter { period.contains($0.event.at) }.map(\.event.id)
        out.append(statement("content_views_in_case", ids: badViews,
                             holds: views.isEmpty ? "No communication content was viewed in the period."
                                : "Communication content was viewed \(PolicyChecks.things(views.count, "time")), each through an open case, by an admin or moderator.",
                             not: { "Content was viewed outside an open case, or by a role that may not see content (audit events): \($0)." }))
        let unfounded = decisions.filter { ($0.action == "blocked" || $0.action == "deleted")
            && ($0.ground == nil || ($0.ground == .touViolation && ($0.clause ?? "").trimmingCharacters(in: .whitespaces).isEmpty)) }
        var seen = Set<String>()
        out.append(statement("moderation_grounds", ids: unfounded.map(\.report).filter { seen.insert($0).inserted },
                             holds: "Every block and deletion in the period named a ground (and the clause, for Terms of Use violations).",
                             not: { "Blocks or deletions named no ground (or no clause for a Terms of Use violation): \($0)." }))
        let late = optouts.filter { r in
            guard period.contains(r.receivedAt), r.state != .rejected, let received = ReportTime.seconds(r.receivedAt) else { return false }
            let end = deadline(received)
            if r.state == .applied, let decided = ReportTime.seconds(r.decidedAt) { return decided > end }
            return nowSeconds > end
        }.map(\.id)
        out.append(statement("optouts_within_10_business_days", ids: late,
                             holds: "Every opt-out request received in the period was applied within 10 business days, or is still within them.",
                             not: { "Opt-out requests received in the period were not applied within 10 business days: \($0)." }))
        let untold = counted(disclosures).filter { released($0, in: period) && $0.noticeState == .due
            || released($0, in: period) && DisclosureRules.isDelayRunOut($0, now: ReportTime.stamp(nowSeconds)) }.map(\.id)
        out.append(statement("customers_told", ids: untold,
                             holds: "Every customer whose information was disclosed in the period has been told, or the notice is delayed by a court order or an emergency.",
                             not: { "The customers of these disclosures in the period have not been told yet: \($0)." }))
        return out
    }
}
