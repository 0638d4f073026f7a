import FlatStore
import Foundation
import Testing

@testable import PrivacyOps

/// `customers import FILE.csv`: every row valid, or nothing imported; errors name the rows.
@Suite struct ServiceCustomerImportTests {
    static let goodCSV = #"""
        name,email,phone,address,services,status,alternate_emails
        "Zola, Émile",emile@example.fr,+33 1 42 68 53 00,"12 Rue de Rivoli,
        75001 Paris",web;mail,active,
        渡辺 美咲,misaki@example.jp,,東京都千代田区丸の内1-1,,suspended,misaki.w@example.jp; m@example.jp
        "O""Brien, Zoë",zoe@example.ie,1-555-123-4567,"Flat 2, ""The Old Mill""",mail,,
        Łukasz Żółć,lukasz@example.pl,,,,,

        """#

    static func checkGood(_ out: [Customer]) {
        #expect(out.count == 4)
        #expect(out.map(\.name) == ["Zola, Émile", "渡辺 美咲", "O\"Brien, Zoë", "Łukasz Żółć"])
        #expect(out.map(\.id) == ["C0000001", "C0000002", "C0000003", "C0000004"])
        guard out.count == 4 else { return }
        #expect(out[0].address == "12 Rue de Rivoli,\n75001 Paris")
        #expect(out[0].phone == "+33 1 42 68 53 00")
        #expect(out[0].services == ["web", "mail"])
        #expect(out[0].status == .active)
        #expect(out[0].alternateEmails.isEmpty)
        #expect(out[1].status == .suspended)
        #expect(out[1].phone == nil)
        #expect(out[1].address == "東京都千代田区丸の内1-1")
        #expect(out[1].alternateEmails == ["misaki.w@example.jp", "m@example.jp"])
        #expect(out[2].address == "Flat 2, \"The Old Mill\"")
        #expect(out[2].services == ["mail"])
        #expect(out[3].address == nil && out[3].services.isEmpty && out[3].status == .active)
    }

    @Test func validFileIsImportedInOneCommit() throws {
        let w = try ServiceWorld()
        let sam = try w.open(.support)
        let path = try w.write(Self.goodCSV, name: "customers.csv")
        let seq = w.seq
        let out = try sam.importCustomers(csvFile: path)
        Self.checkGood(out)
        #expect(w.seq == seq + 1, "one commit for the whole file")
        #expect(w.lastAudit?.action == "customers.import")
        #expect(w.lastAudit?.target == "customers.csv")
        // As stored, read back.
        let stored = try sam.listCustomers()
        #expect(stored == out)
        // Contact points are usable for matching at once.
        #expect(try sam.submitOptOut(OptOutSubmission(contact: "M@EXAMPLE.JP")).matches == ["C0000002"])
    }

    @Test func windowsLineEndingsAndByteOrderMark() throws {
        let w = try ServiceWorld()
        let sam = try w.open(.support)
        // Spreadsheet programs save "CSV UTF-8" with a byte order mark and CRLF line endings.
        let crlf = Self.goodCSV.replacingOccurrences(of: "\n", with: "\r\n")
        let bom = "\u{FEFF}" + crlf
        let out = try sam.importCustomers(csvFile: try w.write(bom, name: "excel.csv"))
        #expect(out.count == 4)
        #expect(out.map(\.name) == ["Zola, Émile", "渡辺 美咲", "O\"Brien, Zoë", "Łukasz Żółć"])
        #expect(out.allSatisfy { !$0.name.contains("\r") && !$0.email.contains("\r") && !($0.alternateEmails.joined().contains("\r")) })
    }

    @Test func oneBadRowImportsNothingAndNamesTheRows() throws {
        let w = try ServiceWorld()
        let sam = try w.open(.support)
        let csv = """
            name,email,phone,status
            "Good, One",one@example.com,,
            Bad Email,not-an-address,,
            "Multi
            Line",multi@example.com,,active
            Bad Phone,phone@example.com,call me maybe,
            Bad Status,status@example.com,,paused
            ,noname@example.com,,
            Good Two,two@example.com,+1 555 010 2222,

