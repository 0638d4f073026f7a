import Foundation

/// How a report is written out.
public enum ReportFormat: String, Sendable, CaseIterable {
    /// Aligned text for people.
    case text
    case json
    /// RFC 4180 CSV, one table: `section,metric,breakdown,value`.
    case csv
}

extension TransparencyReport {
    /// The report's exact bytes in `format`: what is printed, and what its audit event's SHA-256
    /// covers. Every string from the data was sanitised when the report was computed.
    public func rendered(_ format: ReportFormat) -> [UInt8] {
        switch format {
        case .text: return Array(textLines().joined(separator: "\n").utf8) + [0x0A]
        case .json: return json()
        case .csv: return csv()
        }
    }

    // MARK: JSON

    func json() -> [UInt8] {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return ((try? e.encode(self)).map { [UInt8]($0) } ?? Array("{}".utf8)) + [0x0A]
    }

    // MARK: CSV

    /// The report as one table a spreadsheet reads: `section,metric,breakdown,value`, a row per
    /// figure. `breakdown` is `all` or `dimension=value` (`kind=content`, `ground=tou-violation
    /// clause=4.2`); `value` is a number (empty for none: a median of nothing), except the
    /// report's own identification and the statements' sentences.
    func csv() -> [UInt8] {
        var out: [UInt8] = []
        func add(_ section: String, _ metric: String, _ breakdown: String, _ value: String) {
            RFC4180.record([section, metric, breakdown, value], into: &out)
        }
        func n(_ v: Int) -> String { String(v) }
        func d(_ v: Double?) -> String { ReportNumber.text(v) }
        add("section", "metric", "breakdown", "value")
        add("report", "period", "", period.label)
        add("report", "first_day", "", period.firstDay)
        add("report", "last_day", "", period.lastDay)
        add("report", "generated_at", "", generatedAt)
        add("report", "as_of", "", asOf)
        add("report", "store_seq", "", String(storeSeq))
        add("report", "audit_head_seq", "", n(auditHead.seq))
        add("report", "audit_head_hash", "", auditHead.hash)
        add("report", "audit_seq_first_in_period", "", auditSeqs.map { n($0.first) } ?? "")
        add("report", "audit_seq_last_in_period", "", auditSeqs.map { n($0.last) } ?? "")

        let ds = disclosures
        for (dimension, rows) in [("", [ds.all]), ("kind", ds.byKind), ("request_type", ds.byRequestType), ("ground", ds.byGround)] {
            for f in rows {
                let b = dimension.isEmpty ? "all" : "\(dimension)=\(f.name)"
                add("disclosures", "received", b, n(f.received))
                add("disclosures", "disclosed", b, n(f.disclosed))
                add("disclosures", "refused", b, n(f.refused))
                add("disclosures", "withdrawn", b, n(f.withdrawn))
                add("disclosures", "accounts_affected", b, n(f.accountsAffected))
                add("disclosures", "median_days_to_respond", b, d(f.medianDaysToRespond))
                add("disclosures", "responded", b, n(f.responded))
            }
        }
        add("disclosures", "notices_sent", "all", n(ds.noticesSent))
        add("disclosures", "notices_delayed_by_order", "all", n(ds.noticesDelayedByOrder))
        add("disclosures", "notices_exigent", "all", n(ds.noticesExigent))
        add("disclosures", "notices_not_yet_given", "all", n(ds.noticesNotYetGiven))
        add("disclosures", "preservation_requests", "all", n(ds.preservationRequests))

        for (i, f) in ([partnerShares.all] + partnerShares.byPartner).enumerated() {
            let b = i == 0 ? "all" : "partner=\(f.partner)"
            add("partner_shares", "exports", b, n(f.exports))
            add("partner_shares", "contact_points", b, n(f.contactPoints))
            add("partner_shares", "excluded_by_optouts", b, n(f.excludedByOptOuts))
            add("partner_shares", "accounts", b, n(f.accounts))
        }

        add("traffic", "disclosures", "all", n(traffic.disclosures))
        for p in traffic.byParty { add("traffic", "disclosures", "party=\(p.name)", n(p.count)) }

        let m = moderation
        add("moderation", "reports_filed", "all", n(m.reportsFiled))
        for t in m.byTrigger { add("moderation", "reports_filed", "trigger=\(t.name)", n(t.count)) }
        func decisions(_ f: DecisionFigures, _ b: String) {
            add("moderation", "blocked", b, n(f.blocked))
            add("moderation", "deleted", b, n(f.deleted))
            add("moderation", "dismissed", b, n(f.dismissed))
            add("moderation", "reinstated", b, n(f.reinstated))
        }
        decisions(m.decisions, "all")
        for g in m.byGround { decisions(g, "ground=\(g.name)") }
        for c in m.touByClause {
            // A dismissal names no ground, so no clause either.
            for (metric, v) in [("blocked", c.blocked), ("deleted", c.deleted), ("reinstated", c.reinstated)] {
                add("moderation", metric, "ground=tou-violation clause=\(c.name)", n(v))
            }
        }
        add("moderation", "median_hours_to_decision", "all", d(m.medianHoursToDecision))
        add("moderation", "first_decisions", "all", n(m.firstDecisions))
        add("moderation", "content_views", "all", n(m.contentViews))

        let o = optOuts
        add("optouts", "received", "all", n(o.received))
        add("optouts", "applied", "all", n(o.applied))
        add("optouts", "needs_info", "all", n(o.needsInfo))
        add("optouts", "pending", "all", n(o.pending))
        add("optouts", "rejected", "all", n(o.rejected))
        add("optouts", "median_hours_to_apply", "all", d(o.medianHoursToApply))
        add("optouts", "considered", "all", n(o.considered))
        add("optouts", "applied_within_48_hours", "all", n(o.appliedWithin48Hours))
        add("optouts", "share_within_48_hours_percent", "all", d(o.shareWithin48Hours))
        add("optouts", "applied_within_10_business_days", "all", n(o.appliedWithin10BusinessDays))
        add("optouts", "share_within_10_business_days_percent", "all", d(o.shareWithin10BusinessDays))
        add("optouts", "overdue_at_period_end", "all", n(o.overdueAtPeriodEnd))
        if let w = o.worstCase {
            add("optouts", "worst_case_days", "id=\(w.id) state=\(w.state.rawValue)", d(w.days))
        }
        for s in statements {
            add("statements", s.key, s.holds ? "holds" : "does-not-hold", s.text)
        }
        return out
    }

