import { sql, type Kysely } from "kysely";

// The whole data model of SPEC §2. SQL stays within PostgreSQL 15 (CI) while running on PGlite (PG 18).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create extension if not exists unaccent`.execute(db);
  await sql`create extension if not exists pg_trgm`.execute(db);
  // unaccent() is only STABLE; an IMMUTABLE wrapper with an explicit dictionary allows expression indexes.
  await sql`
    create or replace function immutable_unaccent(text) returns text
    language sql immutable parallel safe strict
    as $$ select public.unaccent('public.unaccent'::regdictionary, $1) $$`.execute(db);
  await sql`
    create or replace function search_normalize(text) returns text
    language sql immutable parallel safe strict
    as $$ select lower(public.immutable_unaccent($1)) $$`.execute(db);

  await sql
    .raw(
      `
create table departements (
  code text primary key check (code ~ '^([0-9]{2}|2A|2B|97[1-6])$'),
  nom text not null,
  dans_nom text not null,
  region text not null,
  concordataire boolean not null default false,
  bbox_north double precision,
  bbox_south double precision,
  bbox_east double precision,
  bbox_west double precision,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table communes (
  id integer generated always as identity primary key,
  code_insee text not null unique check (code_insee ~ '^[0-9][0-9AB][0-9]{3}$'),
  nom text not null check (nom = btrim(nom) and nom <> ''),
  departement_code text not null references departements(code),
  phone_number text,
  status text not null default 'inactive' check (status in ('inactive', 'started', 'completed')),
  started_at timestamptz,
  completed_at timestamptz,
  latitude double precision check (latitude between -90 and 90),
  longitude double precision check (longitude between -180 and 180),
  inbound_email_token text not null unique default replace(gen_random_uuid()::text, '-', ''),
  last_in_scope_at timestamptz,
  objets_count integer not null default 0 check (objets_count >= 0),
  -- Derived from the current dossier (RB §3.6), stored and updated in the same transaction as the change.
  statut_global smallint not null default 0 check (statut_global between 0 and 5),
  en_peril_count integer not null default 0,
  disparus_count integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index communes_departement_statut on communes (departement_code, statut_global);
create index communes_departement_nom on communes (departement_code, nom);
create index communes_nom_search on communes using gin (search_normalize(nom) gin_trgm_ops);

create table commune_users (
  id integer generated always as identity primary key,
  commune_id integer not null unique references communes(id) on delete cascade,
  email text not null,
  messages_mail_notifications boolean not null default true,
  last_sign_in_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index commune_users_email on commune_users (lower(email));

create table conservateurs (
  id integer generated always as identity primary key,
  email text not null,
  first_name text not null default '',
  last_name text not null default '',
  phone_number text,
  password_hash text,
  messages_mail_notifications boolean not null default true,
  send_recap boolean not null default false,
  last_sign_in_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index conservateurs_email on conservateurs (lower(email));

create table conservateur_departements (
  conservateur_id integer not null references conservateurs(id) on delete cascade,
  departement_code text not null references departements(code),
  primary key (conservateur_id, departement_code)
);
create index conservateur_departements_departement on conservateur_departements (departement_code);

create table admins (
  id integer generated always as identity primary key,
  email text not null,
  first_name text not null,
  last_name text not null,
  password_hash text,
  last_sign_in_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index admins_email on admins (lower(email));

create table login_codes (
  id integer generated always as identity primary key,
  commune_user_id integer not null references commune_users(id) on delete cascade,
  code text not null check (code ~ '^[0-9]{6}$'),
  expires_at timestamptz not null,
  used_at timestamptz,
  failed_attempts integer not null default 0,
  created_at timestamptz not null default now()
);
create index login_codes_user on login_codes (commune_user_id, created_at desc);

create table password_tokens (
  id integer generated always as identity primary key,
  account_type text not null check (account_type in ('conservateur', 'admin')),
  account_id integer not null,
  token_hash text not null unique,
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null default now()
);
create index password_tokens_account on password_tokens (account_type, account_id);

create table remember_tokens (
  id integer generated always as identity primary key,
  account_type text not null check (account_type in ('conservateur', 'admin')),
  account_id integer not null,
  token_hash text not null unique,
  expires_at timestamptz not null,
  created_at timestamptz not null default now()
);
create index remember_tokens_account on remember_tokens (account_type, account_id);

create table edifices (
  id integer generated always as identity primary key,
  merimee_ref text unique check (merimee_ref ~ '^PA[0-9AB]{2}[0-9]{6}$'),
  code_insee text not null,
  nom text not null default '',
  slug text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index edifices_code_insee on edifices (code_insee);
-- Synthetic édifices (no Mérimée REF) are deduplicated by their slug within a commune.
create unique index edifices_insee_slug_without_ref on edifices (code_insee, slug) where merimee_ref is null;

create table objets (
  id integer generated always as identity primary key,
  palissy_ref text not null unique,
  palissy_tico text,
  palissy_deno text,
  palissy_cate text,
  palissy_scle text,
  palissy_denq text,
  palissy_com text,
  palissy_insee text,
  palissy_dpt text,
  palissy_doss text,
  palissy_edif text,
  palissy_empl text,
  palissy_refa text,
  palissy_prot text,
  palissy_dpro text,
  palissy_stat text,
  palissy_depl text,
  palissy_web text,
  palissy_mosa text,
  palissy_photos jsonb not null default '[]'::jsonb,
  lieu_actuel_code_insee text not null,
  lieu_actuel_edifice_nom text,
  lieu_actuel_edifice_ref text,
  lieu_actuel_departement_code text not null,
  edifice_id integer references edifices(id),
  -- Fingerprint of the imported Palissy values, so an unchanged row is skipped without a write.
  source_hash text not null default '',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index objets_lieu_actuel_code_insee on objets (lieu_actuel_code_insee);
create index objets_lieu_actuel_departement on objets (lieu_actuel_departement_code);
create index objets_edifice on objets (edifice_id);
create index objets_titre_search on objets using gin (search_normalize(coalesce(palissy_tico, '') || ' ' || palissy_ref) gin_trgm_ops);

create table campaigns (
  id integer generated always as identity primary key,
  departement_code text not null references departements(code),
  status text not null default 'draft' check (status in ('draft', 'planned', 'ongoing', 'finished')),
  date_lancement date not null,
  date_relance1 date not null,
  date_relance2 date not null,
  date_relance3 date not null,
  date_fin date not null,
  sender_name text,
  signature text,
  nom_drac text,
  custom_message text,
  stats jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index campaigns_departement_status on campaigns (departement_code, status);

create table campaign_recipients (
  id integer generated always as identity primary key,
  campaign_id integer not null references campaigns(id) on delete cascade,
  commune_id integer not null references communes(id) on delete cascade,
  current_step text check (current_step in ('lancement', 'relance1', 'relance2', 'relance3', 'fin')),
  opt_out boolean not null default false,
  opt_out_reason text check (opt_out_reason in ('postponed', 'other')),
  unsubscribe_token text not null unique,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (campaign_id, commune_id),
  check ((opt_out and opt_out_reason is not null) or (not opt_out and opt_out_reason is null))
);
create index campaign_recipients_commune on campaign_recipients (commune_id);

create table dossiers (
  id integer generated always as identity primary key,
  commune_id integer not null references communes(id),
  status text not null default 'construction' check (status in ('construction', 'submitted', 'accepted', 'archived')),
  submitted_at timestamptz,
  accepted_at timestamptz,
  archived_at timestamptz,
  notes_commune text,
  recenseur text,
  notes_conservateur text,
  conservateur_id integer references conservateurs(id),
  visit text check (visit in ('souhaitable', 'prioritaire')),
  replied_automatically_at timestamptz,
  campaign_id integer references campaigns(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (status <> 'accepted' or conservateur_id is not null)
);
-- At most one current (non-archived) dossier per commune.
create unique index dossiers_current_per_commune on dossiers (commune_id) where status <> 'archived';
create index dossiers_commune on dossiers (commune_id, created_at desc);
create index dossiers_status on dossiers (status);

create table recensements (
  id integer generated always as identity primary key,
  objet_id integer references objets(id) on delete set null,
  dossier_id integer not null references dossiers(id),
  status text not null default 'draft' check (status in ('draft', 'completed', 'deleted')),
  localisation text check (localisation in ('edifice_initial', 'autre_edifice', 'deplacement_autre_commune', 'deplacement_temporaire', 'absent')),
  edifice_nom text,
  autre_commune_code_insee text check (autre_commune_code_insee ~ '^[0-9][0-9AB][0-9]{3}$'),
  recensable boolean,
  etat_sanitaire text check (etat_sanitaire in ('bon', 'moyen', 'mauvais', 'peril')),
  securisation text check (securisation in ('en_securite', 'en_danger')),
  notes text,
  photos_count integer not null default 0,
  analyse_etat_sanitaire text check (analyse_etat_sanitaire in ('bon', 'moyen', 'mauvais', 'peril')),
  analyse_securisation text check (analyse_securisation in ('en_securite', 'en_danger')),
  analyse_fiches text[] not null default '{}'
    check (analyse_fiches <@ array['depot_plainte', 'securisation', 'restauration', 'entretien_edifices', 'entretien_objets']::text[]),
  analyse_notes text,
  analysed_at timestamptz,
  conservateur_id integer references conservateurs(id),
  completed_at timestamptz,
  deleted_at timestamptz,
  deleted_reason text check (deleted_reason in ('objet-devenu-hors-scope', 'changement-de-commune')),
  deleted_message text,
  deleted_objet_snapshot jsonb,
  -- Incremented on every change: offline field mode detects conflicting edits with it.
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (status = 'deleted' or objet_id is not null),
  check (status <> 'deleted' or (deleted_at is not null and deleted_reason is not null)),
  check (localisation <> 'absent' or recensable is distinct from true),
  check (localisation <> 'deplacement_autre_commune' or status <> 'completed' or autre_commune_code_insee is not null)
);
create unique index recensements_objet_dossier on recensements (objet_id, dossier_id) where objet_id is not null;
create index recensements_dossier on recensements (dossier_id);
create index recensements_deleted on recensements (deleted_at) where status = 'deleted';

create table pop_exports (
  id integer generated always as identity primary key,
  base text not null check (base in ('memoire', 'palissy')),
  departement_code text not null references departements(code),
  status text not null default 'pending' check (status in ('pending', 'ready', 'failed')),
  csv_key text,
  zip_key text,
  created_at timestamptz not null default now()
);

create table photos (
  id integer generated always as identity primary key,
  recensement_id integer not null references recensements(id) on delete cascade,
  uploaded_by text not null check (uploaded_by in ('commune', 'conservateur')),
  storage_key text not null unique,
  content_type text not null check (content_type in ('image/jpeg', 'image/png', 'image/webp')),
  byte_size integer not null check (byte_size > 0),
  width integer not null check (width > 0),
  height integer not null check (height > 0),
  sha256 text not null,
  original_filename text,
  position integer not null default 0,
  memoire_number integer,
  exportable boolean not null default true,
  pop_export_id integer references pop_exports(id) on delete set null,
  created_at timestamptz not null default now()
);
create index photos_recensement on photos (recensement_id, position);
create index photos_sha256 on photos (sha256);

create table outbox_mails (
  id bigint generated always as identity primary key,
  idempotency_key text not null unique,
  to_address text not null,
  from_address text not null,
  reply_to text,
  subject text not null,
  html text not null,
  text text not null,
  headers jsonb not null default '{}'::jsonb,
  category text not null,
  status text not null default 'pending' check (status in ('pending', 'sending', 'sent', 'failed')),
  attempts integer not null default 0,
  last_error text,
  next_attempt_at timestamptz not null default now(),
  message_id text,
  sent_at timestamptz,
  created_at timestamptz not null default now()
);
create index outbox_mails_pending on outbox_mails (next_attempt_at) where status in ('pending', 'sending');
create index outbox_mails_created on outbox_mails (created_at desc);

create table campaign_emails (
  id integer generated always as identity primary key,
  campaign_recipient_id integer not null references campaign_recipients(id) on delete cascade,
  step text not null check (step in ('lancement', 'relance1', 'relance2', 'relance3', 'fin')),
  email_name text not null,
  outbox_mail_id bigint references outbox_mails(id),
  created_at timestamptz not null default now(),
  -- Exactly one mail per (recipient, step), even across crashes and retries.
  unique (campaign_recipient_id, step)
);

create table inbound_emails (
  id text primary key,
  commune_id integer references communes(id) on delete set null,
  from_email text not null,
  to_email text not null,
  subject text,
  body_html text,
  body_text text,
  body_md text,
  signature_md text,
  status text not null check (status in ('accepted', 'rejected')),
  reject_reason text,
  raw jsonb,
  received_at timestamptz not null default now()
);

create table messages (
  id integer generated always as identity primary key,
  commune_id integer not null references communes(id) on delete cascade,
  origin text not null check (origin in ('web', 'inbound_email', 'rejection')),
  author_type text not null check (author_type in ('commune', 'conservateur', 'admin')),
  author_id integer not null,
  text text not null,
  inbound_email_id text references inbound_emails(id),
  created_at timestamptz not null default now()
);
create index messages_commune on messages (commune_id, created_at);

create table message_attachments (
  id integer generated always as identity primary key,
  message_id integer not null references messages(id) on delete cascade,
  storage_key text not null unique,
  filename text not null,
  content_type text not null,
  byte_size integer not null check (byte_size > 0)
);

create table bordereaux (
  id integer generated always as identity primary key,
  dossier_id integer not null references dossiers(id) on delete cascade,
  edifice_id integer references edifices(id),
  edifice_nom text not null default '',
  storage_key text,
  generated_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index bordereaux_dossier_edifice on bordereaux (dossier_id, coalesce(edifice_id, 0));

create table bordereau_recensements (
  id integer generated always as identity primary key,
  bordereau_id integer not null references bordereaux(id) on delete cascade,
  recensement_id integer not null references recensements(id) on delete cascade,
  etat_sanitaire text check (etat_sanitaire in ('introuvable', 'non_recensable', 'bon', 'moyen', 'mauvais', 'peril')),
  notes_commune text,
  notes_conservateur text,
  notes_proprietaire text,
  notes_affectataire text,
  unique (bordereau_id, recensement_id)
);

create table fiches (
  id text primary key check (id in ('depot_plainte', 'securisation', 'restauration', 'entretien_edifices', 'entretien_objets')),
  titre text not null,
  resume text not null,
  contenu_md text not null,
  updated_at timestamptz not null default now()
);

create table admin_comments (
  id integer generated always as identity primary key,
  commune_id integer not null references communes(id) on delete cascade,
  admin_id integer not null references admins(id),
  body text not null,
  created_at timestamptz not null default now()
);
create index admin_comments_commune on admin_comments (commune_id, created_at);

create table audit_events (
  id bigint generated always as identity primary key,
  occurred_at timestamptz not null default now(),
  actor_type text not null check (actor_type in ('anonymous', 'commune', 'conservateur', 'admin', 'system')),
  actor_id integer,
  impersonator_admin_id integer,
  action text not null,
  subject_type text,
  subject_id text,
  commune_id integer,
  before jsonb,
  after jsonb,
  ip text
);
create index audit_events_subject on audit_events (subject_type, subject_id, occurred_at desc);
create index audit_events_commune on audit_events (commune_id, occurred_at desc) where commune_id is not null;
create index audit_events_occurred on audit_events (occurred_at desc);

create table import_runs (
  id integer generated always as identity primary key,
  kind text not null check (kind in ('palissy', 'merimee', 'annuaire', 'memoire')),
  source_file text not null,
  status text not null default 'running' check (status in ('running', 'succeeded', 'failed')),
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  duration_ms integer,
  read integer not null default 0,
  in_scope integer not null default 0,
  created integer not null default 0,
  updated integer not null default 0,
  deleted integer not null default 0,
  out_of_scope jsonb not null default '{}'::jsonb,
  details jsonb not null default '{}'::jsonb,
  errors jsonb not null default '[]'::jsonb
);
create index import_runs_started on import_runs (started_at desc);

create table api_clients (
  id integer generated always as identity primary key,
  name text not null,
  token_hash text not null unique,
  departement_codes text[] not null default '{}',
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);

create table survey_votes (
  id integer generated always as identity primary key,
  commune_id integer not null references communes(id) on delete cascade,
  survey text not null check (survey in ('campaign_inactive')),
  reason text not null check (reason in ('trop_court', 'collectif_objets_inconnu', 'autres_priorites', 'pas_acces', 'pas_interesse', 'autre')),
  additional_info text,
  created_at timestamptz not null default now(),
  unique (commune_id, survey)
);
`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error("Cette migration ne peut pas être annulée / irreversible migration");
}
