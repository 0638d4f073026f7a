import Foundation
import Testing

@testable import PrivacyOps

/// The content view's MIME decoder on messages shaped like real mail.
@Suite struct MimeMessageTests {
    static func decode(_ text: String, crlf: Bool = true, limits: MimeLimits = .standard) -> MimeMessage {
        let normalised = crlf ? text.replacingOccurrences(of: "\n", with: "\r\n") : text
        return MimeMessage.decode(Array(normalised.utf8), limits: limits)
    }

    static func decodeBytes(_ bytes: [UInt8]) -> MimeMessage { MimeMessage.decode(bytes) }

    @Test func quotedPrintableSoftLineBreaksAndUTF8() {
        let m = Self.decode("""
            From: =?UTF-8?Q?Zo=C3=AB_M=C3=BCller?= <zoe@example.com>
            Subject: =?UTF-8?B?UmU6IFLDqXNlcnZhdGlvbg==?=
            MIME-Version: 1.0
            Content-Type: text/plain; charset="utf-8"
            Content-Transfer-Encoding: quoted-printable

            Bonjour, voici la confirmation de votre r=C3=A9servation pour le vol de dem=
            ain matin =E2=80=94 siège 12A.=20
            Merci !
            """)
        #expect(m.headers.first { $0.name == "From" }?.value == "Zoë Müller <zoe@example.com>")
        #expect(m.headers.first { $0.name == "Subject" }?.value == "Re: Réservation")
        #expect(m.parts.count == 1)
        let text = m.parts[0].text ?? ""
        #expect(text.contains("réservation pour le vol de demain matin — siège 12A. \r\nMerci !"))
        #expect(m.parts[0].presentation == .text)
        #expect(m.parts[0].charset == "utf-8")
        #expect(m.notes.isEmpty)
        // A single part: no part heading, headers then the text.
        let lines = m.displayLines()
        #expect(lines[0] == .init(.header, "From: Zoë Müller <zoe@example.com>"))
        #expect(!lines.contains { $0.kind == .heading })
        #expect(lines.contains(.init(.text, "Merci !")))
    }

    @Test func base64BodyAndLatin1Body() {
        let b64 = Data("Hallo Jürgen,\nIhre Rechnung liegt bei.\n".utf8).base64EncodedString(options: [.lineLength64Characters])
        let m = Self.decode("""
            From: billing@example.de
            Content-Type: text/plain; charset=UTF-8
            Content-Transfer-Encoding: base64

            \(b64)
            """)
        #expect(m.parts.first?.text?.contains("Hallo Jürgen,\nIhre Rechnung liegt bei.") == true)

        // ISO-8859-1, 8bit: the bytes E9 and FC are é and ü; 0x93/0x94 (mislabelled cp1252) are quotes.
        var latin1 = Array("Subject: caf\u{e9}\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n".utf8)
        latin1 += [0x43, 0x61, 0x66, 0xE9, 0x20, 0x6D, 0xFC, 0x73, 0x6C, 0x69, 0x20, 0x93, 0x6F, 0x6B, 0x94, 0x0D, 0x0A]
        let l = Self.decodeBytes(latin1)
        #expect(l.parts.first?.text == "Café müsli “ok”\r\n")
        #expect(l.notes.isEmpty)
    }

    @Test func windows1252AndLatin9AndFoundationCharsets() {
        func body(_ charset: String, _ bytes: [UInt8]) -> String? {
            let head = Array("Content-Type: text/plain; charset=\(charset)\r\n\r\n".utf8)
            return Self.decodeBytes(head + bytes).parts.first?.text
        }
        #expect(body("windows-1252", [0x80, 0x20, 0x85]) == "€ …")
        #expect(body("ISO-8859-15", [0xA4, 0xBD]) == "€œ")
        #expect(body("windows-1251", [0xCF, 0xF0, 0xE8, 0xE2, 0xE5, 0xF2]) == "Привет")
        #expect(body("iso-8859-2", [0xA9, 0xB9]) == "Šš")
        #expect(body("Shift_JIS", [0x82, 0xA0, 0x82, 0xA2]) == "あい")
        #expect(body("us-ascii", Array("plain".utf8)) == "plain")
    }

    @Test func unknownCharsetIsReplacedAndSaidSo() {
        let head = Array("Content-Type: text/plain; charset=x-klingon\r\n\r\n".utf8)
        let m = Self.decodeBytes(head + [0x51, 0x61, 0x70, 0x6C, 0x61, 0x27, 0x20, 0xF1, 0xF2])
        #expect(m.parts.first?.text == "Qapla' \u{FFFD}\u{FFFD}")
        #expect(m.notes.contains { $0.contains("unknown charset \"x-klingon\"") && $0.contains("\u{FFFD}") })
        #expect(m.displayLines().contains { $0.kind == .note && $0.text.contains("x-klingon") })
    }

