import Testing

@testable import ConsoleUI

@Suite struct KeymapTests {
    let keymap = Keymap.standard

    @Test func theStandardTableIsSound() {
        #expect(keymap.problems == [])
    }

    /// Destructive actions (and any that ask for confirmation) are never on a Ctrl key, where
    /// a slip of the finger or a terminal's own binding could fire them.
    @Test func noDestructiveActionIsBoundToACtrlKey() {
        let risky = keymap.entries.filter { $0.destructive || $0.confirmation != .none }
        #expect(!risky.isEmpty)
        for entry in risky {
            for key in entry.keys {
                if case .ctrl = key { Issue.record("\(entry.action) is bound to \(key.displayName)") }
            }
        }
        #expect(keymap.entry(for: .reportDelete)?.confirmation == .typedWord("delete"))
        #expect(keymap.entry(for: .reportDelete)?.keys == [.char("D")])
    }

    @Test func problemsAreFoundInABadTable() {
        let bad = Keymap([
            KeymapEntry([.ctrl("d")], "purge", "purge everything", screens: ["x"], destructive: true),
            KeymapEntry([.char("a")], "one", "one", screens: ["x"]),
            KeymapEntry([.char("a")], "two", "two"),
            KeymapEntry([.char("b")], "three", "three", screens: ["y"], commands: ["go"]),
            KeymapEntry([.char("b")], "four", "four", screens: ["z"], commands: ["go"]),
        ])
        let problems = bad.problems
        #expect(problems.contains("purge is destructive but bound to Ctrl-d"))
        #expect(problems.contains("a is bound to both one and two"))
        #expect(problems.contains(":go names both three and four"))
        #expect(problems.count == 3)  // b on disjoint screens is fine
    }

    @Test func dispatchPrefersTheScreenAndKnowsDisabledActions() {
        #expect(keymap.action(for: .char("a"), on: .optOuts) == .optOutApply)
        #expect(keymap.action(for: .char("a"), on: .customers) == nil)
        #expect(keymap.action(for: .char("j"), on: .customers) == .cursorDown)
        #expect(keymap.action(for: .down, on: .reports) == .cursorDown)
        #expect(keymap.action(for: .ctrl("f"), on: .audit) == .pageDown)
        #expect(keymap.action(for: .char("q"), on: .audit) == .quit)
        #expect(keymap.action(for: .char("2"), on: .audit) == .showOptOuts)
        #expect(keymap.dispatch(.char("D"), on: .reports) == .action(.reportDelete))
        if case .refused(let entry) = keymap.dispatch(.char("D"), on: .reports, disabled: [.reportDelete]) {
            #expect(entry.requires == "moderation.delete")
        } else {
            Issue.record("a disabled action must be refused")
        }
        #expect(keymap.dispatch(.char("Z"), on: .reports) == .unbound)
    }

    @Test func hintLineShowsTheMostRelevantThatFit() {
        let wide = keymap.hints(for: .optOuts, width: 200)
        #expect(wide.prefix(4).map(\.label) == ["help", "apply", "needs info", "reject"])
        #expect(wide.map(\.label).contains("quit"))
        let text = HintBar.text(wide, width: 200)
        #expect(text.hasPrefix("? help  a apply  i needs info  r reject  Enter open"))
        for width in [20, 40, 80] {
            let fitted = keymap.hints(for: .optOuts, width: width)
            #expect(TextFitting.width(HintBar.text(fitted, width: width)) <= width)
            #expect(fitted == Array(wide.prefix(fitted.count)))
        }
        // Disabled actions leave the hint line.
        let auditor = keymap.hints(for: .optOuts, width: 200, disabled: [.optOutApply, .optOutNeedInfo, .optOutReject])
        #expect(!auditor.map(\.label).contains("apply"))
        #expect(auditor.first?.label == "help")
        // Other screens have their own actions.
        #expect(keymap.hints(for: .reports, width: 200).map(\.key).prefix(4) == ["?", "v", "b", "D"])
    }

