import FlatStore
import Foundation
import Testing

@testable import PrivacyOps

/// Where refusing would lose what the policy protects, the number is masked instead (last four
/// digits kept): a Maildir's headers are indexed masked, and a contact-form request is taken
/// with its message masked. Afterwards nothing under the store holds the number: not the index,
/// not the spool's cur/ or bad/, not a `.reason` file.
@Suite struct ServiceCardMaskingTests {
    /// Forms of one number (4111 1111 1111 1111) as a contact form or a mail client may send it.
    static let forms: [String] = [
        "4111 1111 1111 1111", "4111-1111-1111-1111", "4111\u{00A0}1111\u{00A0}1111\u{00A0}1111", "4111\u{2013}1111\u{2013}1111\u{2013}1111",
        "4111\u{200B}1111\u{200B}1111\u{200B}1111", "4111.1111.1111.1111", "4111/1111/1111/1111", "4111\t1111\t1111\t1111",
        "\u{FF14}\u{FF11}\u{FF11}\u{FF11}\u{FF11}\u{FF11}\u{FF11}\u{FF11}\u{FF11}\u{FF11}\u{FF11}\u{FF11}\u{FF11}\u{FF11}\u{FF11}\u{FF11}",
        "4111 1111 1111 1111 123", "card4111111111111111",
    ]

    /// Every file under the store, with its bytes.
    static func storeFiles(_ w: ServiceWorld) -> [(String, [UInt8])] {
        var out: [(String, [UInt8])] = []
        let walker = FileManager.default.enumerator(atPath: w.storeFiles)
        while let rel = walker?.nextObject() as? String {
            var isDir: ObjCBool = false
            let path = w.storeFiles + "/" + rel
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue, let b = serviceFileBytes(path) {
                out.append((rel, b))
            }
        }
        return out
    }

    /// No file under the store holds the number: `store scan` finds nothing, and no file's
    /// digits (of any script, read in order) hold its first twelve digits.
    static func expectStoreHoldsNoNumber(_ w: ServiceWorld, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(try w.open(.auditor).scanStore().isEmpty, "\(label)", sourceLocation: sourceLocation)
        for (rel, bytes) in storeFiles(w) {
            let digits = CardNumberGuardPropertyTests.asciiDigits(String(decoding: bytes, as: UTF8.self))
            #expect(!digits.contains("411111111111"), "\(label): \(rel) holds the number", sourceLocation: sourceLocation)
        }
    }

    // MARK: The contact form's spool

    @Test(arguments: forms)
    func spoolMessageWithANumberIsTakenMasked(_ form: String) throws {
        let w = try ServiceWorld()
        let sam = try w.open(.support)
        let name = "1772442000.msg.web1"
        try w.deliver(["contact": "pat@example.com", "message": "please stop, and my card is \(form), thanks", "name": "Pat"], name: name)
        let report = try sam.ingestOptOuts()
        #expect(report.taken == [name] && report.rejected.isEmpty && report.left.isEmpty)
        #expect(report.masked.map(\.file) == [name] && report.masked.first?.fields == ["message"])
        let r = try #require(try sam.listOptOuts().first)
        #expect(r.contact == "pat@example.com")
        #expect(r.message?.contains("************1111") == true, "\(r.message ?? "")")
        #expect(r.message?.hasPrefix("please stop, and my card is ") == true && r.message?.hasSuffix(", thanks") == true)
        // The cur/ copy is the masked file, still a request the form would have written.
        let cur = try #require(serviceFileBytes(w.spool.curDir + "/" + name))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(cur)) as? [String: Any])
        #expect((object["message"] as? String)?.contains("************1111") == true)
        #expect(object["contact"] as? String == "pat@example.com")
        #expect(serviceListing(w.spool.newDir).isEmpty && serviceListing(w.spool.tmpDir).isEmpty)
        #expect(w.lastAudit?.detail.contains("card number masked in the message") == true)
        try Self.expectStoreHoldsNoNumber(w, form)
    }

