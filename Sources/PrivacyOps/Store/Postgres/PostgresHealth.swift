import Foundation

/// `store check`, `store compact` and `store stats` for a PostgreSQL store. The server keeps
/// every commit whole (a transaction), so a check looks for what only a person with direct
/// access to the tables could have done: a broken commit sequence, two live rows of one record,
/// rows of commits that never happened.
enum PostgresHealth {
    static func check(_ c: PGConnection, place: PostgresLocation) throws -> StoreCheckReport {
        var problems: [String] = []
        let head = try c.query("SELECT seq FROM lgadmin_chain_head")
        if head.rowCount != 1 { problems.append("lgadmin_chain_head holds \(head.rowCount) rows instead of one") }
        let seq = head.int(0, 0) ?? 0
        let commits = try c.query("SELECT count(*), coalesce(min(seq), 0), coalesce(max(seq), 0) FROM lgadmin_commits")
        let n = commits.int(0, 0) ?? 0, lo = commits.int(0, 1) ?? 0, hi = commits.int(0, 2) ?? 0
        if hi != seq { problems.append("the last commit recorded is \(hi) but the chain head says \(seq)") }
        if n > 0, hi - lo + 1 != n { problems.append("commits \(lo)…\(hi) have gaps: \(n) recorded") }
        let future = try c.query("SELECT coll, id, created_seq FROM lgadmin_records WHERE created_seq > $1 OR deleted_seq > $1 LIMIT 5",
                                 [.int(seq)])
        for k in 0..<future.rowCount {
            problems.append("\(future.string(k, 0) ?? "?") \(future.string(k, 1) ?? "?"): a row of commit \(future.string(k, 2) ?? "?"), after the chain head \(seq)")
        }
        let live = try c.query("SELECT count(*) FROM lgadmin_records WHERE deleted_seq IS NULL")
        return StoreCheckReport(isHealthy: problems.isEmpty, seq: UInt64(max(0, seq)), records: Int(live.int(0, 0) ?? 0),
                                problems: problems, discards: [], discarded: [], evidence: nil)
    }

    /// Removes the rows of records changed or deleted since (no view needs them once every
    /// process has moved past them; a view older than the compaction reads what is left).
    static func compact(_ c: PGConnection) throws -> StoreCompaction {
        try c.execute("BEGIN")
        do {
            let head = try c.query("SELECT seq FROM lgadmin_chain_head FOR UPDATE")
            let seq = head.int(0, 0) ?? 0
            let removed = try c.query("WITH gone AS (DELETE FROM lgadmin_records WHERE deleted_seq IS NOT NULL RETURNING 1) SELECT count(*) FROM gone")
            let live = try c.query("SELECT count(*) FROM lgadmin_records WHERE deleted_seq IS NULL")
            try c.execute("COMMIT")
            try? c.execute("VACUUM (ANALYZE) lgadmin_records")
            return StoreCompaction(seq: UInt64(seq), records: Int(live.int(0, 0) ?? 0),
                                   summary: "removed \(removed.int(0, 0) ?? 0) row(s) of earlier versions; vacuumed")
        } catch {
            try? c.execute("ROLLBACK")
            throw error
        }
    }

    static func stats(_ c: PGConnection, readOnly: String?, place: PostgresLocation) throws -> StoreStats {
        let head = try c.query("SELECT seq FROM lgadmin_chain_head")
        let rows = try c.query("""
            SELECT coll, count(*), coalesce(sum(octet_length(body)), 0) FROM lgadmin_records
            WHERE deleted_seq IS NULL GROUP BY coll ORDER BY coll
            """)
        let closed = try c.query("SELECT count(*) FROM lgadmin_records WHERE deleted_seq IS NOT NULL")
        let size = try c.query("SELECT pg_database_size(current_database()), pg_total_relation_size('lgadmin_records')")
        let trigram = try c.query("SELECT to_regclass('lgadmin_customers_text') IS NOT NULL")
        var collections: [StoreStats.Collection] = []
        for k in 0..<rows.rowCount {
            collections.append(.init(name: rows.string(k, 0) ?? "?", records: Int(rows.int(k, 1) ?? 0), bytes: Int(rows.int(k, 2) ?? 0)))
        }
        let dbBytes = size.int(0, 0) ?? 0, tableBytes = size.int(0, 1) ?? 0, dead = closed.int(0, 0) ?? 0
        return StoreStats(
            seq: UInt64(head.int(0, 0) ?? 0),
            collections: collections,
            backend: "PostgreSQL \(c.serverVersion) (\(place.display))",
            facts: [
                .init(label: "database", text: "\(dbBytes) bytes; records table and indexes \(tableBytes) bytes",
                      numbers: [("database_bytes", dbBytes), ("records_table_bytes", tableBytes)]),
                .init(label: "earlier versions", text: "\(dead) row(s), removed by 'store compact'", numbers: [("earlier_version_rows", dead)]),
                .init(label: "text index", text: trigram.string(0, 0) == "t" ? "pg_trgm on customers" : "none (pg_trgm not available: filtering scans)",
                      numbers: []),
                .init(label: "local files", text: place.filesDirectory, numbers: []),
            ],
            readOnly: readOnly)
    }
}
