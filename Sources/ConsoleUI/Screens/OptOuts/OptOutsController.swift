import PrivacyOps

/// The opt-out screen: the queue by due date with overdue requests marked, a request's
/// detail, and apply (one, or the marked ones in bulk), needs info and reject.
final class OptOutsController: TableScreen {
    let exportKind: ExportKind? = .optouts
    let id = ScreenID.optOuts
    let title = "Opt-outs"
    let workspace: Workspace = .optOuts
    let collections: Set<String> = ["optouts", "customers", "suppressions"]
    var isStale = true
    let session: ConsoleSession
    var model = OptOutsModel()
    private(set) var rows = OptOutRows()
    /// The body width from which the wide columns are shown.
    static let wideWidth = 160

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
            model.queue = arguments.first.flatMap(OptOutState.init(rawValue:)).map(OptOutQueue.state) ?? .open
            pane.closeDetail()
            pane.table.clearMarks()
            isStale = true
        }
        if isStale { reload() }
    }

    func reload() {
        isStale = false
        let keep = currentRowKey
        do {
            switch model.queue {
            case .open: model.listed = try ops.listOptOuts().filter(\.isOpen)
            case .state(let s): model.listed = try ops.listOptOuts(state: s)
            }
            model.overdue = Set(model.listed.filter(ops.isOverdue).map(\.id))
            pane.loadError = nil
        } catch {
            model.listed = []
            model.overdue = []
            pane.loadError = OpsError.from(error).consoleText
        }
        rebuildRows()
        pane.pruneMarks(keeping: Set(model.listed.map(\.id)))
        pane.restoreCursor(to: keep, in: rows)
        if pane.isInDetail { reloadDetail() }
    }

    private var currentRowKey: String? {
        pane.table.cursor < rows.count ? rows.rowKey(at: pane.table.cursor) : nil
    }

    /// Applies the text filter and the sort to the listed requests.
    private func rebuildRows() {
        let needle = pane.filterText.lowercased()
        var shown = needle.isEmpty ? model.listed : model.listed.filter { r in
            [r.id, r.contact, r.normalized, r.name ?? "", r.message ?? "", r.state.rawValue, r.source]
                .contains { $0.lowercased().contains(needle) }
        }
        if model.sortKey != .due || !model.ascending {
            let key = model.sortKey
            func value(_ r: OptOutRequest) -> String {
                switch key {
                case .due: return r.dueAt
                case .received: return r.receivedAt
                case .id: return r.id
                case .state: return r.state.rawValue
                case .contact: return r.normalized
                case .matches: return String(format: "%06d", r.matches.count)
                }
            }
            shown.sort { (value($0), $0.id) < (value($1), $1.id) }
            if !model.ascending { shown.reverse() }
        }
        rows.requests = shown
        rows.overdue = model.overdue
    }

    func storeChanged(_ changes: StoreChanges) {
        isStale = true
    }

    func filterChanged() {
        let keep = currentRowKey
        rebuildRows()
        pane.restoreCursor(to: keep, in: rows)
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
            let d = try ops.optOut(key)
            model.openVersion = d.request.version
            pane.setDetail(title: OptOutsRender.title(d.request), lines: OptOutsRender.detail(d, width: session.textWidth))
        } catch {
            pane.setDetail(title: key, lines: [StyledLine(OpsError.from(error).consoleText, style: .error)])
        }
    }

    // MARK: Layout

    func drawBody(on screen: TerminalScreen, in rect: Rect) {
        let wide = rect.width - 2 >= Self.wideWidth
        if wide != rows.wide || pane.table.columns.isEmpty {
            rows.wide = wide
            pane.table.columns = OptOutsRender.columns(wide: wide)
        }
        pane.table.sort = OptOutsRender.column(of: model.sortKey, wide: wide).map { TableSort(column: $0, ascending: model.ascending) }
        pane.table.emptyMessage = EmptyStates.optOuts(session, filter: pane.filterText, queue: model.queue)
        var pane = self.pane
        ListPaneRender.draw(&pane, source: rows, on: screen, in: rect)
        self.pane = pane
    }

    func path() -> [String] {
        var parts = [model.queue.label]
        if model.sortKey != .due || !model.ascending {
            parts.append("by \(model.sortKey.rawValue)\(model.ascending ? "" : " (reversed)")")
        }
        if let key = pane.openKey { parts.append(key) }
        return parts
    }

    func trailing() -> String {
        var parts: [String] = []
        if !model.overdue.isEmpty && !pane.isInDetail { parts.append("\(model.overdue.count) \(OptOutsRender.overdueMarker)") }
        if !pane.filterText.isEmpty && !pane.isInDetail { parts.append("\(rows.count) matching") }
        if !pane.table.marks.isEmpty { parts.append("\(pane.table.marks.count) marked") }
        return parts.joined(separator: " · ")
    }

    func sort(next: Bool) {
        if next {
            let all = OptOutSortKey.allCases
            let i = all.firstIndex(of: model.sortKey) ?? 0
            model.sortKey = all[(i + 1) % all.count]
            model.ascending = true
        } else {
            model.ascending.toggle()
        }
        filterChanged()
        pane.table.moveToTop(count: rows.count)
        session.show("sorted by \(model.sortKey.rawValue), \(model.ascending ? "ascending" : "descending")")
    }

    // MARK: Actions

    func performScreenAction(_ action: ActionID) -> Bool {
        switch action {
        case .optOutApply:
            if !pane.isInDetail && !pane.table.marks.isEmpty { applyMarked() } else { applyOne() }
        case .optOutNeedInfo: needInfo()
        case .optOutReject: reject()
        default: return false
        }
        return true
    }

    private func currentDetail() -> OptOutDetail? {
        guard let id = currentKey else {
            session.show("no opt-out request selected", .warning)
            return nil
        }
        return session.attempt { try ops.optOut(id) }
    }

    /// A decision lost a race, or failed: say so and show the request as it is now.
    private func failed(_ id: String, _ error: any Error) {
        let e = OpsError.from(error)
        guard e.isConflict else {
            session.show(e.consoleText, .error)
            return
        }
        _ = try? ops.refresh()
        isStale = true
        open(id)
        pane.notice = ("Not done: \(e.consoleText). Below is the request as it is now.", .error)
        session.show("not done: \(id) was changed by someone else meanwhile; showing it as it is now", .warning)
    }

    private func applyOne() {
        guard let d = currentDetail() else { return }
        let r = d.request
        var message = ["Suppress \(r.channel.rawValue) \(TerminalText.sanitize(r.contact)) for \(Format.scopes(r.scopes))?"]
        if d.matchingCustomers.isEmpty {
            message.append("No customer holds exactly this contact point; it is suppressed anyway.")
        } else {
            let names = d.matchingCustomers.prefix(3).map { "\($0.id) \(TerminalText.sanitize($0.name))" }.joined(separator: ", ")
            message.append("Exact matches: \(names)\(d.matchingCustomers.count > 3 ? " and \(d.matchingCustomers.count - 3) more" : "").")
        }
        if d.overdue { message.append("This request is \(OptOutsRender.overdueMarker).") }
        let dialog = ConfirmDialog.confirm(title: "Apply opt-out \(r.id)", message: message, action: "Apply", id: "apply")
        session.present(ConfirmOverlay(dialog, crumb: "apply?") { [unowned self] _ in
            do {
                let done = try self.ops.applyOptOut(r.id, expectVersion: r.version)
                self.session.didCommit()
                self.session.show("\(done.id) applied: \(done.channel.rawValue) suppressed for \(Format.scopes(done.scopes)); \(Format.count(done.matches.count, "matching customer"))", .success)
            } catch {
                self.failed(r.id, error)
            }
        })
    }

    private func applyMarked() {
        let marked = model.listed.map(\.id).filter(pane.table.marks.contains)
        guard let plan = session.attempt({ try ops.planBulkApply(marked) }) else { return }
        let skipped = plan.skipped.map { "\($0.id) \($0.reason)" }
        guard !plan.eligible.isEmpty else {
            session.show("nothing to apply: none of the \(marked.count) marked has an exact match and is still open (\(skipped.joined(separator: "; ")))", .warning)
            return
        }
        var message = ["Apply \(plan.eligible.count) of the \(marked.count) marked requests (open, with an exact match):",
                       plan.eligible.prefix(6).map(\.id).joined(separator: ", ") + (plan.eligible.count > 6 ? ", …" : "")]
        if !skipped.isEmpty {
            message.append("")
            message.append("Skipped: " + skipped.prefix(6).joined(separator: "; ") + (skipped.count > 6 ? "; …" : ""))
        }
        let dialog = ConfirmDialog.confirm(title: "Apply marked opt-outs", message: message, action: "Apply \(plan.eligible.count)", id: "apply")
        session.present(ConfirmOverlay(dialog, crumb: "apply marked?") { [unowned self] _ in
            let result = self.ops.applyOptOuts(plan)
            if !result.applied.isEmpty { self.session.didCommit() }
            self.pane.table.clearMarks()
            var text = "applied \(result.applied.count) of \(marked.count) marked"
            if !result.skipped.isEmpty {
                text += "; skipped \(result.skipped.count): " + result.skipped.map { "\($0.id) \($0.reason)" }.joined(separator: ", ")
            }
            self.session.show(text, result.skipped.isEmpty ? .success : .warning)
        })
    }

    private func needInfo() {
        guard let d = currentDetail() else { return }
        let r = d.request
        let form = FormView(title: "Ask for more information about \(r.id) (\(TerminalText.sanitize(r.contact)))",
                            fields: [FormField(id: "note", label: "Note", placeholder: "what the customer must tell us", maxLength: 2000)])
        session.present(FormOverlay(form, crumb: "needs info") { [unowned self] form in
            do {
                _ = try self.ops.needInfoOptOut(r.id, note: form["note"] ?? "", expectVersion: r.version)
                self.session.didCommit()
                self.session.show("\(r.id) set to needs-info", .success)
                return true
            } catch {
                let e = OpsError.from(error)
                if e.isInvalid {
                    form.setError(e.consoleText, for: "note")
                    return false
                }
                self.failed(r.id, e)
                return true
            }
        })
    }

    private func reject() {
        guard let d = currentDetail() else { return }
        let r = d.request
        let items = OptOutRejectReason.allCases.map { PickerItem(id: $0.rawValue, label: $0.rawValue) }
        let picker = ListPicker(title: "Reject \(r.id): why?", items: items, textLabel: "Details", textPlaceholder: "optional; say more")
        session.present(PickerOverlay(picker, crumb: "reject") { [unowned self] reasonID, details in
            var reason = reasonID
            if let details, !details.isEmpty { reason += ": " + details }
            let dialog = ConfirmDialog.confirm(
                title: "Reject opt-out \(r.id)",
                message: ["Reject the request for \(TerminalText.sanitize(r.contact))?", "Reason: \(reason)",
                          "Nothing is suppressed; the decision is recorded in the audit trail."],
                action: "Reject", id: "reject", destructive: true)
            self.session.present(ConfirmOverlay(dialog, crumb: "reject?") { [unowned self] _ in
                do {
                    _ = try self.ops.rejectOptOut(r.id, reason: reason, expectVersion: r.version)
                    self.session.didCommit()
                    self.session.show("\(r.id) rejected: \(reason)", .success)
                } catch {
                    self.failed(r.id, error)
                }
            })
        })
    }
}
