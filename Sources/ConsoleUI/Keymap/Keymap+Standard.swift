import PrivacyOps

extension ScreenID {
    public static let customers: ScreenID = "customers"
    public static let optOuts: ScreenID = "optouts"
    public static let reports: ScreenID = "reports"
    public static let disclosures: ScreenID = "disclosures"
    public static let audit: ScreenID = "audit"
    public static let policy: ScreenID = "policy"
}

extension ActionID {
    // Moving around (every screen).
    public static let cursorDown: ActionID = "cursor.down"
    public static let cursorUp: ActionID = "cursor.up"
    public static let top: ActionID = "cursor.top"
    public static let bottom: ActionID = "cursor.bottom"
    public static let pageDown: ActionID = "cursor.page-down"
    public static let pageUp: ActionID = "cursor.page-up"
    public static let open: ActionID = "open"
    public static let back: ActionID = "back"
    public static let mark: ActionID = "mark"
    public static let sortNext: ActionID = "sort.next-column"
    public static let sortReverse: ActionID = "sort.reverse"

    // Everywhere.
    public static let help: ActionID = "help"
    public static let filter: ActionID = "filter"
    public static let commandLine: ActionID = "command-line"
    public static let refresh: ActionID = "refresh"
    public static let nextScreen: ActionID = "screen.next"
    public static let previousScreen: ActionID = "screen.previous"
    public static let showCustomers: ActionID = "screen.customers"
    public static let showOptOuts: ActionID = "screen.optouts"
    public static let showReports: ActionID = "screen.reports"
    public static let showDisclosures: ActionID = "screen.disclosures"
    public static let showAudit: ActionID = "screen.audit"
    public static let showPolicy: ActionID = "screen.policy"
    public static let quit: ActionID = "quit"
    /// `:export csv|json PATH`: the list shown, through the service (audited).
    public static let exportView: ActionID = "view.export"
    /// `y`: copies the current row's id to the clipboard (OSC 52).
    public static let copyID: ActionID = "copy-id"
    /// `:view`, `:view NAME`, `:view save NAME`, `:view delete NAME`: saved customer views.
    public static let savedViews: ActionID = "views.saved"

    // Customers.
    public static let customerAdd: ActionID = "customers.add"
    public static let customerEdit: ActionID = "customers.edit"
    public static let customerNote: ActionID = "customers.note"
    public static let customerStatus: ActionID = "customers.status"
    public static let customerFileReport: ActionID = "customers.file-report"
    /// `C`, `:columns`: which columns of the customer table show.
    public static let customerColumns: ActionID = "customers.columns"
    /// `F`, `:freq status|services|domain`: how many customers listed have each value.
    public static let customerFrequency: ActionID = "customers.frequency"

    // Opt-outs.
    public static let optOutApply: ActionID = "optouts.apply"
    public static let optOutNeedInfo: ActionID = "optouts.need-info"
    public static let optOutReject: ActionID = "optouts.reject"

    // Reports and moderation.
    public static let reportView: ActionID = "reports.view-content"
    public static let reportConfirm: ActionID = "reports.confirm"
    public static let reportBlock: ActionID = "moderation.block"
    public static let reportUnblock: ActionID = "moderation.unblock"
    public static let reportDismiss: ActionID = "moderation.dismiss"
    public static let reportDelete: ActionID = "moderation.delete"

    // A record's own history: the audit list filtered to it.
    public static let history: ActionID = "audit.history"
}

