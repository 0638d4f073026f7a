import PrivacyOps

/// Recording a disclosure request in the console: the kind, then a ground picker that offers
/// only that kind's grounds, then the request type (only legal ones for `legal-process`), the
/// requester type (law enforcement alone for `law-enforcement-inadvertent`), then a form that
/// asks for what the ground needs (a reference, the case where the content was seen). The
/// service checks it all again when it records.
struct DisclosureRecordFlow {
    let session: ConsoleSession

    private var ops: PrivacyOps { session.ops }

    func start() {
        let kinds = DisclosureKind.allCases.filter(\.isRecordedByHand).map {
            PickerItem(id: $0.rawValue, label: $0.rawValue, detail: $0.label)
        }
        session.present(PickerOverlay(ListPicker(title: "Record a disclosure request: what is asked for?", items: kinds), crumb: "record") { kindID, _ in
            guard let kind = DisclosureKind(rawValue: kindID) else { return }
            self.pickGround(kind)
        })
    }

    /// The grounds of `kind`, each with what it needs.
    static func groundItems(_ kind: DisclosureKind) -> [PickerItem] {
        kind.grounds.map { g in
            PickerItem(id: g.rawValue, label: g.rawValue, detail: g.label + (g.needs.map { "; needs \($0)" } ?? ""))
        }
    }

    private func pickGround(_ kind: DisclosureKind) {
        let picker = ListPicker(title: "Ground for this \(kind.rawValue) disclosure (exactly one)", items: Self.groundItems(kind))
        session.present(PickerOverlay(picker, crumb: "ground") { groundID, _ in
            guard let ground = DisclosureGround(rawValue: groundID) else { return }
            self.pickRequestType(kind, ground)
        })
    }

    private func pickRequestType(_ kind: DisclosureKind, _ ground: DisclosureGround) {
        let types: [DisclosureRequestType] = ground == .legalProcess ? DisclosureRequestType.legal
            : DisclosureRequestType.allCases.filter { $0 != .partnerAgreement }
        let items = types.map { t in
            PickerItem(id: t.rawValue, label: t.rawValue, detail: t == .preservation ? "tracked, not counted as a disclosure" : nil)
        }
        let picker = ListPicker(title: "What kind of request is it?", items: items)
        session.present(PickerOverlay(picker, crumb: "request type") { typeID, _ in
            guard let type = DisclosureRequestType(rawValue: typeID) else { return }
            if ground == .lawEnforcementInadvertent {
                self.form(kind, ground, type, .lawEnforcement)
            } else {
                self.pickRequesterType(kind, ground, type)
            }
        })
    }

    private func pickRequesterType(_ kind: DisclosureKind, _ ground: DisclosureGround, _ type: DisclosureRequestType) {
        let items = RequesterType.allCases.filter { $0 != .partner || kind == .content }.map { PickerItem(id: $0.rawValue, label: $0.rawValue) }
        let picker = ListPicker(title: "Who is asking?", items: items)
        session.present(PickerOverlay(picker, crumb: "requester") { requesterID, _ in
            guard let requester = RequesterType(rawValue: requesterID) else { return }
            self.form(kind, ground, type, requester)
        })
    }

