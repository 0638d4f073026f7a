import PrivacyOps

/// What the disclosures list can be sorted by; the service's queue order first.
enum DisclosureSortKey: String, CaseIterable {
    case queue, due, received, id, state, ground
}

/// The disclosures screen (admins and auditors): the register with what awaits approval or
/// release first, a disclosure's detail with its whole history, and record, edit, approve,
/// refuse, withdraw, release, notify and delay notice. Which of these the user may take on the
/// record at hand is the service's answer (``PrivacyOps/refusal(_:on:)``): approve is greyed
/// for the disclosure's recorder, release until it is approved.
final class DisclosuresController: TableScreen {
    let exportKind: ExportKind? = .disclosures
    let id = ScreenID.disclosures
    let title = "Disclosures"
    let workspace: Workspace = .disclosures
    let collections: Set<String> = ["disclosures", "audit"]
    var isStale = true
    let session: ConsoleSession
    var model = DisclosuresModel()
    private(set) var rows = DisclosureRows()
    private var sortKey: DisclosureSortKey = .queue
    private var ascending = true
    /// The body width from which the wide columns are shown.
    static let wideWidth = 170

    /// The keymap actions that act on one disclosure, with the service action each needs.
    static let recordActions: [(ActionID, Action)] = [
        (.disclosureApprove, .disclosuresApprove), (.disclosureRelease, .disclosuresRelease), (.disclosureRefuse, .disclosuresRefuse),
        (.disclosureNotify, .disclosuresNotify), (.disclosureDelayNotice, .disclosuresDelayNotice), (.disclosureEdit, .disclosuresUpdate),
        (.disclosureWithdraw, .disclosuresWithdraw),
    ]

    var pane: ListPane {
        get { model.pane }
        set { model.pane = newValue }
    }

    private var ops: PrivacyOps { session.ops }

    init(session: ConsoleSession) {
        self.session = session
    }

    // MARK: Loading

    func activate(arguments: [String]?) {
        if let arguments {
            model.queue = DisclosureQueue(argument: arguments.first)
            pane.closeDetail()
            isStale = true
        }
        if isStale { reload() }
    }

    func reload() {
        isStale = false
        let keep = currentRowKey
        do {
            model.listed = try ops.listDisclosures(model.queue.filter)
            model.flags = Dictionary(model.listed.map { ($0.id, ops.flags($0)) }, uniquingKeysWith: { a, _ in a })
            pane.loadError = nil
        } catch {
            model.listed = []
            model.flags = [:]
            pane.loadError = OpsError.from(error).consoleText
        }
        rebuildRows()
        pane.restoreCursor(to: keep, in: rows)
        if pane.isInDetail { reloadDetail() }
    }

    private var currentRowKey: String? {
        pane.table.cursor < rows.count ? rows.rowKey(at: pane.table.cursor) : nil
    }

    private func rebuildRows() {
        let needle = pane.filterText.lowercased()
        var shown = needle.isEmpty ? model.listed : model.listed.filter { d in
            ([d.id, d.requester, d.reference ?? "", d.ground.rawValue, d.kind.rawValue, d.state.rawValue, d.requestType.rawValue,
              d.requesterType.rawValue, d.caseId ?? "", d.note ?? ""] + d.customerIds + d.communicationIds)
                .contains { $0.lowercased().contains(needle) }
        }
        if sortKey != .queue || !ascending {
            let key = sortKey
            func value(_ d: Disclosure) -> String {
                switch key {
                case .queue: return ""
                case .due: return d.dueAt ?? "~"
                case .received: return d.receivedAt
                case .id: return d.id
                case .state: return d.state.rawValue
                case .ground: return d.ground.rawValue
                }
            }
            if key != .queue { shown.sort { (value($0), $0.id) < (value($1), $1.id) } }
            if !ascending { shown.reverse() }
        }
        rows.disclosures = shown
        rows.flags = model.flags
    }

    func storeChanged(_ changes: StoreChanges) {
        if changes.touches("disclosures") || (pane.isInDetail && changes.touches("audit")) { isStale = true }
    }

    func filterChanged() {
        let keep = currentRowKey
        rebuildRows()
        pane.restoreCursor(to: keep, in: rows)
    }

    // MARK: The record at hand

    /// The disclosure the actions work on: the open one, else the cursor row's.
    var current: Disclosure? {
        guard let key = currentKey else { return nil }
        return model.listed.first { $0.id == key }
    }

