import PrivacyOps

/// Filing a report on one of a customer's communications from the customers screen (`f`):
/// pick the message, then what triggered the report, then the reason and who reported it. The
/// service files it (``PrivacyOps/fileReport(communication:trigger:reason:reporter:)``, the call
/// `lgadmin reports file` makes), with its audit event; its rules and refusals are the service's.
extension CustomersController {
    /// The trigger's meaning, for the picker.
    static func triggerDetail(_ t: ReportTrigger) -> String {
        switch t {
        case .abuseReport: "someone reported abuse (a complaint, an abuse@ mail)"
        case .touComplaint: "a complaint that it breaks the Terms of Use"
        case .automatedFlag: "a filter or scanner flagged it"
        case .legal: "a legal request or order names it"
        }
    }

    /// Starts the flow for the customer `id` (the open one, or the one under the cursor).
    func fileReport(forCustomer id: String) {
        guard let detail = session.attempt({ try session.ops.customerDetail(id) }) else { return }
        let comms = detail.communications.filter { $0.state != .deleted }
        guard !comms.isEmpty else {
            session.show("\(id) has no communications to report: 'lgadmin comms import-maildir DIR --customer \(id)' indexes their Maildir", .warning)
            return
        }
        let items = comms.map {
            PickerItem(id: $0.id, label: "\($0.id)  \(Format.date($0.date))  \($0.state.rawValue)",
                       detail: TerminalText.sanitize("\($0.from) · \($0.subject)"))
        }
        let picker = ListPicker(title: "File a report on which of \(id)'s communications?", items: items)
        session.present(PickerOverlay(picker, crumb: "report") { [unowned self] commId, _ in
            self.chooseTrigger(commId)
        })
    }

    private func chooseTrigger(_ commId: String) {
        let items = ReportTrigger.allCases.map { PickerItem(id: $0.rawValue, label: $0.rawValue, detail: Self.triggerDetail($0)) }
        let picker = ListPicker(title: "Report \(commId): what brought it up?", items: items)
        session.present(PickerOverlay(picker, crumb: "trigger") { [unowned self] raw, _ in
            guard let trigger = ReportTrigger(rawValue: raw) else { return }
            self.askReason(commId, trigger)
        })
    }

    private func askReason(_ commId: String, _ trigger: ReportTrigger) {
        let form = FormView(title: "Report \(commId) (\(trigger.rawValue))", fields: [
            FormField(id: "reason", label: "Reason", placeholder: "what is wrong with it", maxLength: 2000),
            FormField(id: "reporter", label: "Reporter", placeholder: "who reported it (optional): an address, a customer id", maxLength: 200),
        ])
        session.present(FormOverlay(form, crumb: "reason") { [unowned self] form in
            let reason = (form["reason"] ?? "").trimmingSpaces
            let reporter = (form["reporter"] ?? "").trimmingSpaces
            guard !reason.isEmpty else {
                form.setError("say what is wrong with the message", for: "reason")
                return false
            }
            do {
                let r = try self.session.ops.fileReport(communication: commId, trigger: trigger, reason: reason,
                                                        reporter: reporter.isEmpty ? nil : reporter)
                self.session.didCommit()
                self.session.show("filed \(r.id) about \(commId): moderators find it under 3 Reports", .success)
                return true
            } catch {
                let e = OpsError.from(error)
                if e.isInvalid {
                    form.setError(e.message, for: "reason")
                    return false
                }
                self.session.show(e.consoleText, .error)
                return true
            }
        })
    }
}
