internal import GRDB

/// The schema, as named migrations. Frozen once shipped: never edit one, add the next.
/// Written in SQL without app types, so later code changes can't change what an old migration did.
enum Migrations {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v1-schema") { db in
            try db.execute(sql: v1)
        }
        migrator.registerMigration("v2-worker-deaths") { db in
            try db.execute(sql: v2WorkerDeaths)
        }
        migrator.registerMigration("v3-retries") { db in
            try db.execute(sql: v3Retries)
        }
        migrator.registerMigration("v4-staff-corrections") { db in
            try db.execute(sql: v4StaffCorrections)
        }
        migrator.registerMigration("v5-leases") { db in
            try db.execute(sql: v5Leases)
        }
    }

    /// Poison is decided from page worker deaths (issue 12), no longer from the daemon's own restarts:
    /// `source_attempts` stays (frozen in v1) but is no longer written, and deaths counted the old way are
    /// forgotten.
    static let v2WorkerDeaths = """
        CREATE TABLE worker_deaths (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            source_id TEXT NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
            page INTEGER,
            cause TEXT NOT NULL,
            died_at TEXT NOT NULL
        );
        CREATE INDEX worker_deaths_source ON worker_deaths (source_id, id);
        UPDATE sources SET deaths = 0;
        """

    /// Transient failures of a source the daemon keeps retrying, for `status` (another process) to show; empty
    /// files out of the duplicate rule.
    static let v3Retries = """
        ALTER TABLE sources ADD COLUMN retry_count INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE sources ADD COLUMN retry_since TEXT;
        ALTER TABLE sources ADD COLUMN retry_reason TEXT;
        -- Every empty file is its own source (rejected as empty_file each time), never a duplicate: the
        -- one-original-per-hash rule leaves them out.
        DROP INDEX sources_sha256_original;
        CREATE UNIQUE INDEX sources_sha256_original ON sources (sha256) WHERE state <> 'duplicate' AND size > 0;
        """

    /// Staff refile and unfile (issue 13): the database change commits with a "placement pending" row, the file
    /// moves follow through the filing door, and the row goes once they are done. A repeat of the action or the
    /// next daemon start completes whatever a crash left between the two. `previous_paths` (JSON array) are where
    /// the document's files were before, so they are found and removed.
    static let v4StaffCorrections = """
        CREATE TABLE pending_placements (
            document_id TEXT PRIMARY KEY NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
            action TEXT NOT NULL,
            previous_paths TEXT NOT NULL DEFAULT '[]',
            requested_at TEXT NOT NULL
        );
        -- The operating-system user is the actor; `--by` is kept beside it (covered by the hash when set).
        ALTER TABLE audit_log ADD COLUMN on_behalf_of TEXT;
        """

    /// Leases (issue 15): which daemon works on an unfinished source, until when. SQLite keeps one daemon per home
    /// (the instance lock), so here they only keep the ledger the same on both backends; `PostgresMigrations` holds
    /// the same table in PostgreSQL's dialect.
    static let v5Leases = """
        CREATE TABLE source_leases (
            source_id TEXT PRIMARY KEY NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
            host_id TEXT NOT NULL,
            acquired_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            takeovers INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX source_leases_host ON source_leases (host_id);
        """

    static let v1 = """
        CREATE TABLE cases (
            case_id TEXT PRIMARY KEY NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
            patient_last TEXT NOT NULL,
            patient_first TEXT NOT NULL,
            patient_middle TEXT,
            dob TEXT NOT NULL,
            sex TEXT,
            mrn TEXT,
            phone TEXT,
            address TEXT,
            city TEXT,
            state TEXT,
            zip TEXT,
            referring_provider TEXT,
            referring_facility TEXT,
            referring_fax TEXT,
            cancer_site TEXT,
            opened_on TEXT,
            -- Upper-case letters of the last name only: "O'Brien-Smith" is OBRIENSMITH.
            last_name_key TEXT NOT NULL,
            closed_at TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX cases_dob ON cases (dob);
        CREATE INDEX cases_last_name_key ON cases (last_name_key);
        CREATE INDEX cases_mrn ON cases (mrn);
        CREATE INDEX cases_status ON cases (status);

        CREATE TABLE learned_fax_numbers (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            fax TEXT NOT NULL,
            facility TEXT NOT NULL DEFAULT '',
            case_id TEXT NOT NULL DEFAULT '',
            confirmations INTEGER NOT NULL DEFAULT 1,
            first_confirmed_at TEXT NOT NULL,
            last_confirmed_at TEXT NOT NULL,
            last_confirmed_by TEXT NOT NULL,
            UNIQUE (fax, facility, case_id)
        );

        CREATE TABLE sources (
            id TEXT PRIMARY KEY NOT NULL,
            sha256 TEXT NOT NULL,
            size INTEGER NOT NULL,
            original_name TEXT NOT NULL,
            received_at TEXT NOT NULL,
            claimed_path TEXT,
            archive_path TEXT,
            state TEXT NOT NULL CHECK (state IN ('claimed', 'decoded', 'understood', 'matched',
                'filed', 'review', 'unmatched', 'rejected', 'duplicate')),
            reject_reason TEXT,
            error_message TEXT,
            duplicate_of TEXT REFERENCES sources (id),
            page_count INTEGER,
            declared_pages INTEGER,
            sender_fax TEXT,
            sidecar TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            deaths INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        -- One original per content: every later copy is a duplicate of it.
        CREATE UNIQUE INDEX sources_sha256_original ON sources (sha256) WHERE state <> 'duplicate';
        CREATE INDEX sources_sha256 ON sources (sha256);
        CREATE INDEX sources_state ON sources (state, received_at);

        CREATE TABLE source_attempts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            source_id TEXT NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
            started_at TEXT NOT NULL,
            pages_done_at_start INTEGER NOT NULL,
            process_id INTEGER,
            ended_at TEXT,
            -- 'finished' or 'graceful'; NULL while running, and forever when the process died.
            outcome TEXT CHECK (outcome IS NULL OR outcome IN ('finished', 'graceful')),
            -- Set when the next attempt begins: 1 when this one died without a page finishing.
            counted_as_death INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX source_attempts_source ON source_attempts (source_id, id);

        CREATE TABLE pages (
            source_id TEXT NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
            number INTEGER NOT NULL CHECK (number >= 1),
            text_source TEXT NOT NULL,
            confidence REAL NOT NULL,
            page_text TEXT NOT NULL,
            decode_ms REAL NOT NULL DEFAULT 0,
            prepare_ms REAL NOT NULL DEFAULT 0,
            ocr_ms REAL NOT NULL DEFAULT 0,
            finished_at TEXT NOT NULL,
            PRIMARY KEY (source_id, number)
        ) WITHOUT ROWID;

        CREATE TABLE documents (
            id TEXT PRIMARY KEY NOT NULL,
            source_id TEXT NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
            ordinal INTEGER NOT NULL,
            first_page INTEGER NOT NULL CHECK (first_page >= 1),
            last_page INTEGER NOT NULL CHECK (last_page >= first_page),
            type TEXT NOT NULL,
            type_confidence REAL NOT NULL,
            evidence TEXT NOT NULL DEFAULT '[]',
            fields TEXT NOT NULL DEFAULT '{}',
            status TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'filed', 'review', 'unmatched', 'rejected')),
            case_id TEXT REFERENCES cases (case_id),
            queue TEXT NOT NULL CHECK (queue IN ('pathology', 'radiology', 'records', 'none')),
            confidence REAL,
            decision TEXT,
            filed_path TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX documents_source ON documents (source_id, ordinal);
        CREATE INDEX documents_case ON documents (case_id);
        CREATE INDEX documents_status ON documents (status);

        CREATE TABLE queue_items (
            id TEXT PRIMARY KEY NOT NULL,
            document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('review', 'unmatched', 'pathology', 'radiology', 'records')),
            state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'done')),
            created_at TEXT NOT NULL,
            done_at TEXT,
            done_by TEXT,
            note TEXT
        );
        -- At most one open item per document and queue: opening again is a no-op.
        CREATE UNIQUE INDEX queue_items_open ON queue_items (document_id, kind) WHERE state = 'open';
        CREATE INDEX queue_items_kind ON queue_items (kind, state, created_at);

        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            item TEXT,
            case_id TEXT,
            before TEXT,
            after TEXT,
            reason TEXT,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );
        CREATE INDEX audit_log_item ON audit_log (item);
        CREATE INDEX audit_log_case ON audit_log (case_id);
        -- Append-only for the tool; the hash chain catches what is done around these.
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        """
}
