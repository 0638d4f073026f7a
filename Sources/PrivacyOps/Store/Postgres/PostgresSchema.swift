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
/// - `lgadmin_commit(…)`: a commit's writes in one round trip: each change closes the live row
///   at the expected version (`UPDATE … RETURNING`; none: SQLSTATE LG409, a conflict, and the
///   transaction is rolled back) and inserts the new one; then the commit log, the chain head
///   and `pg_notify('lgadmin', seq)`.
/// - Indexes: one live row per record; stored order, covering a view's ids and counts (an
///   index-only scan: a million ids in about 0.2 s, no sort); a trigram index on customers' `search`
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
        CREATE INDEX lgadmin_records_order ON lgadmin_records (coll, first_seq, first_pos)
            INCLUDE (id, created_seq, deleted_seq);
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
        CREATE FUNCTION lgadmin_commit(p_seq bigint, p_colls text[], p_ids text[], p_expected bigint[],
                                       p_versions bigint[], p_bodies text[], p_searches text[], p_changes text)
        RETURNS void LANGUAGE plpgsql AS $$
        DECLARE
            i integer;
            fs bigint;
            fp integer;
            v bigint;
        BEGIN
            FOR i IN 1 .. coalesce(array_length(p_ids, 1), 0) LOOP
                fs := p_seq;
                fp := i - 1;
                IF p_expected[i] > 0 THEN
                    UPDATE lgadmin_records SET deleted_seq = p_seq
                        WHERE coll = p_colls[i] AND id = p_ids[i] AND deleted_seq IS NULL AND version = p_expected[i]
                        RETURNING first_seq, first_pos INTO fs, fp;
                    IF NOT FOUND THEN
                        SELECT version INTO v FROM lgadmin_records WHERE coll = p_colls[i] AND id = p_ids[i] AND deleted_seq IS NULL;
                        RAISE EXCEPTION USING ERRCODE = 'LG409', MESSAGE = 'version conflict',
                            DETAIL = p_colls[i] || ' ' || p_ids[i] || ' ' || p_expected[i] || ' ' || coalesce(v, 0);
                    END IF;
                ELSIF EXISTS (SELECT 1 FROM lgadmin_records WHERE coll = p_colls[i] AND id = p_ids[i] AND deleted_seq IS NULL) THEN
                    SELECT version INTO v FROM lgadmin_records WHERE coll = p_colls[i] AND id = p_ids[i] AND deleted_seq IS NULL;
                    RAISE EXCEPTION USING ERRCODE = 'LG409', MESSAGE = 'version conflict',
                        DETAIL = p_colls[i] || ' ' || p_ids[i] || ' 0 ' || v;
                END IF;
                IF p_versions[i] > 0 THEN
                    INSERT INTO lgadmin_records (coll, id, version, body, created_seq, first_seq, first_pos, search)
                        VALUES (p_colls[i], p_ids[i], p_versions[i], p_bodies[i], p_seq, fs, fp, p_searches[i]);
                END IF;
            END LOOP;
            INSERT INTO lgadmin_commits (seq, changes) VALUES (p_seq, p_changes);
            UPDATE lgadmin_chain_head SET seq = p_seq;
            PERFORM pg_notify('lgadmin', p_seq::text);
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
