internal import FlatStore
import Foundation

/// What `optouts ingest` did.
public struct IngestReport: Sendable, Equatable {
    /// Requests committed from spool files.
    public var taken: [String] = []
    /// Files already taken before (moved to cur/ again, not counted twice).
    public var alreadyTaken: [String] = []
    /// Files set aside in bad/, with the reason (also written beside each, as `NAME.reason`). A
    /// file whose name held a card number is named here, and in bad/, with the number masked.
    public var rejected: [(file: String, reason: String)] = []
    /// Requests taken with a card number masked, and the fields it was masked in (`name`,
    /// `message`).
    public var masked: [(file: String, fields: [String])] = []
    /// Files left in new/ because they held a card number and could not be rewritten with it
    /// masked (the reason says why); nothing was taken from them.
    public var left: [(file: String, reason: String)] = []
    /// Files that could not be handled, with what went wrong and where each file is now: a file
    /// that could not be read or set aside stays in new/ untouched; one taken whose move to cur/
    /// failed stays in new/ and is moved by the next ingest (it is never taken twice).
    public var failed: [(file: String, problem: String)] = []

    /// Where set-aside files go, for people: "the spool's bad/ folder".
    public static let setAsidePlace = "the spool's bad/ folder"
    /// Where a set-aside file is, relative to the spool (`bad/NAME`).
    public static func setAsidePath(_ file: String) -> String { "bad/" + file }
    /// Where a file left untaken is, relative to the spool (`new/NAME`).
    public static func leftPath(_ file: String) -> String { "new/" + file }

    public static func == (a: IngestReport, b: IngestReport) -> Bool {
        a.taken == b.taken && a.alreadyTaken == b.alreadyTaken && a.rejected.map(\.file) == b.rejected.map(\.file)
            && a.failed.map(\.file) == b.failed.map(\.file)
            && a.masked.map(\.file) == b.masked.map(\.file) && a.left.map(\.file) == b.left.map(\.file)
    }
}

/// The contact form's hand-over: `STORE/inbox/optouts/` with `tmp/`, `new/`, `cur/` and `bad/`.
public struct OptOutSpool: Sendable {
    public let root: String
    let storePath: String
    public init(store: String) {
        storePath = store
        root = store + "/inbox/optouts"
    }
    public var newDir: String { root + "/new" }
    public var curDir: String { root + "/cur" }
    public var badDir: String { root + "/bad" }
    public var tmpDir: String { root + "/tmp" }

    /// A request file larger than this is not a contact-form request (it is set aside unread).
    public static let maxRequestBytes: Int64 = 256 * 1024

    /// Files waiting in new/, oldest name first.
    /// - Throws: ``OpsError/failure(_:)`` when new/ cannot be listed.
    public func waiting() throws -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: newDir).filter { !$0.hasPrefix(".") }.sorted()
        } catch {
            throw OpsError.failure("cannot list the inbox spool \(newDir): \(Maildir.reason(error)): check the store's inbox folders")
        }
    }

    /// Makes the spool's folders if missing.
    /// - Throws: ``OpsError/failure(_:)`` when one cannot be made.
    public func prepare() throws {
        for d in [root, tmpDir, newDir, curDir, badDir] {
            do { try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true) } catch {
                throw OpsError.failure("cannot make the inbox spool folder \(d): \(Maildir.reason(error))")
            }
        }
    }

    /// The spool's folders, opened without following a link (the form's account writes here).
    struct Folders {
        let new: DirectoryHandle
        let cur: DirectoryHandle
        let bad: DirectoryHandle
    }

    func folders(io: FileIO) throws -> Folders {
        let store = try DirectoryHandle.open(storePath, io: io)
        let spool = try store.makeDirectory("inbox", mode: 0o700).makeDirectory("optouts", mode: 0o700)
        return Folders(new: try spool.makeDirectory("new", mode: 0o700), cur: try spool.makeDirectory("cur", mode: 0o700),
                       bad: try spool.makeDirectory("bad", mode: 0o700))
    }

    /// Writes a request as the contact form does: tmp/, fsync, link into new/.
    public func deliver(_ json: [UInt8], name: String) throws {
        try prepare()
        let tmp = tmpDir + "/" + name
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw OpsError.failure("cannot write \(tmp): \(String(cString: strerror(errno)))") }
        let ok = json.withUnsafeBytes { raw in write(fd, raw.baseAddress, raw.count) == raw.count } && fsync(fd) == 0
        close(fd)
        guard ok, link(tmp, newDir + "/" + name) == 0 else {
            let code = errno
            unlink(tmp)
            throw OpsError.failure("cannot deliver \(name) into \(newDir): \(String(cString: strerror(code)))")
        }
        unlink(tmp)
    }
}

/// The JSON the contact form writes.
struct SpoolRequest: Decodable {
    var contact: String
    var scopes: [String]?
    var submitted_at: String?
    var name: String?
    var message: String?
}

