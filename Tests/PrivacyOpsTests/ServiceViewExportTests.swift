import Crypto
import FlatStore
import Foundation
import Testing

@testable import PrivacyOps

/// `:export` of a list as shown: through the service, audited with the row count and the
/// SHA-256 of the bytes, card-checked, formula-guarded, only what the role may list, and only
/// ever into a new file (mode 0600).
@Suite struct ServiceViewExportTests {
    static func bytes(_ path: String) throws -> [UInt8] {
        [UInt8](try #require(FileManager.default.contents(atPath: path)))
    }

    static func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    static func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return try #require(attributes[.posixPermissions] as? Int)
    }

    @Test func csvKeepsTheViewsOrderAndIsAudited() throws {
        let w = try ServiceWorld()
        let a = try w.addCustomer("Ann Able", email: "ann@example.com", address: "1 Main St, Springfield")
        let b = try w.addCustomer("=HYPERLINK(\"http://evil.example\",\"x\")", email: "b@example.com", phone: "+1 555 0100")
        let c = try w.addCustomer("Cy \"Quote\" Case", email: "cy@example.com")
        let sam = try w.open(.support)
        let path = w.base + "/customers.csv"
        let seq = w.seq
        let result = try sam.exportView(.customers, ids: [c.id, a.id, b.id], format: .csv, to: path)
        let written = try Self.bytes(path)
        let text = String(decoding: written, as: UTF8.self)
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines.first == "id,version,name,email,alternate_emails,phone,address,status,services,created_at,updated_at")
        // The order shown, not the store's.
        #expect(lines.dropFirst().prefix(3).map { String($0.prefix(8)) } == [c.id, a.id, b.id])
        // RFC 4180: quotes doubled, a comma quoted.
        #expect(lines[1].contains("\"Cy \"\"Quote\"\" Case\""))
        #expect(lines[2].contains("\"1 Main St, Springfield\""))
        // Formula injection: the cells a spreadsheet would run start with ' instead.
        #expect(lines[3].contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\""), "\(lines[3])")
        #expect(lines[3].contains(",'+1 555 0100,"))
        #expect(lines.count == 5 && lines[4].isEmpty, "every record ends with CRLF")
        #expect(try Self.mode(path) == 0o600)
        #expect(result.rows == 3 && result.bytes == written.count && result.sha256 == Self.sha256(written) && result.maskedCells == 0)
        // One audit event: who, what, how many rows and the SHA-256 of exactly these bytes.
        #expect(w.seq == seq + 1)
        let event = try #require(w.lastAudit)
        #expect(event.action == "view.export" && event.actor == "sam" && event.target == "customers")
        #expect(event.detail.contains("rows: 3") && event.detail.contains("sha256: \(Self.sha256(written))"))
        #expect(event.detail.contains("format: csv") && event.detail.contains(path))
    }

    @Test func jsonIsAnArrayOfRecordsAsTheListShowsThem() throws {
        let w = try ServiceWorld()
        let first = try w.submitOptOut("pat@example.com", scopes: [.newsletter])
        let second = try w.submitOptOut("+1 555 0199", scopes: [.productNotices, .partnerOffers])
        let aud = try w.open(.auditor)
        let path = w.base + "/optouts.json"
        let result = try aud.exportView(.optouts, ids: [second.id, first.id], format: .json, to: path)
        let data = Data(try Self.bytes(path))
        let array = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        #expect(array.map { $0["id"] as? String } == [second.id, first.id])
        #expect(Set(array[0]["scopes"] as? [String] ?? []) == ["product-notices", "partner-offers"])
        #expect(array[1]["contact"] as? String == "pat@example.com" && array[1]["state"] as? String == "pending")
        // JSON is not formula-guarded: values are as stored.
        #expect(array[0]["contact"] as? String == "+1 555 0199")
        #expect(result.rows == 2 && w.lastAudit?.action == "view.export" && w.lastAudit?.target == "optouts")
        #expect(w.lastAudit?.detail.contains("sha256: \(Self.sha256(try Self.bytes(path)))") == true)
    }

    @Test func anEmptyViewIsAnEmptyListWithItsHeader() throws {
        let w = try ServiceWorld()
        let ops = try w.open(.admin)
        try ops.exportView(.customers, ids: [], format: .csv, to: w.base + "/none.csv")
        #expect(String(decoding: try Self.bytes(w.base + "/none.csv"), as: UTF8.self).hasPrefix("id,version,name,"))
        try ops.exportView(.customers, ids: [], format: .json, to: w.base + "/none.json")
        #expect(String(decoding: try Self.bytes(w.base + "/none.json"), as: UTF8.self) == "[]\n")
    }

    @Test func anExistingFileOrALinkIsNeverWrittenOver() throws {
        let w = try ServiceWorld()
        let c = try w.addCustomer()
        let ops = try w.open(.admin)
        let existing = w.base + "/existing.csv"
        try Data("keep me\n".utf8).write(to: URL(fileURLWithPath: existing))
        let target = w.base + "/target.txt"
        try Data("target\n".utf8).write(to: URL(fileURLWithPath: target))
        let link = w.base + "/link.csv"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let dangling = w.base + "/dangling.csv"
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: w.base + "/created-through-link.csv")
        let seq = w.seq
        for path in [existing, link, dangling] {
            let error = serviceError { try ops.exportView(.customers, ids: [c.id], format: .csv, to: path) }
            #expect(error?.exitCode == 75, "\(path): \(String(describing: error))")
        }
        #expect(String(decoding: try Self.bytes(existing), as: UTF8.self) == "keep me\n")
        #expect(String(decoding: try Self.bytes(target), as: UTF8.self) == "target\n")
        #expect(!FileManager.default.fileExists(atPath: w.base + "/created-through-link.csv"))
        #expect(w.seq == seq, "a refused export is not recorded as one")
        // A folder that does not exist: 66, nothing recorded.
        #expect(serviceExitCode { try ops.exportView(.customers, ids: [c.id], format: .csv, to: w.base + "/no/such/dir.csv") } == 66)
        #expect(w.seq == seq)
    }

    @Test func onlyWhatTheRoleMayList() throws {
        let w = try ServiceWorld()
        let c = try w.addCustomer()
        let r = try w.submitOptOut()
        let mo = try w.open(.moderator)
        let seq = w.seq
        // Moderators do not list opt-out requests: refused, no file, nothing recorded.
        let path = w.base + "/optouts-by-mo.csv"
        #expect(serviceExitCode { try mo.exportView(.optouts, ids: [r.id], format: .csv, to: path) } == 77)
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(serviceExitCode { try mo.exportView(.audit, ids: [], format: .json, to: path) } == 77)
        #expect(serviceExitCode { try w.open(.support).exportView(.disclosures, ids: [], format: .csv, to: path) } == 77)
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(w.seq == seq)
        // Customers they may list, so they may export them.
        try mo.exportView(.customers, ids: [c.id], format: .csv, to: path)
        #expect(w.lastAudit?.actor == "mo")
        // An id that is not there is not silently dropped.
        #expect(serviceExitCode { try mo.exportView(.customers, ids: ["C9999999"], format: .csv, to: w.base + "/missing.csv") } == 66)
    }

    @Test func auditTrailExportCarriesTheChain() throws {
        let w = try ServiceWorld()
        try w.addCustomer()
        let aud = try w.open(.auditor)
        let ids = try aud.auditEventIDs()
        let path = w.base + "/audit.csv"
        try aud.exportView(.audit, ids: ids, format: .csv, to: path)
        let lines = String(decoding: try Self.bytes(path), as: UTF8.self).components(separatedBy: "\r\n")
        #expect(lines[0].hasPrefix("seq,at,actor,"))
        #expect(lines[0].contains("prev_hash,hash"))
        #expect(lines.count == ids.count + 2)
    }

    /// A record that got past the guard (written around it, as a hand edit might): the export
    /// masks the number, says so in the audit event, and no byte of the file holds it.
    @Test(arguments: [ExportFormat.csv, .json])
    func aCardNumberIsNeverWritten(_ format: ExportFormat) throws {
        let w = try ServiceWorld()
        let planted = try w.root.change(.customersAdd, target: "C7777777") { ctx in
            let c = Customer(id: "C7777777", version: 0, name: "Card 4111 1111 1111 1111 Holder", email: "card@example.com",
                             services: ["hosting", "4111-1111-1111-1111"], createdAt: ctx.now, updatedAt: ctx.now)
            try ctx.tx.insert(c, into: Collections.customers)
            return ("planted for the test", c)
        }
        let path = w.base + "/cards." + format.rawValue
        let result = try w.open(.admin).exportView(.customers, ids: [planted.id], format: format, to: path)
        let text = String(decoding: try Self.bytes(path), as: UTF8.self)
        #expect(result.maskedCells == 2)
        #expect(text.contains("************1111"))
        #expect(!CardNumberGuardPropertyTests.asciiDigits(text).contains("411111111111"), "\(text)")
        #expect(try Self.bytes(path).withUnsafeBytes { CardNumberGuard.scan($0) }.isEmpty)
        #expect(w.lastAudit?.detail.contains("card numbers masked in 2 cell(s)") == true)
        // The path is recorded in the audit event: one holding a card number is refused.
        #expect(serviceExitCode { try w.open(.admin).exportView(.customers, ids: [], format: format, to: w.base + "/4111111111111111") } == 65)
    }

    /// Preparing reads only; writing checks the role again (it may have changed meanwhile).
    @Test func preparingWritesNothingAndWritingChecksTheRoleAgain() throws {
        let w = try ServiceWorld()
        let r = try w.submitOptOut()
        let sam = try w.open(.support)
        let seq = w.seq
        let prepared = try sam.prepareExport(.optouts, ids: [r.id], format: .csv)
        #expect(prepared.rows == 1 && prepared.byteCount > 0 && w.seq == seq)
        let path = w.base + "/later.csv"
        #expect(sam.exportPathProblem(path) == nil)
        try w.root.revoke(user: "sam")
        #expect(serviceExitCode { try sam.writeExport(prepared, to: path) } == 77)
        #expect(!FileManager.default.fileExists(atPath: path) && w.seq == seq + 1, "only the revoke was recorded")
        try Data("x".utf8).write(to: URL(fileURLWithPath: path))
        #expect(sam.exportPathProblem(path)?.contains("already exists") == true)
        #expect(sam.exportPathProblem(w.base + "/4111111111111111.csv")?.contains("card number") == true)
    }

    @Test(arguments: ["=1+1", "+1 555", "-2", "@SUM(A1)", "\tx", "\rx"])
    func formulaCellsAreRecognised(_ cell: String) {
        #expect(PrivacyOps.looksLikeFormula(cell))
    }

    @Test(arguments: ["", "Ann", "1+1", "a=b", "'=x", "C0000001"])
    func plainCellsAreLeftAlone(_ cell: String) {
        #expect(!PrivacyOps.looksLikeFormula(cell))
    }
}
