import FlatStore
import Foundation

/// What `optouts ingest` did.
public struct IngestReport: Sendable, Equatable {
    /// Requests committed from spool files.
    public var taken: [String] = []
    /// Files already taken before (moved to cur/ again, not counted twice).
    public var alreadyTaken: [String] = []
    /// Files set aside in bad/, with the reason. A file whose name held a card number is named
    /// here, and in bad/, with the number masked.
    public var rejected: [(file: String, reason: String)] = []
    /// Requests taken with a card number masked, and the fields it was masked in (`name`,
    /// `message`).
    public var masked: [(file: String, fields: [String])] = []
    /// Files left in new/ because they held a card number and could not be rewritten with it
    /// masked (the reason says why); nothing was taken from them.
    public var left: [(file: String, reason: String)] = []

    public static func == (a: IngestReport, b: IngestReport) -> Bool {
        a.taken == b.taken && a.alreadyTaken == b.alreadyTaken && a.rejected.map(\.file) == b.rejected.map(\.file)
            && a.masked.map(\.file) == b.masked.map(\.file) && a.left.map(\.file) == b.left.map(\.file)
    }
}

/// The contact form's hand-over: `STORE/inbox/optouts/` with `tmp/`, `new/`, `cur/` and `bad/`.
public struct OptOutSpool: Sendable {
    public let root: String
    public init(store: String) { root = store + "/inbox/optouts" }
    public var newDir: String { root + "/new" }
    public var curDir: String { root + "/cur" }
    public var badDir: String { root + "/bad" }
    public var tmpDir: String { root + "/tmp" }

    /// Files waiting in new/, oldest name first.
    public func waiting() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: newDir)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted()
    }

    /// Makes the spool's folders if missing.
    public func prepare() {
        for d in [root, tmpDir, newDir, curDir, badDir] {
            try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        }
    }

    /// Writes a request as the contact form does: tmp/, fsync, link into new/.
    public func deliver(_ json: [UInt8], name: String) throws {
        prepare()
        let tmp = tmpDir + "/" + name
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o660)
        guard fd >= 0 else { throw OpsError.failure("cannot write \(tmp): \(String(cString: strerror(errno)))") }
        let ok = json.withUnsafeBytes { raw in write(fd, raw.baseAddress, raw.count) == raw.count } && fsync(fd) == 0
        close(fd)
        guard ok, link(tmp, newDir + "/" + name) == 0 else {
            unlink(tmp)
            throw OpsError.failure("cannot deliver \(name) into \(newDir): \(String(cString: strerror(errno)))")
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
    /// Takes every request waiting in the spool: each file is committed as one request carrying
    /// the file's name, then moved to cur/. A file that cannot be read as a request goes to bad/
    /// with its reason beside it. A file taken twice is not counted twice.
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
        let spool = OptOutSpool(store: storePath)
        spool.prepare()
        var report = IngestReport()
        for name in spool.waiting() {
            let path = spool.newDir + "/" + name
            guard let data = FileManager.default.contents(atPath: path) else { continue }  // taken by another process
            let bytes = [UInt8](data)
            let maskedBytes = CardNumberGuard.masked(bytes: bytes, json: true)
            if let m = CardNumberGuard.find(in: name) {
                let reason = "the file name holds what looks like \(m): Loopgalaxy.com never stores card numbers; the request was set aside with the number masked in its name and content"
                do {
                    let newName = try setAsideMasked(spool, name, content: maskedBytes, reason: reason)
                    report.rejected.append((newName, reason))
                } catch {
                    report.left.append((CardNumberGuard.masked(name), "its name holds a card number and it could not be set aside with the number masked (\(SystemError.from(error).message)): it stays in new/; check the spool's permissions and ingest again"))
                }
                continue
            }
            if maskedBytes != bytes {
                do {
                    try rewriteDurably(path, with: maskedBytes, tempDir: spool.tmpDir)
                } catch {
                    report.left.append((name, "it holds a card number and could not be rewritten with the number masked (\(SystemError.from(error).message)): it stays in new/, nothing was taken; check the spool's permissions and ingest again"))
                    continue
                }
            }
            let parsed: (OptOutSubmission, ContactPoint, [String])
            do {
                parsed = try parseSpoolFile(data, name: name)
            } catch {
                let reason = CardNumberGuard.masked(OpsError.from(error).message)
                setAside(spool, name, reason: reason)
                report.rejected.append((name, reason))
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
            rename(path, spool.curDir + "/" + name)
        }
        return report
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

    private func setAside(_ spool: OptOutSpool, _ name: String, reason: String) {
        let reasonFile = spool.badDir + "/" + name + ".reason"
        FileManager.default.createFile(atPath: reasonFile, contents: Data((reason + "\n").utf8))
        rename(spool.newDir + "/" + name, spool.badDir + "/" + name)
    }

    /// Replaces the file at `path` with `bytes`, durably: a temp file in `tempDir` (same file
    /// system), fsync, rename over `path`, fsync of its directory.
    func rewriteDurably(_ path: String, with bytes: [UInt8], tempDir: String) throws {
        let tmp = tempDir + "/.lgadmin-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = try io.open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o660)
        do {
            try io.writeAll(fd, bytes, at: 0)
            try io.fsync(fd)
            io.close(fd)
        } catch {
            io.close(fd)
            try? io.unlink(tmp)
            throw error
        }
        do {
            try io.rename(tmp, path)
        } catch {
            try? io.unlink(tmp)
            throw error
        }
        try io.syncDirectory((path as NSString).deletingLastPathComponent)
    }

    /// Sets a spool file whose name holds a card number aside in bad/ under the masked name (a
    /// free one), with its content masked and its reason beside it; then removes it from new/.
    /// Returns the name it has in bad/.
    private func setAsideMasked(_ spool: OptOutSpool, _ name: String, content: [UInt8], reason: String) throws -> String {
        let base = CardNumberGuard.masked(name)
        var newName = base
        var k = 1
        while FileManager.default.fileExists(atPath: spool.badDir + "/" + newName)
                || FileManager.default.fileExists(atPath: spool.badDir + "/" + newName + ".reason") {
            newName = base + "-\(k)"
            k += 1
        }
        try rewriteDurably(spool.badDir + "/" + newName + ".reason", with: Array((reason + "\n").utf8), tempDir: spool.tmpDir)
        try rewriteDurably(spool.badDir + "/" + newName, with: content, tempDir: spool.tmpDir)
        try io.unlink(spool.newDir + "/" + name)
        try io.syncDirectory(spool.newDir)
        return newName
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
