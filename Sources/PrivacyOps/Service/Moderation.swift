internal import FlatStore
import Foundation

/// A report with what a moderator needs to see.
public struct ReportDetail: Sendable {
    public var report: Report
    public var communication: Communication?
}

extension PrivacyOps {
    /// Files a report about a communication: the case through which it may be reviewed.
    ///
    /// A report for a `reporter` who is not a member of staff has a second person behind it
    /// from the start (``ReportConfirmation/outsideReporter``); any other report awaits
    /// confirmation by another moderator or admin before its filer may view content through
    /// it (see ``confirmReport(_:note:expectVersion:)``).
    public func fileReport(communication commId: String, trigger: ReportTrigger, reason: String, reporter: String?) throws -> Report {
        let commId = try Validate.id("communication", commId)
        let reason = try Validate.text("reason", reason)
        let reporter = try Validate.optionalText("reporter", reporter, max: 200)
        return try change(.reportsFile, target: commId) { ctx in
            guard let c = try ctx.view.get(Collections.communications, id: commId) else {
                throw OpsError.notFound(.missing(.communication, commId))
            }
            guard c.state != .deleted else { throw OpsError.invalid("communication \(commId) was deleted: there is nothing to report") }
            let id = try ctx.nextID("reports", prefix: "R", width: 6)
            ctx.caseId = id
            ctx.target = id
            let outside = try CaseRules.isOutsideReporter(reporter, filer: ctx.actor, in: ctx.view)
            var r = Report(id: id, version: 0, communicationId: commId, customerId: c.customerId, trigger: trigger, reason: reason,
                           reporter: reporter, state: .open, ground: nil, clause: nil, decidedBy: nil, decidedAt: nil,
                           filedBy: ctx.actor, filedAt: ctx.now, confirmation: outside ? .outsideReporter : .awaiting,
                           confirmedBy: nil, confirmedAt: nil,
                           history: [CaseEvent(at: ctx.now, by: ctx.actor, action: "filed", note: reason)])
            try ctx.tx.insert(r, into: Collections.reports)
            r.version = 1
            let standing = outside ? "for an outside reporter" : "awaiting confirmation by another moderator or admin"
            return ("report \(id) filed (\(trigger.rawValue)), \(standing)", r)
        }
    }

    /// Reports, open ones first, oldest first.
    public func listReports(state: ReportState? = nil) throws -> [Report] {
        try authorize(.reportsList)
        return try view().all(Collections.reports)
            .filter { state == nil || $0.state == state }
            .sorted { ($0.state == .open ? 0 : 1, $0.filedAt, $0.id) < ($1.state == .open ? 0 : 1, $1.filedAt, $1.id) }
    }

    public func report(_ id: String) throws -> ReportDetail {
        try authorize(.reportsShow)
        let id = try Validate.id("report", id)
        let v = view()
        guard let r = try v.get(Collections.reports, id: id) else {
            throw OpsError.notFound(.missing(.report, id))
        }
        return ReportDetail(report: r, communication: try v.get(Collections.communications, id: r.communicationId))
    }

