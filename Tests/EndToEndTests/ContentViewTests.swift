import Foundation
import Testing

/// `lgadmin comms view` decodes what mail really holds: quoted-printable Latin-1 text, an HTML
/// alternative listed, an attachment listed with its name, type and size (never written
/// anywhere), escape sequences shown, never sent; `--json` keeps its old keys and adds the decoded
/// message; `--raw` prints the message as stored.
@Suite("Content view: MIME decoding through lgadmin comms view")
struct ContentViewTests {
    static let message = """
        From: =?ISO-8859-1?Q?J=F6rg_Sch=E4fer?= <joerg@example.de>\r
        To: Ada Lovelace <ada@example.com>\r
        Subject: =?UTF-8?Q?Rechnung_f=C3=BCr_M=C3=A4rz?=\r
        Date: Mon, 23 Nov 2026 10:00:00 +0000\r
        MIME-Version: 1.0\r
        Content-Type: multipart/mixed; boundary="==outer=="\r
        \r
        --==outer==\r
        Content-Type: multipart/alternative; boundary="==inner=="\r
        \r
        --==inner==\r
        Content-Type: text/plain; charset=ISO-8859-1\r
        Content-Transfer-Encoding: quoted-printable\r
        \r
        Sehr geehrte Frau Lovelace, anbei die Rechnung f=FCr M=E4rz. Mit freundlichen =\r
        Gr=FC=DFen =1B[2J\r
        --==inner==\r
        Content-Type: text/html; charset=UTF-8\r
        \r
        <p>Sehr geehrte Frau Lovelace</p>\r
        --==inner==--\r
        --==outer==\r
        Content-Type: application/pdf; name="Rechnung-03.pdf"\r
        Content-Disposition: attachment; filename="Rechnung\u{1B}[31m-03.pdf"\r
        Content-Transfer-Encoding: base64\r
        \r
        JVBERi0xLjQKJcfsj6IKNSAwIG9iago8PC9MZW5ndGggNiAwIFI+PgpzdHJlYW0K\r
        --==outer==--\r

        """

    @Test func commsViewDecodesTheMessage() throws {
        let sb = try Sandbox("content-view")
        defer { sb.cleanUp() }
        try sb.initStore()
        let ada = try sb.addCustomer(name: "Ada Lovelace", email: "ada@example.com")
        let adaID = try #require(str(ada, "id"))
        try sb.ok(["users", "grant", "mo", "moderator"])
        let maildir = sb.root + "/mail/ada/Maildir"
        for sub in ["cur", "new", "tmp"] {
            try FileManager.default.createDirectory(atPath: maildir + "/" + sub, withIntermediateDirectories: true)
        }
        try Data(Self.message.utf8).write(to: URL(fileURLWithPath: maildir + "/cur/1763892000.M1P1.mail:2,S"))
        let imported = try sb.ok(["comms", "import-maildir", maildir, "--customer", adaID, "--json"]).jsonArray()
        let mID = try #require(imported.first.flatMap { str($0, "id") })
        let rID = try #require(str(try sb.ok(["reports", "file", "--comm", mID, "--trigger", "abuse-report", "--reason", "invoice scam",
                                               "--reporter", "abuse@example.net", "--json"]).jsonObject(), "id"))
        let filesBefore = Set(FileManager.default.subpaths(atPath: sb.root) ?? [])

        let view = try sb.ok(["comms", "view", mID, "--case", rID, "--as", "mo"])
        let out = view.out
        #expect(out.contains("From: Jörg Schäfer <joerg@example.de>"), "\(view)")
        #expect(out.contains("Subject: Rechnung für März"), "\(view)")
        #expect(out.contains("anbei die Rechnung für März. Mit freundlichen Grüßen ^[[2J"), "soft line break joined, Latin-1 decoded, ESC shown\n\(view)")
        #expect(out.contains("part 2 · Rechnung[31m-03.pdf · application/pdf · 48 bytes · attachment"), "\(view)")
        #expect(out.contains("part 1.2 · (no name) · text/html"), "\(view)")
        #expect(!view.stdout.contains(0x1B), "no escape reaches the terminal")
        #expect(!out.contains("JVBERi0xLjQK"), "the attachment is not printed")
        // Nothing was written for the attachment.
        let written = Set(FileManager.default.subpaths(atPath: sb.root) ?? []).subtracting(filesBefore)
        #expect(!written.contains { $0.contains("Rechnung") || $0.hasSuffix(".pdf") }, "\(written)")

        // --json: the old keys and the decoded message.
        let json = try sb.ok(["comms", "view", mID, "--case", rID, "--as", "mo", "--json"]).jsonObject()
        expectKeys(json, ["id", "case", "content", "headers", "text", "parts", "attachments", "notes"], "comms view --json")
        #expect(str(json, "id") == mID && str(json, "case") == rID)
        #expect(str(json, "content")?.contains("Content-Transfer-Encoding: quoted-printable") == true, "content is the message as stored")
        let parts = try #require(json["parts"] as? [[String: Any]])
        #expect(parts.compactMap { str($0, "part") } == ["1.1", "1.2", "2"])
        #expect(parts.compactMap { str($0, "shown") } == ["text", "alternative", "attachment"])
        #expect(str(parts[0], "transfer_encoding") == "quoted-printable" && str(parts[0], "charset") == "iso-8859-1")
        let attachments = try #require(json["attachments"] as? [[String: Any]])
        #expect(attachments.count == 1)
        #expect(str(attachments[0], "filename") == "Rechnung[31m-03.pdf" && attachments[0]["size"] as? Int == 48)
        #expect(str(json, "text")?.contains("Grüßen") == true)

        // --raw: as stored, sanitised.
        let raw = try sb.ok(["comms", "view", mID, "--case", rID, "--as", "mo", "--raw"])
        #expect(raw.out.contains("JVBERi0xLjQK"))
        #expect(raw.out.contains("f=FCr M=E4rz"))
        #expect(!raw.stdout.contains(0x1B))
        try sb.auditVerifies()
    }
}