    // MARK: Text

    /// The widest line of the text form: it fits an 80-column terminal (and the console's body).
    public static let textWidth = 78

    /// Aligned text, at most ``textWidth`` columns: the identification, then one block per
    /// section. Names longer than their column (partners, parties, clauses) are cut with `…`
    /// here only; JSON and CSV carry them whole.
    func textLines() -> [String] {
        var out: [String] = []
        func para(_ text: String, indent: Int = 0) { out += Self.wrap(text, indent: indent) }
        para("TRANSPARENCY REPORT \(period.label): \(period.days) (UTC)")
        para("Generated \(generatedAt) from the store at seq \(storeSeq) (commits 1–\(storeSeq)) and the audit chain whose head is")
        out.append("  " + auditHead.description)
        para("(as 'lgadmin audit head' prints it: re-check it with 'lgadmin audit verify --anchor'). "
             + "Audit events in the period: " + (auditSeqs.map { "seq \($0.first)–\($0.last)" } ?? "none") + ".")
        if asOf < period.end {
            para("The period has not ended: figures \"at the period's end\" are as of \(asOf).")
        }
        para("Counts are exact; medians and shares are rounded once (days and hours to 2 decimals, percent to 1).")

        let ds = disclosures
        out.append("")
        out.append("DISCLOSURES of content and of personal and account information")
        para("Preservation requests are tracked, not counted; partner shares and traffic profiles follow. "
             + "Received in the period, and answered in it (disclosed, refused, withdrawn):", indent: 2)
        let groups: [(String?, [DisclosureFigures])] = [(nil, [ds.all]), ("by kind", ds.byKind), ("by request type", ds.byRequestType),
                                                       ("by ground", ds.byGround)]
        func rows(_ cells: (DisclosureFigures) -> [String]) -> [[String]] {
            var out: [[String]] = []
            for (heading, list) in groups {
                if let heading { out.append([heading]) }
                for f in list { out.append([(heading == nil ? "" : "  ") + f.name] + cells(f)) }
            }
            return out
        }
        out += Self.table(["", "RECEIVED", "DISCLOSED", "REFUSED", "WITHDRAWN"],
                          rows { [String($0.received), String($0.disclosed), String($0.refused), String($0.withdrawn)] })
        out.append("")
        para("Accounts whose information was disclosed, and the median days from receipt to the answer (release or refusal) "
             + "over the requests answered in the period:", indent: 2)
        out += Self.table(["", "ACCOUNTS", "ANSWERED", "MEDIAN DAYS"],
                          rows { [String($0.accountsAffected), String($0.responded), ReportNumber.text($0.medianDaysToRespond).ifEmpty("—")] })
        out.append("")
        para("Notices to customers: \(ds.noticesSent) sent in the period; of the disclosures released in it, "
             + "\(ds.noticesDelayedByOrder) delayed by court order, \(ds.noticesExigent) exigent, \(ds.noticesNotYetGiven) not yet given.", indent: 2)
        para("Preservation requests received: \(ds.preservationRequests) (tracked; not disclosures).", indent: 2)

        let ps = partnerShares
        out.append("")
        out.append("PARTNER SHARES (every partner-offers export)")
        para("Opted out: contact points left out because they opted out of partner offers.", indent: 2)
        out += Self.table(["PARTNER", "EXPORTS", "CONTACT POINTS", "OPTED OUT", "ACCOUNTS"],
                          ([ps.all] + ps.byPartner).enumerated().map { i, f in
                              [i == 0 ? "all" : Self.cut(f.partner, 28), String(f.exports), String(f.contactPoints), String(f.excludedByOptOuts),
                               String(f.accounts)]
                          })

        out.append("")
        out.append("TRAFFIC PROFILES (aggregate only)")
        para("\(traffic.disclosures) traffic-aggregate disclosure\(traffic.disclosures == 1 ? "" : "s") in the period.", indent: 2)
        if !traffic.byParty.isEmpty {
            out += Self.table(["PARTY", "DISCLOSURES"], traffic.byParty.map { [Self.cut($0.name, 50), String($0.count)] })
        }

        let m = moderation
        out.append("")
        out.append("MODERATION")
        out += Self.table(["TRIGGER", "REPORTS FILED"], [["all", String(m.reportsFiled)]] + m.byTrigger.map { [$0.name, String($0.count)] })
        out.append("")
        out += Self.table(["DECISIONS BY GROUND", "BLOCKED", "DELETED", "DISMISSED", "REINSTATED"],
                          ([m.decisions] + m.byGround).map { [$0.name, String($0.blocked), String($0.deleted), String($0.dismissed), String($0.reinstated)] })
        if !m.touByClause.isEmpty {
            out.append("")
            out += Self.table(["TOU-VIOLATION CLAUSE", "BLOCKED", "DELETED", "REINSTATED"],
                              m.touByClause.map { [Self.cut($0.name, 30), String($0.blocked), String($0.deleted), String($0.reinstated)] })
        }
        para("Median hours from a report to its first decision: \(ReportNumber.text(m.medianHoursToDecision).ifEmpty("—")) "
             + "(over \(m.firstDecisions) report\(m.firstDecisions == 1 ? "" : "s") first decided in the period).", indent: 2)
        para("Communication content viewed through a case: \(m.contentViews) time\(m.contentViews == 1 ? "" : "s").", indent: 2)

        let o = optOuts
        out.append("")
        out.append("OPT-OUTS (requests received in the period, as they stand)")
        func share(_ part: Int, _ pct: Double?) -> String {
            "\(part) of \(o.considered)" + (pct.map { " (\(ReportNumber.text($0))%)" } ?? "")
        }
        var optRows: [[String]] = [
            ["received", String(o.received)], ["applied", String(o.applied)], ["needs-info", String(o.needsInfo)],
            ["pending", String(o.pending)], ["rejected", String(o.rejected)],
            ["median hours to apply", ReportNumber.text(o.medianHoursToApply).ifEmpty("—")],
            ["applied within 48 hours", share(o.appliedWithin48Hours, o.shareWithin48Hours)],
            ["applied within 10 business days", share(o.appliedWithin10BusinessDays, o.shareWithin10BusinessDays)],
            ["overdue at the period's end", String(o.overdueAtPeriodEnd)],
        ]
        if let w = o.worstCase {
            optRows.append(["worst case", "\(w.id): \(ReportNumber.text(w.days)) days, \(w.state.rawValue)"])
            optRows.append(["  within 10 business days", w.withinTenBusinessDays ? "yes" : "no"])
        }
        out += Self.table(["", ""], optRows, header: false, alignRight: false)
        para("(The shares are of the requests received, less those rejected.)", indent: 2)

        out.append("")
        out.append("STATEMENTS (derived from the data)")
        for s in statements { out += Self.wrap(s.text, indent: 4, first: "  - ") }
        return out
    }

