/// Something drawn over a screen that takes the keys until it is done: a confirmation
/// dialog, a pick list, a form, a pager (help, message content) or the `:` command line.
protocol Overlay: AnyObject {
    /// Handles a key. Returns false when the overlay is done (the console removes it); it may
    /// have presented a follow-up overlay through the session first.
    func handle(_ key: Key) -> Bool
    /// Draws the overlay; forms and pagers take the body, dialogs sit centred on it.
    func draw(on screen: TerminalScreen, layout: ConsoleLayout)
    /// The hint line while the overlay is open.
    var hints: [HintItem] { get }
    /// What the breadcrumbs add while it is open ("edit", "apply?").
    var crumb: String? { get }
}

extension Overlay {
    var crumb: String? { nil }
}

/// A ``ConfirmDialog`` (opens with Cancel focused) that runs `onChoose` with the button picked.
final class ConfirmOverlay: Overlay {
    private(set) var dialog: ConfirmDialog
    let crumb: String?
    private let onChoose: (String) -> Void

    init(_ dialog: ConfirmDialog, crumb: String? = nil, onChoose: @escaping (String) -> Void) {
        self.dialog = dialog
        self.crumb = crumb
        self.onChoose = onChoose
    }

    func handle(_ key: Key) -> Bool {
        switch dialog.handle(key) {
        case .pending: return true
        case .cancelled: return false
        case .chosen(let id):
            onChoose(id)
            return false
        }
    }

    func draw(on screen: TerminalScreen, layout: ConsoleLayout) {
        dialog.draw(on: screen, in: layout.body)
    }

    var hints: [HintItem] {
        var items = [HintItem(key: "Tab", label: "next button"), HintItem(key: "Enter", label: "choose"), HintItem(key: "Esc", label: "cancel")]
        if dialog.confirmationWord != nil { items.insert(HintItem(key: "type", label: "the word"), at: 0) }
        return items
    }
}

/// A ``ListPicker`` that runs `onPick` with the item chosen and the free text.
final class PickerOverlay: Overlay {
    private(set) var picker: ListPicker
    let crumb: String?
    private let onPick: (String, String?) -> Void

    init(_ picker: ListPicker, crumb: String? = nil, onPick: @escaping (String, String?) -> Void) {
        self.picker = picker
        self.crumb = crumb
        self.onPick = onPick
    }

    func handle(_ key: Key) -> Bool {
        switch picker.handle(key) {
        case .pending: return true
        case .cancelled: return false
        case .picked(let id, let text):
            onPick(id, text)
            return false
        }
    }

    func draw(on screen: TerminalScreen, layout: ConsoleLayout) {
        picker.draw(on: screen, in: layout.body)
    }

    var hints: [HintItem] {
        [HintItem(key: "j/k", label: "move"), HintItem(key: "Enter", label: picker.textLabel == nil ? "pick" : "next"),
         HintItem(key: "Tab", label: "list/text"), HintItem(key: "Esc", label: "cancel")]
    }
}

/// A ``FormView`` in the body. `onSubmit` validates (through the service) and either saves,
/// returning true to close, or sets field errors and returns false to keep it open.
/// `onLeaveField` checks a field as the focus leaves it (inline validation).
final class FormOverlay: Overlay {
    var form: FormView
    let crumb: String?
    private let onSubmit: (inout FormView) -> Bool
    private let onLeaveField: ((inout FormView, String) -> Void)?

    init(_ form: FormView, crumb: String? = nil, onLeaveField: ((inout FormView, String) -> Void)? = nil,
         onSubmit: @escaping (inout FormView) -> Bool) {
        self.form = form
        self.crumb = crumb
        self.onSubmit = onSubmit
        self.onLeaveField = onLeaveField
    }

    func handle(_ key: Key) -> Bool {
        let before = form.focus
        switch form.handle(key) {
        case .cancelled:
            return false
        case .submitted:
            form.formError = nil
            return !onSubmit(&form)
        case .pending:
            if form.focus != before, let onLeaveField {
                onLeaveField(&form, form.fields[before].id)
            }
            return true
        }
    }

    func draw(on screen: TerminalScreen, layout: ConsoleLayout) {
        form.draw(on: screen, in: layout.body.inset(cols: 1))
    }

    var hints: [HintItem] {
        [HintItem(key: "Tab", label: "next field"), HintItem(key: "Enter", label: "save"), HintItem(key: "Esc", label: "cancel")]
    }
}

/// A ``TextPager`` in the body (help, message content). Esc, q or Enter closes it; `?`
/// too when it shows the help.
final class PagerOverlay: Overlay {
    private(set) var pager: TextPager
    let crumb: String?
    private let closeKeys: Set<Key>

    init(_ pager: TextPager, crumb: String? = nil, alsoClosesOn extra: Set<Key> = []) {
        self.pager = pager
        self.crumb = crumb
        self.closeKeys = Set([.escape, .char("q"), .enter]).union(extra)
    }

    func handle(_ key: Key) -> Bool {
        if closeKeys.contains(key) { return false }
        _ = pager.handle(key)
        return true
    }

    func draw(on screen: TerminalScreen, layout: ConsoleLayout) {
        screen.hideCursor()
        pager.draw(on: screen, in: layout.body.inset(cols: 1))
    }

    var hints: [HintItem] {
        [HintItem(key: "j/k", label: "scroll"), HintItem(key: "PgDn", label: "page"), HintItem(key: "Esc", label: "close")]
    }
}

/// The `:` command line on the bottom row, completing from the keymap; `onSubmit` runs the
/// line (without the colon).
final class CommandOverlay: Overlay {
    private(set) var line: CommandLineInput
    private let completions: (String) -> [String]
    private let onSubmit: (String) -> Void

    /// `history`: the lines typed before, oldest first (↑ and ↓ walk them); `completions`
    /// replaces the keymap's own (to add saved views' names).
    init(keymap: Keymap, history: [String] = [], completions: ((String) -> [String])? = nil, onSubmit: @escaping (String) -> Void) {
        self.completions = completions ?? keymap.completions(for:)
        self.onSubmit = onSubmit
        line = CommandLineInput(history: history)
    }

    func handle(_ key: Key) -> Bool {
        switch line.handle(key, completions: completions) {
        case .pending: return true
        case .cancelled: return false
        case .submitted(let text):
            onSubmit(text)
            return false
        }
    }

    func draw(on screen: TerminalScreen, layout: ConsoleLayout) {
        line.draw(on: screen, row: layout.hint.row, width: layout.cols)
    }

    var hints: [HintItem] { [] }
}
