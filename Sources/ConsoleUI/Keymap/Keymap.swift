/// One row of the keymap table.
public struct KeymapEntry: Equatable, Sendable {
    /// The keys that trigger the action; the first is the one shown in hints.
    public var keys: [Key]
    public var action: ActionID
    /// A short label for the hint line and help ("apply", "needs info").
    public var label: String
    /// The screens the entry applies to; nil for every screen.
    public var screens: Set<ScreenID>?
    /// The permission the action needs, checked by the screens through the service; nil for
    /// none (navigation).
    public var requires: String?
    /// Whether the action destroys, hides or refuses something. Never bound to a Ctrl key.
    public var destructive: Bool
    public var confirmation: Confirmation
    /// Rank in the hint line (lower first); nil keeps the entry out of the hint line.
    public var hintRank: Int?
    /// Names that run the action from the `:` command line (`customers`, `q`).
    public var commands: [String]
    /// Arguments the command accepts, for completion (`pending`, `applied`).
    public var commandArguments: [String]
    /// What follows the first argument as free text (`PATH` after `:export csv`), named for
    /// help; nil when every argument must be one of ``commandArguments``.
    public var freeText: String?
    /// The help section.
    public var group: Group

    /// Help sections, in the order help lists them.
    public enum Group: String, Equatable, Sendable, CaseIterable {
        case actions = "Actions"
        case navigation = "Moving around"
        case global = "Everywhere"
    }

    public init(
        _ keys: [Key], _ action: ActionID, _ label: String, screens: Set<ScreenID>? = nil,
        requires: String? = nil, destructive: Bool = false, confirmation: Confirmation = .none,
        hint: Int? = nil, commands: [String] = [], arguments: [String] = [], freeText: String? = nil, group: Group? = nil
    ) {
        self.keys = keys
        self.action = action
        self.label = label
        self.screens = screens
        self.requires = requires
        self.destructive = destructive
        self.confirmation = confirmation
        self.hintRank = hint
        self.commands = commands
        self.commandArguments = arguments
        self.freeText = freeText
        self.group = group ?? (screens == nil ? .global : .actions)
    }

    /// Whether the entry applies on `screen`.
    public func applies(to screen: ScreenID) -> Bool {
        screens.map { $0.contains(screen) } ?? true
    }

    /// The keys as shown in help: "j ↓".
    public var keyNames: String { keys.map(\.displayName).joined(separator: " ") }
}

/// What a key does on a screen.
public enum KeyDispatch: Equatable, Sendable {
    /// Run this action.
    case action(ActionID)
    /// The key names an action the caller marked disabled (role, read-only): refuse it with
    /// a message.
    case refused(KeymapEntry)
    /// The key means nothing here.
    case unbound
}

/// What a `:` command line names.
public enum CommandResolution: Equatable, Sendable {
    case action(ActionID, arguments: [String])
    case empty
    case unknown(String)
    case ambiguous([String])
    case badArgument(String, allowed: [String])
}

/// The one keymap table. Dispatch, the hint line, `?` help, greyed-out entries and `:`
/// completion all read from it, so they cannot disagree.
public struct Keymap: Equatable, Sendable {
    public private(set) var entries: [KeymapEntry]

    public init(_ entries: [KeymapEntry]) {
        self.entries = entries
    }

    /// The entries that apply on `screen`, screen-specific ones first, in table order.
    public func entries(for screen: ScreenID) -> [KeymapEntry] {
        entries.filter { $0.screens != nil && $0.applies(to: screen) } + entries.filter { $0.screens == nil }
    }

    public func entry(for action: ActionID) -> KeymapEntry? {
        entries.first { $0.action == action }
    }

    // MARK: Dispatch

    /// The action `key` triggers on `screen`: screen-specific entries before global ones.
    public func action(for key: Key, on screen: ScreenID) -> ActionID? {
        entries(for: screen).first { $0.keys.contains(key) }?.action
    }

    /// Like ``action(for:on:)``, telling actions in `disabled` apart as refused.
    public func dispatch(_ key: Key, on screen: ScreenID, disabled: Set<ActionID> = []) -> KeyDispatch {
        guard let entry = entries(for: screen).first(where: { $0.keys.contains(key) }) else { return .unbound }
        return disabled.contains(entry.action) ? .refused(entry) : .action(entry.action)
    }

    // MARK: Hint line

    /// The hint items for `screen`, most relevant first, as many as fit in `width`. Disabled
    /// actions are left out of the hint line (help shows them greyed).
    public func hints(for screen: ScreenID, width: Int, disabled: Set<ActionID> = []) -> [HintItem] {
        let ranked = entries(for: screen).enumerated()
            .filter { $0.element.hintRank != nil && !disabled.contains($0.element.action) }
            .sorted { ($0.element.hintRank ?? 0, $0.offset) < ($1.element.hintRank ?? 0, $1.offset) }
            .map { HintItem(key: $0.element.keys.first?.displayName ?? "", label: $0.element.label) }
        return HintBar.fit(ranked, width: width)
    }

    // MARK: Help

