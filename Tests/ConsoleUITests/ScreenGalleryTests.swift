import Foundation
import PrivacyOps
import Testing

@testable import ConsoleUI

/// Every screen and every dialog, rendered at 80×24 and 200×50: what each must show, nothing
/// past the right edge, no raw control character, and dialogs opening with Cancel selected.
@Suite struct ScreenGalleryTests {
    /// Checks that hold for every frame.
    private func checkFrame(_ ui: ScreenDriver, _ size: TermSize, _ label: String) {
        #expect(ui.lines.allSatisfy { TextFitting.width($0) <= size.cols }, "\(label)")
        #expect(!ui.text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "\(label)")
        #expect(!ui.text.contains("\u{FFFD}"), "\(label)")
        #expect(ui.lines[1].contains("1 Customers"), "\(label)")
    }

    /// A dialog is open with its Cancel button selected.
    private func checkCancelFocused(_ ui: ScreenDriver, _ label: String) {
        guard let row = ui.row("[ Cancel ]"), let col = ui.term.column(of: "[ Cancel ]", inRow: row) else {
            Issue.record("\(label): no Cancel button\n\(ui.dump)")
            return
        }
        #expect(ui.term.style(atRow: row, col: col) == .selected, "\(label)")
    }

    @Test(arguments: TermSize.both)
    func everyScreenAndDialog(size: TermSize) throws {
        let world = try ScreenWorld(extraCustomers: 3)
        let ui = try world.console("root", size: size)
        func frame(_ label: String, contains needles: [String]) {
            checkFrame(ui, size, label)
            for needle in needles { #expect(ui.text.contains(needle), "\(label): \(needle)\n\(ui.dump)") }
        }
        frame("customers", contains: ["Ann Archer", "山田太郎", "row 1 of 7"])
        ui.press(.enter)
        frame("customer detail", contains: ["Contact points and their opt-outs", "1 Main Street"])
        ui.press(.char("e"))
        frame("edit form", contains: ["Edit C0000001", "Address:", "Enter save"])
        ui.press(.escape, .char("n"))
        frame("note form", contains: ["Add a note to the log of C0000001", "Note:"])
        ui.press(.escape, .char("s"))
        frame("status picker", contains: ["Status of C0000001", "suspended", "current"])
        ui.press(.char("j"), .enter)
        frame("status dialog", contains: ["from active to suspended?"])
        checkCancelFocused(ui, "status dialog")
        ui.press(.escape, .escape, .char("A"))
        frame("add form", contains: ["Add a customer"])
        ui.press(.escape, .char("2"))
        frame("opt-outs", contains: ["O000001", "OVERDUE", "nobody@nowhere.example"])
        ui.press(.enter)
        frame("opt-out detail", contains: ["What the customer submitted", "stop the newsletter please", "C0000004"])
        ui.press(.char("a"))
        frame("apply dialog", contains: ["Apply opt-out O000001", "This request is OVERDUE."])
        checkCancelFocused(ui, "apply dialog")
        ui.press(.escape, .char("i"))
        frame("needs-info form", contains: ["Ask for more information about O000001"])
        ui.press(.escape, .char("r"))
        frame("reject picker", contains: ["Reject O000001: why?", "duplicate of another request", "Details (optional):"])
        ui.press(.enter, .enter)
        frame("reject dialog", contains: ["Reject opt-out O000001", "Reason: not a contact point we hold"])
        checkCancelFocused(ui, "reject dialog")
        ui.press(.escape, .escape, .char(" "), .char(" "), .char("a"))
        frame("bulk dialog", contains: ["Apply marked opt-outs", "Apply 2 of the 2 marked"])
        checkCancelFocused(ui, "bulk dialog")
        ui.press(.escape, .char("3"))
        frame("reports", contains: ["R000001", "phishing link reported"])
        ui.press(.enter)
        frame("report detail", contains: ["Communication M0000001", "Spammer <spam@bad.example>"])
        ui.press(.char("v"))
        frame("content", contains: ["read through case R000001", "Second line of the body."])
        ui.press(.escape, .char("b"))
        frame("block picker", contains: ["Block R000001: on what ground?", "tou-violation", "Note (required):"])
        ui.press(.char("G"), .enter)
        ui.type("bulk")
        ui.press(.enter)
        frame("clause form", contains: ["which clause of the Terms of Use"])
        ui.type("4.2")
        ui.press(.enter)
        frame("block dialog", contains: ["Block M0000001", "Ground: tou-violation (clause 4.2)"])
        checkCancelFocused(ui, "block dialog")
        ui.press(.escape, .char("x"))
        frame("dismiss form", contains: ["Dismiss report R000001"])
        ui.type("fine")
        ui.press(.enter)
        frame("dismiss dialog", contains: ["Close report R000001 without action?"])
        checkCancelFocused(ui, "dismiss dialog")
        ui.press(.escape, .char("u"))
        frame("unblock form", contains: ["Unblock M0000001"])
        ui.press(.escape, .char("D"), .enter)
        ui.type("malware")
        ui.press(.enter)
        frame("delete dialog", contains: ["Delete M0000001 for good", "Type delete to confirm:"])
        checkCancelFocused(ui, "delete dialog")
        ui.press(.escape, .escape, .char("4"))
        frame("disclosures", contains: ["No disclosure requests"])
        ui.press(.char("5"))
        frame("audit", contains: ["Chain verified: intact", "comms.view"])
        ui.press(.enter)
        frame("audit event", contains: ["Audit event", "Prev hash"])
        ui.press(.escape, .char("?"))
        frame("help", contains: ["Help · Audit", "Moving around"])
        ui.press(.escape, .char(":"))
        ui.type("cu")
        ui.press(.tab)
        frame("command line", contains: [":customers"])
        ui.press(.escape)
        // No action was taken by merely looking.
        #expect(try world.optOut("overdue").state == .pending)
        #expect(try world.report("open").state == .open)
        #expect(try world.customer("ann").version == 1)
    }
}
