import Crypto
internal import FlatStore
import Foundation

/// What `comms import-maildir` did.
public struct MaildirImport: Sendable {
    public var indexed: [Communication]
    public var alreadyIndexed: Int
    /// Communications indexed with a card number masked in their From, To or Subject (ids).
    public var masked: [String] = []
    /// Messages not indexed because their file name holds a card number, which the index would
    /// have to store: the file (`cur/NAME`, the number masked) and why. Rename them and import again.
    public var skipped: [(file: String, reason: String)] = []
}

/// A message's content, read through an open case.
public struct MessageContent: Sendable {
    public var communication: Communication
    public var caseId: String
    /// The message as stored (headers and body), decoded as UTF-8 with replacement; front ends
    /// sanitise it before display.
    public var text: String
    /// The message decoded for reading (``MimeMessage``): text parts decoded, HTML as plain
    /// text, attachments listed and never opened. Front ends sanitise it before display.
    public var decoded: MimeMessage
}

extension PrivacyOps {
    /// A message file read for indexing.
    struct IndexedFile {
        var entry: MaildirEntry
        var from, to, subject: String
        var date: String?
        var sha: String
        var size: Int64
        var status: FileStatus
        /// Whether a card number was masked in From, To or Subject.
        var masked: Bool
    }

    /// What reading a Maildir for its index found: the messages, and those skipped because
    /// their file name holds a card number.
    struct MaildirReading {
        var dir: String
        var files: [IndexedFile]
        var skipped: [(file: String, reason: String)]
    }

    /// Indexes a customer's Maildir in place: metadata and SHA-256 of each message in cur/ and
    /// new/, with each file's device, inode, owner, group and mode.
    ///
    /// Under sudo the Maildir is read with the invoking user's rights (``InvokingUser``): a
    /// Maildir they could not read is refused. Folders and files are reached through
    /// descriptors; links are never followed (a linked `cur/` or `new/` is refused, a linked
    /// message skipped).
    ///
    /// The index copies From, To and Subject into the store, where no card number may go: a
    /// number there is masked (``CardNumberGuard/masked(_:)``, last four digits kept) and the
    /// message indexed; the message file itself is the customer's mail and stays as it is. A
    /// message whose file name holds a number cannot be indexed without storing it, so it is
    /// skipped and reported; a Maildir path holding one is refused.
    public func importMaildir(_ directory: String, customer: String) throws -> MaildirImport {
        try authorize(.commsImport)
        let customer = try Validate.id("customer", customer)
        let reading: MaildirReading
        if let user = actor.invokingUser {
            reading = try user.withRights { try readMaildirForIndex(directory, as: user.shown) }
        } else {
            reading = try readMaildirForIndex(directory, as: nil)
        }
        let (dir, metas, skipped) = (reading.dir, reading.files, reading.skipped)
        return try change(.commsImport, target: customer) { ctx in
            guard try ctx.view.get(Collections.customers, id: customer) != nil else {
                throw OpsError.notFound(.missing(.customer, customer))
            }
            let known = Set(try ctx.view.all(Collections.communications).filter { $0.maildir == dir }.map(\.uniqueName))
            var indexed: [Communication] = []
            var masked: [String] = []
            for m in metas where !known.contains(m.entry.uniqueName) {
                let id = try ctx.nextID("communications", prefix: "M", width: 7)
                var c = Communication(id: id, version: 0, customerId: customer, maildir: dir, subdir: m.entry.subdir,
                                      filename: m.entry.filename, uniqueName: m.entry.uniqueName, from: m.from, to: m.to,
                                      subject: m.subject, date: m.date, size: m.size, sha256: m.sha, state: .visible,
                                      importedAt: ctx.now, device: m.status.device, inode: m.status.inode,
                                      fileUID: m.status.uid, fileGID: m.status.gid, fileMode: m.status.permissions)
                try ctx.tx.insert(c, into: Collections.communications)
                c.version = 1
                indexed.append(c)
                if m.masked { masked.append(id) }
            }
            let result = MaildirImport(indexed: indexed, alreadyIndexed: metas.count - indexed.count, masked: masked, skipped: skipped)
            if indexed.isEmpty { return (nil, result) }
            var detail = "indexed \(indexed.count) message(s) from a Maildir"
            if !masked.isEmpty { detail += "; a card number masked in the headers of \(masked.joined(separator: ", "))" }
            if !skipped.isEmpty { detail += "; \(skipped.count) skipped (a card number in the file name)" }
            return (detail, result)
        }
    }