    /// Blocks the reported message: it moves out of the customer's Maildir into the quarantine.
    ///
    /// The Maildir's file is read through descriptors and checked to be the message (no link,
    /// the inode indexed, the SHA-256 recorded) before it is copied; a file that is not is
    /// refused and the refusal audited. The copy is durable in the quarantine before the block
    /// commits; the Maildir's file is removed after, and only while it is still the file copied.
    /// Its owner, group and mode are recorded, for unblock.
    public func block(report id: String, ground: ModerationGround, clause: String?, note: String, expectVersion: Int? = nil) throws -> Report {
        let id = try Validate.id("report", id)
        let note = try Validate.text("note", note)
        let clause = try Validate.optionalText("clause", clause, max: 80)
        if ground == .touViolation, clause == nil {
            throw OpsError.invalid("a Terms of Use ground needs the clause violated: add --clause (for example --clause 4.2)")
        }
        try authorize(.moderationBlock)
        let (r0, c0) = try caseAndMessage(id)
        guard r0.state == .open else { throw OpsError.invalid("report \(id) is \(r0.state.rawValue): only open reports can be blocked") }
        guard c0.state == .visible else { throw OpsError.invalid("communication \(c0.id) is \(c0.state.rawValue) already") }
        reconcile(c0)
        let source = try usingMessageFile(c0, for: .moderationBlock, caseId: id, inQuarantine: false, nothing: "nothing was moved") {
            try mover.readFromMaildir(c0)
        }
        guard let source else {
            throw OpsError.failure(OpsProblem("the message file of \(c0.id) is not in \(c0.maildir)", record: OpsRecordRef(kind: .communication, id: c0.id), remedy: .runStoreCheck))
        }
        let copied: (quarantine: DirectoryHandle, status: FileStatus)
        do {
            guard let q = try mover.quarantine(create: true) else { throw SystemError("open", filesPath + "/quarantine", ENOENT) }
            copied = (q, try q.placeDurably(source.bytes, as: c0.id, mode: MessageMover.quarantineMode))
        } catch let e as UnsafeFileError {
            throw OpsError.failure(OpsProblem("cannot copy \(c0.id) into the quarantine: \(e.message); nothing changed", record: OpsRecordRef(kind: .communication, id: c0.id), remedy: .runStoreCheck))
        } catch {
            throw OpsError.failure("cannot copy \(c0.id) into the quarantine: \(SystemError.from(error).message); nothing changed")
        }
        let r: Report
        do {
            r = try moderate(.moderationBlock, id, expectVersion: expectVersion, from: [.open]) { r, c, ctx in
                guard c.state == .visible else { throw OpsError.conflict("communication \(c.id) changed meanwhile: it is \(c.state.rawValue)") }
                r.state = .blocked
                r.ground = ground
                r.clause = clause
                c.state = .blocked
                c.fileUID = source.status.uid
                c.fileGID = source.status.gid
                c.fileMode = source.status.permissions
                return ("blocked (\(ground.rawValue)\(clause.map { " \($0)" } ?? ""))", note)
            }
        } catch {
            _ = try? copied.quarantine.remove(c0.id, ifStill: copied.status)
            throw error
        }
        // Committed: now the Maildir copy may go, if it is still the file copied. A crash or a
        // failure here is finished by reconcile ('store check --repair' reports what is left).
        _ = try? mover.remove(source)
        return r
    }

    /// Puts a blocked message back into the customer's Maildir.
    ///
    /// The quarantine copy must match the recorded SHA-256. The file put back is written in the
    /// Maildir's `tmp/`, given its original owner, group and mode through its descriptor, and
    /// moved into its folder without replacing anything; if any of that fails, nothing changed.
    public func unblock(report id: String, reason: String, expectVersion: Int? = nil) throws -> Report {
        let id = try Validate.id("report", id)
        let reason = try Validate.text("reason", reason)
        try authorize(.moderationUnblock)
        let (r0, c0) = try caseAndMessage(id)
        guard r0.state == .blocked else { throw OpsError.invalid("report \(id) is \(r0.state.rawValue): only blocked reports can be unblocked") }
        reconcile(c0)
        // Never put a damaged copy back (the message may still be intact in the Maildir).
        let copy = try usingMessageFile(c0, for: .moderationUnblock, caseId: id, inQuarantine: true, nothing: "nothing changed") {
            try mover.quarantine().flatMap { try mover.readFromQuarantine(c0, in: $0) }
        }
        guard let copy else { throw OpsError.failure(OpsProblem("the quarantined copy of \(c0.id) is missing", record: OpsRecordRef(kind: .communication, id: c0.id), remedy: .runStoreCheck)) }
        let placed: FileStatus
        do {
            placed = try mover.putBack(copy.bytes, c0)
        } catch let e as UnsafeFileError {
            throw refuse(e, attempted: .moderationUnblock, message: c0, caseId: id, inQuarantine: false, nothing: "nothing changed")
        } catch let e as SystemError where ["chown", "fchown", "chmod", "fchmod"].contains(e.operation) {
            let uid = c0.fileUID.map(String.init) ?? "the folder's owner", gid = c0.fileGID.map(String.init) ?? "the folder's group"
            let mode = String((c0.fileMode ?? 0o600) & 0o777, radix: 8)
            throw OpsError.failure("cannot give \(c0.id) back its owner \(uid), group \(gid) and mode \(mode) in \(c0.maildir) (\(e.message)), so the mail server might not read it: nothing changed; unblock it as root")
        } catch {
            throw OpsError.failure("cannot put \(c0.id) back into \(c0.maildir): \(SystemError.from(error).message); nothing changed")
        }
        let r: Report
        do {
            r = try moderate(.moderationUnblock, id, expectVersion: expectVersion, from: [.blocked]) { r, c, _ in
                r.state = .reinstated
                c.state = .visible
                // A new file: the one to expect from now on.
                c.device = placed.device
                c.inode = placed.inode
                return ("unblocked", reason)
            }
        } catch {
            if let back = try? mover.maildir(c0).flatMap({ try $0.directoryIfPresent(c0.subdir) }) {
                if (try? back.remove(c0.filename, ifStill: placed)) == true { try? back.sync() }
            }
            throw error
        }
        _ = try? mover.remove(copy)
        return r
    }

