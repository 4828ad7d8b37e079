-- The councilpapers store: one SQLite file (WAL) beside the FAISS index `vectors.faiss`.
-- Passage ids are the FAISS ids; AUTOINCREMENT so that an id is never reused after a removal.
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,            -- content hash of the original bytes
    source TEXT NOT NULL,           -- the first source it was read from
    format TEXT NOT NULL,
    title TEXT,
    page_count INTEGER NOT NULL DEFAULT 0,
    text TEXT NOT NULL,
    council TEXT,
    council_code TEXT,
    council_type TEXT,
    committee TEXT,
    meeting_date TEXT,              -- ISO YYYY-MM-DD
    author TEXT,
    extraction TEXT,                -- the Extraction as nlp.export JSON (null when extraction is unavailable)
    state TEXT NOT NULL DEFAULT 'pending',  -- pending until its vectors are saved, then indexed
    -- its passages' ids: consecutive, as they are inserted in one write transaction
    first_passage INTEGER,
    last_passage INTEGER,
    ingested_at TEXT NOT NULL,
    kind TEXT                       -- report | minutes | decision notice ... (nlp.sections.paper_kind)
);
CREATE INDEX IF NOT EXISTS documents_council_nc ON documents (council COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS documents_committee_nc ON documents (committee COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS documents_date ON documents (meeting_date);

-- every path or URL a document was read from, with the metadata given with it there
CREATE TABLE IF NOT EXISTS sources (
    source TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    given TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS sources_document ON sources (document_id);

CREATE TABLE IF NOT EXISTS passages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,           -- Passage.index
    text TEXT NOT NULL,
    heading TEXT NOT NULL DEFAULT '',   -- heading path joined with ' > '
    heading_path TEXT NOT NULL DEFAULT '[]',
    pages TEXT NOT NULL DEFAULT '[]',
    page INTEGER,
    paragraph TEXT,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    kind TEXT NOT NULL DEFAULT 'paragraph',
    boilerplate INTEGER NOT NULL DEFAULT 0,
    windows INTEGER NOT NULL DEFAULT 0,  -- sentence vectors besides the passage's own (index.vectors ids)
    section TEXT,                   -- its section role (nlp.sections): financial, recommendations, resolution ...
    section_by TEXT,                -- what decided it: label | heading | cue | layout | vector (nlp.section_model)
    UNIQUE (document_id, idx)
);

CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5 (
    text, heading, content = 'passages', content_rowid = 'id', tokenize = 'porter unicode61'
);
CREATE TRIGGER IF NOT EXISTS passages_ai AFTER INSERT ON passages BEGIN
    INSERT INTO passages_fts (rowid, text, heading) VALUES (new.id, new.text, new.heading);
END;
CREATE TRIGGER IF NOT EXISTS passages_ad AFTER DELETE ON passages BEGIN
    INSERT INTO passages_fts (passages_fts, rowid, text, heading) VALUES ('delete', old.id, old.text, old.heading);
END;

CREATE TABLE IF NOT EXISTS entities (
    id INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    type TEXT NOT NULL,             -- partnership | operation
    name TEXT NOT NULL,
    norm TEXT NOT NULL,             -- lower-cased name, for grouping across papers
    acronym TEXT,
    kind TEXT,
    mentions TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS entities_norm ON entities (norm);
CREATE INDEX IF NOT EXISTS entities_document ON entities (document_id);

CREATE TABLE IF NOT EXISTS evidence (
    entity_id INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    passage_idx INTEGER NOT NULL,
    page INTEGER,
    paragraph TEXT,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS evidence_entity ON evidence (entity_id);

CREATE TABLE IF NOT EXISTS themes (
    document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    theme TEXT NOT NULL,
    PRIMARY KEY (document_id, theme)
);
CREATE INDEX IF NOT EXISTS themes_theme ON themes (theme);

CREATE TABLE IF NOT EXISTS acronyms (
    document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    short TEXT NOT NULL,
    long TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS acronyms_short ON acronyms (short);

-- themes each passage is about (nlp.passage_themes, at ingest): rules and similarity to the theme descriptions
CREATE TABLE IF NOT EXISTS passage_themes (
    passage_id INTEGER NOT NULL REFERENCES passages (id) ON DELETE CASCADE,
    theme TEXT NOT NULL,
    score REAL NOT NULL,            -- cosine to the theme description, plus a bonus when a keyword rule matched
    PRIMARY KEY (passage_id, theme)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS passage_themes_theme ON passage_themes (theme, passage_id);

-- canonical entities (nlp.normalise), resolved at ingest one scope at a time; every reader uses these
CREATE TABLE IF NOT EXISTS canonical_entities (
    id TEXT PRIMARY KEY,            -- nlp.normalise.Canonical.id
    type TEXT NOT NULL,             -- partnership | operation
    name TEXT NOT NULL,
    scope TEXT NOT NULL,            -- national | placed | local
    council TEXT,                   -- a local entity's council
    kind TEXT,
    acronym TEXT,
    aliases TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS entity_members (
    entity_id INTEGER PRIMARY KEY REFERENCES entities (id) ON DELETE CASCADE,
    canonical_id TEXT NOT NULL,
    bucket TEXT NOT NULL            -- "type|scope|where": the scope it was resolved in
);
CREATE INDEX IF NOT EXISTS entity_members_canonical ON entity_members (canonical_id);
CREATE INDEX IF NOT EXISTS entity_members_bucket ON entity_members (bucket);
-- saved searches (index.alerts): words and filters, an entity or a theme, within councils and committees
CREATE TABLE IF NOT EXISTS alerts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    query TEXT NOT NULL DEFAULT '',
    councils TEXT NOT NULL DEFAULT '[]',    -- JSON list; empty: every council
    committees TEXT NOT NULL DEFAULT '[]',
    theme TEXT,
    entity TEXT,
    webhook TEXT,
    created_at TEXT NOT NULL,
    last_run_at TEXT                        -- when `alerts run` last reported
);

-- each paper a saved search matched, once, with the passage that matched (the citation)
CREATE TABLE IF NOT EXISTS alert_matches (
    alert_id INTEGER NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    document_id TEXT NOT NULL,
    title TEXT,
    source TEXT NOT NULL,
    council TEXT,
    committee TEXT,
    meeting_date TEXT,
    passage INTEGER,
    page INTEGER,
    paragraph TEXT,
    text TEXT NOT NULL DEFAULT '',
    score REAL,
    found_at TEXT NOT NULL,
    reported INTEGER NOT NULL DEFAULT 0,    -- 1 once `alerts run` has shown it
    PRIMARY KEY (alert_id, document_id)
);

-- a saved search's e-mail recipient (index.subscriptions): at most one; no digest goes before it is confirmed
CREATE TABLE IF NOT EXISTS alert_recipients (
    alert_id INTEGER PRIMARY KEY REFERENCES alerts (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    every TEXT NOT NULL DEFAULT 'now',      -- now | daily | weekly
    token TEXT NOT NULL UNIQUE,             -- the secret of its confirm and unsubscribe links
    origin TEXT NOT NULL,                   -- cli (confirmed when made) | web (POST /subscriptions)
    created_at TEXT NOT NULL,
    confirmed_at TEXT,
    confirm_sent_at TEXT,                   -- the confirmation e-mail; NULL: still to send
    last_sent_at TEXT                       -- the last digest that held its matches
);
CREATE INDEX IF NOT EXISTS alert_recipients_email ON alert_recipients (email);

-- e-mail digests, an outbox: a digest is written before it is sent and marked sent after; each match
-- goes in one digest only, so nothing is sent twice, and a digest that failed is sent again next run
CREATE TABLE IF NOT EXISTS mail_digests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL,
    message_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    claimed_at TEXT,                        -- a run is sending it (another run leaves it alone a while)
    sent_at TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
);
CREATE TABLE IF NOT EXISTS mail_digest_items (
    digest_id INTEGER NOT NULL REFERENCES mail_digests (id) ON DELETE CASCADE,
    alert_id INTEGER NOT NULL,
    document_id TEXT NOT NULL,
    PRIMARY KEY (alert_id, document_id),
    FOREIGN KEY (alert_id, document_id) REFERENCES alert_matches (alert_id, document_id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS mail_digest_items_digest ON mail_digest_items (digest_id);

-- what meetings resolved (nlp.decisions), one row per decided item
CREATE TABLE IF NOT EXISTS decisions (
    document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,           -- order in the paper
    item TEXT,
    item_number TEXT,
    outcome TEXT NOT NULL,          -- approved | agreed | noted | rejected | deferred | amended | referred | recommended | called_in
    reference TEXT,                 -- decision number, where printed
    text TEXT NOT NULL,
    passages TEXT NOT NULL DEFAULT '[]',  -- Passage.index of each passage recording it
    page INTEGER,
    PRIMARY KEY (document_id, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS decisions_reference ON decisions (reference);

-- what a paper says of other papers (nlp.history): decision numbers it prints, meetings it cites
CREATE TABLE IF NOT EXISTS paper_refs (
    document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,             -- decision_number | cites
    value TEXT NOT NULL,            -- the number, or the cited body
    date TEXT,                      -- the cited meeting's ISO date
    words TEXT
);
CREATE INDEX IF NOT EXISTS paper_refs_document ON paper_refs (document_id);

-- links between papers on the same matter (nlp.history.link_papers), rebuilt for a council after each ingest
CREATE TABLE IF NOT EXISTS paper_links (
    source TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    target TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    relation TEXT NOT NULL,         -- same_decision | decided_by | cites | update_of | same_matter
    reason TEXT NOT NULL,
    PRIMARY KEY (source, target, relation)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS paper_links_target ON paper_links (target);

-- one council's committee names resolved to its committees (nlp.committees), rebuilt with its links
CREATE TABLE IF NOT EXISTS committee_names (
    council TEXT NOT NULL COLLATE NOCASE,
    name TEXT NOT NULL,             -- as a paper writes it
    committee TEXT NOT NULL,        -- the committee it names (the form its papers use most)
    PRIMARY KEY (council, name)
) WITHOUT ROWID;

-- papers that failed after parsing (indexing past COUNCILPAPERS_INDEX_TIMEOUT, or an error): nothing of them
-- is kept but this row, so later ingests skip them instead of trying again forever; `remove` forgets one
CREATE TABLE IF NOT EXISTS failed_papers (
    id TEXT PRIMARY KEY,            -- content hash, as documents.id
    source TEXT NOT NULL,
    reason TEXT NOT NULL,
    failed_at TEXT NOT NULL
);

-- vectors already computed, by content (index.embedcache): an unchanged passage is never embedded twice
CREATE TABLE IF NOT EXISTS embedding_cache (
    key BLOB PRIMARY KEY,           -- sha256 of model name, vector kind and text (first 16 bytes)
    vector BLOB NOT NULL            -- float32, the model's dimension
) WITHOUT ROWID;
