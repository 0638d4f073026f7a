import Foundation

/// A text part's character set, and turning its bytes into text.
///
/// Understood: UTF-8; US-ASCII; ISO-8859-1 and Windows-1252 (decoded as Windows-1252, as mail
/// readers and browsers do, so the curly quotes of mislabelled mail survive); ISO-8859-15;
/// and, through Foundation (checked to decode correctly on Linux), ISO-8859-2, Windows-1250,
/// -1251, -1253 and -1254, Shift_JIS, ISO-2022-JP, UTF-16 and UTF-32 (with or without a byte
/// order mark). Any other charset is unknown: its ASCII bytes are shown and every other byte as
/// U+FFFD, with a note saying so.
public struct MimeCharset: Sendable, Equatable {
    /// The charset's name as the message gave it, lower-cased (`iso-8859-1`).
    public var name: String
    let kind: Kind

    enum Kind: Equatable {
        case utf8, asciiOrUTF8, latin9, windows1252
        case foundation(UInt)
        case unknown
    }

    /// The charset `name` names (case-insensitive, an RFC 2231 language suffix ignored).
    public init(name raw: String) {
        var name = MimeParameters.trim(raw).lowercased()
        if let star = name.firstIndex(of: "*") { name = String(name[..<star]) }
        if name.utf8.count > 40 { name = String(name.prefix(40)) }
        self.name = name
        switch name {
        case "utf-8", "utf8", "unicode-1-1-utf-8": kind = .utf8
        case "", "us-ascii", "ascii", "us", "ansi_x3.4-1968", "iso646-us", "646": kind = .asciiOrUTF8
        case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "cp819", "iso-ir-100", "ibm819",
             "windows-1252", "cp1252", "x-cp1252", "win-1252":
            kind = .windows1252
        case "iso-8859-15", "iso8859-15", "iso_8859-15", "latin9", "latin-9", "l9": kind = .latin9
        case "iso-8859-2", "iso8859-2", "iso_8859-2", "latin2", "l2": kind = .foundation(String.Encoding.isoLatin2.rawValue)
        case "windows-1250", "cp1250", "x-cp1250": kind = .foundation(String.Encoding.windowsCP1250.rawValue)
        case "windows-1251", "cp1251", "x-cp1251": kind = .foundation(String.Encoding.windowsCP1251.rawValue)
        case "windows-1253", "cp1253": kind = .foundation(String.Encoding.windowsCP1253.rawValue)
        case "windows-1254", "cp1254", "iso-8859-9", "iso8859-9", "latin5": kind = .foundation(String.Encoding.windowsCP1254.rawValue)
        case "shift_jis", "shift-jis", "sjis", "ms_kanji", "x-sjis", "windows-31j", "cp932":
            kind = .foundation(String.Encoding.shiftJIS.rawValue)
        case "iso-2022-jp", "csiso2022jp": kind = .foundation(String.Encoding.iso2022JP.rawValue)
        case "utf-16": kind = .foundation(String.Encoding.utf16.rawValue)
        case "utf-16be": kind = .foundation(String.Encoding.utf16BigEndian.rawValue)
        case "utf-16le": kind = .foundation(String.Encoding.utf16LittleEndian.rawValue)
        case "utf-32": kind = .foundation(String.Encoding.utf32.rawValue)
        case "utf-32be": kind = .foundation(String.Encoding.utf32BigEndian.rawValue)
        case "utf-32le": kind = .foundation(String.Encoding.utf32LittleEndian.rawValue)
        default: kind = .unknown
        }
    }

    /// Whether the decoder knows this charset.
    public var isKnown: Bool { kind != .unknown }

    /// The text `bytes` hold in this charset, and whether any byte could not be decoded (shown
    /// as U+FFFD). Never longer than three UTF-8 bytes per input byte.
    public func decode(_ bytes: [UInt8]) -> (text: String, replaced: Bool) {
        switch kind {
        case .utf8:
            let valid = MessageHeaders.isValidUTF8(bytes)
            return (String(decoding: bytes, as: UTF8.self), !valid)
        case .asciiOrUTF8:
            // 8-bit bytes in mail labelled ASCII are UTF-8 or Windows-1252 in practice.
            if MessageHeaders.isValidUTF8(bytes) { return (String(decoding: bytes, as: UTF8.self), false) }
            return (MessageHeaders.Charset.windows1252.decode(bytes), false)
        case .windows1252:
            return (MessageHeaders.Charset.windows1252.decode(bytes), false)
        case .latin9:
            return (MessageHeaders.Charset.latin9.decode(bytes), false)
        case .foundation(let raw):
            if let s = String(bytes: bytes, encoding: String.Encoding(rawValue: raw)) { return (s, false) }
            return (Self.asciiOnly(bytes), true)
        case .unknown:
            return (Self.asciiOnly(bytes), bytes.contains { $0 >= 0x80 })
        }
    }

    /// ASCII bytes as they are, every other byte as U+FFFD.
    static func asciiOnly(_ bytes: [UInt8]) -> String {
        var scalars = String.UnicodeScalarView()
        for b in bytes { scalars.append(b < 0x80 ? Unicode.Scalar(b) : "\u{FFFD}") }
        return String(scalars)
    }
}
