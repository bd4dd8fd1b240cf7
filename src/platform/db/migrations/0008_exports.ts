import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
-- Mémoire photo exports: who asked, how many photos, and the generation's progress (the row is the work
-- item: the job claims it by setting started_at, a failure keeps the error for the export page).
alter table pop_exports add column photos_count integer not null default 0;
alter table pop_exports add column created_by_type text check (created_by_type in ('conservateur', 'admin'));
alter table pop_exports add column created_by_id integer;
alter table pop_exports add column started_at timestamptz;
alter table pop_exports add column generated_at timestamptz;
alter table pop_exports add column error text;
create index pop_exports_departement on pop_exports (departement_code, created_at desc);
create index photos_pop_export on photos (pop_export_id) where pop_export_id is not null;

-- One counter per département, locked by the transaction that creates an export: the next Mémoire number.
create table memoire_compteurs (
  departement_code text primary key references departements(code),
  dernier_numero integer not null default 0 check (dernier_numero >= 0)
);

-- The Mémoire number of a photo, given once (at its first export) and kept forever, even when that export is
-- deleted and the photo exported again: NUMP = annee + département + numero.
create table memoire_numeros (
  photo_id integer primary key references photos(id) on delete cascade,
  departement_code text not null references departements(code),
  numero integer not null check (numero > 0),
  annee integer not null check (annee between 2000 and 2999),
  created_at timestamptz not null default now(),
  unique (departement_code, numero)
);
`,
    )
    .execute(db);
}
