import Foundation

/// The PostgreSQL server the tests may use: `$LGADMIN_TEST_POSTGRES`, a URL to a server where
/// the tests may create and drop databases (`bash .ci/run` starts a throw-away one with
/// `.ci/postgres start DIR` and exports it). Without it the PostgreSQL tests are skipped, saying
/// why, so plain `swift test` passes anywhere.
public enum TestPostgres {
    /// The server's URL, or nil.
    public static var serverURL: String? {
        let v = ProcessInfo.processInfo.environment["LGADMIN_TEST_POSTGRES"] ?? ""
        return v.isEmpty ? nil : v
    }

    public static var isAvailable: Bool { serverURL != nil }

    /// Whether the service and end-to-end suites are to run on PostgreSQL stores instead of flat
    /// files (`LGADMIN_TEST_BACKEND=postgres`, as `.ci/run`'s second pass sets it).
    public static var isChosenBackend: Bool {
        ProcessInfo.processInfo.environment["LGADMIN_TEST_BACKEND"] == "postgres" && isAvailable
    }

    /// The reason given for a skipped PostgreSQL test.
    public static let skipReason =
        "no PostgreSQL server for the tests: set LGADMIN_TEST_POSTGRES to a server URL (bash .ci/run starts a throw-away one)"

    public struct Database: Sendable {
        /// The store URL for `--store`, with `files=` in a scratch directory.
        public let storeURL: String
        /// The same database without `files=`, for psql.
        public let psqlURL: String
        public let name: String
        public let filesDirectory: String
    }

    /// A new, empty database on the test server (and a scratch directory for the store's local
    /// files). Drop it with ``drop(_:)``.
    public static func createDatabase(files: String? = nil) throws -> Database {
        guard let server = serverURL else { throw Failure(message: "LGADMIN_TEST_POSTGRES is not set") }
        let name = "lgtest_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        try psql(server, "CREATE DATABASE \(name)")
        let files = files ?? NSTemporaryDirectory() + "lgadmin-pg-files-\(name)"
        try FileManager.default.createDirectory(atPath: files, withIntermediateDirectories: true)
        let url = replacingDatabase(in: server, with: String(name))
        return Database(storeURL: url + (url.contains("?") ? "&" : "?") + "files=" + files, psqlURL: url,
                        name: String(name), filesDirectory: files)
    }

    /// Drops the database (after ending its other sessions) and removes the scratch directory.
    public static func drop(_ db: Database) {
        guard let server = serverURL else { return }
        _ = try? psql(server, "DROP DATABASE IF EXISTS \(db.name) WITH (FORCE)")
        try? FileManager.default.removeItem(atPath: db.filesDirectory)
    }

    /// Runs SQL through psql; returns its output (unaligned, tuples only).
    @discardableResult
    public static func psql(_ url: String, _ sql: String) throws -> String {
        let r = try ChildProcess.run("/usr/bin/env", ["psql", "-X", "-v", "ON_ERROR_STOP=1", "-At", url, "-c", sql], timeout: 60)
        guard r.termination == .exited(0) else {
            throw Failure(message: "psql failed (\(r.termination)): \(String(decoding: r.stderr, as: UTF8.self))")
        }
        return String(decoding: r.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `url` with its database (the path) replaced.
    public static func replacingDatabase(in url: String, with db: String) -> String {
        guard var c = URLComponents(string: url) else { return url }
        c.path = "/" + db
        return c.string ?? url
    }

    public struct Failure: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }
}