    /// The record actions the service refuses on the current disclosure now, with its reasons
    /// (approve is refused to the disclosure's recorder).
    func unavailableHere() -> [ActionID: String] {
        var out: [ActionID: String] = [:]
        guard let d = current else {
            for (action, _) in Self.recordActions { out[action] = "no disclosure is selected" }
            return out
        }
        for (action, service) in Self.recordActions {
            if let why = ops.refusal(service, on: d) { out[action] = why }
        }
        return out
    }

    // MARK: Detail

    func open(_ key: String) {
        pane.openKey = key
        pane.notice = nil
        pane.detail = nil
        reloadDetail()
    }

    func reloadDetail() {
        guard let key = pane.openKey else { return }
        do {
            let detail = try ops.disclosure(key)
            model.openVersion = detail.disclosure.version
            let actions = Self.recordActions.compactMap { action, service -> DisclosuresRender.ActionLine? in
                guard let entry = session.keymap.entry(for: action) else { return nil }
                var why = ops.refusal(service, on: detail.disclosure)
                if why == nil, session.readOnly { why = "the console was opened with --read-only" }
                return DisclosuresRender.ActionLine(key: entry.keys.first?.displayName ?? "", label: entry.label, refusal: why)
            }
            pane.setDetail(title: DisclosuresRender.title(detail.disclosure),
                           lines: DisclosuresRender.detail(detail, actions: actions, width: session.textWidth))
        } catch {
            pane.setDetail(title: key, lines: [StyledLine(OpsError.from(error).consoleText, style: .error)])
        }
    }

    // MARK: Layout

    func drawBody(on screen: TerminalScreen, in rect: Rect) {
        let wide = rect.width - 2 >= Self.wideWidth
        if wide != rows.wide || pane.table.columns.isEmpty {
            rows.wide = wide
            pane.table.columns = DisclosuresRender.columns(wide: wide)
        }
        pane.table.emptyMessage = EmptyStates.disclosures(session, filter: pane.filterText, queue: model.queue)
        var pane = self.pane
        ListPaneRender.draw(&pane, source: rows, on: screen, in: rect)
        self.pane = pane
    }

    func path() -> [String] {
        var parts = [model.queue.label]
        if sortKey != .queue || !ascending { parts.append("by \(sortKey.rawValue)\(ascending ? "" : " (reversed)")") }
        if let key = pane.openKey { parts.append(key) }
        return parts
    }

    func trailing() -> String {
        var parts: [String] = []
        if !pane.isInDetail {
            let flags = model.flags.values
            let approval = flags.filter { $0.awaiting == "approval" }.count
            let release = flags.filter { $0.awaiting == "release" }.count
            let overdue = flags.filter(\.overdue).count
            let notice = flags.filter(\.noticeDue).count
            // The counts of what waits only where there is room beside the breadcrumbs.
            if session.isWide, approval > 0 { parts.append("\(approval) awaiting approval") }
            if session.isWide, release > 0 { parts.append("\(release) awaiting release") }
            if overdue > 0 { parts.append("\(overdue) OVERDUE") }
            if notice > 0 { parts.append("\(notice) NOTICE DUE") }
            if !pane.filterText.isEmpty { parts.append("\(rows.count) matching") }
        }
        return parts.joined(separator: " · ")
    }

    func sort(next: Bool) {
        if next {
            let all = DisclosureSortKey.allCases
            let i = all.firstIndex(of: sortKey) ?? 0
            sortKey = all[(i + 1) % all.count]
            ascending = true
        } else {
            ascending.toggle()
        }
        filterChanged()
        pane.table.moveToTop(count: rows.count)
        session.show("sorted by \(sortKey.rawValue), \(ascending ? "ascending" : "descending")")
    }

    // MARK: Actions

    func performScreenAction(_ action: ActionID) -> Bool {
        switch action {
        case .disclosureRecord: DisclosureRecordFlow(session: session).start()
        case .disclosureEdit: withCurrent(edit)
        case .disclosureApprove: withCurrent(approve)
        case .disclosureRefuse: withCurrent { self.close($0, refuse: true) }
        case .disclosureWithdraw: withCurrent { self.close($0, refuse: false) }
        case .disclosureRelease: withCurrent(release)
        case .disclosureNotify: withCurrent(notify)
        case .disclosureDelayNotice: withCurrent(delayNotice)
        default: return false
        }
        return true
    }

    /// Runs `body` on the current disclosure as the store has it now, unless the service
    /// refuses the step on it (the key was greyed; the service would refuse it anyway).
    private func withCurrent(_ body: (Disclosure) -> Void) {
        guard let d = current else {
            session.show("no disclosure selected", .warning)
            return
        }
        body(d)
    }