    /// The `?` help for `screen`: a section per group, a line per entry ("keys  label"),
    /// entries in `disabled` greyed with a note, then the `:` commands.
    public func helpLines(for screen: ScreenID, title: String? = nil, disabled: Set<ActionID> = []) -> [StyledLine] {
        let applicable = entries(for: screen)
        let keyWidth = min(20, (applicable.map { TextFitting.width($0.keyNames) }.max() ?? 0))
        var lines: [StyledLine] = []
        for group in KeymapEntry.Group.allCases {
            let inGroup = applicable.filter { $0.group == group && !$0.keys.isEmpty }
            guard !inGroup.isEmpty else { continue }
            if !lines.isEmpty { lines.append(StyledLine("")) }
            let heading = group == .actions ? "\(group.rawValue) on \(title ?? screen.rawValue)" : group.rawValue
            lines.append(StyledLine(heading, style: .title))
            for entry in inGroup {
                let isDisabled = disabled.contains(entry.action)
                var text = "  " + TextFitting.fit(entry.keyNames, width: keyWidth) + "  " + entry.label
                if entry.confirmation == .dialog { text += " (asks first)" }
                if case .typedWord(let word) = entry.confirmation { text += " (type \"\(word)\" to confirm)" }
                if isDisabled { text += " (not available to you here)" }
                lines.append(StyledLine(text, style: isDisabled ? .dim : .normal))
            }
        }
        let commandEntries = applicable.filter { !$0.commands.isEmpty }
        if !commandEntries.isEmpty {
            lines.append(StyledLine(""))
            lines.append(StyledLine("Commands (type : then Tab to complete)", style: .title))
            for entry in commandEntries {
                var args = entry.commandArguments.isEmpty ? "" : " [" + entry.commandArguments.joined(separator: "|") + "]"
                if let free = entry.freeText { args += " " + free }
                let names = entry.commands.map { ":" + $0 }.joined(separator: " ")
                let isDisabled = disabled.contains(entry.action)
                lines.append(StyledLine("  \(names)\(args)  \(entry.label)" + (isDisabled ? " (not available to you here)" : ""), style: isDisabled ? .dim : .normal))
            }
        }
        return lines
    }

    // MARK: Command line

    /// Every command name, in table order.
    public var commandNames: [String] {
        var seen = Set<String>()
        return entries.flatMap(\.commands).filter { seen.insert($0).inserted }
    }

    /// Completions of a partial `:` command line (without the colon): command names, or
    /// "name argument" once a command is typed.
    public func completions(for input: String) -> [String] {
        let words = input.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let endsWithSpace = input.last == " "
        if words.isEmpty { return commandNames }
        if words.count == 1 && !endsWithSpace {
            return commandNames.filter { $0.hasPrefix(words[0]) }
        }
        guard words.count <= 2, let entry = entries.first(where: { $0.commands.contains(words[0]) }) else { return [] }
        let partial = words.count == 2 ? words[1] : ""
        return entry.commandArguments.filter { $0.hasPrefix(partial) }.map { "\(words[0]) \($0)" }
    }

    /// What a `:` command line (without the colon) names. A unique prefix of a command name
    /// is accepted.
    public func resolve(command line: String) -> CommandResolution {
        let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let name = words.first else { return .empty }
        var entry = entries.first { $0.commands.contains(name) }
        if entry == nil {
            let matches = commandNames.filter { $0.hasPrefix(name) }
            if matches.count > 1 { return .ambiguous(matches) }
            if let only = matches.first { entry = entries.first { $0.commands.contains(only) } }
        }
        guard let entry else { return .unknown(name) }
        let arguments = Array(words.dropFirst())
        if !entry.commandArguments.isEmpty {
            // With free text, only the first argument is a choice; the rest is the text.
            let checked = entry.freeText == nil ? arguments : Array(arguments.prefix(1))
            for argument in checked where !entry.commandArguments.contains(argument) {
                return .badArgument(argument, allowed: entry.commandArguments)
            }
        }
        return .action(entry.action, arguments: arguments)
    }

    // MARK: Checks

    /// What is wrong with the table: destructive actions on Ctrl keys, one key bound to two
    /// actions on a screen, a command name used twice. Empty for a sound table.
    public var problems: [String] {
        var found: [String] = []
        for entry in entries where entry.destructive || entry.confirmation != .none {
            for key in entry.keys {
                if case .ctrl = key {
                    found.append("\(entry.action) is destructive but bound to \(key.displayName)")
                }
            }
        }
        for (i, a) in entries.enumerated() {
            for b in entries[(i + 1)...] where a.action != b.action {
                let overlap: Bool
                switch (a.screens, b.screens) {
                case (nil, _), (_, nil): overlap = true
                case (let x?, let y?): overlap = !x.isDisjoint(with: y)
                }
                guard overlap else { continue }
                for key in a.keys where b.keys.contains(key) {
                    found.append("\(key.displayName) is bound to both \(a.action) and \(b.action)")
                }
            }
        }
        var commandOwners: [String: ActionID] = [:]
        for entry in entries {
            for name in entry.commands {
                if let owner = commandOwners[name], owner != entry.action {
                    found.append(":\(name) names both \(owner) and \(entry.action)")
                }
                commandOwners[name] = entry.action
            }
        }
        return found
    }
}