extension PrivacyOps {
    /// How many requests wait in the inbox spool (what ``ingestOptOuts()`` would take).
    public func optOutsWaitingInSpool() throws -> Int {
        try authorize(.optoutsIngest)
        return try OptOutSpool(store: filesPath).waiting().count
    }

    /// Takes every request waiting in the spool: each file is committed as one request carrying
    /// the file's name, then moved to cur/. A file that cannot be read as a request goes to bad/
    /// with its reason beside it. A file taken twice is not counted twice.
    ///
    /// The spool's files are written by another account: each is opened beneath new/ through
    /// its descriptor, never through a link, and only a regular file of at most
    /// ``OptOutSpool/maxRequestBytes`` is read (anything else is set aside unread). Nothing fails
    /// silently: a file that cannot be read, set aside or moved is listed in
    /// ``IngestReport/failed`` and left in new/ (see there); a failed commit throws, leaving the
    /// file in new/.
    ///
    /// Card numbers (policy: never stored): a file holding one is first rewritten in new/ with
    /// every number masked (durably: temp file, fsync, rename, fsync of the directory), so that
    /// no copy under the store keeps it, in cur/ or bad/. A number in the `message` or `name`
    /// is masked and the request taken; in the `contact` it cannot be, since a masked contact
    /// point would be another one, so the request goes to bad/ with a reason naming the field.
    /// A file whose name holds a number goes to bad/ under the masked name. A file that cannot
    /// be rewritten stays in new/ and is reported in ``IngestReport/left``.
    public func ingestOptOuts() throws -> IngestReport {
        try authorize(.optoutsIngest)
        let spool = OptOutSpool(store: filesPath)
        let folders: OptOutSpool.Folders
        let names: [String]
        do {
            folders = try spool.folders(io: io)
            names = try folders.new.names().filter { !$0.hasPrefix(".") }.sorted()
        } catch let e as UnsafeFileError {
            throw OpsError.failure("refused to use the inbox spool: \(e.message): the store's inbox folders must be real folders")
        } catch {
            throw OpsError.failure("cannot open the inbox spool \(spool.root): \(SystemError.from(error).message): check the store's inbox folders")
        }
        var report = IngestReport()
        for name in names {
            let data: [UInt8]
            do {
                guard let (bytes, _) = try folders.new.readRegularFile(name, placeName: "new/\(name)", limit: OptOutSpool.maxRequestBytes) else {
                    continue  // taken by another process meanwhile
                }
                data = bytes
            } catch let e as UnsafeFileError {
                // A link, a FIFO, a folder or a huge file is not a request: set aside, unread.
                setAside(folders, name, reason: "not a contact-form request: \(e.message)", into: &report)
                continue
            } catch {
                report.failed.append((name, "cannot read it: \(SystemError.from(error).message); left in new/"))
                continue
            }
            let maskedBytes = CardNumberGuard.masked(bytes: data, json: true)
            if let m = CardNumberGuard.find(in: name) {
                let reason = "the file name holds what looks like \(m): Loopgalaxy.com never stores card numbers; the request was set aside with the number masked in its name and content"
                do {
                    let newName = try setAsideMasked(folders, name, content: maskedBytes, reason: reason)
                    report.rejected.append((newName, reason))
                } catch {
                    report.left.append((CardNumberGuard.masked(name), "its name holds a card number and it could not be set aside with the number masked (\(Self.reason(error))): it stays in new/; check the spool's permissions and ingest again"))
                }
                continue
            }
            if maskedBytes != data {
                do {
                    _ = try folders.new.placeDurably(maskedBytes, as: name, mode: 0o600, replacing: true)
                } catch {
                    report.left.append((name, "it holds a card number and could not be rewritten with the number masked (\(Self.reason(error))): it stays in new/, nothing was taken; check the spool's permissions and ingest again"))
                    continue
                }
            }
            let parsed: (OptOutSubmission, ContactPoint, [String])
            do {
                parsed = try parseSpoolFile(Data(data), name: name)
            } catch {
                setAside(folders, name, reason: CardNumberGuard.masked(OpsError.from(error).message), into: &report)
                continue
            }
            let (submission, point, maskedFields) = parsed
            let taken: Bool = try change(.optoutsIngest, target: name) { ctx in
                if try ctx.view.all(Collections.optouts).contains(where: { $0.spoolFile == name }) {
                    return (nil, false)
                }
                let r = try makeRequest(submission, point: point, ctx: &ctx)
                ctx.caseId = r.id
                let note = maskedFields.isEmpty ? "" : "; a card number masked in the \(maskedFields.joined(separator: " and "))"
                return ("opt-out \(r.id) taken from the contact form\(note)", true)
            }
            if taken {
                report.taken.append(name)
                if !maskedFields.isEmpty { report.masked.append((name, maskedFields)) }
            } else {
                report.alreadyTaken.append(name)
            }
            do {
                // Same name, same request: a copy left in cur/ by an earlier run may be replaced.
                try folders.new.move(name, to: folders.cur, as: name, replacing: true)
            } catch {
                report.failed.append((name, "taken, but it could not be moved to cur/ (\(Self.reason(error))); it stays in new/ and the next ingest moves it without taking it again"))
            }
        }
        return report
    }