    /// Deletes the reported message for good, keeping only its SHA-256 and size as evidence.
    ///
    /// The file to remove is checked first, as block checks it: a file that is not safe or not
    /// the message is refused (audited) and nothing is deleted. Afterwards only files checked to
    /// be the message are removed.
    public func delete(report id: String, ground: ModerationGround, clause: String? = nil, note: String, confirmed: Bool, expectVersion: Int? = nil) throws -> Report {
        let id = try Validate.id("report", id)
        guard confirmed else { throw OpsError.usage("deleting a message cannot be undone: add --confirm") }
        let note = try Validate.text("note", note)
        let clause = try Validate.optionalText("clause", clause, max: 80)
        if ground == .touViolation, clause == nil {
            throw OpsError.invalid("a Terms of Use ground needs the clause violated: add --clause (for example --clause 4.2)")
        }
        try authorize(.moderationDelete)
        let (r0, c0) = try caseAndMessage(id)
        if r0.state == .open || r0.state == .blocked {
            reconcile(c0)
            let inQuarantine = c0.state == .blocked
            _ = try usingMessageFile(c0, for: .moderationDelete, caseId: id, inQuarantine: inQuarantine, nothing: "nothing was deleted") {
                if inQuarantine { return try mover.quarantine().flatMap { try mover.readFromQuarantine(c0, in: $0) } }
                return c0.state == .visible ? try mover.readFromMaildir(c0) : nil
            }
        }
        let r = try moderate(.moderationDelete, id, expectVersion: expectVersion, from: [.open, .blocked]) { r, c, _ in
            r.state = .deleted
            r.ground = ground
            r.clause = clause
            c.state = .deleted
            return ("deleted (\(ground.rawValue)); sha256 \(c.sha256), \(c.size) bytes kept", note)
        }
        if let c = try view().get(Collections.communications, id: r.communicationId) { reconcile(c) }
        return r
    }

    /// Closes a report without action.
    public func dismiss(report id: String, note: String, expectVersion: Int? = nil) throws -> Report {
        let id = try Validate.id("report", id)
        let note = try Validate.text("note", note)
        return try moderate(.moderationDismiss, id, expectVersion: expectVersion, from: [.open]) { r, _, _ in
            r.state = .dismissed
            return ("dismissed", note)
        }
    }

    private func caseAndMessage(_ id: String) throws -> (Report, Communication) {
        try refresh()
        let v = view()
        guard let r = try v.get(Collections.reports, id: id) else {
            throw OpsError.notFound(.missing(.report, id))
        }
        guard let c = try v.get(Collections.communications, id: r.communicationId) else {
            throw OpsError.notFound("report \(id) names communication \(r.communicationId), which is not in the store")
        }
        return (r, c)
    }

    /// Commits a moderation decision on a report and its communication, with one audit event.
    private func moderate(_ action: Action, _ id: String, expectVersion: Int?, from: Set<ReportState>,
                          _ body: (inout Report, inout Communication, inout ChangeContext) throws -> (String, String)) throws -> Report {
        try change(action, target: id, caseId: id) { ctx in
            guard var r = try ctx.view.get(Collections.reports, id: id) else {
                throw OpsError.notFound(.missing(.report, id))
            }
            if let v = expectVersion, v != r.version {
                throw OpsError.conflict(OpsProblem("report \(id) changed since version \(v) (it is now \(r.state.rawValue))", record: OpsRecordRef(kind: .report, id: id), remedy: .reloadAndRetry(currentVersion: r.version)))
            }
            guard from.contains(r.state) else {
                throw OpsError.invalid("report \(id) is \(r.state.rawValue): this needs a report that is \(from.map(\.rawValue).sorted().joined(separator: " or "))")
            }
            guard var c = try ctx.view.get(Collections.communications, id: r.communicationId) else {
                throw OpsError.notFound("report \(id) names communication \(r.communicationId), which is not in the store")
            }
            let (detail, note) = try body(&r, &c, &ctx)
            r.decidedBy = ctx.actor
            r.decidedAt = ctx.now
            r.history.append(CaseEvent(at: ctx.now, by: ctx.actor, action: r.state.rawValue, note: note))
            let rv = r.version
            try ctx.tx.update(r, in: Collections.reports, expecting: rv)
            r.version = rv + 1
            let cv = ctx.view.version(Collections.communications, id: c.id)
            if c != (try ctx.view.get(Collections.communications, id: c.id)) {
                try ctx.tx.update(c, in: Collections.communications, expecting: cv)
            }
            return ("\(detail): \(note)", r)
        }
    }
}