    /// A step lost a race, or failed: say so and show the disclosure as it is now.
    private func failed(_ id: String, _ error: any Error) {
        let e = OpsError.from(error)
        guard e.isConflict else {
            session.show(e.consoleText, .error)
            return
        }
        _ = try? ops.refresh()
        isStale = true
        open(id)
        pane.notice = ("Not done: \(e.consoleText). Below is the disclosure as it is now.", .error)
        session.show("not done: \(id) was changed by someone else meanwhile; showing it as it is now", .warning)
    }

    /// Commits `step` and reports it.
    private func commit(_ id: String, _ done: String, _ step: () throws -> Disclosure) {
        do {
            let d = try step()
            session.didCommit()
            session.show("\(d.id) \(done)", .success)
        } catch {
            failed(id, error)
        }
    }

    private func approve(_ d: Disclosure) {
        var message = ["Approve the \(d.kind.rawValue) disclosure \(d.id) to \(TerminalText.sanitize(d.requester)) on the ground \(d.ground.rawValue)?",
                       "Recorded by \(d.recordedBy); you are the second admin."]
        if d.kind == .content {
            message.append("Once approved it is a case: its \(Format.count(d.communicationIds.count, "message")) can be viewed through it (audited).")
        }
        let dialog = ConfirmDialog.confirm(title: "Approve disclosure \(d.id)", message: message, action: "Approve", id: "approve")
        session.present(ConfirmOverlay(dialog, crumb: "approve?") { [unowned self] _ in
            self.commit(d.id, "approved") { try self.ops.approveDisclosure(d.id, expectVersion: d.version) }
        })
    }

    static let refuseReasons = [
        "no valid legal process", "overbroad: asks for more than the ground allows", "not our customer or no such data",
        "the ground does not apply", "other",
    ]
    static let withdrawReasons = ["the requester withdrew the request", "superseded by a new request", "duplicate of another request", "other"]

    /// Refuses or withdraws: a reason picked from a list, then a confirmation.
    private func close(_ d: Disclosure, refuse: Bool) {
        let reasons = refuse ? Self.refuseReasons : Self.withdrawReasons
        let picker = ListPicker(title: "\(refuse ? "Refuse" : "Withdraw") \(d.id): why?", items: reasons.map { PickerItem(id: $0, label: $0) },
                                textLabel: "Details", textPlaceholder: "optional; say more")
        session.present(PickerOverlay(picker, crumb: refuse ? "refuse" : "withdraw") { [unowned self] reasonID, details in
            var reason = reasonID
            if let details, !details.isEmpty { reason += ": " + details }
            let dialog = ConfirmDialog.confirm(
                title: "\(refuse ? "Refuse" : "Withdraw") disclosure \(d.id)",
                message: ["\(refuse ? "Refuse" : "Close as withdrawn") the request from \(TerminalText.sanitize(d.requester))?", "Reason: \(reason)",
                          "Nothing is disclosed; the decision is recorded in the audit trail."],
                action: refuse ? "Refuse" : "Withdraw", id: "close", destructive: true)
            self.session.present(ConfirmOverlay(dialog, crumb: refuse ? "refuse?" : "withdraw?") { [unowned self] _ in
                self.commit(d.id, refuse ? "refused" : "withdrawn") {
                    refuse ? try self.ops.refuseDisclosure(d.id, reason: reason, expectVersion: d.version)
                        : try self.ops.withdrawDisclosure(d.id, reason: reason, expectVersion: d.version)
                }
            })
        })
    }

    /// Releases: the outcome picked (with the items, for a partial release), then a
    /// confirmation naming what goes out.
    private func release(_ d: Disclosure) {
        let items = [
            PickerItem(id: DisclosureOutcome.all.rawValue, label: "all", detail: "everything it names"),
            PickerItem(id: DisclosureOutcome.partial.rawValue, label: "partial", detail: "only the items listed below"),
            PickerItem(id: DisclosureOutcome.narrowed.rawValue, label: "narrowed", detail: "less than asked, e.g. a shorter period"),
        ]
        let named = PrivacyOps.releasableItems(d)
        let picker = ListPicker(title: "Release \(d.id): outcome", items: items, textLabel: "Only these items (ids)",
                                textPlaceholder: "blank: all of " + named.joined(separator: " "))
        session.present(PickerOverlay(picker, crumb: "release") { [unowned self] outcomeID, text in
            let outcome = DisclosureOutcome(rawValue: outcomeID) ?? .all
            let only = Self.ids(text ?? "")
            let shown = only.isEmpty ? named : only
            let dialog = ConfirmDialog.confirm(
                title: "Release disclosure \(d.id)",
                message: ["Release to \(TerminalText.sanitize(d.requester)) (\(outcome.rawValue)): \(shown.joined(separator: ", "))?",
                          "The register keeps each item's id, SHA-256 and size, never a copy.",
                          d.noticeState == .due ? "The customer's notice is due once it is released." : "Notice: \(d.noticeState.rawValue)."],
                action: "Release", id: "release")
            self.session.present(ConfirmOverlay(dialog, crumb: "release?") { [unowned self] _ in
                self.commit(d.id, "released (\(outcome.rawValue))") {
                    try self.ops.releaseDisclosure(d.id, outcome: outcome, only: only, expectVersion: d.version)
                }
            })
        })
    }

