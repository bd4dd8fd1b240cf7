import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
-- The latest message each commune wrote, kept on its row by a trigger (whatever inserts the message). The
-- count of unread threads shown on every page of a conservateur then reads the communes of their
-- départements that have written, through the partial index, instead of probing the messages of each of the
-- hundreds of communes of a département on every page.
alter table communes
  add column dernier_message_commune_id integer,
  add column dernier_message_commune_at timestamptz;

update communes c set dernier_message_commune_id = m.id, dernier_message_commune_at = m.created_at
from (
  select distinct on (commune_id) commune_id, id, created_at
  from messages where author_type = 'commune'
  order by commune_id, id desc
) m
where m.commune_id = c.id;

create index communes_message_commune on communes (departement_code)
  include (id, dernier_message_commune_id, dernier_message_commune_at)
  where dernier_message_commune_id is not null;

create function retenir_dernier_message_commune() returns trigger language plpgsql as $$
begin
  update communes set dernier_message_commune_id = new.id, dernier_message_commune_at = new.created_at
  where id = new.commune_id and (dernier_message_commune_id is null or dernier_message_commune_id < new.id);
  return null;
end
$$;

create trigger messages_dernier_message_commune after insert on messages
  for each row when (new.author_type = 'commune') execute function retenir_dernier_message_commune();
`,
    )
    .execute(db);
}
