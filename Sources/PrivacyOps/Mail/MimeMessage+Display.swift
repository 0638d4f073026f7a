extension MimeMessage {
    /// One line of the content view, with what it is (front ends style it by kind).
    public struct DisplayLine: Sendable, Equatable {
        public enum Kind: String, Sendable, Equatable {
            /// `Subject: …`
            case header
            /// The heading above a shown part ("part 1.2 · text/html shown as plain text …").
            case heading
            /// A line of a part's text.
            case text
            /// An attachment or another version, listed, never opened.
            case attachment
            /// What was wrong or left out.
            case note
            /// An empty line between sections.
            case blank
        }

        public var kind: Kind
        /// The line, without a line break, not yet made safe for a terminal.
        public var text: String

        public init(_ kind: Kind, _ text: String) {
            self.kind = kind
            self.text = text
        }
    }

    /// The content view as lines: the headers, each shown part's text (with a heading when the
    /// message has more than one part), then the attachments and other versions listed, then
    /// the notes. Front ends sanitise each line (``TerminalText/sanitizeMultiline(_:)``).
    public func displayLines() -> [DisplayLine] {
        var out: [DisplayLine] = headers.map { DisplayLine(.header, "\($0.name): \($0.value)") }
        let shown = parts.filter(\.isShown)
        let listed = parts.filter { !$0.isShown }
        let headings = parts.count > 1
        for part in shown {
            out.append(DisplayLine(.blank, ""))
            if headings || part.presentation == .htmlAsText { out.append(DisplayLine(.heading, Self.heading(part))) }
            for line in Self.lines(of: part.text ?? "") { out.append(DisplayLine(.text, line)) }
        }
        if shown.isEmpty {
            out.append(DisplayLine(.blank, ""))
            out.append(DisplayLine(.note, "(no text part to show)"))
        }
        if !listed.isEmpty {
            out.append(DisplayLine(.blank, ""))
            out.append(DisplayLine(.heading, "Attachments and other parts (listed only: never opened, saved or run)"))
            for part in listed { out.append(DisplayLine(.attachment, Self.listing(part))) }
        }
        if !notes.isEmpty {
            out.append(DisplayLine(.blank, ""))
            for n in notes { out.append(DisplayLine(.note, "Note: \(n)")) }
        }
        return out
    }

    /// The readable view as one text (the lines joined), as `comms view --json` gives it.
    public func displayText() -> String {
        displayLines().map(\.text).joined(separator: "\n")
    }

    /// "part 1.1 · text/plain · iso-8859-1 · quoted-printable".
    static func heading(_ part: MimePart) -> String {
        var bits = ["part \(part.number)", part.presentation == .htmlAsText ? "text/html shown as plain text (never rendered, nothing fetched)" : part.contentType]
        if let c = part.charset { bits.append(c) }
        if part.transferEncoding != "7bit" { bits.append(part.transferEncoding) }
        if let f = part.filename { bits.append(f) }
        return "── " + bits.joined(separator: " · ") + " ──"
    }

    /// "part 2   invoice.pdf   application/pdf   12,345 bytes".
    static func listing(_ part: MimePart) -> String {
        let what = part.presentation == .alternative ? "another version, not shown" : "attachment"
        return "part \(part.number) · \(part.filename ?? "(no name)") · \(part.contentType) · \(grouped(part.size)) bytes · \(what)"
    }

    /// The lines of `text`: split at LF (a CR before it dropped). Split by scalar, since a
    /// CRLF pair is one `Character`.
    static func lines(of text: String) -> [String] {
        var lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            String(line.last == "\r" ? line.dropLast() : line)
        }
        while lines.count > 1, lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }

    /// 12345 as "12,345".
    static func grouped(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }
}