    /// Reads every message of the Maildir at `directory` (its path made absolute and free of
    /// links, then opened with no link on the way). Errors name files, never their content.
    private func readMaildirForIndex(_ directory: String, as who: String?) throws -> MaildirReading {
        func opened(_ e: SystemError, _ path: String) -> OpsError {
            switch e.code {
            case EACCES, EPERM:
                return .denied("\(who ?? "this user") may not read the Maildir \(path): give one they can read (check its permissions and those of its folders)")
            case ENOENT, ENOTDIR:
                return .invalid(OpsProblem(MaildirError.notFound(directory).message))
            default:
                return .failure("cannot read the Maildir \(path): \(e.message)")
            }
        }
        guard let resolved = realpath(directory, nil) else { throw opened(SystemError("open", directory, errno), directory) }
        let dir = String(cString: resolved)
        free(resolved)
        try Validate.noCardNumber("the Maildir path", dir)
        var metas: [IndexedFile] = []
        var skipped: [(file: String, reason: String)] = []
        do {
            let root = try DirectoryHandle.openWithoutLinks(dir, io: io)
            for (e, folder, _) in try Maildir.entries(in: root) {
                if let m = CardNumberGuard.find(in: e.filename) {
                    skipped.append((e.subdir + "/" + CardNumberGuard.masked(e.filename),
                                    "its file name holds what looks like \(m): the index would store it; rename the file (the mail system's usual name) and import again"))
                    continue
                }
                let shown = "\(e.subdir)/\(e.filename)"
                let read: (bytes: [UInt8], status: FileStatus)?
                do { read = try folder.readRegularFile(e.filename, placeName: shown) } catch let err as UnsafeFileError {
                    // Swapped for a link or a FIFO since it was listed: not a message.
                    if case .symbolicLink = err { continue }
                    if case .notRegularFile = err { continue }
                    throw err
                }
                guard let (bytes, st) = read else { continue }  // renamed or removed meanwhile
                let h = MessageHeaders.parse(bytes)
                // The index keeps these headers in the store, where no card number may go: masked.
                let raw = (from: h.value("From") ?? "", to: h.value("To") ?? "", subject: h.value("Subject") ?? "")
                let from = CardNumberGuard.masked(raw.from), to = CardNumberGuard.masked(raw.to), subject = CardNumberGuard.masked(raw.subject)
                let date = h.value("Date").flatMap { MessageHeaders.parseDate($0) }.map { UTCStamp.format(unixSeconds: Int($0.timeIntervalSince1970)) }
                metas.append(IndexedFile(entry: e, from: from, to: to, subject: subject, date: date,
                                         sha: MessageMover.hex(SHA256.hash(data: bytes)), size: Int64(bytes.count), status: st,
                                         masked: from != raw.from || to != raw.to || subject != raw.subject))
            }
        } catch let e as SystemError {
            throw opened(e, dir)
        } catch let e as MaildirError {
            if case .unreadable(let path, _) = e, who != nil { throw OpsError.denied("\(who ?? "") may not read \(path): \(e.message)") }
            throw OpsError.invalid(OpsProblem(e.message))
        } catch let e as UnsafeFileError {
            throw OpsError.invalid("refused to index \(dir): \(e.message): give the Maildir itself, with real cur/ and new/ folders")
        }
        return MaildirReading(dir: dir, files: metas, skipped: skipped)
    }