    /// multipart/mixed holding a multipart/alternative (plain and HTML) and a PDF attachment:
    /// the plain version shown, the HTML version listed, the attachment listed with its size.
    static let mixedWithAlternative = """
        From: "Support" <support@shop.example>
        To: customer@example.com
        Subject: Your order
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="outer-XYZ"

        This is a multi-part message in MIME format.
        --outer-XYZ
        Content-Type: multipart/alternative;
         boundary="inner-123"

        --inner-123
        Content-Type: text/plain; charset=iso-8859-1
        Content-Transfer-Encoding: quoted-printable

        Your order has shipped. Gr=FC=DFe!
        --inner-123
        Content-Type: text/html; charset=utf-8

        <html><head><style>p{color:red}</style></head><body><p>Your order has <b>shipped</b>.</p></body></html>
        --inner-123--

        --outer-XYZ
        Content-Type: application/pdf; name="invoice.pdf"
        Content-Disposition: attachment; filename="invoice.pdf"
        Content-Transfer-Encoding: base64

        JVBERi0xLjQKJcfsj6IKNSAwIG9iago8PC9MZW5ndGggNiAwIFI+PgpzdHJlYW0K
        --outer-XYZ--
        epilogue
        """

    @Test func nestedAlternativeInsideMixedWithAnAttachment() {
        let m = Self.decode(Self.mixedWithAlternative)
        #expect(m.parts.map(\.number) == ["1.1", "1.2", "2"])
        #expect(m.parts[0].presentation == .text)
        #expect(m.parts[0].text == "Your order has shipped. Grüße!")
        #expect(m.parts[1].presentation == .alternative)
        #expect(m.parts[1].text == nil)
        let pdf = m.parts[2]
        #expect(pdf.presentation == .attachment)
        #expect(pdf.filename == "invoice.pdf")
        #expect(pdf.contentType == "application/pdf")
        #expect(pdf.size == 48)  // 64 base64 characters
        #expect(m.notes.isEmpty)
        let lines = m.displayLines()
        #expect(lines.contains(.init(.heading, "── part 1.1 · text/plain · iso-8859-1 · quoted-printable ──")))
        #expect(lines.contains(.init(.attachment, "part 2 · invoice.pdf · application/pdf · 48 bytes · attachment")))
        #expect(lines.contains(.init(.attachment, "part 1.2 · (no name) · text/html · 103 bytes · another version, not shown")))
        #expect(!m.displayText().contains("epilogue"))
        #expect(!m.displayText().contains("multi-part message in MIME format"))
    }

    @Test func htmlIsShownAsPlainTextWithLinksAndReferences() {
        let m = Self.decode("""
            Content-Type: text/html; charset=utf-8

            <html><head><title>t</title><script>alert(1)</script></head>
            <body><p>Dear&nbsp;customer,</p><p>Please <a href="https://evil.example/login?a=1&amp;b=2">verify your account</a> &mdash; today.</p>
            <!-- a comment <p>hidden</p> --><ul><li>one</li><li>two &#x2713; &#233; &bogus;</li></ul><img src="https://track.example/p.gif" alt="logo"></body></html>
            """)
        let text = m.parts.first?.text ?? ""
        #expect(m.parts.first?.presentation == .htmlAsText)
        #expect(text.contains("Dear customer,\n\nPlease verify your account [https://evil.example/login?a=1&b=2] — today."))
        #expect(text.contains("• one\n• two ✓ é &bogus;"))
        #expect(text.contains("[image: logo]"))
        #expect(!text.contains("alert"))
        #expect(!text.contains("hidden"))
        #expect(!text.contains("<"))
        #expect(m.displayLines().contains { $0.kind == .heading && $0.text.contains("text/html shown as plain text") })
    }

    @Test func attachmentNamesAreDecodedAndCleaned() {
        let m = Self.decode("""
            Content-Type: multipart/mixed; boundary=b

            --b
            Content-Type: text/plain

            See attached.
            --b
            Content-Type: application/octet-stream; name="=?UTF-8?B?UmVjaG51bmcucGRm?="
            Content-Disposition: attachment

            abc
            --b
            Content-Type: application/x-msdownload
            Content-Disposition: attachment; filename*=UTF-8''na%C3%AFve%1B%5B31m%E2%80%AEfdp.exe

            MZ
            --b
            Content-Type: image/png
            Content-Disposition: inline;
             filename*0="very-long-";
             filename*1="name.png"

            x
            --b--
            """)
        #expect(m.attachments.map(\.filename) == ["Rechnung.pdf", "naïve[31mfdp.exe", "very-long-name.png"])
        #expect(m.attachments.map(\.size) == [3, 2, 1])
        #expect(m.parts[0].text == "See attached.")
    }

