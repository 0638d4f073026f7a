import PrivacyOps

/// How disclosures look: columns, cells (what a row waits for and its marks in words:
/// `OVERDUE`, `NOTICE DUE`, `DELAY RUN OUT`, never colour alone) and the detail with the whole
/// history.
enum DisclosuresRender {
    static func columns(wide: Bool) -> [TableColumn] {
        if wide {
            return [
                TableColumn("ID", minWidth: 7), TableColumn("Received", minWidth: 10), TableColumn("Due", minWidth: 10),
                TableColumn("State", minWidth: 9), TableColumn("Waits for", minWidth: 9), TableColumn("Flag", minWidth: 13),
                TableColumn("Kind", minWidth: 13), TableColumn("Ground", minWidth: 27), TableColumn("Request", minWidth: 18),
                TableColumn("Requester", minWidth: 20, flex: 1), TableColumn("Notice", minWidth: 16),
            ]
        }
        return [
            TableColumn("ID", minWidth: 7), TableColumn("Due", minWidth: 10), TableColumn("State", minWidth: 9),
            TableColumn("Waits for", minWidth: 9), TableColumn("Flag", minWidth: 13), TableColumn("Ground", minWidth: 12, flex: 1),
        ]
    }

    /// The flag cell: the marks other than what the row waits for, most urgent first.
    static func flagText(_ f: DisclosureFlags?) -> String {
        guard let f else { return "" }
        return f.words.filter { !$0.hasPrefix("AWAITS") }.joined(separator: "+")
    }

    static func cells(_ d: Disclosure, flags: DisclosureFlags?, wide: Bool) -> [String] {
        let waits = flags?.awaiting ?? ""
        if wide {
            return [d.id, Format.date(d.receivedAt), Format.date(d.dueAt), d.state.rawValue, waits, flagText(flags), d.kind.rawValue,
                    d.ground.rawValue, d.requestType.rawValue, d.requester, d.noticeState.rawValue]
        }
        return [d.id, Format.date(d.dueAt), d.state.rawValue, waits, flagText(flags), d.ground.rawValue]
    }

    static func title(_ d: Disclosure) -> String {
        "Disclosure \(d.id) · \(d.kind.rawValue) · \(TerminalText.sanitize(d.requester))"
    }

    /// An action the detail lists, with whether it is available and why not.
    struct ActionLine {
        var key: String
        var label: String
        var refusal: String?
    }

