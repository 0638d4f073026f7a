import Foundation
import PrivacyOps

/// Printing for the command line: aligned, sanitised text, or JSON.
enum Output {
    static func line(_ s: String = "") {
        FileHandle.standardOutput.write(Data((s + "\n").utf8))
    }

    static func error(_ message: String) {
        let one = TerminalText.sanitize(message)
        FileHandle.standardError.write(Data(("lgadmin: " + one + "\n").utf8))
    }

    /// A column of a text table.
    struct Column {
        var title: String
        var maxWidth: Int = 40
        var alignRight = false
    }

    /// Prints rows aligned by display width; every cell is sanitised.
    static func table(_ columns: [Column], _ rows: [[String]]) {
        let cells = rows.map { $0.map { TerminalText.sanitize($0) } }
        var widths = columns.map { TerminalText.width($0.title) }
        for r in cells {
            for (i, c) in r.enumerated() where i < widths.count {
                widths[i] = max(widths[i], min(columns[i].maxWidth, TerminalText.width(c)))
            }
        }
        func render(_ r: [String]) -> String {
            var parts: [String] = []
            for (i, c) in r.enumerated() where i < widths.count {
                let last = i == widths.count - 1
                if last && !columns[i].alignRight {
                    parts.append(TerminalText.truncate(c, toWidth: max(widths[i], columns[i].maxWidth)))
                } else {
                    parts.append(TerminalText.pad(c, toWidth: widths[i], alignRight: columns[i].alignRight))
                }
            }
            return parts.joined(separator: "  ")
        }
        line(render(columns.map(\.title)))
        for r in cells { line(render(r)) }
    }

    /// Prints `label: value` lines with the labels aligned.
    static func fields(_ pairs: [(String, String)]) {
        let w = pairs.map { TerminalText.width($0.0) }.max() ?? 0
        for (k, v) in pairs {
            line(TerminalText.pad(k + ":", toWidth: w + 1) + " " + TerminalText.sanitize(v))
        }
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    /// JSON text with the characters a terminal would act on written as `\uXXXX` escapes: the
    /// encoder escapes C0 controls (ESC becomes `\u001b`) but passes C1 controls (U+009B is a
    /// CSI to many terminals), DEL, bidirectional overrides and line separators through. They can
    /// only occur inside strings, where the escape is the same value to any JSON reader.
    static func terminalSafeJSON(_ data: Data) -> String {
        let text = String(decoding: data, as: UTF8.self)
        func risky(_ v: UInt32) -> Bool {
            (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0x2028 || v == 0x2029
        }
        guard text.unicodeScalars.contains(where: { risky($0.value) }) else { return text }
        var out = String.UnicodeScalarView()
        for u in text.unicodeScalars {
            if risky(u.value) {
                out.append(contentsOf: String(format: "\\u%04x", u.value).unicodeScalars)
            } else {
                out.append(u)
            }
        }
        return String(out)
    }

    /// Prints a value as JSON, with every key of `required` present (null when absent).
    static func json<T: Encodable>(_ value: T, required: [String] = []) {
        guard let data = try? encoder.encode(value) else { return }
        if required.isEmpty {
            line(terminalSafeJSON(data))
            return
        }
        let object = try? JSONSerialization.jsonObject(with: data)
        func fill(_ o: Any) -> Any {
            if var d = o as? [String: Any] {
                for k in required where d[k] == nil { d[k] = NSNull() }
                return d
            }
            if let a = o as? [Any] { return a.map(fill) }
            return o
        }
        guard let object, let out = try? JSONSerialization.data(withJSONObject: fill(object), options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]) else {
            line(terminalSafeJSON(data))
            return
        }
        line(terminalSafeJSON(out))
    }

    enum Keys {
        static let customer = ["id", "version", "name", "email", "phone", "address", "status", "services", "created_at", "updated_at"]
        static let optout = ["id", "version", "contact", "channel", "scopes", "state", "source", "received_at", "due_at", "matches", "decided_by", "decided_at", "note"]
        static let communication = ["id", "version", "customer_id", "from", "to", "subject", "date", "size", "sha256", "state"]
        static let report = ["id", "version", "communication_id", "customer_id", "trigger", "reason", "reporter", "state", "ground", "clause", "decided_by", "decided_at"]
        static let audit = ["id", "version", "seq", "at", "actor", "role", "action", "target", "case", "detail", "prev_hash", "hash"]
    }
}