    static func reason(_ error: any Error) -> String {
        if let e = error as? UnsafeFileError { return e.message }
        return SystemError.from(error).message
    }

    /// Reads a spool file as a request. A card number in `name` or `message` is masked (the
    /// fields masked are returned); one in `contact` refuses the request, naming the field.
    private func parseSpoolFile(_ data: Data, name: String) throws -> (OptOutSubmission, ContactPoint, [String]) {
        guard var req = try? JSONDecoder().decode(SpoolRequest.self, from: data) else {
            throw OpsError.invalid("not a contact-form request: expected a JSON object with at least \"contact\"")
        }
        if let m = CardNumberGuard.find(in: req.contact) {
            throw OpsError.invalid("the contact field holds what looks like \(m): a masked contact point would be another contact, so the request cannot be taken; ask the sender for the contact point again")
        }
        var maskedFields: [String] = []
        if let n = req.name, CardNumberGuard.find(in: n) != nil {
            req.name = CardNumberGuard.masked(n)
            maskedFields.append("name")
        }
        if let m = req.message, CardNumberGuard.find(in: m) != nil {
            req.message = CardNumberGuard.masked(m)
            maskedFields.append("message")
        }
        guard let scopes = OptOutScope.parseList(req.scopes ?? []) else {
            throw OpsError.invalid("unknown scope in \(req.scopes ?? []): use newsletter, product-notices, partner-offers or all")
        }
        var received: Date?
        if let s = req.submitted_at {
            guard let d = RFC3339.parse(s) else { throw OpsError.invalid("submitted_at '\(s)' is not an RFC 3339 time") }
            received = d
        }
        let sub = OptOutSubmission(contact: req.contact, scopes: scopes, source: "contact-form", note: nil,
                                   name: req.name, message: req.message, receivedAt: received, spoolFile: name)
        let (checked, point) = try validated(sub)
        return (checked, point, maskedFields)
    }

    /// Sets a spool file whose name holds a card number aside in bad/ under the masked name (a
    /// free one), with its content masked and its reason beside it; then removes it from new/.
    /// Returns the name it has in bad/.
    private func setAsideMasked(_ folders: OptOutSpool.Folders, _ name: String, content: [UInt8], reason: String) throws -> String {
        let base = CardNumberGuard.masked(name)
        var newName = base
        var k = 1
        while try folders.bad.entry(newName) != nil || folders.bad.entry(newName + ".reason") != nil {
            newName = base + "-\(k)"
            k += 1
        }
        _ = try folders.bad.placeDurably(Array((reason + "\n").utf8), as: newName + ".reason", mode: 0o600)
        _ = try folders.bad.placeDurably(content, as: newName, mode: 0o600)
        guard let st = try folders.new.entry(name) else { return newName }
        _ = try folders.new.remove(name, ifStill: st)
        try folders.new.sync()
        return newName
    }

    /// Moves a spool file that is not a request to bad/ with its reason beside it. The reason
    /// is written first, durably (a file is never in bad/ without one); if it cannot be, or the
    /// file cannot be moved, the file stays in new/ untouched and the failure is reported.
    private func setAside(_ folders: OptOutSpool.Folders, _ name: String, reason: String, into report: inout IngestReport) {
        let reasonName = name + ".reason"
        do {
            if try folders.bad.entry(name) != nil {
                report.failed.append((name, "bad/\(name) exists already, so it cannot be set aside; left in new/ (move the older one away)"))
                return
            }
        } catch {
            report.failed.append((name, "cannot look into bad/ (\(Self.reason(error))); left in new/"))
            return
        }
        let written: FileStatus
        do {
            written = try folders.bad.placeDurably(Array((reason + "\n").utf8), as: reasonName, mode: 0o600, replacing: true)
        } catch {
            report.failed.append((name, "not a request (\(reason)), but bad/\(reasonName) could not be written (\(Self.reason(error))); left in new/ untouched"))
            return
        }
        do {
            try folders.new.move(name, to: folders.bad, as: name)
        } catch {
            _ = try? folders.bad.remove(reasonName, ifStill: written)
            report.failed.append((name, "not a request (\(reason)), but it could not be moved to bad/ (\(Self.reason(error))); left in new/ untouched"))
            return
        }
        report.rejected.append((name, reason))
        do { try folders.bad.sync() } catch {
            report.failed.append((name, "set aside in bad/ with its reason, but bad/ could not be made durable (\(Self.reason(error)))"))
        }
    }
}

/// RFC 3339 times as the contact form writes them.
enum RFC3339 {
    static func parse(_ s: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        if let d = f.date(from: s) { return d }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.date(from: s)
    }
}
