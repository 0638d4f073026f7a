import Foundation
import Testing

@testable import PrivacyOps

@Suite struct MessageHeadersTests {
    /// A message as a mail server stores it (LF line ends), with a folded Subject, a UTF-8
    /// Japanese name in a B-encoded word, a Q-encoded ISO-8859-1 name, two Received fields.
    static let japaneseMessage = """
        Return-Path: <taro@example.jp>
        Received: from mx1.example.jp (mx1.example.jp [192.0.2.10])
        \tby mail.loopgalaxy.com (Postfix) with ESMTPS id 4Xy7Zq1Abc
        \tfor <support@loopgalaxy.com>; Tue,  1 Jul 2003 10:52:37 +0200 (CEST)
        Received: from [198.51.100.7] by mx1.example.jp; Tue, 1 Jul 2003 10:52:30 +0200
        From: =?UTF-8?B?5bGx55Sw5aSq6YOO?= <taro@example.jp>
        To: =?ISO-8859-1?Q?Andr=E9_M=FCller?= <andre@example.de>
        Cc: "Support" <support@loopgalaxy.com>
        Subject: Re: Meeting at 10:30 about the
         renewal of my
        \thosting plan
        Date: Tue, 1 Jul 2003 10:52:37 +0200
        Message-ID: <20030701105237.GA1234@example.jp>
        MIME-Version: 1.0
        Content-Type: text/plain; charset=UTF-8

        Hello,

        Subject: this line is in the body, not a header.

        """

    static func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    @Test func parsesARealisticMessage() throws {
        let raw = Self.bytes(Self.japaneseMessage)
        let headers = MessageHeaders.parse(raw)
        #expect(headers.value("From") == "山田太郎 <taro@example.jp>")
        #expect(headers.value("to") == "André Müller <andre@example.de>")
        #expect(headers.value("SUBJECT") == "Re: Meeting at 10:30 about the renewal of my\thosting plan")
        #expect(headers.value("Cc") == "\"Support\" <support@loopgalaxy.com>")
        #expect(headers.value("Message-Id") == "<20030701105237.GA1234@example.jp>")
        #expect(headers.value("X-Missing") == nil)
        #expect(headers.values("X-Missing").isEmpty)
        let received = headers.values("received")
        #expect(received.count == 2)
        #expect(received.first?.hasPrefix("from mx1.example.jp (mx1.example.jp [192.0.2.10])\tby mail.loopgalaxy.com") == true)
        #expect(received.last == "from [198.51.100.7] by mx1.example.jp; Tue, 1 Jul 2003 10:52:30 +0200")
        // The body starts after the empty line; the body's "Subject:" line is not a header.
        let body = String(decoding: raw[headers.bodyOffset...], as: UTF8.self)
        #expect(body.hasPrefix("Hello,\n"))
        #expect(headers.values("Subject").count == 1)
        #expect(headers.fields.count == 11)
        #expect(headers.fields.first == MessageHeaders.Field(name: "Return-Path", rawValue: "<taro@example.jp>"))
        let date = try #require(headers.value("Date").flatMap(MessageHeaders.parseDate))
        #expect(date.timeIntervalSince1970 == 1_057_049_557)
    }

    @Test func parsesACRLFMessage() {
        let lines = [
            "From: \"=?iso-8859-1?q?Fran=E7ois_P=E9rez?=\" <francois@example.fr>",
            "To: abuse@loopgalaxy.com",
            "Subject: =?utf-8?q?Spam_report_=E2=80=93_urgent?=",
            "X-Note: time: 10:30:00, ratio 3:2",
            "Subject-Line-Like: not the subject",
            "",
            "Body line 1",
            "Body line 2",
        ]
        let text = lines.joined(separator: "\r\n")
        let raw = Self.bytes(text)
        let headers = MessageHeaders.parse(raw)
        #expect(headers.value("From") == "\"François Pérez\" <francois@example.fr>")
        #expect(headers.value("Subject") == "Spam report – urgent")
        #expect(headers.value("X-Note") == "time: 10:30:00, ratio 3:2")
        #expect(!(headers.value("To") ?? "").contains("\r"))
        #expect(String(decoding: raw[headers.bodyOffset...], as: UTF8.self) == "Body line 1\r\nBody line 2")
    }

