import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
-- Replies received by mail: the reply itself (plain text and sanitised HTML), the quoted history and the
-- signature that were trimmed (shown folded), the sender's address and the date the mail was sent.
alter table messages add column body_html text;
alter table messages add column quoted_text text;
alter table messages add column signature text;
alter table messages add column from_email text;
alter table messages add column sent_at timestamptz;
-- Attachments of a received mail that were not kept (type not allowed, too large…): [{filename, reason}].
alter table messages add column omitted_attachments jsonb not null default '[]'::jsonb;
drop index messages_commune;
create index messages_commune on messages (commune_id, id);
-- Unread counts of the conservateurs: messages written by communes, per commune.
create index messages_de_commune on messages (commune_id, id) where author_type = 'commune';

alter table message_attachments add column kind text not null default 'fichier' check (kind in ('image', 'fichier'));
alter table message_attachments add column width integer;
alter table message_attachments add column height integer;
alter table message_attachments add column sha256 text;
create index message_attachments_message on message_attachments (message_id);

-- What each reader last read of a commune's thread (unread counts in the navigation).
create table message_lectures (
  commune_id integer not null references communes(id) on delete cascade,
  lecteur_type text not null check (lecteur_type in ('commune', 'conservateur')),
  lecteur_id integer not null,
  dernier_message_lu_id integer not null,
  lu_at timestamptz not null default now(),
  primary key (lecteur_type, lecteur_id, commune_id)
);

-- Every mail received for the messagerie, accepted or not; its id is the Message-ID (or a hash of the
-- raw mail), so a mail delivered twice is processed once.
alter table inbound_emails add column source text not null default 'webhook' check (source in ('smtp', 'webhook'));
alter table inbound_emails add column cote text check (cote in ('commune', 'conservateur'));
alter table inbound_emails add column sent_at timestamptz;
alter table inbound_emails add column attachments_count integer not null default 0;
create index inbound_emails_received on inbound_emails (received_at desc);
create index inbound_emails_commune on inbound_emails (commune_id, received_at desc) where commune_id is not null;

alter table communes add column inbound_email_token_rotated_at timestamptz;
`,
    )
    .execute(db);
}
