import PrivacyOps

/// The moderation screen: reports with open ones first, a case's detail, content viewed
/// through the case (audited), and block, unblock, dismiss and delete, each confirmed with
/// Cancel focused (delete by typing a word) and each a service call.
final class ReportsController: TableScreen {
    let exportKind: ExportKind? = .reports
    let id = ScreenID.reports
    let title = "Reports"
    let workspace: Workspace = .reports
    let collections: Set<String> = ["reports", "communications"]
    var isStale = true
    let session: ConsoleSession
    var model = ReportsModel()
    private(set) var rows = ReportRows()
    static let wideWidth = 152

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
            model.state = arguments.first.flatMap(ReportState.init(rawValue:))
            pane.closeDetail()
            isStale = true
        }
        if isStale { reload() }
    }

    func reload() {
        isStale = false
        let keep = model.selectAfterReload ?? (pane.table.cursor < rows.count ? rows.rowKey(at: pane.table.cursor) : nil)
        model.selectAfterReload = nil
        do {
            model.listed = try ops.listReports(state: model.state)
            pane.loadError = nil
        } catch {
            model.listed = []
            pane.loadError = OpsError.from(error).consoleText
        }
        rebuildRows()
        pane.restoreCursor(to: keep, in: rows)
        if pane.isInDetail { reloadDetail() }
    }

    private func rebuildRows() {
        let needle = pane.filterText.lowercased()
        var shown = needle.isEmpty ? model.listed : model.listed.filter { r in
            [r.id, r.communicationId, r.customerId, r.reason, r.reporter ?? "", r.state.rawValue, r.trigger.rawValue, r.ground?.rawValue ?? ""]
                .contains { $0.lowercased().contains(needle) }
        }
        if model.sortKey != .queue || !model.ascending {
            let key = model.sortKey
            func value(_ r: Report) -> String {
                switch key {
                case .queue: return ""
                case .filed: return r.filedAt
                case .id: return r.id
                case .state: return r.state.rawValue
                case .trigger: return r.trigger.rawValue
                }
            }
            if key != .queue { shown.sort { (value($0), $0.id) < (value($1), $1.id) } }
            if !model.ascending { shown.reverse() }
        }
        rows.reports = shown
    }

    func storeChanged(_ changes: StoreChanges) {
        isStale = true
    }

    func filterChanged() {
        let keep = pane.table.cursor < rows.count ? rows.rowKey(at: pane.table.cursor) : nil
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
            let d = try ops.report(key)
            pane.setDetail(title: ReportsRender.title(d.report),
                           lines: ReportsRender.detail(d, width: session.textWidth, mayViewContent: session.may(.commsView),
                                                       viewRefusal: ops.contentRefusal(through: d.report)?.message,
                                                       mayConfirm: session.may(.reportsConfirm) && ops.confirmRefusal(of: d.report) == nil))
        } catch {
            pane.setDetail(title: key, lines: [StyledLine(OpsError.from(error).consoleText, style: .error)])
        }
    }

    // MARK: Layout

    func drawBody(on screen: TerminalScreen, in rect: Rect) {
        let wide = rect.width - 2 >= Self.wideWidth
        if wide != rows.wide {
            rows.wide = wide
            pane.table.columns = ReportsRender.columns(wide: wide)
        }
        pane.table.sort = ReportsRender.column(of: model.sortKey, wide: wide).map { TableSort(column: $0, ascending: model.ascending) }
        pane.table.emptyMessage = EmptyStates.reports(session, filter: pane.filterText, state: model.state)
        var pane = self.pane
        ListPaneRender.draw(&pane, source: rows, on: screen, in: rect)
        self.pane = pane
    }

    func path() -> [String] {
        var parts = [model.state?.rawValue ?? "all, open first"]
        if model.sortKey != .queue || !model.ascending {
            parts.append("by \(model.sortKey.rawValue)\(model.ascending ? "" : " (reversed)")")
        }
        if let key = pane.openKey { parts.append(key) }
        return parts
    }

    func sort(next: Bool) {
        if next {
            let all = ReportSortKey.allCases
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

    /// The report the actions work on, as last listed (no service call).
    private var listedCurrent: Report? {
        guard let key = currentKey else { return nil }
        return model.listed.first { $0.id == key }
    }

    func unavailableHere() -> [ActionID: String] {
        guard let r = listedCurrent else { return [:] }
        var out: [ActionID: String] = [:]
        if let e = ops.contentRefusal(through: r) { out[.reportView] = e.consoleText }
        if let e = ops.confirmRefusal(of: r) { out[.reportConfirm] = e.consoleText }
        return out
    }

    func performScreenAction(_ action: ActionID) -> Bool {
        switch action {
        case .reportView: viewContent()
        case .reportConfirm: confirm()
        case .reportBlock: block()
        case .reportUnblock: unblock()
        case .reportDismiss: dismiss()
        case .reportDelete: delete()
        default: return false
        }
        return true
    }

    private func currentReport() -> ReportDetail? {
        guard let id = currentKey else {
            session.show("no report selected", .warning)
            return nil
        }
        return session.attempt { try ops.report(id) }
    }

    /// A decision on `id` was committed: the list's cursor moves on to the next case.
    private func decided(_ id: String) {
        session.didCommit()
        if let i = rows.reports.firstIndex(where: { $0.id == id }), i + 1 < rows.reports.count {
            model.selectAfterReload = rows.reports[i + 1].id
        }
    }

    /// A decision failed: a lost race reloads the case and says so; anything else is flashed.
    private func failed(_ id: String, _ error: any Error) {
        let e = OpsError.from(error)
        guard e.isConflict else {
            session.show(e.consoleText, .error)
            return
        }
        _ = try? ops.refresh()
        isStale = true
        open(id)
        pane.notice = ("Not done: \(e.consoleText). Below is the case as it is now.", .error)
        session.show("not done: \(id) was changed by someone else meanwhile; showing it as it is now", .warning)
    }

    private func viewContent() {
        guard let d = currentReport() else { return }
        let r = d.report
        do {
            let content = try ops.viewContent(r.communicationId, case: r.id)
            session.didCommit()  // the view is an audit event
            let pager = TextPager(title: "Message \(r.communicationId) read through case \(r.id) · this view is recorded in the audit trail",
                                  lines: ReportsRender.content(content, width: session.textWidth))
            session.present(PagerOverlay(pager, crumb: "content"))
        } catch {
            session.show(OpsError.from(error).consoleText, .error)
        }
    }

    /// Confirms a report someone else filed (an optional note), so its filer may read the
    /// content through it too.
    private func confirm() {
        guard let d = currentReport() else { return }
        let r = d.report
        if let e = ops.confirmRefusal(of: r) {
            session.show(e.consoleText, .error)
            return
        }
        let form = FormView(title: "Confirm report \(r.id), filed by \(r.filedBy)",
                            fields: [FormField(id: "note", label: "Note", placeholder: "why the report stands (optional)", maxLength: 2000)])
        session.present(FormOverlay(form, crumb: "confirm") { [unowned self] form in
            let note = (form["note"] ?? "").trimmingSpaces
            let dialog = ConfirmDialog.confirm(
                title: "Confirm \(r.id)",
                message: ["Confirm report \(r.id) about \(r.communicationId), filed by \(r.filedBy)?",
                          "\(r.filedBy) may then read the message through it too. Your confirmation is recorded in the audit trail."]
                    + (note.isEmpty ? [] : ["Note: \(TerminalText.sanitize(note))"]),
                action: "Confirm", id: "confirm")
            self.session.present(ConfirmOverlay(dialog, crumb: "confirm?") { [unowned self] _ in
                do {
                    _ = try self.ops.confirmReport(r.id, note: note.isEmpty ? nil : note, expectVersion: r.version)
                    self.session.didCommit()
                    self.session.show("\(r.id) confirmed: \(r.filedBy) may read its message through it now", .success)
                } catch {
                    self.failed(r.id, error)
                }
            })
            return true
        })
    }

    /// Picks a ground and a note, then the Terms of Use clause when the ground needs one.
    private func chooseGround(for r: Report, verb: String, then: @escaping (ModerationGround, String, String?) -> Void) {
        let items = ModerationGround.allCases.map { PickerItem(id: $0.rawValue, label: $0.rawValue, detail: $0.label) }
        let picker = ListPicker(title: "\(verb) \(r.id): on what ground?", items: items, textLabel: "Note", textRequired: true,
                                textPlaceholder: "what you found, for the case history")
        session.present(PickerOverlay(picker, crumb: verb.lowercased()) { [unowned self] id, note in
            guard let ground = ModerationGround(rawValue: id) else { return }
            guard ground.needsClause else {
                then(ground, note ?? "", nil)
                return
            }
            let form = FormView(title: "\(verb) \(r.id) on \(ground.rawValue): which clause of the Terms of Use was violated?",
                                fields: [FormField(id: "clause", label: "Clause", placeholder: "e.g. 4.2", maxLength: 80)])
            self.session.present(FormOverlay(form, crumb: "clause") { form in
                let clause = (form["clause"] ?? "").trimmingSpaces
                guard !clause.isEmpty else {
                    form.setError("\(ground.label): give the clause, e.g. 4.2", for: "clause")
                    return false
                }
                then(ground, note ?? "", clause)
                return true
            })
        })
    }

    private func groundText(_ ground: ModerationGround, _ clause: String?) -> String {
        ground.rawValue + (clause.map { " (clause \(TerminalText.sanitize($0)))" } ?? "")
    }

    /// The word the keymap asks to be typed before `action`, if any.
    private func typedWord(for action: ActionID) -> String? {
        if case .typedWord(let word)? = session.keymap.entry(for: action)?.confirmation { return word }
        return nil
    }

    private func block() {
        guard let d = currentReport() else { return }
        let r = d.report
        chooseGround(for: r, verb: "Block") { [unowned self] ground, note, clause in
            let dialog = ConfirmDialog.confirm(
                title: "Block \(r.communicationId)",
                message: ["Block the message \(r.communicationId) reported in \(r.id)?",
                          "It moves out of the customer's Maildir into the quarantine; the mail server no longer serves it. Unblock puts it back.",
                          "Ground: \(self.groundText(ground, clause))", "Note: \(TerminalText.sanitize(note))"],
                action: "Block", id: "block", destructive: true, typeToConfirm: self.typedWord(for: .reportBlock))
            self.session.present(ConfirmOverlay(dialog, crumb: "block?") { [unowned self] _ in
                do {
                    _ = try self.ops.block(report: r.id, ground: ground, clause: clause, note: note, expectVersion: r.version)
                    self.decided(r.id)
                    self.session.show("\(r.communicationId) blocked (\(ground.rawValue)); it is in the quarantine now", .success)
                } catch {
                    self.failed(r.id, error)
                }
            })
        }
    }

    private func delete() {
        guard let d = currentReport() else { return }
        let r = d.report
        chooseGround(for: r, verb: "Delete") { [unowned self] ground, note, clause in
            let dialog = ConfirmDialog.confirm(
                title: "Delete \(r.communicationId) for good",
                message: ["Delete the message \(r.communicationId) reported in \(r.id)? This cannot be undone:",
                          "only its SHA-256 and size are kept as evidence.",
                          "Ground: \(self.groundText(ground, clause))", "Note: \(TerminalText.sanitize(note))"],
                action: "Delete", id: "delete", destructive: true, typeToConfirm: self.typedWord(for: .reportDelete) ?? "delete")
            self.session.present(ConfirmOverlay(dialog, crumb: "delete?") { [unowned self] _ in
                do {
                    _ = try self.ops.delete(report: r.id, ground: ground, clause: clause, note: note, confirmed: true, expectVersion: r.version)
                    self.decided(r.id)
                    self.session.show("\(r.communicationId) deleted for good (\(ground.rawValue)); its SHA-256 and size are kept", .success)
                } catch {
                    self.failed(r.id, error)
                }
            })
        }
    }

    private func unblock() {
        guard let d = currentReport() else { return }
        let r = d.report
        askText(title: "Unblock \(r.communicationId) (report \(r.id))", label: "Reason", placeholder: "why it may be served again",
                crumb: "unblock",
                confirm: { reason in
                    ConfirmDialog.confirm(title: "Unblock \(r.communicationId)",
                                          message: ["Put \(r.communicationId) back into the customer's Maildir?", "Reason: \(TerminalText.sanitize(reason))"],
                                          action: "Unblock", id: "unblock")
                },
                commit: { [unowned self] reason in
                    _ = try self.ops.unblock(report: r.id, reason: reason, expectVersion: r.version)
                    self.session.show("\(r.communicationId) unblocked: it is back in the customer's Maildir", .success)
                }, id: r.id)
    }

    private func dismiss() {
        guard let d = currentReport() else { return }
        let r = d.report
        askText(title: "Dismiss report \(r.id)", label: "Note", placeholder: "why no action is needed", crumb: "dismiss",
                confirm: { note in
                    ConfirmDialog.confirm(title: "Dismiss \(r.id)",
                                          message: ["Close report \(r.id) without action? The message stays as it is.", "Note: \(TerminalText.sanitize(note))"],
                                          action: "Dismiss", id: "dismiss")
                },
                commit: { [unowned self] note in
                    _ = try self.ops.dismiss(report: r.id, note: note, expectVersion: r.version)
                    self.session.show("\(r.id) dismissed", .success)
                }, id: r.id)
    }

    /// Asks for one text (a note, a reason), confirms, and commits. When the service refuses
    /// the text, the form comes back with the service's message on the field.
    private func askText(title: String, label: String, placeholder: String, crumb: String, form existing: FormView? = nil,
                         confirm: @escaping (String) -> ConfirmDialog, commit: @escaping (String) throws -> Void, id: String) {
        let form = existing ?? FormView(title: title, fields: [FormField(id: "text", label: label, placeholder: placeholder, maxLength: 2000)])
        session.present(FormOverlay(form, crumb: crumb) { [unowned self] form in
            let text = form["text"] ?? ""
            let submitted = form
            self.session.present(ConfirmOverlay(confirm(text), crumb: crumb + "?") { [unowned self] _ in
                do {
                    try commit(text)
                    self.decided(id)
                } catch {
                    let e = OpsError.from(error)
                    if e.isInvalid {
                        var again = submitted
                        again.setError(e.consoleText, for: "text")
                        self.askText(title: title, label: label, placeholder: placeholder, crumb: crumb, form: again,
                                     confirm: confirm, commit: commit, id: id)
                    } else {
                        self.failed(id, e)
                    }
                }
            })
            return true
        })
    }
}
