import Foundation

/// The channel of a contact point: how a customer is reached.
public enum ContactChannel: String, Codable, Sendable, CaseIterable {
    /// An e-mail address.
    case email
    /// A telephone number.
    case phone
    /// A postal address.
    case address
}

/// One exact contact point, normalised so that the same point written differently compares
/// equal, and different points never do.
///
/// Matching is exact on ``normalized``: never fuzzy. There is no edit distance, no prefix
/// matching, no dropping of dots or `+tags` in e-mail local parts, no guessing of country codes.
/// An opt-out for `alice+news@example.com` does not suppress `alice@example.com`, and
/// `12 Main St` is not `13 Main St`.
///
/// - email: trimmed and lower-cased whole (local part included); must look like
///   `local@domain.tld` with no spaces.
/// - phone: ASCII digits only; a leading `+` or `00` international prefix is dropped to its
///   digits, so `+1 (555) 123-4567`, `001 555 123 4567` and `1-555-123-4567` are the same point;
///   7–15 digits.
/// - address: Unicode case folding, canonical composition (NFC), whitespace runs collapsed to one
///   space, trimmed; commas and other punctuation are kept as written.
public struct ContactPoint: Hashable, Codable, Sendable {
    /// How the point is reached.
    public var channel: ContactChannel
    /// The normalised form; two points match exactly when channel and this are equal.
    public var normalized: String

    /// Creates a contact point from an already normalised value (as read back from the store).
    public init(channel: ContactChannel, normalized: String) {
        self.channel = channel
        self.normalized = normalized
    }

    /// Characters allowed in a phone number besides ASCII digits.
    public static let phonePunctuation: Set<Character> = ["+", "-", ".", "(", ")", " "]

    /// An e-mail contact point, or `nil` if `raw` does not look like `local@domain.tld`.
    ///
    /// The address is trimmed and lower-cased whole. It must have exactly one `@`, a non-empty
    /// local part, a domain holding a dot (not first, not last, never two in a row), and no
    /// whitespace or control characters.
    public static func email(_ raw: String) -> ContactPoint? {
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard !trimmed.isEmpty else { return nil }
        for scalar in trimmed.unicodeScalars {
            if scalar.properties.isWhitespace || scalar.value < 0x20
                || (scalar.value >= 0x7F && scalar.value <= 0x9F)
            {
                return nil
            }
        }
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let local = parts[0]
        let domain = parts[1]
        guard !local.isEmpty, domain.contains("."), !domain.hasPrefix("."),
            !domain.hasSuffix("."), !domain.contains("..")
        else { return nil }
        return ContactPoint(channel: .email, normalized: trimmed)
    }

    /// A phone contact point, or `nil` if `raw` is not a phone number.
    ///
    /// Only ASCII digits and the punctuation `+ - . ( )` and spaces are allowed (letters, such as
    /// an `ext.`, make it `nil`); a `+` only at the start. A leading `+` or `00` is the
    /// international prefix and is dropped, keeping the country code: `+44 20 7946 0958` and
    /// `0044 20 7946 0958` both give `442079460958`. A national number keeps its own digits:
    /// `(555) 123-4567` gives `5551234567`, which does not match `15551234567`. 7–15 digits.
    public static func phone(_ raw: String) -> ContactPoint? {
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        var digits: [UInt8] = []
        digits.reserveCapacity(16)
        var sawPlus = false
        for (index, byte) in trimmed.utf8.enumerated() {
            switch byte {
            case 0x30...0x39:
                digits.append(byte)
            case UInt8(ascii: "+"):
                guard index == 0 else { return nil }
                sawPlus = true
            case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "("), UInt8(ascii: ")"),
                UInt8(ascii: " "):
                continue
            default:
                return nil
            }
        }
        if !sawPlus, digits.count >= 2, digits[0] == 0x30, digits[1] == 0x30 {
            digits.removeFirst(2)
        }
        guard (7...15).contains(digits.count) else { return nil }
        return ContactPoint(channel: .phone, normalized: String(decoding: digits, as: UTF8.self))
    }

    /// A postal-address contact point, or `nil` if `raw` is blank.
    ///
    /// Case-folded (Unicode full case folding, so `STRASSE` and `Straße` agree), composed to NFC,
    /// whitespace runs (line breaks included) collapsed to one space and trimmed. Punctuation is
    /// kept as written: `12 Main St, Springfield` and `12 Main St Springfield` are different.
    public static func address(_ raw: String) -> ContactPoint? {
        let folded = raw.folding(options: [.caseInsensitive], locale: nil)
            .precomposedStringWithCanonicalMapping
        var out = ""
        out.reserveCapacity(folded.utf8.count)
        var pendingSpace = false
        for character in folded {
            if character.isWhitespace {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace {
                out.append(" ")
                pendingSpace = false
            }
            out.append(character)
        }
        guard !out.isEmpty else { return nil }
        return ContactPoint(channel: .address, normalized: out)
    }

    /// Reads a contact point as typed in a form, guessing its channel.
    ///
    /// Anything with an `@` is an e-mail address (and `nil` if it is not a valid one); anything
    /// made only of digits and phone punctuation (`+ - . ( )` and spaces) is a phone number (and
    /// `nil` if it has the wrong number of digits); anything else is a postal address.
    public static func parse(_ raw: String) -> ContactPoint? {
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        if trimmed.contains("@") { return email(trimmed) }
        let phoneLike = trimmed.allSatisfy { character in
            character.isASCII && (character.isNumber || phonePunctuation.contains(character))
        }
        if phoneLike { return phone(trimmed) }
        return address(trimmed)
    }

    /// The normalised value as shown to staff (e-mail address, digits of the phone number,
    /// folded address). Not sanitised for terminals: pass it through ``TerminalText``.
    public var display: String { normalized }
}