    @Test func helpGreysDisabledEntries() {
        let lines = keymap.helpLines(for: .reports, title: "Reports", disabled: [.reportDelete, .reportBlock])
        let texts = lines.map(\.text)
        #expect(texts.first == "Actions on Reports")
        #expect(lines.first?.style == .title)
        let delete = lines.first { $0.text.contains("delete for good") }
        #expect(delete?.style == .dim)
        #expect(delete?.text.contains("type \"delete\" to confirm") == true)
        #expect(delete?.text.contains("not available") == true)
        #expect(lines.first { $0.text.contains("view content") }?.style == .normal)
        #expect(texts.contains("Moving around"))
        #expect(texts.contains("Everywhere"))
        #expect(texts.contains { $0.contains("j ↓") && $0.contains("down") })
        #expect(texts.contains { $0.contains(":optouts [pending|needs-info|applied|rejected]") })
        #expect(!texts.contains { $0.contains("apply") })  // opt-out actions are not on this screen
    }

    @Test func commandLineCompletionAndResolution() {
        #expect(keymap.completions(for: "") == keymap.commandNames)
        #expect(keymap.completions(for: "op") == ["optouts"])
        #expect(keymap.completions(for: "optouts ") == ["optouts pending", "optouts needs-info", "optouts applied", "optouts rejected"])
        #expect(keymap.completions(for: "optouts p") == ["optouts pending"])
        #expect(keymap.completions(for: "q") == ["q", "quit"])
        #expect(keymap.completions(for: "zz") == [])
        #expect(keymap.resolve(command: "q") == .action(.quit, arguments: []))
        #expect(keymap.resolve(command: "optouts pending") == .action(.showOptOuts, arguments: ["pending"]))
        #expect(keymap.resolve(command: "opt") == .action(.showOptOuts, arguments: []))
        #expect(keymap.resolve(command: "optouts bogus") == .badArgument("bogus", allowed: ["pending", "needs-info", "applied", "rejected"]))
        #expect(keymap.resolve(command: "nope") == .unknown("nope"))
        #expect(keymap.resolve(command: "   ") == .empty)
        if case .ambiguous(let names) = keymap.resolve(command: "re") {
            #expect(names == ["refresh", "reports"])
        } else {
            Issue.record("re is ambiguous")
        }
    }
}

@Suite struct CommandLineInputTests {
    let keymap = Keymap.standard

    private func press(_ keys: [Key], on line: inout CommandLineInput) -> CommandLineInput.Outcome {
        var outcome = CommandLineInput.Outcome.pending
        for key in keys { outcome = line.handle(key, completions: keymap.completions(for:)) }
        return outcome
    }

    @Test func tabCompletesAndEnterSubmits() {
        var line = CommandLineInput()
        _ = press([.char("o"), .char("p"), .tab], on: &line)
        #expect(line.text == "optouts")
        _ = press([.char(" "), .tab], on: &line)
        #expect(line.candidates == ["optouts pending", "optouts needs-info", "optouts applied", "optouts rejected"])
        _ = press([.char("p"), .tab], on: &line)
        #expect(line.text == "optouts pending")
        #expect(line.candidates.isEmpty)
        #expect(press([.enter], on: &line) == .submitted("optouts pending"))
        #expect(keymap.resolve(command: line.text) == .action(.showOptOuts, arguments: ["pending"]))
    }

    @Test func ambiguousTabExtendsTheCommonPrefixAndListsCandidates() {
        var line = CommandLineInput()
        _ = press([.char("r"), .tab], on: &line)
        #expect(line.text == "re")
        #expect(line.candidates == ["refresh", "reports"])
        let term = MemoryTerminal(rows: 1, cols: 80)
        line.draw(on: term, row: 0, width: 80)
        #expect(term.lines()[0].hasPrefix(":re"))
        #expect(term.lines()[0].hasSuffix("refresh  reports"))
        #expect(term.cursor.visible && term.cursor.col == 3)
    }

    @Test func escOrBackspaceOnEmptyCancels() {
        var line = CommandLineInput()
        #expect(press([.char("q"), .backspace], on: &line) == .pending)
        #expect(press([.backspace], on: &line) == .cancelled)
        var other = CommandLineInput(text: "cust")
        #expect(press([.escape], on: &other) == .cancelled)
    }
}