    /// The form's fields for `ground`: what every request has, and what this ground needs.
    static func fields(kind: DisclosureKind, ground: DisclosureGround, from d: Disclosure? = nil) -> [FormField] {
        var fields = [FormField(id: "requester", label: "Requester", value: d?.requester ?? "", placeholder: "agency, court or person asking", maxLength: 200)]
        let needsReference = ground == .legalProcess
        fields.append(FormField(id: "reference", label: needsReference ? "Reference (needed)" : "Reference", value: d?.reference ?? "",
                                placeholder: needsReference ? "docket or warrant number" : "optional", maxLength: 200))
        if kind == .content {
            fields.append(FormField(id: "comms", label: "Messages", value: d?.communicationIds.joined(separator: " ") ?? "",
                                    placeholder: "communication ids, e.g. M0000014 M0000015", maxLength: 2000))
        }
        if ground == .lawEnforcementInadvertent || d?.caseId != nil {
            fields.append(FormField(id: "case", label: ground == .lawEnforcementInadvertent ? "Seen in (needed)" : "Case", value: d?.caseId ?? "",
                                    placeholder: "the report in which the content was seen, e.g. R000003", maxLength: 128))
        }
        if kind == .account {
            fields.append(FormField(id: "customers", label: "Customers", value: d?.customerIds.joined(separator: " ") ?? "",
                                    placeholder: "customer ids, e.g. C0000001", maxLength: 2000))
        }
        let categories = d?.dataCategories.filter { kind == .account || $0 != .content }.map(\.rawValue).joined(separator: " ") ?? ""
        fields.append(FormField(id: "categories", label: kind == .account ? "Categories (needed)" : "Also discloses",
                                value: categories, placeholder: "contact account-status services customer-log", maxLength: 200))
        fields.append(FormField(id: "due", label: "Due", value: "", placeholder: d.map { "now \(Format.date($0.dueAt)); blank keeps it" } ?? "blank: 10 business days", maxLength: 40))
        fields.append(FormField(id: "note", label: "Note", value: d?.note ?? "", placeholder: "optional", maxLength: 4000))
        return fields
    }

    /// The data categories typed in a field (names separated by spaces or commas); nil when
    /// the field is absent or blank.
    static func categories(_ text: String?) throws -> [DataCategory]? {
        guard let text else { return nil }
        let names = DisclosuresController.ids(text)
        if names.isEmpty { return nil }
        return try names.map { name in
            guard let c = DataCategory(rawValue: name.lowercased()) else {
                throw OpsError.invalid("'\(TerminalText.sanitize(name))' is not a data category: use contact, account-status, services, customer-log or content")
            }
            return c
        }
    }

    /// Shows a refusal on the form: on the field it is about when one is named, and above the form.
    static func place(_ message: String, in form: inout FormView) {
        form.clearErrors()
        form.formError = message
        let lower = message.lowercased()
        let field: String?
        if lower.contains("card number") {
            field = nil
        } else if lower.contains("reference") {
            field = "reference"
        } else if lower.contains("--case") || lower.contains("report") {
            field = "case"
        } else if lower.contains("communication") || lower.contains("--comm") {
            field = "comms"
        } else if lower.contains("customer") {
            field = "customers"
        } else if lower.contains("categor") {
            field = "categories"
        } else if lower.contains("date") {
            field = "due"
        } else if lower.contains("requester") {
            field = "requester"
        } else {
            field = nil
        }
        if let field, form.fields.contains(where: { $0.id == field }) {
            form.setError(message, for: field)
            form.focusFirstError()
        }
    }

    private func form(_ kind: DisclosureKind, _ ground: DisclosureGround, _ type: DisclosureRequestType, _ requester: RequesterType) {
        var form = FormView(title: "Record: \(kind.rawValue) on \(ground.rawValue) (\(type.rawValue) from \(requester.rawValue))",
                            fields: Self.fields(kind: kind, ground: ground))
        if let needs = ground.needs { form.formError = "This ground needs \(needs)." }
        session.present(FormOverlay(form, crumb: "record") { form in
            let v = form.values
            do {
                let input = DisclosureInput(
                    kind: kind, ground: ground, requester: v["requester"] ?? "", requesterType: requester, requestType: type,
                    reference: v["reference"], dueAt: v["due"].flatMap { $0.trimmingSpaces.isEmpty ? nil : $0 },
                    customerIds: DisclosuresController.ids(v["customers"] ?? ""), communicationIds: DisclosuresController.ids(v["comms"] ?? ""),
                    caseId: v["case"], dataCategories: try Self.categories(v["categories"]) ?? [], note: v["note"])
                let d = try self.ops.recordDisclosure(input)
                self.session.didCommit()
                self.session.show("\(d.id) recorded; it needs the approval of an admin other than \(d.recordedBy)", .success)
                return true
            } catch {
                let e = OpsError.from(error)
                Self.place(e.consoleText, in: &form)
                return false
            }
        })
    }
}
