import Foundation

/// What lgadmin adds to ArgumentParser's help screens: the USAGE line, which ArgumentParser
/// prints on one line however long, wrapped at the terminal's width like the rest.
enum HelpText {
    /// $COLUMNS when set (as ArgumentParser reads it), else the terminal's width, else 80.
    static func terminalWidth() -> Int {
        if let c = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), c > 0 { return c }
        var size = winsize()
        if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }

    /// `text` with a line that starts with "USAGE: " wrapped at `width`: breaks only between
    /// elements (never inside `[--name <name>]`), continuation lines indented under the command.
    /// Anything that is not a help screen (completion scripts, --experimental-dump-help) is
    /// returned unchanged.
    static func wrappingUsage(_ text: String, width: Int) -> String {
        let lines = text.components(separatedBy: "\n")
        guard lines.contains(where: { $0.hasPrefix("USAGE: ") }), !text.hasPrefix("{"), !text.hasPrefix("#") else { return text }
        return lines.map { line in
            guard line.count > width else { return line }
            return line.hasPrefix("USAGE: ") ? wrap(line, width: width) : wrapWords(line, width: width)
        }.joined(separator: "\n")
    }

    /// Any other line ArgumentParser left too long (its "See 'lgadmin help …'" hint), wrapped at
    /// spaces and kept at its indentation.
    static func wrapWords(_ line: String, width: Int) -> String {
        let indent = String(line.prefix { $0 == " " })
        var lines: [String] = []
        var out = ""
        for word in line.split(separator: " ") {
            if out.isEmpty {
                out = indent + word
            } else if out.count + 1 + word.count <= width {
                out += " " + word
            } else {
                lines.append(out)
                out = indent + word
            }
        }
        if !out.isEmpty { lines.append(out) }
        return lines.joined(separator: "\n")
    }

    static func wrap(_ line: String, width: Int) -> String {
        // Elements: split at spaces outside [] and <>.
        var elements: [String] = []
        var current = ""
        var depth = 0
        for ch in line {
            if ch == "[" || ch == "<" { depth += 1 }
            if ch == "]" || ch == ">" { depth = max(0, depth - 1) }
            if ch == " ", depth == 0 {
                if !current.isEmpty { elements.append(current) }
                current = ""
            } else {
                current.append(ch)
            }
        }
        if !current.isEmpty { elements.append(current) }
        // "USAGE:" and the command words stay together; the rest hang under the first option.
        let commandWords = elements.prefix { !$0.hasPrefix("[") && !$0.hasPrefix("<") && !$0.hasPrefix("-") }
        let indent = String(repeating: " ", count: min(commandWords.joined(separator: " ").count + 1, max(0, width / 3)))
        var lines: [String] = []
        var out = ""
        for e in elements {
            if out.isEmpty {
                out = e
            } else if out.count + 1 + e.count <= width {
                out += " " + e
            } else {
                lines.append(out)
                out = indent + e
            }
        }
        if !out.isEmpty { lines.append(out) }
        return lines.joined(separator: "\n")
    }
}
