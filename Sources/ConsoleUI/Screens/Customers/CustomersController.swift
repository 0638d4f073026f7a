import PrivacyOps

/// The customers screen: the list (filter as you type across name, e-mail, phone and
/// address; sort by column; status filter from `:customers active`), a customer's detail, and
/// the actions edit, note, status and add, each a service call.
final class CustomersController: TableScreen {
    let exportKind: ExportKind? = .customers
    let id = ScreenID.customers
    let title = "Customers"
    let workspace: Workspace = .customers
    let collections: Set<String> = ["customers", "suppressions", "optouts", "notes", "communications"]
    var isStale = true
    let session: ConsoleSession
    var model = CustomersModel()
    let rows: CustomerRows
    /// Stores at most this big filter and sort on the loop's thread, on every key; bigger ones
    /// when typing pauses, in the background.
    var backgroundThreshold = 50_000
    static let filterDelay: Duration = .milliseconds(80)

    var pane: ListPane {
        get { model.pane }
        set { model.pane = newValue }
    }

    private var ops: PrivacyOps { session.ops }

    init(session: ConsoleSession) {
        self.session = session
        rows = CustomerRows(ops: session.ops)
    }

    // MARK: Loading

    func activate(arguments: [String]?) {
        if let arguments {
            model.statusFilter = arguments.first.flatMap(CustomerStatus.init(rawValue:))
            pane.closeDetail()
            isStale = true
        }
        if isStale { reload() }
    }

    func reload() {
        isStale = false
        let keep = model.selectAfterReload ?? (pane.table.cursor < rows.count ? rows.rowKey(at: pane.table.cursor) : nil)
        model.selectAfterReload = nil
        let query = CustomerListQuery(text: model.appliedFilter, status: model.statusFilter, sortKey: model.sortKey, ascending: model.ascending)
        do {
            // The service's own check that this user may list customers.
            _ = try ops.listCustomers(limit: 0)
            var open: [String: Int] = [:]
            if session.may(.optoutsList) {
                for r in try ops.listOptOuts() where r.isOpen {
                    for m in r.matches { open[m, default: 0] += 1 }
                }
            }
            let suppressed = try ops.suppressedScopesByContactKey()
            let total = try ops.customerCount()
            if query.scansRecords && total > backgroundThreshold {
                // A large store: filter and sort off the loop's thread; the rows shown stay
                // until the result arrives on a tick.
                rows.update(ids: rows.ids, suppressed: suppressed, openOptOuts: open)
                startJob(query, keep: keep, rowsToScan: total)
            } else {
                job = nil
                queued = nil
                model.working = nil
                rows.update(ids: try query.run(ops), suppressed: suppressed, openOptOuts: open)
                model.shownSort = (query.sortKey, query.ascending)
            }
            pane.loadError = nil
        } catch {
            job = nil
            queued = nil
            model.working = nil
            rows.update(ids: [], suppressed: [:], openOptOuts: [:])
            pane.loadError = OpsError.from(error).consoleText
        }
        pane.restoreCursor(to: keep, in: rows)
        if pane.isInDetail { reloadDetail() }
    }

    /// The job computing the rows of a large store, with what it was started for.
    private var job: (query: CustomerListQuery, keep: String?, moveToTop: Bool, work: BackgroundJob<[String]>)?
    /// The query to run when the running job ends: one job at a time, the latest wish wins.
    private var queued: (query: CustomerListQuery, moveToTop: Bool)?
    /// Set when the rows being computed start a new list (a new filter or sort): the cursor goes to the top.
    private var nextResultStartsAtTop = false

    private func startJob(_ query: CustomerListQuery, keep: String?, rowsToScan: Int) {
        let toTop = nextResultStartsAtTop || (queued?.moveToTop ?? false)
        nextResultStartsAtTop = false
        if let running = job {
            // Run again when it ends: the store or the wish changed since it started.
            queued = (query, toTop || (running.query == query && running.moveToTop))
        } else {
            let ops = self.ops
            job = (query, keep, toTop, BackgroundJob { try query.run(ops) })
            queued = nil
        }
        let target = queued?.query ?? query
        let verb = target.sortKey != model.shownSort.key || target.ascending != model.shownSort.ascending ? "sorting" : "filtering"
        model.working = "\(verb) \(TextFitting.grouped(rowsToScan)) customers…"
    }