    /// The detail: where it stands, the request, the decision, the notice, the manifest, what
    /// the user may do now (greyed with the reason when not) and the whole history.
    static func detail(_ detail: DisclosureDetail, actions: [ActionLine], width: Int) -> [StyledLine] {
        let d = detail.disclosure
        let f = detail.flags
        var lines: [StyledLine] = []
        var state = d.state.rawValue
        if let awaiting = f.awaiting { state += " · AWAITS \(awaiting.uppercased())" }
        if f.overdue { state += " · OVERDUE: was due \(Format.fullTime(d.dueAt))" } else if d.state.isOpen { state += " · due \(Format.fullTime(d.dueAt))" }
        lines += Format.field("State", state, width: width, style: f.overdue ? .overdue : .normal)
        lines += Format.field("Kind", "\(d.kind.rawValue): \(d.kind.label)", width: width)
        lines += Format.field("Ground", "\(d.ground.rawValue): \(d.ground.label)", width: width)

        lines += Format.heading("The request")
        lines += Format.field("Requester", "\(d.requester) (\(d.requesterType.rawValue))", width: width)
        var request = d.requestType.rawValue
        if !d.isCountedAsDisclosure { request += " (tracked; not counted as a disclosure)" }
        lines += Format.field("Request", request, width: width)
        lines += Format.field("Reference", d.reference, width: width)
        lines += Format.field("Received", Format.fullTime(d.receivedAt), width: width)
        lines += Format.field("Due", Format.fullTime(d.dueAt), width: width)
        lines += Format.field("Customers", d.customerIds.joined(separator: ", "), width: width)
        lines += Format.field("Messages", d.communicationIds.joined(separator: ", "), width: width)
        if d.ground == .lawEnforcementInadvertent || d.caseId != nil {
            lines += Format.field("Seen in", d.caseId.map { "report \($0)" }, width: width)
        }
        lines += Format.field("Categories", d.dataCategories.map(\.rawValue).joined(separator: ", "), width: width)
        if let n = d.contactPoints {
            lines += Format.field("Shared", "\(Format.count(n, "contact point")) of \(Format.count(d.accountsAffected ?? 0, "account")); \(Format.count(d.excludedByOptOuts ?? 0, "contact point")) excluded by opt-outs", width: width)
        }
        lines += Format.field("Note", d.note, width: width)

        lines += Format.heading("Decision")
        lines += Format.field("Recorded", "\(d.recordedBy) at \(Format.fullTime(d.recordedAt))", width: width)
        if let by = d.updatedBy { lines += Format.field("Edited", "\(by) at \(Format.fullTime(d.updatedAt)) (the approval was cleared)", width: width) }
        if d.kind.needsApproval {
            lines += Format.field("Approved", d.approvedBy.map { "\($0) at \(Format.fullTime(d.approvedAt))" } ?? "not yet: an admin other than \(d.recordedBy) must approve", width: width)
        }
        if let at = d.releasedAt {
            lines += Format.field("Released", "\(d.releasedBy ?? "?") at \(Format.fullTime(at)), outcome \(d.outcome?.rawValue ?? "—")", width: width)
        }
        if let reason = d.reason {
            lines += Format.field(d.state == .refused ? "Refused" : "Withdrawn", "\(reason) (\(d.decidedBy ?? "?") at \(Format.fullTime(d.decidedAt)))", width: width)
        }

        lines += Format.heading("Notice to the customer")
        var notice = d.noticeState.rawValue
        switch d.noticeState {
        case .delayedByOrder:
            notice += " until \(Format.fullTime(d.noticeDelayUntil)) by order \(d.noticeOrderRef ?? "?")"
            if f.delayRunOut { notice += " · DELAY RUN OUT: tell the customer now" }
        case .notified:
            notice += " at \(Format.fullTime(d.notifiedAt)) by \(d.noticeMethod?.rawValue ?? "?")"
        case .due where f.noticeDue:
            notice += " · NOTICE DUE: tell the customer now"
        case .due:
            notice += " once released"
        default:
            break
        }
        lines += Format.field("Notice", notice, width: width, style: f.noticeDue ? .overdue : .normal)

        if !d.manifest.isEmpty {
            lines += Format.heading("Manifest (what was released: ids and hashes, never a copy)")
            for item in d.manifest {
                lines.append(StyledLine("  " + Format.columns([item.id, Format.bytes(item.size), item.sha256],
                                                              widths: [18, 12, max(10, width - 2 - 18 - 12 - 4)])))
            }
        }

        lines += Format.heading("What you may do")
        for a in actions {
            if let why = a.refusal {
                lines += Format.wrapped("\(a.key)  \(a.label): not available (\(why))", indent: 2, width: width, style: .dim)
            } else {
                lines += Format.wrapped("\(a.key)  \(a.label)", indent: 2, width: width)
            }
        }

        lines += Format.heading("History (the audit trail of this case, oldest first)")
        if detail.history.isEmpty { lines.append(StyledLine("  (no events)", style: .dim)) }
        for e in detail.history {
            lines.append(StyledLine("  " + Format.columns([String(e.seq), Format.dateTime(e.at), e.actor, e.action],
                                                          widths: [6, 16, 12, max(10, width - 2 - 6 - 16 - 12 - 6)])))
            lines += Format.wrapped(e.detail, indent: 10, width: width, style: .dim)
        }
        return lines
    }
}
