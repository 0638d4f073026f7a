import FlatStore
import Foundation

/// What `optouts ingest` did.
public struct IngestReport: Sendable, Equatable {
    /// Requests committed from spool files.
    public var taken: [String] = []
    /// Files already taken before (moved to cur/ again, not counted twice).
    public var alreadyTaken: [String] = []
    /// Files set aside in bad/, with the reason.
    public var rejected: [(file: String, reason: String)] = []

    public static func == (a: IngestReport, b: IngestReport) -> Bool {
        a.taken == b.taken && a.alreadyTaken == b.alreadyTaken && a.rejected.map(\.file) == b.rejected.map(\.file)
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
    public func ingestOptOuts() throws -> IngestReport {
        try authorize(.optoutsIngest)
        let spool = OptOutSpool(store: storePath)
        spool.prepare()
        var report = IngestReport()
        for name in spool.waiting() {
            let path = spool.newDir + "/" + name
            guard let data = FileManager.default.contents(atPath: path) else { continue }  // taken by another process
            let parsed: (OptOutSubmission, ContactPoint)
            do {
                parsed = try parseSpoolFile(data, name: name)
            } catch {
                let reason = OpsError.from(error).message
                setAside(spool, name, reason: reason)
                report.rejected.append((name, reason))
                continue
            }
            let (submission, point) = parsed
            let taken: Bool = try change(.optoutsIngest, target: name) { ctx in
                if try ctx.view.all(Collections.optouts).contains(where: { $0.spoolFile == name }) {
                    return (nil, false)
                }
                let r = try makeRequest(submission, point: point, ctx: &ctx)
                ctx.caseId = r.id
                return ("opt-out \(r.id) taken from the contact form", true)
            }
            if taken { report.taken.append(name) } else { report.alreadyTaken.append(name) }
            rename(path, spool.curDir + "/" + name)
        }
        return report
    }

    private func parseSpoolFile(_ data: Data, name: String) throws -> (OptOutSubmission, ContactPoint) {
        guard let req = try? JSONDecoder().decode(SpoolRequest.self, from: data) else {
            throw OpsError.invalid("not a contact-form request: expected a JSON object with at least \"contact\"")
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
        return try validated(sub)
    }

    private func setAside(_ spool: OptOutSpool, _ name: String, reason: String) {
        let reasonFile = spool.badDir + "/" + name + ".reason"
        FileManager.default.createFile(atPath: reasonFile, contents: Data((reason + "\n").utf8))
        rename(spool.newDir + "/" + name, spool.badDir + "/" + name)
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
