import Foundation
import PrivacyOps
import Testing

@testable import ConsoleUI

/// The content view decodes the message: a quoted-printable Latin-1 part shown as text, the HTML
/// version listed, an attachment listed with its name, type and size, escapes shown, not run.
@Suite struct ScreenContentViewTests {
    static let mime = """
        From: =?ISO-8859-1?Q?Jos=E9_Garc=EDa?= <jose@example.es>\r
        To: kenji@example.jp\r
        Subject: =?UTF-8?B?RmFjdHVyYSBkZSBtYXJ6bw==?=\r
        Date: Mon, 02 Mar 2026 08:45:00 +0000\r
        Content-Type: multipart/mixed; boundary="b1"\r
        \r
        --b1\r
        Content-Type: multipart/alternative; boundary="b2"\r
        \r
        --b2\r
        Content-Type: text/plain; charset=iso-8859-1\r
        Content-Transfer-Encoding: quoted-printable\r
        \r
        Adjunto la factura de marzo. Un saludo, Jos=E9 =1B[31mGarc=EDa\r
        --b2\r
        Content-Type: text/html; charset=utf-8\r
        \r
        <p>Adjunto la factura</p>\r
        --b2--\r
        --b1\r
        Content-Type: application/pdf\r
        Content-Disposition: attachment; filename="factura-marzo.pdf"\r
        Content-Transfer-Encoding: base64\r
        \r
        JVBERi0xLjQKJcfsj6IKNSAwIG9iago8PC9MZW5ndGggNiAwIFI+PgpzdHJlYW0K\r
        --b1--\r

        """

    @Test(arguments: TermSize.both)
    func theContentViewShowsADecodedPartAndListsTheAttachment(size: TermSize) throws {
        let world = try ScreenWorld(extraCustomers: 1)
        let path = world.maildir + "/cur/1772441000.M9P1.mail.example:2,S"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(Self.mime.utf8)))
        let comm = try #require(try world.admin.importMaildir(world.maildir, customer: world.customers["kenji"]!.id).indexed.first)
        let report = try world.admin.fileReport(communication: comm.id, trigger: .abuseReport, reason: "fake invoice", reporter: "abuse@example.net")
        let ui = try world.console("mo", size: size)
        ui.press(.char("G"), .enter)
        #expect(ui.text.contains(report.id), "\(ui.dump)")
        ui.press(.char("v"))
        #expect(ui.text.contains("Message \(comm.id) read through case \(report.id)"), "\(ui.dump)")
        #expect(ui.text.contains("From: José García <jose@example.es>"), "\(ui.dump)")
        #expect(ui.text.contains("Subject: Factura de marzo"), "\(ui.dump)")
        #expect(ui.text.contains("── part 1.1 · text/plain · iso-8859-1 · quoted-printable ──"), "\(ui.dump)")
        #expect(ui.text.contains("Adjunto la factura de marzo."), "\(ui.dump)")
        #expect(ui.text.contains("part 2 · factura-marzo.pdf · application/pdf · 48 bytes · attachment"), "\(ui.dump)")
        #expect(ui.text.contains("never opened, saved or run"), "\(ui.dump)")
        #expect(!ui.text.contains("\u{1B}"))
        #expect(!ui.text.contains("JVBERi0"), "the attachment is listed, not shown")
        if size.cols >= 200 {
            #expect(ui.text.contains("Un saludo, José ^[[31mGarcía"), "\(ui.dump)")
        } else {
            // At 80 columns the line is cut into pieces that fit, none lost.
            #expect(ui.text.contains("Un saludo,") && ui.text.contains("^[[31mGarcía"), "\(ui.dump)")
        }
    }
}