    @Test func foldedCRLFHeaderIsUnfolded() {
        let text = "Subject: a long\r\n subject\r\n\tline\r\nTo: x@example.com\r\n\r\n"
        let headers = MessageHeaders.parse(Self.bytes(text))
        #expect(headers.value("Subject") == "a long subject\tline")
        #expect(headers.value("To") == "x@example.com")
        #expect(headers.bodyOffset == text.utf8.count)
    }

    @Test func messageWithoutBody() {
        let noBlankLine = "From: a@example.com\nSubject: headers only\n"
        let h1 = MessageHeaders.parse(Self.bytes(noBlankLine))
        #expect(h1.value("Subject") == "headers only")
        #expect(h1.bodyOffset == noBlankLine.utf8.count)

        let noFinalNewline = "From: a@example.com\r\nSubject: last"
        let h2 = MessageHeaders.parse(Self.bytes(noFinalNewline))
        #expect(h2.value("Subject") == "last")
        #expect(h2.bodyOffset == noFinalNewline.utf8.count)

        let emptyBody = "Subject: empty body\r\n\r\n"
        let h3 = MessageHeaders.parse(Self.bytes(emptyBody))
        #expect(h3.bodyOffset == emptyBody.utf8.count)

        let empty = MessageHeaders.parse([])
        #expect(empty.fields.isEmpty && empty.bodyOffset == 0)

        let bodyOnly = MessageHeaders.parse(Self.bytes("\nbody"))
        #expect(bodyOnly.fields.isEmpty && bodyOnly.bodyOffset == 1)
    }

    @Test func latin1HeaderBytesAreDecodedAsLatin1() {
        // An old mailer wrote raw ISO-8859-1 bytes: "Subject: Café à Zürich".
        var raw = Self.bytes("Subject: Caf")
        raw += [0xE9, 0x20, 0xE0, 0x20, 0x5A, 0xFC]
        raw += Self.bytes("rich\nFrom: =?UTF-8?B?5bGx55Sw?= <y@example.jp>\n\nbody")
        let headers = MessageHeaders.parse(raw)
        #expect(headers.value("Subject") == "Café à Zürich")
        #expect(headers.value("From") == "山田 <y@example.jp>")  // other fields still UTF-8
    }

    @Test func oddLinesAreSkipped() {
        let text = "From sender@example.com Tue Jul  1 10:52:37 2003\nnot a header line\nSubject: ok\nBad Name: x\n continuation of a skipped line\nX-Empty:\nSubject : obsolete spacing\n\n"
        let headers = MessageHeaders.parse(Self.bytes(text))
        #expect(headers.fields.map(\.name) == ["Subject", "X-Empty", "Subject"])
        #expect(headers.value("X-Empty") == "")
        #expect(headers.values("subject") == ["ok", "obsolete spacing"])
    }

    // MARK: RFC 2047

