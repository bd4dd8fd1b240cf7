import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
-- The mail of one commune's alerts for one Paris calendar day: its (commune, jour) key is what makes the
-- alert job send at most one mail per commune and day, even when two runs overlap.
create table alertes_envois (
  id integer generated always as identity primary key,
  commune_id integer not null references communes(id) on delete cascade,
  jour date not null,
  created_at timestamptz not null default now(),
  unique (commune_id, jour)
);

-- An objet reported disparu or en péril (by the commune, or by a conservateur's override), raised in the
-- transaction that records it; the département's conservateurs are mailed, then mark it handled.
create table alertes (
  id integer generated always as identity primary key,
  commune_id integer not null references communes(id) on delete cascade,
  departement_code text not null references departements(code),
  objet_id integer references objets(id) on delete set null,
  recensement_id integer not null references recensements(id) on delete cascade,
  kind text not null check (kind in ('disparu', 'peril')),
  source text not null check (source in ('commune', 'conservateur')),
  created_at timestamptz not null default now(),
  notified_at timestamptz,
  envoi_id integer references alertes_envois(id) on delete set null,
  traitee_at timestamptz,
  traitee_par integer references conservateurs(id) on delete set null,
  check (traitee_par is null or traitee_at is not null),
  -- The same recensement never raises the same alert twice (a commune's péril then a conservateur's).
  unique (recensement_id, kind)
);
create index alertes_ouvertes on alertes (departement_code, created_at desc, id desc) where traitee_at is null;
create index alertes_traitees on alertes (departement_code, traitee_at desc, id desc) where traitee_at is not null;
create index alertes_a_notifier on alertes (commune_id, created_at) where notified_at is null;

alter table conservateurs add column alertes_mail_notifications boolean not null default true;
`,
    )
    .execute(db);
}
