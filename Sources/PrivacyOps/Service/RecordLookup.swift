import Foundation

/// A record found by its id: its kind, the id as the store writes it, and the place of work
/// that shows it.
public struct RecordLocation: Sendable, Equatable {
    public var kind: OpsRecordKind
    public var id: String
    public var workspace: Workspace
}

extension PrivacyOps {
    /// The kinds of record an id can name by its form, with the id's letter and digit count:
    /// customers `C0000004`, opt-out requests `O000012`, reports `R000003`, disclosures
    /// `D000001`.
    static let idForms: [(letter: Character, width: Int, kind: OpsRecordKind, collection: String, show: Action, workspace: Workspace)] = [
        ("C", customerIDWidth, .customer, Collections.customers.name, .customersShow, .customers),
        ("O", 6, .optOut, Collections.optouts.name, .optoutsShow, .optOuts),
        ("R", 6, .report, Collections.reports.name, .reportsShow, .reports),
        ("D", 6, .disclosure, Collections.disclosures.name, .disclosuresShow, .disclosures),
    ]

    /// The kind and the store's form of `text` when it has the form of a record id: one letter
    /// (case-insensitive) and digits, zero-padded to the kind's width (`c4` is `C0000004`).
    /// Nil for anything else.
    public static func recordID(_ text: String) -> (kind: OpsRecordKind, id: String)? {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard let first = t.first, let form = idForms.first(where: { $0.letter == Character(first.uppercased()) }) else { return nil }
        let digits = t.dropFirst()
        guard !digits.isEmpty, digits.count <= 12, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let padded = String(repeating: "0", count: max(0, form.width - digits.count)) + digits
        return (form.kind, String(form.letter) + padded)
    }

    /// Finds the record `text` names (see ``recordID(_:)``) and says where it is shown.
    ///
    /// Refused (77) when the actor's role may not see that kind of record, whether or not it
    /// exists; not found (66) when there is no such record; invalid (65) when `text` is not an
    /// id of a customer, opt-out request, report or disclosure.
    public func locate(_ text: String) throws -> RecordLocation {
        guard let (kind, id) = Self.recordID(text), let form = Self.idForms.first(where: { $0.kind == kind }) else {
            throw OpsError.invalid("'\(TerminalText.sanitize(CardNumberGuard.masked(text)))' is not a record id: ids look like C0000004 (customer), O000012 (opt-out), R000003 (report), D000001 (disclosure)")
        }
        try authorize(form.show)
        guard view().version(form.collection, id: id) > 0 else {
            throw OpsError.notFound(.missing(kind, id))
        }
        return RecordLocation(kind: kind, id: id, workspace: form.workspace)
    }
}