    /// `text` wrapped at word boundaries to ``textWidth`` columns, each line indented by
    /// `indent` (the first by `first`, when given). A word longer than a line stands alone.
    static func wrap(_ text: String, indent: Int = 0, first: String? = nil) -> [String] {
        let pad = String(repeating: " ", count: indent)
        var lines: [String] = []
        var line = first ?? pad
        var empty = true
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            let w = String(word)
            if !empty, TerminalText.width(line) + 1 + TerminalText.width(w) > textWidth {
                lines.append(line)
                line = pad
                empty = true
            }
            line += (empty ? "" : " ") + w
            empty = false
        }
        lines.append(line)
        return lines
    }

    /// `s` cut to `width` columns with `…` (text form only).
    static func cut(_ s: String, _ width: Int) -> String { TerminalText.truncate(s, toWidth: width) }

    /// Rows aligned under their titles: the first column to the left, the others to the right
    /// (or all to the left); two spaces between columns, indented by two.
    static func table(_ titles: [String], _ rows: [[String]], header: Bool = true, alignRight: Bool = true) -> [String] {
        let all = (header ? [titles] : []) + rows
        var widths = Array(repeating: 0, count: titles.count)
        for r in all { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], TerminalText.width(c)) } }
        return all.map { r in
            var cells: [String] = []
            for (i, c) in r.enumerated() where i < widths.count {
                cells.append(TerminalText.pad(c, toWidth: widths[i], alignRight: alignRight && i > 0))
            }
            var line = "  " + cells.joined(separator: "  ")
            while line.last == " " { line.removeLast() }
            return line
        }
    }
}

extension String {
    func ifEmpty(_ other: String) -> String { isEmpty ? other : self }
}
