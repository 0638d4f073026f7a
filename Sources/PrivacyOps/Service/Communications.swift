import Crypto
import FlatStore
import Foundation

/// What `comms import-maildir` did.
public struct MaildirImport: Sendable {
    public var indexed: [Communication]
    public var alreadyIndexed: Int
}

/// A message's content, read through an open case.
public struct MessageContent: Sendable {
    public var communication: Communication
    public var caseId: String
    /// The message as stored (headers and body), decoded as UTF-8 with replacement; front ends
    /// sanitise it before display.
    public var text: String
}

extension PrivacyOps {
    var mover: MessageMover { MessageMover(io: io, quarantineDir: storePath + "/quarantine") }

    /// Indexes a customer's Maildir in place: metadata and SHA-256 of each message in cur/ and new/.
    public func importMaildir(_ directory: String, customer: String) throws -> MaildirImport {
        try authorize(.commsImport)
        let customer = try Validate.id("customer", customer)
        let dir = URL(fileURLWithPath: directory).standardizedFileURL.resolvingSymlinksInPath().path
        let entries: [MaildirEntry]
        do { entries = try Maildir.scan(dir) } catch { throw OpsError.invalid("\(error)") }
        struct Meta { var entry: MaildirEntry; var from, to, subject: String; var date: String?; var sha: String; var size: Int64 }
        var metas: [Meta] = []
        for e in entries {
            let path = dir + "/" + e.subdir + "/" + e.filename
            let bytes: [UInt8]
            do { bytes = try io.readWholeFile(path).bytes } catch {
                throw OpsError.failure("cannot read \(path): \(SystemError.from(error).message)")
            }
            let h = MessageHeaders.parse(bytes)
            // The index keeps these headers in the store, where no card number may go.
            for name in ["From", "To", "Subject"] {
                try Validate.noCardNumber("the \(name) header of \(e.subdir)/\(e.filename)", h.value(name) ?? "")
            }
            let date = h.value("Date").flatMap { MessageHeaders.parseDate($0) }.map { Timestamp.format(unixSeconds: Int($0.timeIntervalSince1970)) }
            metas.append(Meta(entry: e, from: h.value("From") ?? "", to: h.value("To") ?? "", subject: h.value("Subject") ?? "",
                              date: date, sha: MessageMover.hex(SHA256.hash(data: bytes)), size: Int64(bytes.count)))
        }
        return try change(.commsImport, target: customer) { ctx in
            guard try ctx.view.get(Collections.customers, id: customer) != nil else {
                throw OpsError.notFound("no customer \(customer): list them with 'lgadmin customers list'")
            }
            let known = Set(try ctx.view.all(Collections.communications).filter { $0.maildir == dir }.map(\.uniqueName))
            var indexed: [Communication] = []
            for m in metas where !known.contains(m.entry.uniqueName) {
                let id = try ctx.nextID("communications", prefix: "M", width: 7)
                var c = Communication(id: id, version: 0, customerId: customer, maildir: dir, subdir: m.entry.subdir,
                                      filename: m.entry.filename, uniqueName: m.entry.uniqueName, from: m.from, to: m.to,
                                      subject: m.subject, date: m.date, size: m.size, sha256: m.sha, state: .visible,
                                      importedAt: ctx.now)
                try ctx.tx.insert(c, into: Collections.communications)
                c.version = 1
                indexed.append(c)
            }
            let result = MaildirImport(indexed: indexed, alreadyIndexed: metas.count - indexed.count)
            if indexed.isEmpty { return (nil, result) }
            return ("indexed \(indexed.count) message(s) from a Maildir", result)
        }
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
            throw OpsError.notFound("no communication \(id): list them with 'lgadmin comms list'")
        }
        return c
    }

    /// Reads a message's content through an open case that covers it and that the actor may
    /// read through (see ``contentRefusal(through:)``). The view is audited (committed) before
    /// the content is returned: no case, no content.
    ///
    /// The file is read before the view is recorded: a message whose file is missing was not
    /// viewed, so it is refused (66) and leaves no `comms.view` event (the audit trail counts
    /// those as content shown); nothing else is recorded either, as for any other refusal, and
    /// `store check` is where a missing file is reported.
    public func viewContent(_ commId: String, case caseId: String) throws -> MessageContent {
        let commId = try Validate.id("communication", commId)
        let caseId = try Validate.id("case", caseId)
        try authorize(.commsView)
        try refresh()
        // Every rule first, on the latest state: a refused view never touches the file.
        let (_, c0) = try caseCovering(commId, caseId, in: view())
        let bytes = try messageBytes(c0)
        // The same rules again under the writer lock, with the view's audit event.
        let comm: Communication = try change(.commsView, target: commId, caseId: caseId) { ctx in
            let (_, c) = try caseCovering(commId, caseId, in: ctx.view)
            return ("content viewed", c)
        }
        return MessageContent(communication: comm, caseId: caseId, text: String(decoding: bytes, as: UTF8.self))
    }

    /// The open case `caseId` about `commId` through which the actor may read it, and the
    /// message; the refusal otherwise.
    private func caseCovering(_ commId: String, _ caseId: String, in view: StoreView) throws -> (Report, Communication) {
        guard let c = try view.get(Collections.communications, id: commId) else {
            throw OpsError.notFound("no communication \(commId): list them with 'lgadmin comms list'")
        }
        guard let r = try view.get(Collections.reports, id: caseId) else {
            throw OpsError.denied("content is viewable only through an open case, and there is no case \(caseId): file a report first ('lgadmin reports file --comm \(commId) ...')")
        }
        guard r.communicationId == commId else {
            throw OpsError.denied("case \(caseId) is about \(r.communicationId), not \(commId): content is viewable only through a case that covers it")
        }
        if let refusal = CaseRules.contentRefusal(r, actor: actor.name) { throw refusal }
        guard c.state != .deleted else {
            throw OpsError.notFound("communication \(commId) was deleted; only its SHA-256 and size remain")
        }
        return (r, c)
    }

    /// The message's bytes, from the quarantine when blocked, else from its Maildir. A missing
    /// file is 66, a file that cannot be read 1; neither shows or records anything.
    private func messageBytes(_ c: Communication) throws -> [UInt8] {
        let place = c.state == .blocked ? "the quarantine" : c.maildir
        let missing = OpsError.notFound("the message file of \(c.id) is missing from \(place): nothing was shown and no view was recorded; run 'lgadmin store check'")
        guard let path = c.state == .blocked ? mover.quarantinePath(c) : mover.locateInMaildir(c) else { throw missing }
        do {
            return try io.readWholeFile(path).bytes
        } catch {
            let e = SystemError.from(error)
            if e.code == ENOENT { throw missing }
            throw OpsError.failure("cannot read the message file of \(c.id) in \(place): \(e.message); nothing was shown and no view was recorded")
        }
    }
}
