import Testing

@testable import ConsoleUI

@Suite struct ConfirmDialogTests {
    private func blockDialog() -> ConfirmDialog {
        .confirm(title: "Block communication", message: ["Block message #12 from alice@example.com?"], action: "Block", id: "block", destructive: true)
    }

    @Test func opensWithCancelFocused() {
        let dialog = blockDialog()
        #expect(dialog.focusedButton?.isCancel == true)
        var enter = dialog
        #expect(enter.handle(.enter) == .cancelled)
        // A Cancel button is added when none is given, and focused.
        let bare = ConfirmDialog(title: "t", message: [], buttons: [DialogButton(id: "go", label: "Go")])
        #expect(bare.buttons.first == .cancel)
        #expect(bare.focusedButton == .cancel)
    }

    @Test(arguments: TermSize.both)
    func drawsCentredWithCancelSelected(size: TermSize) {
        let term = size.terminal()
        var dialog = blockDialog()
        dialog.draw(on: term, in: Rect(row: 0, col: 0, height: size.rows, width: size.cols))
        guard let buttonRow = term.row(containing: "[ Cancel ]") else {
            Issue.record("no buttons:\n\(term.dump)")
            return
        }
        let cancelCol = term.column(of: "[ Cancel ]", inRow: buttonRow)!
        let blockCol = term.column(of: "[ Block ]", inRow: buttonRow)!
        #expect(term.columnsWithStyle(.selected, inRow: buttonRow) == Array(cancelCol..<(cancelCol + 10)))
        #expect(term.style(atRow: buttonRow, col: blockCol) == .normal)
        #expect(term.rowsWithStyle(.selected) == [buttonRow])
        #expect(term.text.contains("Block message #12 from alice@example.com?"))
        #expect(term.text.contains("Block communication"))
        // Centred.
        let top = term.row(containing: "┌")!, bottom = term.row(containing: "└")!
        #expect(abs((top - 0) - (size.rows - 1 - bottom)) <= 1)
    }

    @Test func tabAndArrowsMoveFocusEnterPicksEscCancels() {
        var dialog = blockDialog()
        #expect(dialog.handle(.tab) == .pending)
        #expect(dialog.focusedButton?.id == "block")
        #expect(dialog.handle(.tab) == .pending)
        #expect(dialog.focusedButton?.id == "cancel")
        _ = dialog.handle(.right)
        #expect(dialog.focusedButton?.id == "block")
        _ = dialog.handle(.left)
        #expect(dialog.focusedButton?.id == "cancel")
        _ = dialog.handle(.backTab)
        #expect(dialog.focusedButton?.id == "block")
        #expect(dialog.handle(.enter) == .chosen("block"))
        var other = blockDialog()
        _ = other.handle(.tab)
        #expect(other.handle(.escape) == .cancelled)
    }

    @Test func lettersDoNotConfirm() {
        var dialog = blockDialog()
        var outcomes: [ConfirmDialog.Outcome] = []
        for c in "yYbB \n" { outcomes.append(dialog.handle(Key(character: c.unicodeScalars.first!))) }
        #expect(outcomes == [.pending, .pending, .pending, .pending, .pending, .cancelled])
    }

    @Test func typedWordIsRequiredForIrreversibleActions() {
        var dialog = ConfirmDialog.confirm(title: "Delete for good", message: ["Only the SHA-256 and size are kept."], action: "Delete", id: "delete", destructive: true, typeToConfirm: "delete")
        #expect(dialog.focusedButton?.isCancel == true)
        #expect(!dialog.isEnabled(1))
        // Going to Delete and pressing Enter before typing refuses and moves to the field.
        _ = dialog.handle(.right)
        #expect(dialog.focusedButton?.id == "delete")
        #expect(dialog.handle(.enter) == .pending)
        #expect(dialog.focus == .input)
        #expect(dialog.error == "type \"delete\" to confirm")
        for c in "delet" { _ = dialog.handle(.char(c)) }
        #expect(dialog.handle(.enter) == .pending)
        _ = dialog.handle(.char("e"))
        #expect(dialog.isWordConfirmed && dialog.isEnabled(1))
        #expect(dialog.error == nil)
        #expect(dialog.handle(.enter) == .chosen("delete"))
    }

    @Test func typingStartsInTheFieldAndTheButtonWorksOnceTyped() {
        var dialog = ConfirmDialog.confirm(title: "Delete", message: [], action: "Delete", id: "delete", destructive: true, typeToConfirm: "delete")
        for c in "delete" { _ = dialog.handle(.char(c)) }
        #expect(dialog.input.text == "delete")
        _ = dialog.handle(.tab)  // to Cancel
        #expect(dialog.focusedButton?.isCancel == true)
        _ = dialog.handle(.tab)
        #expect(dialog.focusedButton?.id == "delete")
        #expect(dialog.handle(.enter) == .chosen("delete"))
    }

    @Test func disabledButtonIsGreyedUntilTheWordIsTyped() {
        let term = MemoryTerminal(rows: 24, cols: 80)
        var dialog = ConfirmDialog.confirm(title: "Delete", message: ["gone for good"], action: "Delete", destructive: true, typeToConfirm: "delete")
        dialog.draw(on: term, in: Rect(row: 0, col: 0, height: 24, width: 80))
        let row = term.row(containing: "[ Delete ]")!
        let col = term.column(of: "[ Delete ]", inRow: row)!
        #expect(term.style(atRow: row, col: col) == .dim)
        #expect(term.text.contains("Type delete to confirm:"))
        for c in "delete" { _ = dialog.handle(.char(c)) }
        term.clear()
        dialog.draw(on: term, in: Rect(row: 0, col: 0, height: 24, width: 80))
        #expect(term.style(atRow: row, col: col) == .normal)
        #expect(term.cursor.visible)
    }

