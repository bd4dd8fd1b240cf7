import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
-- Back office: imports started from an uploaded file. A run is recorded as soon as the file is accepted
-- ('pending'), then run by a job that reports its progress in "read" (rows read so far) against
-- rows_total (line count of the uploaded file, an estimate: a quoted cell may hold line breaks).
alter table import_runs drop constraint if exists import_runs_status_check;
alter table import_runs add constraint import_runs_status_check check (status in ('pending', 'running', 'succeeded', 'failed'));
alter table import_runs add column rows_total integer;
-- File name of the upload under DATA_DIR/imports, null once the file is removed (after the run).
alter table import_runs add column upload_file text;
alter table import_runs add column started_by_admin_id integer references admins (id) on delete set null;
alter table import_runs add column progress_at timestamptz;
create index import_runs_kind_started on import_runs (kind, started_at desc);
create index import_runs_active on import_runs (status) where status in ('pending', 'running');
`,
    )
    .execute(db);
}
