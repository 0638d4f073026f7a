/// One leaf part of a decoded message: text shown, or something listed and never opened.
public struct MimePart: Sendable, Equatable {
    /// How the content view presents a part.
    public enum Presentation: String, Sendable, Equatable {
        /// A text/plain part: its text is shown.
        case text
        /// A text/html part: shown as plain text (tags stripped, references decoded), never
        /// rendered, nothing it names fetched.
        case htmlAsText = "html-as-text"
        /// Anything else (and any part marked as an attachment): listed with its name, type and
        /// decoded size; never opened, written to disk or run.
        case attachment
        /// Another version of a multipart/alternative whose chosen version is shown: listed.
        case alternative
    }

    /// The part's number in the message's tree, as mail readers number them (`1`, `2.1`).
    public var number: String
    /// The media type, lower-cased (`text/plain`, `application/pdf`).
    public var contentType: String
    /// The charset a text part named (lower-cased), if any.
    public var charset: String?
    /// The Content-Transfer-Encoding (`7bit`, `quoted-printable`, `base64`).
    public var transferEncoding: String
    /// The Content-Disposition (`inline`, `attachment`), if given.
    public var disposition: String?
    /// The file name the part gives (Content-Disposition `filename`, else Content-Type `name`),
    /// decoded and cleaned of control and bidirectional-control characters; nil if none.
    public var filename: String?
    /// The size in bytes after the transfer encoding was decoded.
    public var size: Int
    /// How the part is presented.
    public var presentation: Presentation
    /// The decoded text of a shown part (nil for attachments and alternatives). Not yet made
    /// safe for a terminal: front ends sanitise it (``TerminalText``).
    public var text: String?

    /// Creates a part.
    public init(number: String, contentType: String, charset: String? = nil, transferEncoding: String, disposition: String? = nil,
                filename: String? = nil, size: Int, presentation: Presentation, text: String? = nil) {
        self.number = number
        self.contentType = contentType
        self.charset = charset
        self.transferEncoding = transferEncoding
        self.disposition = disposition
        self.filename = filename
        self.size = size
        self.presentation = presentation
        self.text = text
    }

    /// Whether the part's text is shown.
    public var isShown: Bool { presentation == .text || presentation == .htmlAsText }

    /// `name` made fit to show as a file name: control characters (C0, C1, DEL), bidirectional
    /// controls and line or paragraph separators removed, surrounding spaces trimmed, at most 200
    /// characters; nil when nothing is left.
    public static func cleanFilename(_ name: String?) -> String? {
        guard let name else { return nil }
        var out = String.UnicodeScalarView()
        var count = 0
        for u in name.unicodeScalars {
            let v = u.value
            if v < 0x20 || (v >= 0x7F && v <= 0x9F) || (v >= 0x202A && v <= 0x202E) || (v >= 0x2066 && v <= 0x2069)
                || v == 0x2028 || v == 0x2029 || v == 0x200E || v == 0x200F || v == 0x061C || v == 0xFEFF {
                continue
            }
            out.append(u)
            count += 1
            if count >= 200 {
                out.append("…")
                break
            }
        }
        let cleaned = MimeParameters.trim(String(out))
        return cleaned.isEmpty ? nil : cleaned
    }
}