    /// Communications' metadata, in id order.
    public func listCommunications(customer: String? = nil, state: CommunicationState? = nil) throws -> [Communication] {
        try authorize(.commsList)
        return try view().all(Collections.communications).filter {
            (customer == nil || $0.customerId == customer) && (state == nil || $0.state == state)
        }
    }

    public func communication(_ id: String) throws -> Communication {
        try authorize(.commsList)
        let id = try Validate.id("communication", id)
        guard let c = try view().get(Collections.communications, id: id) else {
            throw OpsError.notFound(.missing(.communication, id))
        }
        return c
    }

    /// Reads a message's content through an open case that covers it and that the actor may
    /// read through (see ``CaseRules/contentRefusal(_:actor:)``). Every rule is checked before
    /// any file is opened; the file is read through descriptors and checked to be the message
    /// (``MessageMover/readFromMaildir(_:checkIdentity:)``); the view is audited (committed)
    /// before the content is returned: no case, no content. A file that is not safe or not the
    /// message is refused, and the refusal audited.
    ///
    /// A message whose file is missing was not viewed: it is refused (66) and leaves no
    /// `comms.view` event (the audit trail counts those as content shown); `store check` is
    /// where a missing file is reported.
    public func viewContent(_ commId: String, case caseId: String) throws -> MessageContent {
        let commId = try Validate.id("communication", commId)
        let caseId = try Validate.id("case", caseId)
        try authorize(.commsView)
        try refresh()
        let c0 = try caseCovering(commId, caseId, in: view())
        let inQuarantine = c0.state == .blocked
        let file: MessageFile? = try usingMessageFile(c0, for: .commsView, caseId: caseId, inQuarantine: inQuarantine, nothing: "nothing was shown") {
            if inQuarantine { return try mover.quarantine().flatMap { try mover.readFromQuarantine(c0, in: $0) } }
            return try mover.readFromMaildir(c0)
        }
        guard let file else {
            throw OpsError.notFound(OpsProblem("the message file of \(commId) is missing from \(inQuarantine ? "the quarantine" : c0.maildir): nothing was shown and no view was recorded", record: OpsRecordRef(kind: .communication, id: commId), remedy: .runStoreCheck))
        }
        // The same rules again under the writer lock, with the view's audit event.
        let comm: Communication = try change(.commsView, target: commId, caseId: caseId) { ctx in
            let c = try caseCovering(commId, caseId, in: ctx.view)
            return ("content viewed", c)
        }
        return MessageContent(communication: comm, caseId: caseId, text: String(decoding: file.bytes, as: UTF8.self),
                              decoded: MimeMessage.decode(file.bytes))
    }

    /// The message `commId`, if `caseId` is an open case about it through which the actor may
    /// read it: a report (see ``CaseRules/contentRefusal(_:actor:)``) or an approved content
    /// disclosure naming it. The refusal otherwise: no case, no content.
    private func caseCovering(_ commId: String, _ caseId: String, in view: any StoreSnapshot) throws -> Communication {
        guard let c = try view.get(Collections.communications, id: commId) else {
            throw OpsError.notFound(.missing(.communication, commId))
        }
        if let d = try view.get(Collections.disclosures, id: caseId) {
            try Self.checkDisclosureCase(d, covers: commId)
        } else {
            guard let r = try view.get(Collections.reports, id: caseId) else {
                throw OpsError.denied("content is viewable only through an open case, and there is no case \(caseId): file a report first ('lgadmin reports file --comm \(commId) ...')")
            }
            guard r.communicationId == commId else {
                throw OpsError.denied("case \(caseId) is about \(r.communicationId), not \(commId): content is viewable only through a case that covers it")
            }
            if let refusal = CaseRules.contentRefusal(r, actor: actor.name) { throw refusal }
        }
        guard c.state != .deleted else {
            throw OpsError.notFound("communication \(commId) was deleted; only its SHA-256 and size remain")
        }
        return c
    }
}
