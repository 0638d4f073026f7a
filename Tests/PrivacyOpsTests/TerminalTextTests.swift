import Testing

@testable import PrivacyOps

@Suite struct TerminalTextTests {
    // MARK: sanitize

    @Test func printableTextIsUnchanged() {
        #expect(TerminalText.sanitize("Alice Example <alice@example.com>") == "Alice Example <alice@example.com>")
        #expect(TerminalText.sanitize("山田太郎 café 👍") == "山田太郎 café 👍")
    }

    @Test func escapeSequencesAreShownNotExecuted() {
        let evil = "\u{1B}[2J\u{1B}[31mEvil"
        let safe = TerminalText.sanitize(evil)
        #expect(safe == "^[[2J^[[31mEvil")
        #expect(!safe.utf8.contains(0x1B))
        #expect(!TerminalText.sanitizeMultiline(evil).utf8.contains(0x1B))
        // OSC 8 hyperlink and a title change, terminated by BEL.
        let osc = "\u{1B}]0;pwned\u{07}\u{1B}]8;;http://x\u{1B}\\link"
        #expect(TerminalText.sanitize(osc) == "^[]0;pwned^G^[]8;;http://x^[\\link")
    }

    @Test func everyControlCharacterIsVisible() {
        for value in UInt32(0)..<0x20 where value != 0x0A && value != 0x0D && value != 0x09 {
            let scalar = Unicode.Scalar(UInt8(value))
            let out = TerminalText.sanitize("a\(Character(scalar))b")
            #expect(out.unicodeScalars.allSatisfy { $0.value >= 0x20 }, "U+\(value)")
            #expect(out.hasPrefix("a^") && out.hasSuffix("b") && out.count == 4)
        }
        #expect(TerminalText.sanitize("\u{00}") == "^@")
        #expect(TerminalText.sanitize("\u{01}") == "^A")
        #expect(TerminalText.sanitize("\u{07}") == "^G")
        #expect(TerminalText.sanitize("\u{08}") == "^H")
        #expect(TerminalText.sanitize("\u{1F}") == "^_")
        #expect(TerminalText.sanitize("a\u{7F}b") == "a^?b")
        #expect(TerminalText.sanitize("a\r") == "a^M")
    }

    @Test func c1ControlsAreShownAsCodePoints() {
        #expect(TerminalText.sanitize("a\u{85}b") == "a<U+0085>b")
        #expect(TerminalText.sanitize("\u{9B}31m") == "<U+009B>31m")  // 8-bit CSI
        #expect(TerminalText.sanitize("\u{80}\u{9F}") == "<U+0080><U+009F>")
        #expect(TerminalText.sanitize("\u{A0}é") == "\u{A0}é")  // first printable after C1
    }

    @Test func bidiControlsAreShown() {
        let trojan = "invoice\u{202E}fdp.exe"
        #expect(TerminalText.sanitize(trojan) == "invoice<U+202E>fdp.exe")
        for value: UInt32 in [0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069] {
            let scalar = Unicode.Scalar(value) ?? " "
            let out = TerminalText.sanitize(String(Character(scalar)))
            #expect(out.hasPrefix("<U+") && out.hasSuffix(">"))
            #expect(!out.unicodeScalars.contains(scalar))
        }
        #expect(TerminalText.sanitize("\u{2066}x\u{2069}") == "<U+2066>x<U+2069>")
    }

    @Test func lineBreaksAndTabsInSingleLineForm() {
        #expect(TerminalText.sanitize("one\ntwo") == "one↵two")
        #expect(TerminalText.sanitize("one\r\ntwo") == "one↵two")
        #expect(TerminalText.sanitize("a\tb") == "a b")
        let flat = TerminalText.sanitize("x\ny\r\nz\u{2028}w")
        #expect(flat == "x↵y↵z<U+2028>w")
        #expect(!flat.contains { $0.isNewline })
    }

    @Test func multilineKeepsLinesAndExpandsTabs() {
        let message = "Hello\r\n\tindented\nname:\tvalue\n山田\tx\n\u{1B}[1mbold"
        let out = TerminalText.sanitizeMultiline(message)
        #expect(out == "Hello\n        indented\nname:   value\n山田    x\n^[[1mbold")
        #expect(!out.contains("\t") && !out.contains("\r"))
        #expect(TerminalText.sanitizeMultiline("a\rb") == "a^Mb")
        #expect(TerminalText.sanitizeMultiline("12345678\tx") == "12345678        x")
    }

    // MARK: width

