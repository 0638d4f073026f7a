import Foundation

// "Content only through a case" involves two people. A report filed by a member of staff on
// their own word has one person behind it: its filer may not read the reported content through
// it until another moderator or admin confirms it. Anyone else with the role may (the filer is
// then the second person). A report filed for a reporter outside the staff has the reporter
// behind it from the start. Admins are bound like moderators: whoever filed a report may not
// be the only person behind the content they read.

/// The rules of content access through a report, decided here for every front end.
enum CaseRules {
    /// Whether `reporter` names someone outside the staff: not the filer, not root, and not a
    /// member of staff in this store, compared without case, as the whole name and as the part
    /// before an `@` (so `mo@loopgalaxy.com` is the moderator `mo`, not an outsider).
    ///
    /// The reporter's name is the filer's word: the filing is audited under the filer's name,
    /// so a made-up outside reporter is attributable to whoever made it up.
    static func isOutsideReporter(_ reporter: String?, filer: String, in view: any StoreSnapshot) throws -> Bool {
        guard let reporter else { return false }
        let whole = reporter.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard !whole.isEmpty else { return false }
        var names: Set<String> = [whole]
        if let at = whole.firstIndex(of: "@") { names.insert(String(whole[..<at])) }
        var staff: Set<String> = [filer.lowercased(), "root"]
        for user in try view.all(Collections.users) { staff.insert(user.id.lowercased()) }
        return names.isDisjoint(with: staff)
    }

    /// Why `actor` may not read content through `r` now, or nil when the case allows it (the
    /// role is checked apart).
    static func contentRefusal(_ r: Report, actor: String) -> OpsError? {
        guard r.state.isOpenCase else {
            return .denied("case \(r.id) is \(r.state.rawValue), not open: content is viewable only through an open case")
        }
        if r.confirmation == .awaiting, r.filedBy == actor {
            return .denied("you (\(actor)) filed report \(r.id) yourself: another moderator or admin must confirm it first ('lgadmin reports confirm \(r.id)')")
        }
        return nil
    }

    /// Why `actor` may not confirm `r` now, or nil when they may (the role is checked apart).
    static func confirmRefusal(_ r: Report, actor: String) -> OpsError? {
        guard r.state.isOpenCase else {
            return .invalid("report \(r.id) is \(r.state.rawValue): only an open case can be confirmed")
        }
        switch r.confirmation {
        case .confirmed:
            return .invalid("report \(r.id) was confirmed by \(r.confirmedBy ?? "someone") already: nothing to do")
        case .outsideReporter:
            return .invalid("report \(r.id) came from an outside reporter (\(TerminalText.sanitize(r.reporter ?? "?"))): it needs no confirmation")
        case .awaiting:
            break
        }
        if r.filedBy == actor {
            return .denied("you (\(actor)) filed report \(r.id) yourself and may not confirm it: another moderator or admin must")
        }
        return nil
    }
}

extension PrivacyOps {
    /// Why the actor may not read content through report `r` now (a closed case, or a case they
    /// filed that nobody else confirmed), or nil when the case allows it. Front ends grey their
    /// view action with it; ``viewContent(_:case:)`` refuses with the same error. The role is
    /// ``can(_:)``'s answer.
    public func contentRefusal(through r: Report) -> OpsError? {
        CaseRules.contentRefusal(r, actor: actor.name)
    }

    /// Why the actor may not confirm report `r` now (their own report, one that needs no
    /// confirmation, a closed case), or nil when they may. ``confirmReport(_:note:expectVersion:)``
    /// refuses with the same error.
    public func confirmRefusal(of r: Report) -> OpsError? {
        CaseRules.confirmRefusal(r, actor: actor.name)
    }

    /// Confirms a report filed by someone else, so that its filer, too, may view the reported
    /// content through it. Audited, with the note in the case history.
    public func confirmReport(_ id: String, note: String? = nil, expectVersion: Int? = nil) throws -> Report {
        let id = try Validate.id("report", id)
        let note = try Validate.optionalText("note", note)
        return try change(.reportsConfirm, target: id, caseId: id) { ctx in
            guard var r = try ctx.view.get(Collections.reports, id: id) else {
                throw OpsError.notFound(.missing(.report, id))
            }
            if let v = expectVersion, v != r.version {
                throw OpsError.conflict(OpsProblem("report \(id) changed since version \(v)", record: OpsRecordRef(kind: .report, id: id), remedy: .reloadAndRetry(currentVersion: nil)))
            }
            if let refusal = CaseRules.confirmRefusal(r, actor: ctx.actor) { throw refusal }
            r.confirmation = .confirmed
            r.confirmedBy = ctx.actor
            r.confirmedAt = ctx.now
            r.history.append(CaseEvent(at: ctx.now, by: ctx.actor, action: "confirmed", note: note))
            let rv = r.version
            try ctx.tx.update(r, in: Collections.reports, expecting: rv)
            r.version = rv + 1
            return ("confirmed report \(id) filed by \(r.filedBy)" + (note.map { ": \($0)" } ?? ""), r)
        }
    }
}
