"""The first schema. Invariants live here too: uniqueness, states and ranges are CHECKed so a bug
in a service cannot store what the domain forbids. Instants are UTC text 'YYYY-MM-DD HH:MM:SS'.
"""

V1 = [
    # --- reference data (bilingual) -------------------------------------------------------
    """CREATE TABLE regions (
        code TEXT PRIMARY KEY,
        name_fr TEXT NOT NULL,
        name_ar TEXT NOT NULL,
        sort INTEGER NOT NULL DEFAULT 0
    )""",
    """CREATE TABLE administrations (
        code TEXT PRIMARY KEY,
        name_fr TEXT NOT NULL,
        name_ar TEXT NOT NULL,
        search_text TEXT NOT NULL DEFAULT '',
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
    )""",
    """CREATE TABLE positions (
        code TEXT PRIMARY KEY,
        name_fr TEXT NOT NULL,
        name_ar TEXT NOT NULL,
        sort INTEGER NOT NULL DEFAULT 0
    )""",
    """CREATE TABLE themes (
        code TEXT PRIMARY KEY,
        name_fr TEXT NOT NULL,
        name_ar TEXT NOT NULL,
        kind TEXT NOT NULL DEFAULT 'operationnel'
            CHECK (kind IN ('strategique', 'operationnel')),
        sort INTEGER NOT NULL DEFAULT 0
    )""",
    # --- people -----------------------------------------------------------------------------
    # A row exists only once the person consented; the profile fields fill in during onboarding.
    """CREATE TABLE users (
        id INTEGER PRIMARY KEY,                 -- the Telegram user id
        language TEXT NOT NULL CHECK (language IN ('fr', 'ar')),
        full_name TEXT,
        sex TEXT CHECK (sex IN ('F', 'M')),
        administration_code TEXT REFERENCES administrations(code),
        level TEXT CHECK (level IN ('central', 'territorial')),
        region_code TEXT REFERENCES regions(code),
        position_code TEXT REFERENCES positions(code),
        consent_at TEXT NOT NULL,
        onboarded_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        last_seen_at TEXT,
        unreachable_at TEXT,
        CHECK (level IS NOT 'territorial' OR region_code IS NOT NULL OR onboarded_at IS NULL)
    )""",
    "CREATE INDEX users_administration ON users(administration_code)",
    """CREATE TABLE roles (
        user_id INTEGER NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('trainer', 'focal_point', 'coordinator')),
        -- a focal point's administration; NULL for national scope
        administration_code TEXT REFERENCES administrations(code),
        granted_by INTEGER,
        granted_at TEXT NOT NULL,
        CHECK (role IS NOT 'focal_point' OR administration_code IS NOT NULL)
    )""",
    "CREATE UNIQUE INDEX roles_unique ON roles(user_id, role, IFNULL(administration_code, ''))",
    # Multi-step flows keep their answers here, written at every step, so a restart resumes at
    # the same step (DESIGN 3.2). Keyed by the Telegram user, not by the users row: onboarding
    # starts before consent, and declining must leave nothing behind.
    """CREATE TABLE drafts (
        user_id INTEGER NOT NULL,
        flow TEXT NOT NULL,
        step TEXT NOT NULL,
        data TEXT NOT NULL DEFAULT '{}',
        updated_at TEXT NOT NULL,
        PRIMARY KEY (user_id, flow)
    )""",
    # --- catalogue ----------------------------------------------------------------------------
    """CREATE TABLE trainings (
        id INTEGER PRIMARY KEY,
        code TEXT NOT NULL UNIQUE,
        title_fr TEXT NOT NULL,
        title_ar TEXT NOT NULL,
        description_fr TEXT NOT NULL DEFAULT '',
        description_ar TEXT NOT NULL DEFAULT '',
        theme_code TEXT NOT NULL REFERENCES themes(code),
        modality TEXT NOT NULL
            CHECK (modality IN ('presentiel', 'distanciel', 'hybride', 'coaching', 'voyage_etude')),
        duration_hours REAL CHECK (duration_hours IS NULL OR duration_hours > 0),
        level TEXT NOT NULL DEFAULT 'tous' CHECK (level IN ('strategique', 'operationnel', 'tous')),
        -- both titles and descriptions folded (case, accents, Arabic diacritics) for search
        search_text TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX trainings_theme ON trainings(theme_code)",
    """CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        reference TEXT NOT NULL UNIQUE,
        training_id INTEGER NOT NULL REFERENCES trainings(id),
        starts_at TEXT NOT NULL,
        ends_at TEXT NOT NULL,
        place_fr TEXT NOT NULL DEFAULT '',
        place_ar TEXT NOT NULL DEFAULT '',
        region_code TEXT REFERENCES regions(code),
        online_url TEXT,
        capacity INTEGER NOT NULL CHECK (capacity > 0),
        trainer_id INTEGER,
        registration_deadline TEXT,
        needs_approval INTEGER NOT NULL DEFAULT 0 CHECK (needs_approval IN (0, 1)),
        language TEXT NOT NULL DEFAULT 'fr' CHECK (language IN ('fr', 'ar', 'fr+ar')),
        status TEXT NOT NULL DEFAULT 'published'
            CHECK (status IN ('draft', 'published', 'cancelled')),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        CHECK (ends_at > starts_at)
    )""",
    "CREATE INDEX sessions_training_start ON sessions(training_id, starts_at)",
    "CREATE INDEX sessions_start ON sessions(starts_at)",
    # --- registrations (states: DESIGN 5.2) -----------------------------------------------------
    """CREATE TABLE registrations (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions(id),
        user_id INTEGER NOT NULL REFERENCES users(id),
        status TEXT NOT NULL CHECK (status IN (
            'requested', 'confirmed', 'rejected', 'waitlisted', 'offered', 'lapsed', 'declined',
            'cancelled', 'attended', 'absent')),
        offer_expires_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (session_id, user_id)
    )""",
    "CREATE INDEX registrations_user ON registrations(user_id)",
    "CREATE INDEX registrations_session_status ON registrations(session_id, status)",
]

# Registrations lifecycle, the notification outbox, interest lists (issue: registrations).
V2 = [
    # Arrival order on the waitlist (strict, even within one second), a counter of state
    # changes (so each confirmation or offer gets its own outbox dedupe key), the .ics
    # SEQUENCE, and why a focal point refused.
    "ALTER TABLE registrations ADD COLUMN seq INTEGER",
    "ALTER TABLE registrations ADD COLUMN version INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE registrations ADD COLUMN ics_sequence INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE registrations ADD COLUMN reason TEXT",
    "ALTER TABLE registrations ADD COLUMN decided_by INTEGER",
    # offer_expires_at (v1) is the deadline of whatever waits on the person or on an approver:
    # a seat offer, or an approval request.
    "CREATE INDEX registrations_expiry ON registrations(offer_expires_at)"
    " WHERE offer_expires_at IS NOT NULL",
    """CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL,
        kind TEXT NOT NULL,
        payload TEXT NOT NULL DEFAULT '{}',
        dedupe_key TEXT NOT NULL UNIQUE,
        due_at TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending'
            CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        created_at TEXT NOT NULL,
        sent_at TEXT
    )""",
    "CREATE INDEX outbox_due ON outbox(state, due_at)",
    "CREATE INDEX outbox_user ON outbox(user_id)",
    """CREATE TABLE interests (
        training_id INTEGER NOT NULL REFERENCES trainings(id),
        user_id INTEGER NOT NULL REFERENCES users(id),
        created_at TEXT NOT NULL,
        PRIMARY KEY (training_id, user_id)
    )""",
]

# Reminders, announcements and broadcasts (issue: reminders and delivery).
V3 = [
    # Urgent messages may go out during quiet hours (a reminder for a session that starts
    # before the morning); the rest waits for the morning.
    "ALTER TABLE outbox ADD COLUMN urgent INTEGER NOT NULL DEFAULT 1 CHECK (urgent IN (0, 1))",
    "ALTER TABLE outbox ADD COLUMN broadcast_id INTEGER",
    "CREATE INDEX outbox_broadcast ON outbox(broadcast_id, state) WHERE broadcast_id IS NOT NULL",
    """CREATE TABLE broadcasts (
        id INTEGER PRIMARY KEY,
        sender_id INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('trainer', 'coordinator')),
        audience TEXT NOT NULL,             -- JSON: who was chosen, for the record and the report
        session_id INTEGER REFERENCES sessions(id),
        text TEXT NOT NULL,
        recipients INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        reported_at TEXT                    -- when the sender got the final figures
    )""",
]

# Back office: invitations to a role, and the audit log of privileged actions.
V4 = [
    """CREATE TABLE invites (
        token TEXT PRIMARY KEY,             -- random, in the deep link: single use
        role TEXT NOT NULL CHECK (role IN ('trainer', 'focal_point', 'coordinator')),
        administration_code TEXT REFERENCES administrations(code),
        created_by INTEGER,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_by INTEGER,
        used_at TEXT,
        revoked_at TEXT,
        CHECK (role IS NOT 'focal_point' OR administration_code IS NOT NULL)
    )""",
    """CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor_id INTEGER,                   -- NULL for the command line
        action TEXT NOT NULL,
        target TEXT,
        details TEXT NOT NULL DEFAULT '{}'
    )""",
    "CREATE INDEX audit_at ON audit(at)",
]