    @Test(arguments: [
        // RFC 2047 section 8 examples
        ("(=?ISO-8859-1?Q?a?=)", "(a)"),
        ("(=?ISO-8859-1?Q?a?= b)", "(a b)"),
        ("(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)", "(ab)"),
        ("(=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?=)", "(ab)"),
        ("(=?ISO-8859-1?Q?a?=\t =?ISO-8859-1?Q?b?=)", "(ab)"),
        ("(=?ISO-8859-1?Q?a_b?=)", "(a b)"),
        // ISO-8859-2 is not supported: that word stays as written, with the space before it.
        ("(=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=)", "(a =?ISO-8859-2?Q?_b?=)"),
        // charsets
        ("=?UTF-8?B?5bGx55Sw5aSq6YOO?=", "山田太郎"),
        ("=?utf-8?b?5bGx55Sw?= =?utf-8?b?5aSq6YOO?=", "山田太郎"),
        ("=?UTF-8?B?5pel5pys6A==?= =?UTF-8?B?qp7jga7ku7blkI3jgafjgZk=?=", "日本語の件名です"),  // a character split over two words
        ("=?ISO-8859-1?Q?Andr=E9?=", "André"),
        ("=?latin1?Q?=DCber?=", "Über"),
        ("=?windows-1252?Q?=93quoted=94_=96_=80?=", "“quoted” – €"),
        ("=?ISO-8859-15?Q?Prix_=A4_5?=", "Prix € 5"),
        ("=?US-ASCII?Q?Keith_Moore?=", "Keith Moore"),
        ("=?UTF-8*en?Q?hello?=", "hello"),  // RFC 2231 language
        ("=?UTF-8?B?5bGx55Sw?", "=?UTF-8?B?5bGx55Sw?"),  // unterminated
        ("=?KOI8-R?Q?abc?=", "=?KOI8-R?Q?abc?="),  // unknown charset
        ("=?UTF-8?X?abc?=", "=?UTF-8?X?abc?="),  // unknown encoding
        ("=?UTF-8?B?!!!!?=", "=?UTF-8?B?!!!!?="),  // bad Base64
        ("=?UTF-8?Q?bad=ZZ?=", "=?UTF-8?Q?bad=ZZ?="),  // bad escape
        ("=?UTF-8?Q?a b?=", "=?UTF-8?Q?a b?="),  // space inside a word
        ("plain text, 2 + 2 = 4?", "plain text, 2 + 2 = 4?"),
        ("Re: =?UTF-8?Q?caf=C3=A9?= and more", "Re: café and more"),
        ("=?UTF-8?Q??=x", "x"),  // empty word
    ])
    func decodeEncodedWords(_ encoded: String, _ decoded: String) {
        #expect(MessageHeaders.decodeEncodedWords(encoded) == decoded)
    }

    // MARK: Dates

    @Test(arguments: [
        ("Tue, 1 Jul 2003 10:52:37 +0200", 1_057_049_557),
        ("Tue, 01 Jul 2003 10:52:37 -0700 (PDT)", 1_057_081_957),
        ("1 Jul 2003 10:52 GMT", 1_057_056_720),  // no day name, no seconds
        ("Wed, 25 Nov 2026 14:30:15 EST", 1_795_635_015),
        ("1 Jul 03 10:52:37 +0000", 1_057_056_757),  // two-digit year
        ("Mon, 2 Jan 2006 15:04:05 +0000 (Coordinated (Universal) Time)", 1_136_214_245),
        ("Mon,2 Jan 2006 15:04:05 UT", 1_136_214_245),
        ("  Monday, 2 JAN 2006 15:04:05 Z  ", 1_136_214_245),
        ("Fri, 21 Nov 1997 09:55:06 -0600", 880_127_706),  // RFC 5322 appendix A
        ("Thu, 13 Feb 1969 23:32:54 -0330", -27_723_426),
        ("Sat, 29 Feb 2020 23:59:60 +0000", 1_583_020_800),  // leap second
        ("2 Jan 2006 15:04:05", 1_136_214_245),  // no zone: UTC
        ("2 Jan 2006 15:04:05 A", 1_136_214_245),  // military zone: -0000
    ])
    func parseDate(_ text: String, _ epoch: Int) {
        #expect(MessageHeaders.parseDate(text)?.timeIntervalSince1970 == TimeInterval(epoch))
    }

    @Test(arguments: [
        "", "yesterday", "Thu, 31 Apr 2003 10:00:00 +0000", "29 Feb 2021 10:00:00 +0000",
        "1 Jul 2003 25:00:00 +0000", "1 Jul 2003 10:61 +0000", "1 Foo 2003 10:00 +0000",
        "2003-07-01T10:52:37Z", "Blursday, 1 Jul 2003 10:52:37 +0000", "1 Jul 2003 10:52:37 +02",
    ])
    func parseDateRejects(_ text: String) {
        #expect(MessageHeaders.parseDate(text) == nil)
    }
}
