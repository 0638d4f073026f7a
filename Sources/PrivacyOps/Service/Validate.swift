import Foundation

/// Checks every value on its way into the store: the card-number guard first, then the field's
/// own form. Errors say which field was wrong and what to do.
enum Validate {
    /// Refuses any value holding a card-number-like digit run (policy: never in possession of
    /// complete card information).
    static func noCardNumber(_ field: String, _ value: String) throws {
        if let m = CardNumberGuard.find(in: value) {
            throw OpsError.invalid(OpsProblem("\(field) holds what looks like a card number ending \(m.last4): Loopgalaxy.com never stores card numbers (PayPal handles payments)", field: field, remedy: .removeCardNumber))
        }
    }

    static func text(_ field: String, _ value: String, required: Bool = true, max: Int = 2000) throws -> String {
        try noCardNumber(field, value)
        let t = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if required, t.isEmpty { throw OpsError.invalid(OpsProblem("\(field) is empty: give a value", field: field)) }
        if t.count > max { throw OpsError.invalid(OpsProblem("\(field) is longer than \(max) characters: shorten it", field: field)) }
        return t
    }

    static func optionalText(_ field: String, _ value: String?, max: Int = 2000) throws -> String? {
        guard let value else { return nil }
        let t = try text(field, value, required: false, max: max)
        return t.isEmpty ? nil : t
    }

    static func email(_ field: String, _ value: String) throws -> String {
        let t = try text(field, value)
        guard ContactPoint.email(t) != nil else {
            throw OpsError.invalid(OpsProblem("\(field) '\(TerminalText.sanitize(t))' is not an e-mail address: write it as name@example.com", field: field))
        }
        return t
    }

    static func phone(_ field: String, _ value: String?) throws -> String? {
        guard let t = try optionalText(field, value, max: 40) else { return nil }
        guard ContactPoint.phone(t) != nil else {
            throw OpsError.invalid(OpsProblem("\(field) '\(TerminalText.sanitize(t))' is not a phone number: use 7 to 15 digits, with + ( ) - . or spaces", field: field))
        }
        return t
    }

    static func services(_ values: [String]) throws -> [String] {
        var out: [String] = []
        for v in values {
            let t = try text("service", v, max: 80)
            if !out.contains(t) { out.append(t) }
        }
        return out
    }

    static func id(_ kind: String, _ value: String) throws -> String {
        let t = value.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty, t.utf8.count <= 128,
              t.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._:@-".unicodeScalars.contains($0)) }) else {
            throw OpsError.invalid("'\(TerminalText.sanitize(CardNumberGuard.masked(value)))' is not a \(kind) id: ids look like C0000001")
        }
        return t
    }
}