extension Keymap {
    /// The console's keys, as DESIGN.md §7 lists them: j/k, g/G, PgUp/PgDn and Ctrl-f/Ctrl-b,
    /// Enter, Esc, q, Tab or 1–6, `/`, `:`, `?`, Space, and the action keys e n s, a i r,
    /// v b u x D (and c, confirm a report someone else filed), R.
    ///
    /// Each action's `requires` is the raw value of the PrivacyOps `Action` it needs: the
    /// console asks `ops.can(Action(rawValue:))` whether to grey it out, and the service refuses
    /// it anyway. An unknown name counts as not allowed.
    ///
    /// On the opt-out list, `a` with rows marked applies the marked requests in bulk.
    public static let standard = Keymap([
        // Actions, per screen.
        KeymapEntry([.char("e")], .customerEdit, "edit", screens: [.customers], requires: "customers.update", hint: 10),
        KeymapEntry([.char("n")], .customerNote, "note", screens: [.customers], requires: "customers.note", hint: 11),
        KeymapEntry([.char("s")], .customerStatus, "status", screens: [.customers], requires: "customers.status", destructive: true, confirmation: .dialog, hint: 12),
        KeymapEntry([.char("A")], .customerAdd, "add customer", screens: [.customers], requires: "customers.add", hint: 13),
        KeymapEntry([.char("f")], .customerFileReport, "file report", screens: [.customers], requires: "reports.file", hint: 14),
        KeymapEntry([.char("F")], .customerFrequency, "count per value of a column", screens: [.customers], requires: "customers.list",
                    hint: 15, commands: ["freq"], arguments: FrequencyColumn.allCases.map(\.rawValue)),
        KeymapEntry([.char("C")], .customerColumns, "choose the columns shown", screens: [.customers], hint: 16, commands: ["columns"]),
        KeymapEntry([.char("a")], .optOutApply, "apply", screens: [.optOuts], requires: "optouts.apply", confirmation: .dialog, hint: 10),
        KeymapEntry([.char("i")], .optOutNeedInfo, "needs info", screens: [.optOuts], requires: "optouts.need-info", hint: 11),
        KeymapEntry([.char("r")], .optOutReject, "reject", screens: [.optOuts], requires: "optouts.reject", destructive: true, confirmation: .dialog, hint: 12),
        KeymapEntry([.char("v")], .reportView, "view content", screens: [.reports], requires: "comms.view", hint: 10),
        KeymapEntry([.char("b")], .reportBlock, "block", screens: [.reports], requires: "moderation.block", destructive: true, confirmation: .dialog, hint: 11),
        KeymapEntry([.char("u")], .reportUnblock, "unblock", screens: [.reports], requires: "moderation.unblock", confirmation: .dialog, hint: 13),
        KeymapEntry([.char("x")], .reportDismiss, "dismiss", screens: [.reports], requires: "moderation.dismiss", confirmation: .dialog, hint: 14),
        KeymapEntry([.char("c")], .reportConfirm, "confirm report", screens: [.reports], requires: "reports.confirm", confirmation: .dialog, hint: 15),
        KeymapEntry([.char("t")], .trafficRun, "run traffic report", screens: [.traffic], requires: "traffic.report", hint: 10),
        KeymapEntry([.char("D")], .reportDelete, "delete for good", screens: [.reports], requires: "moderation.delete", destructive: true, confirmation: .typedWord("delete"), hint: 12),
        KeymapEntry([.char("a")], .disclosureApprove, "approve", screens: [.disclosures], requires: "disclosures.approve", confirmation: .dialog, hint: 10),
        KeymapEntry([.char("l")], .disclosureRelease, "release", screens: [.disclosures], requires: "disclosures.release", confirmation: .dialog, hint: 11),
        KeymapEntry([.char("r")], .disclosureRefuse, "refuse", screens: [.disclosures], requires: "disclosures.refuse", destructive: true, confirmation: .dialog, hint: 12),
        KeymapEntry([.char("n")], .disclosureNotify, "notify customer", screens: [.disclosures], requires: "disclosures.notify", hint: 13),
        KeymapEntry([.char("d")], .disclosureDelayNotice, "delay notice", screens: [.disclosures], requires: "disclosures.delay-notice", hint: 14),
        KeymapEntry([.char("e")], .disclosureEdit, "edit", screens: [.disclosures], requires: "disclosures.update", hint: 15),
        KeymapEntry([.char("w")], .disclosureWithdraw, "withdraw", screens: [.disclosures], requires: "disclosures.withdraw", destructive: true, confirmation: .dialog, hint: 16),
        KeymapEntry([.char("A")], .disclosureRecord, "record request", screens: [.disclosures], requires: "disclosures.record", hint: 17),
        KeymapEntry([.char("H")], .history, "history", screens: [.customers, .optOuts, .reports, .disclosures], requires: "audit.list", hint: 35),
        KeymapEntry([.char("t")], .policyTransparency, "transparency report", screens: [.policy], requires: "transparency.report", hint: 10),

        // Moving around.
        KeymapEntry([.char("j"), .down], .cursorDown, "down", group: .navigation),
        KeymapEntry([.char("k"), .up], .cursorUp, "up", group: .navigation),
        KeymapEntry([.char("g"), .home], .top, "first row", group: .navigation),
        KeymapEntry([.char("G"), .end], .bottom, "last row", group: .navigation),
        KeymapEntry([.pageDown, .ctrl("f")], .pageDown, "page down", group: .navigation),
        KeymapEntry([.pageUp, .ctrl("b")], .pageUp, "page up", group: .navigation),
        KeymapEntry([.enter], .open, "open", hint: 20, group: .navigation),
        KeymapEntry([.escape], .back, "back", hint: 25, group: .navigation),
        KeymapEntry([.space], .mark, "mark", screens: [.optOuts], hint: 30, group: .navigation),
        KeymapEntry([.char("o")], .sortNext, "sort by next column", group: .navigation),
        KeymapEntry([.char("O")], .sortReverse, "reverse sort", group: .navigation),

        // Everywhere.
        KeymapEntry([.char("?")], .help, "help", hint: 0, commands: ["help"]),
        KeymapEntry([.char("/")], .filter, "filter", hint: 40),
        KeymapEntry([.char(":")], .commandLine, "command", hint: 45),
        KeymapEntry([.char("R")], .refresh, "refresh now", hint: 60, commands: ["refresh"]),
        KeymapEntry([.char("y")], .copyID, "copy the id to the clipboard (OSC 52)", hint: 55),
        KeymapEntry([.tab], .nextScreen, "next screen", hint: 70),
        KeymapEntry([.backTab], .previousScreen, "previous screen"),
        KeymapEntry([.char("1")], .showCustomers, "customers", commands: ["customers"], arguments: ["active", "suspended", "closed"]),
        KeymapEntry([.char("2")], .showOptOuts, "opt-outs", commands: ["optouts"], arguments: ["pending", "needs-info", "applied", "rejected"]),
        KeymapEntry([.char("3")], .showReports, "reports", commands: ["reports"], arguments: ["open", "blocked", "reinstated", "dismissed", "deleted"]),
        KeymapEntry([.char("4")], .showDisclosures, "disclosures", commands: ["disclosures"], arguments: ["recorded", "approved", "released", "refused", "withdrawn", "notice-due"]),
        KeymapEntry([.char("5")], .showAudit, "audit trail", commands: ["audit"]),
        KeymapEntry([.char("6")], .showPolicy, "policy check", commands: ["policy"]),
        KeymapEntry([.char("7")], .showTraffic, "traffic", commands: ["traffic"]),
        KeymapEntry([.char("q")], .quit, "quit", hint: 50, commands: ["q", "quit"]),
        KeymapEntry([], .exportView, "export the list shown to a new file (audited)", requires: "view.export",
                    commands: ["export"], arguments: ["csv", "json"], freeText: "PATH"),
        KeymapEntry([], .savedViews, "saved Customers views: list, open NAME, save NAME (filter, sort, columns), delete NAME",
                    commands: ["view"], freeText: "[save|delete] NAME"),
    ])
}
