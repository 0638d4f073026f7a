/// One of the eight standard terminal colours, or the terminal's own default.
public enum TerminalColor: Int16, Hashable, Sendable {
    case `default` = -1
    case black = 0, red, green, yellow, blue, magenta, cyan, white
}

/// How one ``Style`` looks: colours (ignored by a monochrome theme) and attributes.
public struct Appearance: Hashable, Sendable {
    public var foreground: TerminalColor
    public var background: TerminalColor
    public var bold: Bool
    public var dim: Bool
    public var reverse: Bool
    public var underline: Bool

    public init(
        foreground: TerminalColor = .default, background: TerminalColor = .default,
        bold: Bool = false, dim: Bool = false, reverse: Bool = false, underline: Bool = false
    ) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.dim = dim
        self.reverse = reverse
        self.underline = underline
    }

    /// Whether this appearance needs colour support to be seen as intended.
    public var usesColor: Bool { foreground != .default || background != .default }

    public static let plain = Appearance()
}

/// Maps every ``Style`` to an ``Appearance``.
///
/// The monochrome theme is used for `NO_COLOR`, `--no-color` and terminals without colours:
/// selection is reverse video, overdue is bold, disabled is dim. No theme distinguishes two
/// meanings by red versus green alone: every coloured style also differs in an attribute or
/// carries a textual marker in the data.
public struct Theme: Hashable, Sendable {
    public var name: String
    public var isMonochrome: Bool
    private var appearances: [Style: Appearance]

    public init(name: String, isMonochrome: Bool, appearances: [Style: Appearance]) {
        self.name = name
        self.isMonochrome = isMonochrome
        self.appearances = appearances
    }

    /// The appearance of `style`; ``Appearance/plain`` for a style the theme leaves out.
    public subscript(style: Style) -> Appearance {
        get { appearances[style] ?? .plain }
        set { appearances[style] = newValue }
    }

    /// Attributes only: works on any terminal, with or without colours.
    public static let monochrome = Theme(
        name: "monochrome", isMonochrome: true,
        appearances: [
            .normal: .plain,
            .header: Appearance(reverse: true),
            .tab: .plain,
            .activeTab: Appearance(bold: true, reverse: true),
            .selected: Appearance(reverse: true),
            .marked: Appearance(bold: true),
            .dim: Appearance(dim: true),
            .overdue: Appearance(bold: true),
            .warning: Appearance(bold: true),
            .error: Appearance(bold: true, underline: true),
            .ok: .plain,
            .hint: .plain,
            .flash: Appearance(bold: true),
            .title: Appearance(bold: true),
        ])

    /// The default colour theme on the terminal's own background.
    public static let standard = Theme(
        name: "standard", isMonochrome: false,
        appearances: [
            .normal: .plain,
            .header: Appearance(foreground: .white, background: .blue, bold: true),
            .tab: Appearance(foreground: .cyan),
            .activeTab: Appearance(foreground: .black, background: .cyan, bold: true),
            .selected: Appearance(reverse: true),
            .marked: Appearance(foreground: .yellow, bold: true),
            .dim: Appearance(dim: true),
            .overdue: Appearance(foreground: .red, bold: true),
            .warning: Appearance(foreground: .yellow, bold: true),
            .error: Appearance(foreground: .red, bold: true, underline: true),
            .ok: Appearance(foreground: .cyan),
            .hint: Appearance(foreground: .cyan),
            .flash: Appearance(foreground: .yellow, bold: true),
            .title: Appearance(bold: true),
        ])

    /// The theme to use: monochrome when `--no-color` was given or `NO_COLOR` is set to a
    /// non-empty value (see no-color.org); otherwise ``standard``. A terminal without colours
    /// falls back to monochrome when it opens.
    public static func resolve(noColorFlag: Bool, environment: [String: String]) -> Theme {
        if noColorFlag { return .monochrome }
        if let value = environment["NO_COLOR"], !value.isEmpty { return .monochrome }
        return .standard
    }
}