    @Test func terminalEscapesInDecodedTextStayNeutralised() {
        let m = Self.decode("""
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: quoted-printable

            Hello =1B]0;owned=07=1B[2J world=00!
            """)
        let line = m.displayLines().first { $0.kind == .text }?.text ?? ""
        #expect(line.contains("\u{1B}"))  // decoded faithfully…
        let shown = TerminalText.sanitizeMultiline(line)  // …and shown, never executed
        #expect(!shown.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        #expect(shown.contains("^[]0;owned^G^[[2J world^@!"))
    }

    @Test func malformedStructuresAreShownWithANote() {
        // No closing boundary.
        let open = Self.decode("Content-Type: multipart/mixed; boundary=zz\n\n--zz\nContent-Type: text/plain\n\nstill here\n")
        #expect(open.parts.first?.text == "still here")
        #expect(open.notes.contains { $0.contains("no closing boundary") })
        // No boundary parameter: the body as text.
        let noBoundary = Self.decode("Content-Type: multipart/mixed\n\nbody text\n")
        #expect(noBoundary.parts.first?.text == "body text\r\n")
        #expect(noBoundary.notes.contains { $0.contains("without a usable boundary") })
        // A boundary that never appears.
        let missing = Self.decode("Content-Type: multipart/mixed; boundary=nope\n\n--other\n\ntext\n")
        #expect(missing.parts.first?.text?.contains("text") == true)
        #expect(missing.notes.contains { $0.contains("no part starts with its boundary") })
        // Invalid base64: what can be decoded is shown, with a note.
        let bad = Self.decode("Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\nSGVs!!bG8=\n")
        #expect(bad.parts.first?.text == "Hello")
        #expect(bad.notes.contains { $0.contains("base64 encoding is damaged") })
        // A message without headers or body.
        #expect(MimeMessage.decode([]).parts.count == 1)
    }

    @Test func deepNestingAndManyPartsStayWithinTheLimits() {
        // 10,000 nested multiparts.
        var text = "Content-Type: multipart/mixed; boundary=b0\r\n\r\n"
        for k in 1...10_000 { text += "--b\(k - 1)\r\nContent-Type: multipart/mixed; boundary=b\(k)\r\n\r\n" }
        text += "--b10000\r\nContent-Type: text/plain\r\n\r\ndeep\r\n"
        let deep = MimeMessage.decode(Array(text.utf8))
        #expect(deep.parts.count == 1)
        #expect(deep.parts[0].presentation == .attachment)
        #expect(deep.parts[0].number.split(separator: ".").count == MimeLimits.standard.maxDepth)
        #expect(deep.notes.contains { $0.contains("nested deeper than") })

        // 10,000 sibling parts.
        var many = "Content-Type: multipart/mixed; boundary=s\r\n\r\n"
        for k in 0..<10_000 { many += "--s\r\nContent-Type: text/plain\r\n\r\n\(k)\r\n" }
        many += "--s--\r\n"
        let wide = MimeMessage.decode(Array(many.utf8))
        #expect(wide.parts.count == MimeLimits.standard.maxParts)
        #expect(wide.notes.contains { $0.contains("more part(s) not shown") })

        // A huge single line is cut at the text budget.
        let small = MimeLimits(maxTextBytes: 4096)
        let huge = "Content-Type: text/plain\r\n\r\n" + String(repeating: "é", count: 100_000)
        let cut = MimeMessage.decode(Array(huge.utf8), limits: small)
        #expect((cut.parts.first?.text?.utf8.count ?? 0) <= 4096)
        #expect(cut.parts.first?.text?.hasSuffix("é") == true)
        #expect(cut.notes.contains { $0.contains("cut after 4096 bytes") })
    }

    @Test func transferDecodersOnEdgeCases() {
        #expect(MimeTransferEncoding.decodeQuotedPrintable(Array("a=3Db =\r\nc=\nd =XY e  \r\nf".utf8)[...]).bytes == Array("a=b cd =XY e\r\nf".utf8))
        #expect(MimeTransferEncoding.decodeQuotedPrintable(Array("=".utf8)[...]).bytes == [])
        #expect(MimeTransferEncoding.decodeBase64(Array("QUJD\r\nREVG".utf8)[...]).bytes == Array("ABCDEF".utf8))
        #expect(MimeTransferEncoding.decodeBase64(Array("QUJDR".utf8)[...]).damaged)
        #expect(MimeTransferEncoding(fieldValue: " Base64 ") == .base64)
        #expect(MimeTransferEncoding(fieldValue: "x-uuencode") == .other("x-uuencode"))
    }
}
