import Foundation

/// Where a PostgreSQL store is: `postgres://USER@HOST:PORT/DB`, `postgres:///DB?host=/SOCKET/DIR`
/// (`postgresql://` too), as `--store` or `$LGADMIN_STORE` names it.
///
/// The URL goes to libpq as it is, less one parameter of lgadmin's own: `files=DIR`, the
/// directory of the files that stay on this host whatever the store (the opt-out inbox spool and
/// the quarantine; default `/var/lib/lgadmin`).
struct PostgresLocation: Sendable, Equatable {
    /// What libpq is given.
    let conninfo: String
    /// The URL for people: the password, if any, replaced by `***`.
    let display: String
    /// The server and database, for messages ("the server at /run/postgresql, database lgadmin").
    let server: String
    let filesDirectory: String

    static let defaultFilesDirectory = "/var/lib/lgadmin"

    /// Whether `text` names a PostgreSQL store rather than a directory.
    static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    init(_ text: String) throws {
        guard Self.isURL(text), var parts = URLComponents(string: text) else {
            throw StoreError.invalid("'\(text)' is not a PostgreSQL URL: write postgres://USER@HOST:PORT/DB or postgres:///DB?host=/SOCKET/DIR")
        }
        var items = parts.queryItems ?? []
        var files = Self.defaultFilesDirectory
        if let i = items.firstIndex(where: { $0.name == "files" }) {
            guard let v = items[i].value, v.hasPrefix("/") else {
                throw StoreError.invalid("files= in a PostgreSQL URL must be an absolute directory")
            }
            files = v
            items.remove(at: i)
        }
        parts.queryItems = items.isEmpty ? nil : items
        guard let cleaned = parts.string else {
            throw StoreError.invalid("'\(text)' is not a PostgreSQL URL")
        }
        conninfo = cleaned
        filesDirectory = files
        var shown = parts
        if shown.password != nil { shown.password = "***" }
        display = shown.string ?? "postgres://"
        let db = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
        let host = items.first(where: { $0.name == "host" })?.value ?? parts.host.flatMap { $0.isEmpty ? nil : $0 } ?? "the default socket"
        let port = parts.port.map { ":\($0)" } ?? ""
        server = "the PostgreSQL server at \(host)\(port), database \(db.isEmpty ? "(default)" : db)"
    }
}
