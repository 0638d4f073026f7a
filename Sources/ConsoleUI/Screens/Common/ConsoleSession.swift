import PrivacyOps

/// What the console's screens and controllers share: the service, the keymap, the actions that
/// are disabled for this user now, the flash line and the stack of overlays (dialogs, pickers,
/// forms, pagers).
///
/// Whether an action is allowed is always the service's answer (`ops.can`), never a rule
/// decided here; `--read-only` additionally disables every change.
final class ConsoleSession {
    let ops: PrivacyOps
    let keymap: Keymap
    /// Opened with `--read-only`: every change action is disabled.
    let readOnly: Bool
    var flash = FlashLine()
    /// Open overlays, bottom first; the last one gets the keys.
    private(set) var overlays: [any Overlay] = []
    /// Keymap actions the user may not take now (greyed in help, refused on their key).
    private(set) var disabled: Set<ActionID> = []
    /// The time used for flash messages shown while handling keys.
    var clock: () -> ContinuousClock.Instant
    /// Set when a controller committed a change: the console reloads what it shows.
    private(set) var hasCommitted = false
    /// Set by `:q`: the console leaves after the current key.
    var quitRequested = false
    /// The width detail text is laid out for (the body's, less its margins).
    var textWidth = ConsoleLayout.minimumCols - 2
    /// Whether the body is wide enough for the wide table layouts.
    var isWide: Bool { textWidth >= 118 }
    /// The latest policy check, run in the background (header and Policy screen).
    let policy = PolicyMonitor()
    /// A record another screen asked to open (a policy finding): the console shows its screen.
    private(set) var pendingJump: (screen: ScreenID, key: String)?
    /// What the user typed on the `:` and `/` prompts, in this and earlier sessions.
    var history = CommandHistory()
    /// The user's saved customer views.
    var views = SavedViews(directory: nil)
    /// Where the user's own console state is kept (history, saved views); nil for none.
    var userState: UserStateDirectory?
    /// Control sequences for the terminal (a clipboard write), sent with the next frame.
    var pendingControls: [[UInt8]] = []
    /// Set once saving the user's state failed (said once, not on every line).
    private var stateSaveFailed = false

    init(ops: PrivacyOps, keymap: Keymap = .standard, readOnly: Bool, clock: @escaping () -> ContinuousClock.Instant = { .now }) {
        self.ops = ops
        self.keymap = keymap
        self.readOnly = readOnly
        self.clock = clock
        updatePermissions()
    }

    // MARK: Permissions

    /// Whether the user may take `action` now, as the service says; never a change when the
    /// console was opened read-only.
    func may(_ action: Action) -> Bool {
        if readOnly && action.isChange { return false }
        return ops.can(action)
    }

    /// Recomputes ``disabled`` from each keymap entry's `requires`. Returns whether it changed.
    @discardableResult
    func updatePermissions() -> Bool {
        var now = Set<ActionID>()
        for entry in keymap.entries {
            guard let name = entry.requires else { continue }
            guard let action = Action(rawValue: name), may(action) else {
                now.insert(entry.action)
                continue
            }
        }
        defer { disabled = now }
        return now != disabled
    }

    /// The user's role as the store says now, for display.
    var roleName: String { (try? ops.role().rawValue) ?? "no role" }

    /// Why `entry` is refused, in one line that says what to do.
    func refusal(for entry: KeymapEntry) -> String {
        guard let name = entry.requires, let action = Action(rawValue: name) else {
            return "\(entry.label) is not available here"
        }
        if readOnly && action.isChange {
            return "\(entry.label): the console was opened with --read-only, so nothing can be changed; reopen it without --read-only"
        }
        if action.isChange, let why = ops.readOnlyReason {
            return "\(entry.label): the store is read-only (\(why)); reopen lgadmin"
        }
        let roles = PrivacyOps.roles(allowedTo: action).map(\.rawValue).joined(separator: ", ")
        return "\(entry.label) is not available to \(ops.actor.name) (\(roleName)): it needs the role \(roles)"
    }

    // MARK: Messages

    func show(_ text: String, _ kind: FlashKind = .info) {
        flash.show(text, kind: kind, now: clock())
    }

    /// Runs a service call; a refusal or failure is shown on the flash line and nil returned.
    func attempt<T>(_ body: () throws -> T) -> T? {
        do {
            return try body()
        } catch {
            show(OpsError.from(error).consoleText, .error)
            return nil
        }
    }

    /// Records that a change was committed, so every screen reloads.
    func didCommit() { hasCommitted = true }

    /// Takes the committed flag (the console reloads once).
    func takeCommitted() -> Bool {
        defer { hasCommitted = false }
        return hasCommitted
    }

    // MARK: The user's own state

    /// Keeps a line typed on `prompt` in the history (the service's rules say which lines may
    /// be kept); a failure to save it is said once.
    func remember(_ text: String, on prompt: CommandHistory.Prompt) {
        do {
            try history.add(text, on: prompt)
        } catch {
            stateFailed(error)
        }
    }

    /// Says once that the user's console state could not be saved.
    func stateFailed(_ error: any Error) {
        guard !stateSaveFailed else { return }
        stateSaveFailed = true
        show("history and views are kept for this session only: \(OpsError.from(error).consoleText)", .warning)
    }

    // MARK: Moving between screens

    /// Asks the console to show the record `key` on `screen` (after the current key).
    func requestJump(to screen: ScreenID, key: String) { pendingJump = (screen, key) }

    /// Takes the pending jump, if any.
    func takeJump() -> (screen: ScreenID, key: String)? {
        defer { pendingJump = nil }
        return pendingJump
    }

    // MARK: Overlays

    var topOverlay: (any Overlay)? { overlays.last }

    func present(_ overlay: any Overlay) { overlays.append(overlay) }

    func dismiss(_ overlay: any Overlay) { overlays.removeAll { $0 === overlay } }

    func dismissAll() { overlays.removeAll() }
}

extension OpsError {
    /// Whether the error is a lost race (the record changed since it was read).
    var isConflict: Bool {
        if case .conflict = self { return true }
        return false
    }

    /// Whether the error is about the data given (shown on the form field).
    var isInvalid: Bool {
        if case .invalid = self { return true }
        return false
    }
}