    @Test func spoolNameWithANumberIsTakenMasked() throws {
        let w = try ServiceWorld()
        let sam = try w.open(.support)
        try w.deliver(["contact": "+1 555 010 2000", "name": "Pat 4111-1111-1111-1111 Doe", "message": "no more mail"], name: "1772442000.name.web1")
        let report = try sam.ingestOptOuts()
        #expect(report.taken.count == 1 && report.masked.first?.fields == ["name"])
        let r = try #require(try sam.listOptOuts().first)
        #expect(r.name == "Pat ************1111 Doe" && r.message == "no more mail" && r.channel == .phone)
        try Self.expectStoreHoldsNoNumber(w, "name")
    }

    /// A number in the contact field cannot be masked (a masked contact point is another one):
    /// the request goes to bad/, the file there masked, its reason naming the field.
    @Test(arguments: forms)
    func spoolContactWithANumberGoesToBadMasked(_ form: String) throws {
        let w = try ServiceWorld()
        let sam = try w.open(.support)
        let name = "1772442000.contact.web1"
        try w.deliver(["contact": form, "message": "unsubscribe \(form)"], name: name)
        let seq = w.seq
        let report = try sam.ingestOptOuts()
        #expect(report.taken.isEmpty && report.rejected.map(\.file) == [name], "\(report.rejected)")
        #expect(w.seq == seq, "a request was committed")
        let reason = String(decoding: serviceFileBytes(w.spool.badDir + "/" + name + ".reason") ?? [], as: UTF8.self)
        #expect(reason.contains("contact") && reason.contains("card number ending 1111"), "\(reason)")
        let bad = String(decoding: serviceFileBytes(w.spool.badDir + "/" + name) ?? [], as: UTF8.self)
        #expect(bad.contains("************1111"), "\(bad)")
        #expect(serviceListing(w.spool.newDir).isEmpty && !serviceListing(w.spool.curDir).contains(name))
        #expect(w.count(Collections.optouts) == 0)
        try Self.expectStoreHoldsNoNumber(w, form)
    }