    /// Takes the background job's rows when it finished; starts the queued query, if any.
    private func takeJobResult() -> Bool {
        guard let running = job, let result = running.work.poll() else { return false }
        job = nil
        if let next = queued {
            // Superseded while it ran: compute what is wanted now instead.
            queued = nil
            nextResultStartsAtTop = next.moveToTop
            startJob(next.query, keep: running.keep, rowsToScan: (try? ops.customerCount()) ?? 0)
            return true
        }
        model.working = nil
        switch result {
        case .success(let ids):
            // The cursor may have moved while the job ran: keep the row it is on now.
            let current = pane.table.cursor < rows.count ? rows.rowKey(at: pane.table.cursor) : running.keep
            rows.update(ids: ids, suppressed: rows.suppressed, openOptOuts: rows.openOptOuts)
            let sortChanged = model.shownSort.key != running.query.sortKey || model.shownSort.ascending != running.query.ascending
            model.shownSort = (running.query.sortKey, running.query.ascending)
            if sortChanged || running.moveToTop {
                pane.table.moveToTop(count: rows.count)
            } else {
                pane.restoreCursor(to: current, in: rows)
            }
        case .failure(let error):
            session.show(OpsError.from(error).consoleText, .error)
        }
        return true
    }

    /// Waits for a running background job (tests).
    func finishBackgroundWork() {
        while let running = job {
            _ = running.work.wait()
            _ = takeJobResult()
        }
    }

    func storeChanged(_ changes: StoreChanges) {
        rows.invalidate(changes.reloaded ? nil : changes.changed["customers"] ?? [])
        if changes.touches("customers") || changes.touches("suppressions") || changes.touches("optouts") {
            isStale = true
        } else if pane.isInDetail {
            reloadDetail()
        }
    }

    func filterChanged() {
        if ((try? ops.customerCount()) ?? 0) <= backgroundThreshold {
            applyFilter()
        } else {
            model.filterPendingSince = session.clock()
        }
    }

    private func applyFilter() {
        model.filterPendingSince = nil
        guard model.appliedFilter != pane.filterText else { return }
        model.appliedFilter = pane.filterText
        nextResultStartsAtTop = true
        reload()
        pane.table.moveToTop(count: rows.count)
    }

