internal import FlatStore

/// Which backend a `--store` names: a `postgres://` or `postgresql://` URL is a PostgreSQL
/// store (``PostgresBackend``); anything else is a flat-file store's directory
/// (``FlatFileBackend``).
enum StoreBackends {
    static func isPostgres(_ location: String) -> Bool { PostgresLocation.isURL(location) }

    static func exists(_ location: String, io: FileIO) -> Bool {
        if isPostgres(location) {
            guard let place = try? PostgresLocation(location) else { return false }
            return PostgresBackend.exists(place)
        }
        return FlatFileBackend.exists(at: location, io: io)
    }

    static func create(_ location: String, io: FileIO) throws -> any RecordStore {
        if isPostgres(location) { return try PostgresBackend.create(PostgresLocation(location), io: io) }
        return try FlatFileBackend.create(at: location, io: io)
    }

    static func open(_ location: String, readOnly: Bool, io: FileIO) throws -> any RecordStore {
        if isPostgres(location) { return try PostgresBackend.open(PostgresLocation(location), readOnly: readOnly) }
        return try FlatFileBackend.open(at: location, readOnly: readOnly, io: io)
    }

    /// Checks (or repairs) a store that cannot be opened.
    static func checkUnopened(_ location: String, repair: Bool, expecting: StoreCheckReport?, io: FileIO) throws -> StoreCheckReport {
        if isPostgres(location) {
            return try PostgresBackend.open(PostgresLocation(location), readOnly: true).check(repair: repair, expecting: expecting)
        }
        return try FlatFileBackend.checkUnopened(at: location, repair: repair, expecting: expecting, io: io)
    }
}