    private func notify(_ d: Disclosure) {
        let items = NoticeMethod.allCases.map { PickerItem(id: $0.rawValue, label: $0.rawValue) }
        let picker = ListPicker(title: "Notice of \(d.id): how was the customer told?", items: items)
        session.present(PickerOverlay(picker, crumb: "notify") { [unowned self] methodID, _ in
            let method = NoticeMethod(rawValue: methodID) ?? .other
            self.commit(d.id, "notice recorded (\(method.rawValue))") {
                try self.ops.notifyDisclosure(d.id, method: method, expectVersion: d.version)
            }
        })
    }

    private func delayNotice(_ d: Disclosure) {
        let form = FormView(title: "Delay the notice of \(d.id) as a court order requires", fields: [
            FormField(id: "until", label: "Until", placeholder: "last day of the delay, e.g. 2026-06-30", maxLength: 40),
            FormField(id: "order", label: "Order ref", placeholder: "the order's reference", maxLength: 200),
        ])
        session.present(FormOverlay(form, crumb: "delay notice") { [unowned self] form in
            do {
                _ = try self.ops.delayNotice(d.id, until: form["until"] ?? "", order: form["order"] ?? "", expectVersion: d.version)
                self.session.didCommit()
                self.session.show("\(d.id) notice delayed", .success)
                return true
            } catch {
                let e = OpsError.from(error)
                if e.isInvalid {
                    form.setError(e.consoleText, for: e.consoleText.contains("order") ? "order" : "until")
                    form.focusFirstError()
                    return false
                }
                self.failed(d.id, e)
                return true
            }
        })
    }

    /// Edits: the ground (only the kind's grounds), then the fields; the approval is cleared.
    private func edit(_ d: Disclosure) {
        let picker = ListPicker(title: "Edit \(d.id): ground (\(d.kind.rawValue))", items: DisclosureRecordFlow.groundItems(d.kind),
                                selectedID: d.ground.rawValue)
        session.present(PickerOverlay(picker, crumb: "edit") { [unowned self] groundID, _ in
            guard let ground = DisclosureGround(rawValue: groundID) else { return }
            let fields = DisclosureRecordFlow.fields(kind: d.kind, ground: ground, from: d)
            var form = FormView(title: "Edit \(d.id) (\(ground.rawValue)); saving clears the approval", fields: fields)
            if let needs = ground.needs { form.formError = "This ground needs \(needs)." }
            self.session.present(FormOverlay(form, crumb: "edit") { [unowned self] form in
                let v = form.values
                do {
                    let changes = DisclosureChanges(
                        ground: ground, requester: v["requester"], reference: v["reference"],
                        dueAt: v["due"].flatMap { $0.trimmingSpaces.isEmpty ? nil : $0 }, customerIds: v["customers"].map(Self.ids),
                        communicationIds: v["comms"].map(Self.ids), caseId: v["case"],
                        dataCategories: try v["categories"].map { try DisclosureRecordFlow.categories($0) ?? [] }, note: v["note"])
                    _ = try self.ops.updateDisclosure(d.id, changes, expectVersion: d.version)
                    self.session.didCommit()
                    self.session.show("\(d.id) edited; it needs approval again", .success)
                    return true
                } catch {
                    let e = OpsError.from(error)
                    if e.isInvalid || e.exitCode == 66 {
                        DisclosureRecordFlow.place(e.consoleText, in: &form)
                        return false
                    }
                    self.failed(d.id, e)
                    return true
                }
            })
        })
    }

    /// Ids typed with commas or spaces between them.
    static func ids(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init).filter { !$0.isEmpty }
    }
}
