/// The tables of a PostgreSQL store (DESIGN.md §6b), kept as the flat-file store keeps its
/// journal: every commit has a `seq`; a record's row is never changed in place but closed
/// (`deleted_seq`) and followed by a new row, so a view "as of commit S" reads exactly what was
/// committed up to S, however many commits other hosts make meanwhile. `store compact` removes
/// closed rows.
///
/// - `chain_head`: one row, the last commit's `seq`. Every commit starts with
///   `SELECT … FOR UPDATE` on it: writers take turns, so commits and the audit hash chain stay
///   linear.
/// - `records`: every collection's records, the audit events and the chain's head record
///   included, as the bytes the service's one encoder wrote (`body`, text: `jsonb` would
///   reorder keys, and the byte-level fast paths and `store migrate`'s proof rely on the exact
///   bytes). A trigger refuses to change or remove an audit event.
/// - `commits`: per commit, which records it changed: what another host's refresh reads.
/// - Indexes: one live row per record; stored order; a trigram index on customers' `search`
///   text (``CustomerSearchKey``) when the `pg_trgm` extension can be had (filtering at a
///   million customers).
enum PostgresSchema {
    /// Bumped when the tables change; `open` refuses a store of another format.
    static let format = 1

    static let tables = """
        CREATE TABLE lgadmin_chain_head (
            one boolean PRIMARY KEY DEFAULT true CHECK (one),
            seq bigint NOT NULL,
            format integer NOT NULL
        );
        CREATE TABLE lgadmin_records (
            coll text NOT NULL,
            id text NOT NULL,
            version bigint NOT NULL CHECK (version > 0),
            body text NOT NULL,
            created_seq bigint NOT NULL,
            deleted_seq bigint,
            first_seq bigint NOT NULL,
            first_pos integer NOT NULL,
            search text,
            PRIMARY KEY (coll, id, created_seq)
        );
        CREATE UNIQUE INDEX lgadmin_records_live ON lgadmin_records (coll, id) WHERE deleted_seq IS NULL;
        CREATE INDEX lgadmin_records_order ON lgadmin_records (coll, first_seq, first_pos);
        CREATE TABLE lgadmin_commits (
            seq bigint PRIMARY KEY,
            at timestamptz NOT NULL DEFAULT now(),
            changes text NOT NULL
        );
        CREATE FUNCTION lgadmin_audit_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'audit events are never changed or removed (% %)', OLD.coll, OLD.id
                USING ERRCODE = 'insufficient_privilege';
        END $$;
        CREATE TRIGGER lgadmin_audit_append_only BEFORE UPDATE OR DELETE ON lgadmin_records
            FOR EACH ROW WHEN (OLD.coll = 'audit') EXECUTE FUNCTION lgadmin_audit_is_append_only();
        """

    /// The trigram index: tried on its own, since the extension may not be available to the
    /// store's database user (filtering then scans instead).
    static let trigram = "CREATE EXTENSION IF NOT EXISTS pg_trgm; " + trigramIndex

    static let trigramIndex = """
        CREATE INDEX lgadmin_customers_text ON lgadmin_records USING gin (search gin_trgm_ops)
            WHERE coll = 'customers';
        """

    /// Rows visible in a view as of commit `$n` (the parameter's number).
    static func visible(_ n: Int) -> String {
        "created_seq <= $\(n) AND (deleted_seq IS NULL OR deleted_seq > $\(n))"
    }
}