            """
        let path = try w.write(csv, name: "mixed.csv")
        let seq = w.seq
        let error = try #require(serviceError { try sam.importCustomers(csvFile: path) })
        guard case .invalid(let problem) = error else {
            Issue.record("expected .invalid, got \(error)")
            return
        }
        let message = problem.neutralText
        #expect(error.exitCode == 65)
        // Rows count records, the header being row 1 (a quoted line break stays in its row).
        for row in [3, 5, 6, 7] { #expect(message.contains("row \(row):"), "row \(row) not named: \(message)") }
        for row in [2, 4, 8] { #expect(!message.contains("row \(row):"), "row \(row) named: \(message)") }
        #expect(message.contains("4 bad row(s)"))
        // Each names its column and rule, never the value (the file's content stays out of errors).
        #expect(message.contains("row 3: email is not an e-mail address"))
        #expect(message.contains("row 5: phone is not a phone number"))
        #expect(message.contains("row 6: status is not one of"))
        #expect(message.contains("row 7: name is empty"))
        for value in ["not-an-address", "call me maybe", "paused", "Bad Email", "Bad Phone", "Bad Status"] {
            #expect(!message.contains(value), "the error repeats the file's content (\(value)): \(message)")
        }
        #expect(w.seq == seq)
        #expect(w.count(Collections.customers) == 0)
        #expect(w.count(Collections.counters) == 0)
    }

    @Test func wrongFieldCountNamesTheRow() throws {
        let w = try ServiceWorld()
        let sam = try w.open(.support)
        let path = try w.write("name,email\nAda,ada@example.com\nBob,bob@example.com,extra\n", name: "count.csv")
        let error = serviceError { try sam.importCustomers(csvFile: path) }
        #expect(error?.exitCode == 65)
        #expect(error?.message.contains("row 3") == true, "\(error?.message ?? "")")
        #expect(w.count(Collections.customers) == 0)
    }

    @Test func headerProblemsAreRefused() throws {
        let w = try ServiceWorld()
        let sam = try w.open(.support)
        let cases: [(String, String, String)] = [
            ("unknown column (named by position, not by its text)", "name,email,fax\nAda,ada@example.com,555\n", "column(s) 3 are not known"),
            ("no header (data first)", "Ada Lovelace,ada@example.com\nBob,bob@example.com\n", "column"),
            ("no email column", "name,phone\nAda,+1 555 010 0000\n", "email"),
            ("no name column", "email\nada@example.com\n", "name"),
            ("header only", "name,email\n", "no rows"),
            ("empty file", "", "header"),
        ]
        for (label, text, word) in cases {
            let path = try w.write(text, name: "header-\(w.next()).csv")
            let seq = w.seq
            let error = serviceError { try sam.importCustomers(csvFile: path) }
            #expect(error?.exitCode == 65, "\(label): \(String(describing: error))")
            #expect(error?.message.lowercased().contains(word) == true, "\(label): \(error?.message ?? "")")
            #expect(error?.message.contains("fax") == false && error?.message.contains("Ada") == false, "\(label): \(error?.message ?? "")")
            #expect(w.seq == seq, "\(label)")
        }
        // Header names are case-insensitive and may come in any order.
        let ok = try sam.importCustomers(csvFile: try w.write(" Email ,NAME\nada@example.com,Ada\n", name: "order.csv"))
        #expect(ok.map(\.name) == ["Ada"] && ok.map(\.email) == ["ada@example.com"])
        #expect(w.count(Collections.customers) == 1)
    }

    @Test func missingFileAndNonUTF8() throws {
        let w = try ServiceWorld()
        let sam = try w.open(.support)
        #expect(serviceExitCode { try sam.importCustomers(csvFile: w.filesPath + "/missing.csv") } == 66)
        let latin1 = w.filesPath + "/latin1.csv"
        FileManager.default.createFile(atPath: latin1, contents: Data([UInt8]("name,email\nJos".utf8) + [0xE9] + [UInt8](",jose@example.com\n".utf8)))
        let e = serviceError { try sam.importCustomers(csvFile: latin1) }
        #expect(e?.exitCode == 65)
        #expect(e?.message.contains("UTF-8") == true)
        #expect(w.count(Collections.customers) == 0)
    }
}