    @Test func messagesFromDataAreSanitised() {
        let term = MemoryTerminal(rows: 24, cols: 80)
        var dialog = ConfirmDialog.confirm(title: "Block \u{1B}[2J", message: ["From: \u{1B}]0;pwned\u{07}x"], action: "Block")
        dialog.draw(on: term, in: Rect(row: 0, col: 0, height: 24, width: 80))
        #expect(!term.text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        #expect(term.text.contains("From: ^[]0;pwned^Gx"))
    }
}

@Suite struct ListPickerTests {
    static let grounds = [
        PickerItem(id: "harm-company", label: "harm-company", detail: "may harm Loopgalaxy"),
        PickerItem(id: "harm-customers", label: "harm-customers"),
        PickerItem(id: "harm-third-parties", label: "harm-third-parties"),
        PickerItem(id: "tou-violation", label: "tou-violation", detail: "names a clause"),
    ]

    @Test func picksWithoutText() {
        var picker = ListPicker(title: "Ground", items: Self.grounds)
        _ = picker.handle(.char("j"))
        _ = picker.handle(.down)
        #expect(picker.selected?.id == "harm-third-parties")
        _ = picker.handle(.char("G"))
        _ = picker.handle(.up)
        #expect(picker.handle(.enter) == .picked(id: "harm-third-parties", text: nil))
        var cancel = ListPicker(title: "Ground", items: Self.grounds)
        #expect(cancel.handle(.escape) == .cancelled)
    }

    @Test func requiredTextFollowsThePick() {
        var picker = ListPicker(title: "Ground", items: Self.grounds, selectedID: "tou-violation", textLabel: "Clause", textRequired: true)
        #expect(picker.selected?.id == "tou-violation")
        #expect(picker.handle(.enter) == .pending)
        #expect(picker.focus == .text)
        #expect(picker.handle(.enter) == .pending)
        #expect(picker.error == "Clause is required")
        for c in "4.2 (spam)" { _ = picker.handle(.char(c)) }
        // j typed in the field is text, not movement.
        _ = picker.handle(.char("j"))
        #expect(picker.selected?.id == "tou-violation")
        #expect(picker.handle(.enter) == .picked(id: "tou-violation", text: "4.2 (spam)j"))
    }

    @Test(arguments: TermSize.both)
    func drawsTheCursorRowSelected(size: TermSize) {
        let term = size.terminal()
        var picker = ListPicker(title: "Ground", items: Self.grounds, textLabel: "Note")
        _ = picker.handle(.down)
        picker.draw(on: term, in: Rect(row: 0, col: 0, height: size.rows, width: size.cols))
        let row = term.row(containing: "> harm-customers")
        #expect(row != nil, "\(term.dump)")
        #expect(term.rowsWithStyle(.selected) == [row!])
        #expect(term.text.contains("harm-company — may harm Loopgalaxy"))
        #expect(term.text.contains("Note (optional):"))
    }
}

@Suite struct FormViewTests {
    private func customerForm() -> FormView {
        FormView(title: "New customer", fields: [
            FormField(id: "name", label: "Name"),
            FormField(id: "email", label: "E-mail"),
            FormField(id: "phone", label: "Phone", placeholder: "+1 555 0100"),
        ])
    }

    @Test func tabMovesBetweenFieldsAndEnterSubmits() {
        var form = customerForm()
        for c in "Ada" { _ = form.handle(.char(c)) }
        _ = form.handle(.tab)
        for c in "ada@example.com" { _ = form.handle(.char(c)) }
        _ = form.handle(.backTab)
        _ = form.handle(.char("!"))
        #expect(form.focus == 0)
        #expect(form.handle(.enter) == .submitted(["name": "Ada!", "email": "ada@example.com", "phone": ""]))
        _ = form.handle(.backTab)
        #expect(form.focus == 2)  // wraps
        #expect(form.handle(.escape) == .cancelled)
    }

    @Test(arguments: TermSize.both)
    func errorsShowUnderTheirField(size: TermSize) {
        let term = size.terminal()
        var form = customerForm()
        form.setError("an e-mail address needs an @", for: "email")
        form.focusFirstError()
        #expect(form.focus == 1)
        form.draw(on: term, in: size.layout.body)
        let lines = term.lines()
        let emailRow = lines.firstIndex { $0.hasPrefix("E-mail:") }!
        #expect(lines[emailRow + 1].contains("an e-mail address needs an @"))
        #expect(term.rowsWithStyle(.error) == [emailRow + 1])
        #expect(term.rowsWithStyle(.selected) == [emailRow])  // the focused field
        #expect(term.cursor.visible && term.cursor.row == emailRow)
        #expect(term.text.contains("+1 555 0100"))  // placeholder
        // Editing the field clears its error.
        _ = form.handle(.char("x"))
        #expect(form.fields[1].error == nil)
        #expect(!form.hasErrors)
    }

    @Test func manyFieldsScrollToTheFocusedOne() {
        let term = MemoryTerminal(rows: 24, cols: 80)
        var form = FormView(title: "Long", fields: (1...20).map { FormField(id: "f\($0)", label: "Field \($0)") })
        for _ in 0..<15 { _ = form.handle(.tab) }
        form.draw(on: term, in: ConsoleLayout(rows: 24, cols: 80).body)
        #expect(term.text.contains("Field 16:"))
        #expect(term.cursor.visible)
        #expect(term.lines()[term.cursor.row].contains("Field 16:"))
    }
}
