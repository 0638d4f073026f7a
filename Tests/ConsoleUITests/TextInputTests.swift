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

    // MARK: Pasting

    @Test func aPasteIsTextWithLineBreaksTabsAndControlsAsSpaces() {
        var input = TextInput(text: "ab")
        input.handle(.left)
        let outcome = input.paste("1\n2\r3\r\n4\t5\u{1B}6\u{03}7\u{7F}8\u{2028}9")
        #expect(input.text == "a1 2 3 4 5 6 7 8 9b")
        #expect(input.cursor == 18, "the cursor ends after the pasted text")
        #expect(outcome == PasteOutcome(inserted: 17, cut: 0))
        #expect(input.pasteNote == nil)
        // Through handle: the same, and it belongs to the editor.
        var other = TextInput()
        let handled = other.handle(.paste("x\ny"))
        #expect(handled)
        #expect(other.text == "x y")
    }

    @Test func aPasteLongerThanTheFieldIsCutAndSaysSo() throws {
        var input = TextInput(maxLength: 10)
        input.handle(.char("a"))
        let handled = input.handle(.paste("0123456789xyz"))
        #expect(handled)
        #expect(input.text == "a012345678")
        #expect(input.pasteNote == "pasted text cut to fit: 9 of 13 characters kept (this field holds 10)")
        // The next edit clears the note; a paste that fits leaves none.
        input.handle(.backspace)
        #expect(input.pasteNote == nil)
        #expect(input.paste("Z") == PasteOutcome(inserted: 1, cut: 0))
        #expect(input.pasteNote == nil)
        #expect(input.paste("more") == PasteOutcome(inserted: 0, cut: 4))
        #expect(input.pasteNote != nil)
    }

    @Test func aPasteWithANewlineOrEscapeNeverSubmitsOrCancelsAForm() throws {
        var form = FormView(title: "Note", fields: [FormField(id: "a", label: "A", maxLength: 20), FormField(id: "b", label: "B")])
        #expect(form.handle(.paste("one\rtwo\n\u{1B}\t")) == .pending)
        #expect(form.focus == 0, "a pasted Tab does not move to the next field")
        #expect(form["a"] == "one two   ")
        #expect(form.handle(.paste(String(repeating: "x", count: 30))) == .pending)
        #expect(form["a"]?.count == 20)
        let term = MemoryTerminal(rows: 10, cols: 80)
        form.draw(on: term, in: Rect(row: 0, col: 0, height: 10, width: 80))
        let row = try #require(term.row(containing: "pasted text cut to fit: 10 of 30 characters kept"), "\(term.dump)")
        #expect(term.style(atRow: row, col: term.column(of: "pasted", inRow: row) ?? 0) == .warning)
        // Only a real Enter submits.
        #expect(form.handle(.enter) == .submitted(["a": "one two   " + String(repeating: "x", count: 10), "b": ""]))
    }

    @Test func aPasteNeverPicksConfirmsOrRunsACommand() {
        var picker = ListPicker(title: "Ground", items: [PickerItem(id: "g", label: "g")], textLabel: "Note", textRequired: true)
        #expect(picker.handle(.paste("x\r")) == .pending, "in the list, a paste is nothing")
        #expect(picker.handle(.enter) == .pending)
        #expect(picker.handle(.paste("found\rit\u{1B}")) == .pending)
        #expect(picker.text.text == "found it ")
        #expect(picker.handle(.enter) == .picked(id: "g", text: "found it"))

        var dialog = ConfirmDialog.confirm(title: "Delete", message: [], action: "Delete", id: "delete", destructive: true, typeToConfirm: "delete")
        #expect(dialog.handle(.paste("delete\r")) == .pending)
        #expect(dialog.input.text == "delete ")
        var plain = ConfirmDialog.confirm(title: "Apply", message: [], action: "Apply", id: "apply")
        _ = plain.handle(.tab)
        #expect(plain.handle(.paste("\r\r\n")) == .pending, "Enter inside a paste does not press the focused button")

        var line = CommandLineInput()
        #expect(line.handle(.paste("q\r"), completions: { _ in [] }) == .pending)
        #expect(line.text == "q ")
        #expect(line.handle(.paste("\u{1B}"), completions: { _ in [] }) == .pending, "a pasted Esc does not cancel")
    }
}
