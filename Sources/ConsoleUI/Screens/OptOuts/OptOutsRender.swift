import PrivacyOps

/// How opt-out requests look: columns, cells (with a textual OVERDUE marker, so it never
/// rests on colour alone) and the detail text.
enum OptOutsRender {
    /// The marker in the flag column and the detail.
    static let overdueMarker = "OVERDUE"

    static func columns(wide: Bool) -> [TableColumn] {
        if wide {
            return [
                TableColumn("ID", minWidth: 7), TableColumn("Received", minWidth: 16), TableColumn("Due", minWidth: 16),
                TableColumn("State", minWidth: 10), TableColumn("Flag", minWidth: 7), TableColumn("Channel", minWidth: 7),
                TableColumn("Contact", minWidth: 20, flex: 3), TableColumn("Scopes", minWidth: 16, flex: 2),
                TableColumn("Name", minWidth: 12, flex: 1), TableColumn("Source", minWidth: 12),
                TableColumn("Matches", minWidth: 7, alignment: .right),
            ]
        }
        return [
            TableColumn("ID", minWidth: 7), TableColumn("Due", minWidth: 10), TableColumn("State", minWidth: 10),
            TableColumn("Flag", minWidth: 7), TableColumn("Contact", minWidth: 16, flex: 1),
            TableColumn("Match", minWidth: 5, alignment: .right),
        ]
    }

    /// The table column each sort key is shown on, for the layout.
    static func column(of key: OptOutSortKey, wide: Bool) -> Int? {
        switch (key, wide) {
        case (.id, _): return 0
        case (.received, true): return 1
        case (.received, false): return nil
        case (.due, true): return 2
        case (.due, false): return 1
        case (.state, true): return 3
        case (.state, false): return 2
        case (.contact, true): return 6
        case (.contact, false): return 4
        case (.matches, true): return 10
        case (.matches, false): return 5
        }
    }

    static func cells(_ r: OptOutRequest, overdue: Bool, wide: Bool) -> [String] {
        let flag = overdue ? overdueMarker : ""
        let matches = String(r.matches.count)
        if wide {
            return [r.id, Format.dateTime(r.receivedAt), Format.dateTime(r.dueAt), r.state.rawValue, flag, r.channel.rawValue,
                    r.contact, Format.scopes(r.scopes), r.name ?? "", r.source, matches]
        }
        return [r.id, Format.date(r.dueAt), r.state.rawValue, flag, r.contact, matches]
    }

    static func title(_ r: OptOutRequest) -> String {
        "Opt-out \(r.id) · \(TerminalText.sanitize(r.contact))"
    }

    /// The detail: state and deadline, what the customer submitted, the customers holding
    /// exactly that contact point now, what is already suppressed, and the decision.
    static func detail(_ d: OptOutDetail, width: Int) -> [StyledLine] {
        let r = d.request
        var lines: [StyledLine] = []
        let state = d.overdue ? "\(r.state.rawValue) · \(overdueMarker): was due \(Format.fullTime(r.dueAt))" : "\(r.state.rawValue) · due \(Format.fullTime(r.dueAt))"
        lines += Format.field("State", state, width: width, style: d.overdue ? .overdue : .normal)
        lines += Format.field("Received", "\(Format.fullTime(r.receivedAt)) from \(r.source)", width: width)

        lines += Format.heading("What the customer submitted")
        lines += Format.field("Contact", r.contact, width: width)
        lines += Format.field("Channel", "\(r.channel.rawValue) (matched exactly as \(r.normalized))", width: width)
        lines += Format.field("Scopes", Format.scopes(r.scopes), width: width)
        lines += Format.field("Name", r.name, width: width)
        lines += Format.field("Message", r.message, width: width)
        if let file = r.spoolFile { lines += Format.field("Form file", file, width: width) }

        lines += Format.heading("Matching contact points (exact, as the store holds them now)")
        if d.matchingCustomers.isEmpty {
            let tail = r.isOpen ? " Applying suppresses it anyway." : ""
            lines.append(StyledLine("  No customer holds exactly this contact point." + tail, style: .warning))
        }
        let nameWidth = max(12, min(30, width - 2 - 8 - 2 - 10 - 2 - 30))
        for c in d.matchingCustomers {
            let point = c.contactPoints.first { $0 == r.contactPoint }.map { c.written($0) } ?? r.normalized
            lines.append(StyledLine("  " + Format.columns([c.id, c.name, c.status.rawValue, "\(r.channel.rawValue) \(point)"],
                                                          widths: [8, nameWidth, 10, max(10, width - 2 - 8 - nameWidth - 10 - 6)])))
        }
        lines += Format.field("Suppressed", d.suppressed.isEmpty ? "nothing for this contact point yet" : Format.scopes(d.suppressed) + " (for this contact point, now)", width: width)

        lines += Format.heading("Decision")
        if let by = r.decidedBy {
            lines += Format.field("Decided", "\(r.state.rawValue) by \(by) at \(Format.fullTime(r.decidedAt))", width: width)
        } else {
            lines.append(StyledLine("  not decided yet: a apply · i needs info · r reject", style: .dim))
        }
        if let note = r.note { lines += Format.field("Note", note, width: width) }
        return lines
    }
}
