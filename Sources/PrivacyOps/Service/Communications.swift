import Crypto
import FlatStore
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
}

extension PrivacyOps {
    var mover: MessageMover { MessageMover(io: io, quarantineDir: storePath + "/quarantine") }

    /// Indexes a customer's Maildir in place: metadata and SHA-256 of each message in cur/ and new/.
    ///
    /// The index copies From, To and Subject into the store, where no card number may go: a
    /// number there is masked (``CardNumberGuard/masked(_:)``, last four digits kept) and the
    /// message indexed; the message file itself is the customer's mail and stays as it is. A
    /// message whose file name holds a number cannot be indexed without storing it, so it is
    /// skipped and reported; a Maildir path holding one is refused.
    public func importMaildir(_ directory: String, customer: String) throws -> MaildirImport {
        try authorize(.commsImport)
        let customer = try Validate.id("customer", customer)
        let dir = URL(fileURLWithPath: directory).standardizedFileURL.resolvingSymlinksInPath().path
        try Validate.noCardNumber("the Maildir path", dir)
        let entries: [MaildirEntry]
        do { entries = try Maildir.scan(dir) } catch { throw OpsError.invalid("\(error)") }
        struct Meta { var entry: MaildirEntry; var from, to, subject: String; var date: String?; var sha: String; var size: Int64; var masked: Bool }
        var metas: [Meta] = []
        var skipped: [(file: String, reason: String)] = []
        for e in entries {
            if let m = CardNumberGuard.find(in: e.filename) {
                skipped.append((e.subdir + "/" + CardNumberGuard.masked(e.filename),
                                "its file name holds what looks like \(m): the index would store it; rename the file (the mail system's usual name) and import again"))
                continue
            }
            let path = dir + "/" + e.subdir + "/" + e.filename
            let bytes: [UInt8]
            do { bytes = try io.readWholeFile(path).bytes } catch {
                throw OpsError.failure("cannot read \(path): \(SystemError.from(error).message)")
            }
            let h = MessageHeaders.parse(bytes)
            let raw = (from: h.value("From") ?? "", to: h.value("To") ?? "", subject: h.value("Subject") ?? "")
            let from = CardNumberGuard.masked(raw.from), to = CardNumberGuard.masked(raw.to), subject = CardNumberGuard.masked(raw.subject)
            let date = h.value("Date").flatMap { MessageHeaders.parseDate($0) }.map { Timestamp.format(unixSeconds: Int($0.timeIntervalSince1970)) }
            metas.append(Meta(entry: e, from: from, to: to, subject: subject, date: date, sha: MessageMover.hex(SHA256.hash(data: bytes)),
                              size: Int64(bytes.count), masked: from != raw.from || to != raw.to || subject != raw.subject))
        }
        return try change(.commsImport, target: customer) { ctx in
            guard try ctx.view.get(Collections.customers, id: customer) != nil else {
                throw OpsError.notFound("no customer \(customer): list them with 'lgadmin customers list'")
            }
            let known = Set(try ctx.view.all(Collections.communications).filter { $0.maildir == dir }.map(\.uniqueName))
            var indexed: [Communication] = []
            var masked: [String] = []
            for m in metas where !known.contains(m.entry.uniqueName) {
                let id = try ctx.nextID("communications", prefix: "M", width: 7)
                var c = Communication(id: id, version: 0, customerId: customer, maildir: dir, subdir: m.entry.subdir,
                                      filename: m.entry.filename, uniqueName: m.entry.uniqueName, from: m.from, to: m.to,
                                      subject: m.subject, date: m.date, size: m.size, sha256: m.sha, state: .visible,
                                      importedAt: ctx.now)
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

    /// Reads a message's content through an open case that covers it. The view is audited
    /// (committed) before the content is returned: no case, no content.
    public func viewContent(_ commId: String, case caseId: String) throws -> MessageContent {
        let commId = try Validate.id("communication", commId)
        let caseId = try Validate.id("case", caseId)
        let comm: Communication = try change(.commsView, target: commId, caseId: caseId) { ctx in
            guard let c = try ctx.view.get(Collections.communications, id: commId) else {
                throw OpsError.notFound("no communication \(commId): list them with 'lgadmin comms list'")
            }
            guard let r = try ctx.view.get(Collections.reports, id: caseId) else {
                throw OpsError.denied("content is viewable only through an open case, and there is no case \(caseId): file a report first ('lgadmin reports file --comm \(commId) ...')")
            }
            guard r.communicationId == commId else {
                throw OpsError.denied("case \(caseId) is about \(r.communicationId), not \(commId): content is viewable only through a case that covers it")
            }
            guard r.state.isOpenCase else {
                throw OpsError.denied("case \(caseId) is \(r.state.rawValue), not open: content is viewable only through an open case")
            }
            guard c.state != .deleted else {
                throw OpsError.notFound("communication \(commId) was deleted; only its SHA-256 and size remain")
            }
            return ("content viewed", c)
        }
        let path = comm.state == .blocked ? mover.quarantinePath(comm) : mover.locateInMaildir(comm)
        guard let path, let bytes = try? io.readWholeFile(path).bytes else {
            throw OpsError.failure("the message file of \(commId) is missing from \(comm.state == .blocked ? "the quarantine" : comm.maildir): run 'lgadmin store check'")
        }
        return MessageContent(communication: comm, caseId: caseId, text: String(decoding: bytes, as: UTF8.self))
    }
}