    @Test(arguments: [
        ("", 0),
        ("hello", 5),
        ("café", 4),  // precomposed é
        ("cafe\u{301}", 4),  // e + combining acute
        ("Zoë Ångström", 12),
        ("山田太郎", 8),
        ("김민수", 6),  // Hangul syllables
        ("\u{1100}\u{1161}\u{11A8}", 2),  // conjoining jamo: one syllable
        ("カタカナ ひらがな", 17),
        ("ＡＢＣ", 6),  // fullwidth forms
        ("ｱｲｳ", 3),  // halfwidth katakana
        ("👍", 2),
        ("👍🏽", 2),  // skin tone modifier
        ("👨‍👩‍👧", 2),  // ZWJ family
        ("🏳️‍🌈", 2),  // ZWJ sequence starting with a text-default emoji
        ("🇯🇵", 2),  // flag pair
        ("🇯🇵🇺🇸", 4),
        ("a\u{200B}b", 2),  // zero width space
        ("a\u{200D}b", 2),  // lone ZWJ
        ("x\u{FE0F}", 1),  // variation selector
        ("Ω≈ç√", 4),
        ("mix 山 👍 e\u{301}", 11),
    ])
    func width(_ text: String, _ columns: Int) {
        #expect(TerminalText.width(text) == columns)
    }

    @Test func controlsHaveNoWidthButTheirSanitisedFormDoes() {
        #expect(TerminalText.width("\u{1B}") == 0)
        #expect(TerminalText.width(TerminalText.sanitize("\u{1B}[2J")) == 5)  // ^[[2J
    }

    // MARK: truncate and pad

    @Test func truncateLeavesShortTextAlone() {
        #expect(TerminalText.truncate("hello", toWidth: 5) == "hello")
        #expect(TerminalText.truncate("山田太郎", toWidth: 8) == "山田太郎")
        #expect(TerminalText.truncate("hello", toWidth: 0) == "")
        #expect(TerminalText.truncate("hello", toWidth: -3) == "")
    }

    @Test(arguments: [
        ("hello world", 8, "hello w…"),
        ("hello", 4, "hel…"),
        ("hello", 1, "…"),
        ("山田太郎", 7, "山田太…"),  // 6 + 1
        ("山田太郎", 6, "山田…"),  // a wide char never split: 4 + 1 = 5 ≤ 6
        ("山田太郎", 5, "山田…"),
        ("山田太郎", 2, "…"),
        ("a山田", 4, "a山…"),
        ("a山田", 3, "a…"),
        ("e\u{301}e\u{301}e\u{301}", 2, "e\u{301}…"),  // combining mark stays with its letter
        ("👨‍👩‍👧👨‍👩‍👧", 3, "👨‍👩‍👧…"),
        ("🇯🇵🇺🇸", 3, "🇯🇵…"),
    ])
    func truncate(_ text: String, _ width: Int, _ expected: String) {
        let out = TerminalText.truncate(text, toWidth: width)
        #expect(out == expected)
        #expect(TerminalText.width(out) <= width)
        #expect(out.unicodeScalars.elementsEqual(expected.unicodeScalars))
    }

    @Test func truncateAtEveryWidthKeepsWholeGraphemes() {
        let text = "Zoë 山田太郎 👨‍👩‍👧 🇯🇵 e\u{301}nd"
        let full = TerminalText.width(text)
        for width in 0...(full + 2) {
            let out = TerminalText.truncate(text, toWidth: width)
            #expect(TerminalText.width(out) <= max(width, 0))
            if width >= full {
                #expect(out == text)
            } else if width > 0 {
                #expect(out.hasSuffix("…"))
                #expect(TerminalText.width(out) >= width - 1)
                // Every character kept is a whole character of the original.
                let kept = Array(out.dropLast())
                #expect(Array(text.prefix(kept.count)) == kept)
            }
        }
    }

    @Test func padToExactWidth() {
        #expect(TerminalText.pad("abc", toWidth: 6) == "abc   ")
        #expect(TerminalText.pad("abc", toWidth: 6, alignRight: true) == "   abc")
        #expect(TerminalText.pad("山田", toWidth: 6) == "山田  ")
        #expect(TerminalText.pad("山田太郎", toWidth: 5) == "山田…")  // 2 + 2 + 1
        #expect(TerminalText.pad("山田太郎", toWidth: 4) == "山… ")  // 田 does not fit: padded
        #expect(TerminalText.pad("山田太郎", toWidth: 4, alignRight: true) == " 山…")
        #expect(TerminalText.pad("cafe\u{301}", toWidth: 5) == "cafe\u{301} ")
        #expect(TerminalText.pad("abc", toWidth: 0) == "")
        for width in 1...12 {
            #expect(TerminalText.width(TerminalText.pad("Zoë 山田 👍 🇯🇵", toWidth: width)) == width)
        }
    }
}