    func tick(now: ContinuousClock.Instant) -> Bool {
        var changed = takeJobResult()
        if takeFrequencyResult() { changed = true }
        if let since = model.filterPendingSince, now - since >= Self.filterDelay {
            applyFilter()
            changed = true
        }
        return changed
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
            let d = try ops.customerDetail(key)
            model.openVersion = d.customer.version
            pane.setDetail(title: CustomersRender.title(d.customer),
                           lines: CustomersRender.detail(d, width: session.textWidth, showsOptOuts: session.may(.optoutsList),
                                                         showsCommunications: session.may(.commsList)))
        } catch {
            pane.setDetail(title: key, lines: [StyledLine(OpsError.from(error).consoleText, style: .error)])
        }
    }

    // MARK: Layout

    func layoutColumns(width: Int) {
        let layout = model.chosenColumns ?? CustomersRender.layout(width: width)
        if layout != rows.layout {
            rows.layout = layout
            pane.table.columns = CustomersRender.columns(for: layout)
        }
        let shown = model.shownSort
        pane.table.sort = layout.firstIndex { $0.sortKey == shown.key }.map { TableSort(column: $0, ascending: shown.ascending) }
    }

    func drawBody(on screen: TerminalScreen, in rect: Rect) {
        layoutColumns(width: rect.width - 2)
        pane.table.emptyMessage = EmptyStates.customers(session, filter: pane.filterText, status: model.statusFilter)
        var pane = self.pane
        ListPaneRender.draw(&pane, source: rows, on: screen, in: rect)
        self.pane = pane
    }

    func path() -> [String] {
        var parts: [String] = [model.statusFilter?.rawValue ?? "all"]
        let shown = model.shownSort
        if shown.key != .id || !shown.ascending {
            parts.append("by \(shown.key.rawValue)\(shown.ascending ? "" : " (reversed)")")
        }
        if let key = pane.openKey { parts.append(key) }
        return parts
    }

    func sort(next: Bool) {
        if next {
            let all = CustomerSortKey.allCases
            let i = all.firstIndex(of: model.sortKey) ?? 0
            model.sortKey = all[(i + 1) % all.count]
            model.ascending = true
        } else {
            model.ascending.toggle()
        }
        nextResultStartsAtTop = true
        reload()
        pane.table.moveToTop(count: rows.count)
        session.show(model.working.map { $0 + " (keys still work)" }
                     ?? "sorted by \(model.sortKey.rawValue), \(model.ascending ? "ascending" : "descending")")
    }

    // MARK: Frequencies

    /// The frequency popup of `column` over the customers listed now (the service counts them
    /// with the filter and status applied); without a column, a pick list of the columns first.
    func showFrequencies(_ column: FrequencyColumn?) {
        guard let column else {
            let items = FrequencyColumn.allCases.map { PickerItem(id: $0.rawValue, label: $0.title) }
            let picker = ListPicker(title: "Count customers per", items: items, selectedID: items.first?.id)
            session.present(PickerOverlay(picker, crumb: "frequency") { [unowned self] id, _ in
                self.showFrequencies(FrequencyColumn(rawValue: id) ?? .status)
            })
            return
        }
        let filter = model.appliedFilter, status = model.statusFilter, ops = self.ops
        let total = (try? ops.customerCount()) ?? 0
        if total > backgroundThreshold {
            // A large store is counted off the loop's thread; the popup opens on a tick.
            frequencyJob = (column, filter, status, BackgroundJob { try ops.customerFrequencies(of: column, filter: filter, status: status) })
            session.show("counting \(TextFitting.grouped(total)) customers per \(column.title)… (keys still work)")
            return
        }
        guard let table = session.attempt({ try ops.customerFrequencies(of: column, filter: filter, status: status) }) else { return }
        presentFrequencies(table, filter: filter, status: status)
    }

    /// The count running in the background, with what it counts.
    private var frequencyJob: (column: FrequencyColumn, filter: String, status: CustomerStatus?, work: BackgroundJob<FrequencyTable>)?

    private func presentFrequencies(_ table: FrequencyTable, filter: String, status: CustomerStatus?) {
        // The popup's inside: its box is at most 90 wide, 2 in from the body's edges, with a border and a margin.
        let width = min(86, session.textWidth - 6)
        let pager = TextPager(title: CustomerFrequencyView.title(table, filter: filter, status: status),
                              lines: CustomerFrequencyView.lines(table, width: width))
        session.present(PopupPagerOverlay(pager, crumb: "per \(table.column.title)"))
    }

    /// Opens the popup when the background count is ready; returns whether it did.
    private func takeFrequencyResult() -> Bool {
        guard let job = frequencyJob, let result = job.work.poll() else { return false }
        frequencyJob = nil
        switch result {
        case .success(let table): presentFrequencies(table, filter: job.filter, status: job.status)
        case .failure(let error): session.show(OpsError.from(error).consoleText, .error)
        }
        return true
    }

    /// Waits for a background count (tests).
    func finishFrequencies() {
        guard let job = frequencyJob else { return }
        _ = job.work.wait()
        _ = takeFrequencyResult()
    }

    // MARK: Columns

    /// The column chooser; the choice stays until changed (a saved view keeps it).
    func chooseColumns() {
        let width = session.textWidth - 2
        let chooser = ColumnChooser(shown: model.chosenColumns ?? CustomersRender.layout(width: width), width: width)
        session.present(ColumnChooserOverlay(chooser) { [unowned self] columns in
            self.model.chosenColumns = columns
            self.session.show(columns.map { "columns: " + $0.map(\.table.title).joined(separator: ", ") } ?? "columns: what fits the width")
        })
    }

    // MARK: Saved views

    /// What the screen shows now, as a view named `name`.
    func savedView(named name: String) -> SavedView {
        SavedView(name: name, filter: pane.filterText, status: model.statusFilter, sort: model.sortKey, ascending: model.ascending,
                  columns: model.chosenColumns?.map(\.sortKey))
    }

    /// Shows the list as `view` says: its filter, status, sort and columns.
    func apply(_ view: SavedView) {
        pane.closeDetail()
        pane.filter.text = view.filter
        pane.isEditingFilter = false
        model.statusFilter = view.status
        model.sortKey = view.sort
        model.ascending = view.ascending
        model.chosenColumns = view.columns.map { $0.compactMap(CustomersRender.Column.init) }
        model.filterPendingSince = nil
        model.appliedFilter = pane.filterText
        nextResultStartsAtTop = true
        reload()
        pane.table.moveToTop(count: rows.count)
    }

    /// The rows as shown; none while a large store is still filtering or sorting (the rows on
    /// screen are not yet those of the filter typed).
    func exportSelection() -> ExportSelection {
        if let working = model.working { return .unavailable("wait: \(working) (export once the list is shown)") }
        if let error = pane.loadError { return .unavailable(error) }
        if model.filterPendingSince != nil || model.appliedFilter != pane.filterText {
            return .unavailable("wait: the filter is still being applied (export once the list is shown)")
        }
        return .rows(.customers, rows.ids)
    }

    func trailing() -> String {
        var parts: [String] = []
        if let working = model.working { parts.append(working) }
        if !pane.filterText.isEmpty && !pane.isInDetail && model.working == nil { parts.append("\(TextFitting.grouped(rows.count)) matching") }
        return parts.joined(separator: " · ")
    }

    // MARK: Actions

    func performScreenAction(_ action: ActionID) -> Bool {
        switch action {
        case .customerEdit: edit()
        case .customerNote: addNote()
        case .customerStatus: changeStatus()
        case .customerFrequency: showFrequencies(nil)
        case .customerColumns: chooseColumns()
        case .customerAdd: add()
        case .customerFileReport:
            guard let c = currentCustomer() else { return true }
            fileReport(forCustomer: c.id)
        default: return false
        }
        return true
    }

    private func currentCustomer() -> Customer? {
        guard let id = currentKey else {
            session.show("no customer selected", .warning)
            return nil
        }
        return session.attempt { try ops.customer(id) }
    }

    /// The changes the edit form's values make to `c` (only the fields that differ).
    static func changes(_ values: [String: String], from c: Customer) -> CustomerChanges {
        var ch = CustomerChanges()
        if let v = values["name"], v != c.name { ch.name = v }
        if let v = values["email"], v != c.email { ch.email = v }
        if let v = values["phone"], v != (c.phone ?? "") { ch.phone = v }
        if let v = values["address"], v != (c.address ?? "") { ch.address = v }
        if let v = values["services"] {
            let list = serviceList(v)
            if list != c.services { ch.services = list }
        }
        return ch
    }

    static func serviceList(_ text: String) -> [String] {
        text.split(separator: ",").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
    }

    private func contactFields(name: String = "", email: String = "", phone: String = "", address: String = "", services: String = "") -> [FormField] {
        [
            FormField(id: "name", label: "Name", value: name, maxLength: 200),
            FormField(id: "email", label: "E-mail", value: email, placeholder: "name@example.com", maxLength: 254),
            FormField(id: "phone", label: "Phone", value: phone, placeholder: "optional", maxLength: 40),
            FormField(id: "address", label: "Address", value: address, placeholder: "optional", maxLength: 500),
            FormField(id: "services", label: "Services", value: services, placeholder: "comma-separated, e.g. hosting, mail", maxLength: 500),
        ]
    }

    private func edit() {
        guard let c = currentCustomer() else { return }
        let form = FormView(title: "Edit \(CustomersRender.title(c)) (version \(c.version))",
                            fields: contactFields(name: c.name, email: c.email, phone: c.phone ?? "", address: c.address ?? "",
                                                  services: c.services.joined(separator: ", ")))
        session.present(FormOverlay(form, crumb: "edit", onLeaveField: { [unowned self] form, field in
            // Inline: the service's own checks of the field just left.
            let ch = Self.changes(form.values, from: c)
            form.setError(self.ops.customerFieldProblems(ch)[field], for: field)
        }, onSubmit: { [unowned self] form in
            self.save(&form, original: c)
        }))
    }

    /// Saves the edit form; returns whether the form closes.
    private func save(_ form: inout FormView, original c: Customer) -> Bool {
        let ch = Self.changes(form.values, from: c)
        if ch.isEmpty {
            session.show("nothing changed")
            return true
        }
        let problems = ops.customerFieldProblems(ch)
        if !problems.isEmpty {
            for field in form.fields { form.setError(problems[field.id], for: field.id) }
            form.focusFirstError()
            return false
        }
        do {
            let saved = try ops.updateCustomer(c.id, ch, expectVersion: c.version)
            session.didCommit()
            session.show("\(c.id) saved (version \(saved.version))", .success)
            return true
        } catch {
            let e = OpsError.from(error)
            if e.isConflict {
                lostRace(c.id, e)
                return true
            }
            form.formError = e.consoleText
            return false
        }
    }

    /// An edit lost a race: say so and show the record as it is now.
    private func lostRace(_ id: String, _ error: OpsError) {
        _ = try? ops.refresh()
        rows.invalidate([id])
        isStale = true
        pane.openKey = id
        reloadDetail()
        pane.notice = ("Not saved: \(error.consoleText). Below is the current record; press e to edit it again.", .error)
        session.show("not saved: \(id) was changed by someone else meanwhile; showing the current record", .warning)
    }

    private func addNote() {
        guard let c = currentCustomer() else { return }
        let form = FormView(title: "Add a note to the log of \(CustomersRender.title(c))",
                            fields: [FormField(id: "note", label: "Note", placeholder: "what happened, what was agreed", maxLength: 4000)])
        session.present(FormOverlay(form, crumb: "note") { [unowned self] form in
            do {
                let note = try self.ops.addNote(customer: c.id, text: form["note"] ?? "")
                self.session.didCommit()
                self.session.show("note \(note.id) added to \(c.id)", .success)
                return true
            } catch {
                let e = OpsError.from(error)
                if e.isInvalid { form.setError(e.consoleText, for: "note") } else { form.formError = e.consoleText }
                return false
            }
        })
    }

    private func changeStatus() {
        guard let c = currentCustomer() else { return }
        let items = CustomerStatus.allCases.map { PickerItem(id: $0.rawValue, label: $0.rawValue, detail: $0 == c.status ? "current" : nil) }
        let picker = ListPicker(title: "Status of \(CustomersRender.title(c))", items: items, selectedID: c.status.rawValue)
        session.present(PickerOverlay(picker, crumb: "status") { [unowned self] id, _ in
            guard let status = CustomerStatus(rawValue: id) else { return }
            guard status != c.status else {
                self.session.show("\(c.id) is already \(status.rawValue)")
                return
            }
            let dialog = ConfirmDialog.confirm(
                title: "Change status",
                message: ["Change the status of \(CustomersRender.title(c)) from \(c.status.rawValue) to \(status.rawValue)?"],
                action: "Set \(status.rawValue)", id: "status")
            self.session.present(ConfirmOverlay(dialog, crumb: "status?") { [unowned self] _ in
                do {
                    _ = try self.ops.updateCustomer(c.id, CustomerChanges(status: status), expectVersion: c.version)
                    self.session.didCommit()
                    self.session.show("\(c.id) is now \(status.rawValue)", .success)
                } catch {
                    let e = OpsError.from(error)
                    if e.isConflict { self.lostRace(c.id, e) } else { self.session.show(e.consoleText, .error) }
                }
            })
        })
    }

    private func add() {
        let form = FormView(title: "Add a customer", fields: contactFields())
        func input(_ values: [String: String]) -> CustomerInput {
            let phone = values["phone"]?.trimmingSpaces ?? "", address = values["address"]?.trimmingSpaces ?? ""
            return CustomerInput(name: values["name"] ?? "", email: values["email"] ?? "", phone: phone.isEmpty ? nil : phone,
                                 address: address.isEmpty ? nil : address, services: Self.serviceList(values["services"] ?? ""))
        }
        session.present(FormOverlay(form, crumb: "add", onLeaveField: { [unowned self] form, field in
            form.setError(self.ops.customerFieldProblems(input(form.values))[field], for: field)
        }, onSubmit: { [unowned self] form in
            let new = input(form.values)
            let problems = self.ops.customerFieldProblems(new)
            if !problems.isEmpty {
                for field in form.fields { form.setError(problems[field.id], for: field.id) }
                form.focusFirstError()
                return false
            }
            do {
                let c = try self.ops.addCustomer(new)
                self.session.didCommit()
                self.model.selectAfterReload = c.id
                self.session.show("added \(c.id)", .success)
                return true
            } catch {
                form.formError = OpsError.from(error).consoleText
                return false
            }
        }))
    }
}