    /// A file that is not a request at all, holding a number anywhere (a JSON number, a scope,
    /// the time): bad/, masked, and the reason never repeats the number.
    @Test func unreadableSpoolFilesWithANumberGoToBadMasked() throws {
        let w = try ServiceWorld()
        let sam = try w.open(.support)
        let raws = [
            #"{"contact": 4111111111111111}"#,
            #"{"contact": "pat@example.com", "scopes": ["newsletter", "4111 1111 1111 1111"]}"#,
            #"{"contact": "pat@example.com", "submitted_at": "4111-1111-1111-1111"}"#,
            "not json at all: 4111 1111 1111 1111",
            #"{"contact": "pat@example.com", "message": 12, "extra": "4111\u00a01111\u00a01111\u00a01111"}"#,
        ]
        for (k, raw) in raws.enumerated() { try w.deliver(raw: raw, name: "1772442000.bad\(k).web1") }
        let report = try sam.ingestOptOuts()
        #expect(report.taken.isEmpty && report.rejected.count == raws.count, "\(report.rejected)")
        for r in report.rejected { #expect(!r.reason.filter(\.isNumber).contains("411111111111"), "\(r.reason)") }
        try Self.expectStoreHoldsNoNumber(w, "unreadable")
    }

    /// A spool file whose name holds a number: bad/ under the masked name.
    @Test func spoolFileNamedWithANumberGoesToBadUnderAMaskedName() throws {
        let w = try ServiceWorld()
        let sam = try w.open(.support)
        try w.deliver(["contact": "pat@example.com"], name: "1772442000.4111-1111-1111-1111.web1")
        let report = try sam.ingestOptOuts()
        #expect(report.rejected.map(\.file) == ["1772442000.************1111.web1"], "\(report.rejected)")
        #expect(serviceListing(w.spool.badDir) == ["1772442000.************1111.web1", "1772442000.************1111.web1.reason"])
        #expect(serviceListing(w.spool.newDir).isEmpty && serviceListing(w.spool.tmpDir).isEmpty)
        #expect(w.count(Collections.optouts) == 0)
        try Self.expectStoreHoldsNoNumber(w, "file name")
    }

    /// A file that cannot be rewritten masked is not taken and not moved: it stays in new/,
    /// reported, and is taken once the spool can be written again.
    @Test func spoolFileThatCannotBeRewrittenStaysInNew() throws {
        let w = try ServiceWorld()
        let io = FaultyFileIO()
        let sam = try w.open(.support, io: io)
        let name = "1772442000.stuck.web1"
        try w.deliver(["contact": "pat@example.com", "message": "card 4111 1111 1111 1111"], name: name)
        io.fail(.rename, path: name, .every, errno: EACCES)
        let seq = w.seq
        let report = try sam.ingestOptOuts()
        #expect(report.taken.isEmpty && report.rejected.isEmpty && report.left.map(\.file) == [name])
        #expect(report.left.first?.reason.contains("stays in new/") == true)
        #expect(w.seq == seq && serviceListing(w.spool.newDir) == [name] && serviceListing(w.spool.tmpDir).isEmpty)
        io.removeAllFaults()
        let again = try sam.ingestOptOuts()
        #expect(again.taken == [name] && again.masked.first?.fields == ["message"])
        try Self.expectStoreHoldsNoNumber(w, "after the retry")
    }

    // MARK: Maildir headers

    /// A number in From, To or Subject is indexed masked; the other messages of the Maildir are
    /// indexed as ever, and the message file itself (the customer's mail) is left as it is.
    @Test(arguments: forms)
    func maildirHeadersWithANumberAreIndexedMasked(_ form: String) throws {
        let w = try ServiceWorld()
        let c = try w.addCustomer()
        let texts = [ServiceWorld.messageText(1), ServiceWorld.messageText(2, subject: "Payment with card \(form) failed"),
                     ServiceWorld.messageText(3).replacingOccurrences(of: "From: Sender 3 <", with: "From: \(form) <"),
                     ServiceWorld.messageText(4, body: "my card is \(form)")]
        let dir = try w.makeMaildir(texts: texts)
        let before = serviceListing(dir + "/cur").map { serviceFileBytes(dir + "/cur/" + $0) }
        let result = try w.root.importMaildir(dir, customer: c.id)
        #expect(result.indexed.count == 4 && result.skipped.isEmpty)
        #expect(result.masked.count == 2, "\(result.masked)")
        let bySubject = Dictionary(uniqueKeysWithValues: result.indexed.map { ($0.subject, $0) })
        let subject = "Payment with card \(CardNumberGuard.masked(form)) failed"
        #expect(subject.contains("************1111"), "\(subject)")
        #expect(bySubject[subject] != nil, "\(bySubject.keys.sorted())")
        #expect(result.indexed.contains { $0.from.hasPrefix(CardNumberGuard.masked(form) + " <") }, "\(result.indexed.map(\.from))")
        #expect(w.lastAudit?.detail.contains("masked") == true)
        // The files are the customer's mail, untouched.
        #expect(serviceListing(dir + "/cur").map { serviceFileBytes(dir + "/cur/" + $0) } == before)
        try Self.expectStoreHoldsNoNumber(w, form)
    }

    /// A message whose file name holds a number is skipped (the index would store the name);
    /// the others are indexed.
    @Test func maildirMessageNamedWithANumberIsSkipped() throws {
        let w = try ServiceWorld()
        let c = try w.addCustomer()
        let dir = try w.makeMaildir(count: 2)
        FileManager.default.createFile(atPath: dir + "/cur/1772442000.4111 1111 1111 1111.host:2,S",
                                       contents: Data(ServiceWorld.messageText(9).utf8))
        let result = try w.root.importMaildir(dir, customer: c.id)
        #expect(result.indexed.count == 2)
        #expect(result.skipped.map(\.file) == ["cur/1772442000.************1111.host:2,S"], "\(result.skipped)")
        #expect(result.skipped.first?.reason.contains("card number ending 1111") == true)
        try Self.expectStoreHoldsNoNumber(w, "file name")
        // A Maildir path holding a number is refused whole.
        let odd = w.filesPath + "/4111-1111-1111-1111"
        try FileManager.default.moveItem(atPath: try w.makeMaildir(count: 1), toPath: odd)
        let e = serviceError { try w.root.importMaildir(odd, customer: c.id) }
        #expect(e?.exitCode == 65 && e?.message.contains("4111-1111") == false, "\(e?.message ?? "")")
    }
}
