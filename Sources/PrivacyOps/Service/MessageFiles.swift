internal import FlatStore
import Foundation

/// What happens when a message file is not safe to use, and how the files are kept in line
/// with the committed states.
extension PrivacyOps {
    var mover: MessageMover { MessageMover(io: io, storePath: filesPath) }

    /// Refuses to use a message file that is not safe or not the message: the refusal is
    /// committed as one audit event (`comms.file-refused`, naming what was attempted and why),
    /// and the error to throw is returned: ``OpsError/invalid(_:)`` (65) for a file in the
    /// customer's Maildir (data lgadmin does not own is not what was indexed),
    /// ``OpsError/failure(_:)`` (1) for the store's own quarantine copy (the store is damaged).
    ///
    /// If the refusal cannot be audited (a read-only store), the error says so; it is thrown
    /// all the same.
    func refuse(_ problem: UnsafeFileError, attempted action: Action, message c: Communication, caseId: String?,
                inQuarantine: Bool, nothing: String) -> OpsError {
        var text = "refused: \(problem.message); \(nothing)"
        do {
            try change(.commsFileRefused, target: c.id, caseId: caseId) { _ in
                ("\(action.rawValue) refused: \(problem.message)", ())
            }
        } catch {
            text += " (the refusal could not be recorded in the audit trail: \(OpsError.from(error).message))"
        }
        let refusal = OpsProblem(text, record: OpsRecordRef(kind: .communication, id: c.id), remedy: .runStoreCheck)
        return inQuarantine ? .failure(refusal) : .invalid(refusal)
    }

    /// Runs `body` on a message file; an unsafe file becomes an audited refusal (see
    /// ``refuse(_:attempted:message:caseId:inQuarantine:nothing:)``), a failed system call a
    /// failure that says nothing changed.
    func usingMessageFile<T>(_ c: Communication, for action: Action, caseId: String?, inQuarantine: Bool, nothing: String,
                             _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as UnsafeFileError {
            throw refuse(e, attempted: action, message: c, caseId: caseId, inQuarantine: inQuarantine, nothing: nothing)
        } catch let e as SystemError {
            let place = inQuarantine ? "its quarantine copy" : "its file in \(c.maildir)"
            throw OpsError.failure("cannot use \(place) for \(c.id): \(e.message); \(nothing)")
        }
    }

    /// Brings a message's files in line with its committed state (after an interrupted move).
    /// A message put back into its Maildir is a new file: its device and inode are recorded,
    /// as the end of the unblock that was interrupted.
    @discardableResult
    func reconcile(_ c: Communication) -> [String] {
        let r = mover.reconcile(c)
        guard let placed = r.putBack else { return r.done }
        do {
            try change(.moderationUnblock, target: c.id) { ctx in
                guard var now = try ctx.view.get(Collections.communications, id: c.id), now.state == .visible else { return (nil, ()) }
                now.device = placed.device
                now.inode = placed.inode
                try ctx.tx.update(now, in: Collections.communications, expecting: ctx.view.version(Collections.communications, id: c.id))
                return ("put \(c.id) back into its Maildir after an interrupted unblock (a new file: device \(placed.device), inode \(placed.inode))", ())
            }
        } catch {
            return r.done + ["\(c.id): its new file's device and inode could not be recorded (\(OpsError.from(error).message)); it will be refused until they are"]
        }
        return r.done
    }

    /// Brings every message file in line with its state (after a crash mid-move).
    public func reconcileMessages() throws -> [String] {
        try view().all(Collections.communications).flatMap { reconcile($0) }
    }

    /// What is wrong with the message files, one line per message (the first problem found):
    /// a file missing, left over, not safe to touch, or no longer the message (a quarantine copy
    /// included). Reads and hashes every file through descriptors; follows no link.
    func messageFileProblems() throws -> [String] {
        var out: [String] = []
        let q = Result { try mover.quarantine() }
        for c in try view().all(Collections.communications) {
            if let p = messageFileProblem(c, quarantine: q) { out.append(p) }
        }
        return out
    }

    private func messageFileProblem(_ c: Communication, quarantine q: Result<DirectoryHandle?, any Error>) -> String? {
        func describe(_ error: any Error) -> String {
            if let e = error as? UnsafeFileError { return "\(c.id): \(e.message) (it is refused: nothing is read, moved or removed through it)" }
            return "\(c.id): cannot check its files: \(SystemError.from(error).message)"
        }
        let quarantine: DirectoryHandle?
        switch q {
        case .success(let d): quarantine = d
        case .failure(let e): return describe(e)
        }
        do {
            let qEntry = try quarantine?.entry(c.id)
            switch c.state {
            case .visible:
                guard try mover.readFromMaildir(c) != nil else { return "\(c.id) is visible but its file is missing from \(c.maildir)" }
                if qEntry != nil { return "\(c.id) has a leftover quarantine copy (repair removes it)" }
            case .blocked:
                guard let quarantine, try mover.readFromQuarantine(c, in: quarantine) != nil else {
                    return "\(c.id) is blocked but its quarantine copy is missing"
                }
                guard let root = try mover.maildir(c) else { return "\(c.id) is blocked and its Maildir \(c.maildir) is gone: unblock cannot put it back" }
                // Where unblock will put it back: a link there is said now, not at unblock.
                _ = try root.directoryIfPresent("tmp")
                _ = try root.directoryIfPresent(c.subdir)
                if try mover.locate(c, in: root) != nil {
                    // Repair removes it only if it is the message: a link or another file is said as such.
                    _ = try mover.readFromMaildir(c, checkIdentity: false)
                    return "\(c.id) is blocked but still in its Maildir (repair removes it)"
                }
            case .deleted:
                let inMaildir = try mover.maildir(c).flatMap { try mover.locate(c, in: $0) } != nil
                if inMaildir { _ = try mover.readFromMaildir(c, checkIdentity: false) }
                if qEntry != nil || inMaildir { return "\(c.id) is deleted but a file remains (repair removes it)" }
            }
        } catch {
            return describe(error)
        }
        return nil
    }
}
