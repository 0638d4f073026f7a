import Testing

@testable import ConsoleUI

@Suite struct TextInputTests {
    private func typed(_ text: String, into input: inout TextInput) {
        for c in text { input.handle(.char(c)) }
    }

    @Test func insertsAtTheCursor() {
        var input = TextInput()
        typed("helo", into: &input)
        input.handle(.left)
        input.handle(.char("l"))
        #expect(input.text == "hello")
        #expect(input.cursor == 4)
        input.handle(.home)
        input.handle(.char(">"))
        #expect(input.text == ">hello")
        input.handle(.end)
        input.handle(.char("!"))
        #expect(input.text == ">hello!")
    }

    @Test func backspaceAndDelete() {
        var input = TextInput(text: "abcdef")
        input.handle(.backspace)
        #expect(input.text == "abcde")
        input.handle(.home)
        input.handle(.backspace)  // nothing before the cursor
        #expect(input.text == "abcde")
        input.handle(.delete)
        #expect(input.text == "bcde")
        input.handle(.end)
        input.handle(.delete)  // nothing after the cursor
        #expect(input.text == "bcde")
        input.handle(.ctrl("a"))
        #expect(input.cursor == 0)
        input.handle(.ctrl("e"))
        #expect(input.cursor == 4)
    }

    @Test func ctrlUClearsAndCtrlWDeletesAWord() {
        var input = TextInput(text: "block the  message")
        input.handle(.ctrl("w"))
        #expect(input.text == "block the  ")
        input.handle(.ctrl("w"))
        #expect(input.text == "block ")
        input.handle(.ctrl("w"))
        #expect(input.text == "")
        input.handle(.ctrl("w"))
        #expect(input.text == "")
        input.text = "something"
        input.handle(.ctrl("u"))
        #expect(input.text == "" && input.cursor == 0)
        input.text = "one two"
        input.handle(.left); input.handle(.left); input.handle(.left)
        input.handle(.ctrl("k"))
        #expect(input.text == "one ")
    }

    @Test func refusesControlCharactersAndRespectsMaxLength() {
        var input = TextInput(maxLength: 3)
        let inserted = input.insert("\u{1B}")
        #expect(!inserted)
        typed("abcd", into: &input)
        #expect(input.text == "abc")
    }

    @Test func ownerKeysAreNotConsumed() {
        var input = TextInput(text: "x")
        let consumed = [Key.enter, .escape, .tab, .up, .char("y")].map { input.handle($0) }
        #expect(consumed == [false, false, false, false, true])
    }

    @Test func scrollsHorizontallyByDisplayWidth() {
        let term = MemoryTerminal(rows: 1, cols: 20)
        var input = TextInput()
        typed("山田太郎山田太郎", into: &input)  // 16 columns
        input.draw(on: term, row: 0, col: 0, width: 10, focused: true)
        // The cursor (at the end) stays visible: the field shows the tail.
        let (shown, cursorColumn) = input.visible(width: 10)
        #expect(TextFitting.width(shown) <= 10)
        #expect(shown.hasSuffix("太郎"))
        #expect(cursorColumn == 8)
        #expect(term.cursor.visible && term.cursor.col == 8)
        input.handle(.home)
        input.draw(on: term, row: 0, col: 0, width: 10, focused: true)
        #expect(input.scroll == 0)
        #expect(term.lines()[0] == "山田太郎山")
        #expect(term.cursor.col == 0)
    }

    @Test func showsPlaceholderDimmedWhenEmpty() {
        let term = MemoryTerminal(rows: 1, cols: 30)
        var input = TextInput(placeholder: "filter")
        input.draw(on: term, row: 0, col: 2, width: 20, focused: false)
        #expect(term.lines()[0] == "  filter")
        #expect(term.style(atRow: 0, col: 2) == .dim)
        #expect(!term.cursor.visible)
    }

    @Test func pastedEscapesAreShownNotSent() {
        let term = MemoryTerminal(rows: 1, cols: 30)
        var input = TextInput(text: "a\u{1B}[31mb")
        input.draw(on: term, row: 0, col: 0, width: 30, focused: true)
        #expect(term.lines()[0] == "a^[[31mb")
    }
}
