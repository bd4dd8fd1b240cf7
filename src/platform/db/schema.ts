import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string | T, string | T>;
/** DATE columns are read as 'YYYY-MM-DD' strings (see database.ts). */
type DateOnly = ColumnType<string, string, string>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;

export type CommuneStatus = "inactive" | "started" | "completed";
export type DossierStatus = "construction" | "submitted" | "accepted" | "archived";
export type RecensementStatus = "draft" | "completed" | "deleted" | "archived";
/** Recensements that count: neither removed by the synchronisation nor archived drafts. */
export const RECENSEMENT_ACTIFS = ["draft", "completed"] as const;
export type RecensementActifStatus = (typeof RECENSEMENT_ACTIFS)[number];
export type Localisation = "edifice_initial" | "autre_edifice" | "deplacement_autre_commune" | "deplacement_temporaire" | "absent";
export type EtatSanitaire = "bon" | "moyen" | "mauvais" | "peril";
export type Securisation = "en_securite" | "en_danger";
export type FicheId = "depot_plainte" | "securisation" | "restauration" | "entretien_edifices" | "entretien_objets";
export type CampaignStatus = "draft" | "planned" | "ongoing" | "finished";
export type CampaignStep = "lancement" | "relance1" | "relance2" | "relance3" | "fin";
export type ImportKind = "palissy" | "merimee" | "annuaire" | "memoire";
export type ImportRunStatus = "pending" | "running" | "succeeded" | "failed";
export type ActorType = "anonymous" | "commune" | "conservateur" | "admin" | "system";
export type PalissyPhoto = { url: string; name: string | null; credit: string | null; memoire_ref?: string | null };

export interface DepartementsTable {
  code: string;
  nom: string;
  dans_nom: string;
  region: string;
  concordataire: Generated<boolean>;
  bbox_north: number | null;
  bbox_south: number | null;
  bbox_east: number | null;
  bbox_west: number | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface CommunesTable {
  id: Generated<number>;
  code_insee: string;
  nom: string;
  departement_code: string;
  phone_number: string | null;
  status: Generated<CommuneStatus>;
  started_at: Timestamp | null;
  completed_at: Timestamp | null;
  latitude: number | null;
  longitude: number | null;
  inbound_email_token: Generated<string>;
  inbound_email_token_rotated_at: Timestamp | null;
  last_in_scope_at: Timestamp | null;
  objets_count: Generated<number>;
  statut_global: Generated<number>;
  en_peril_count: Generated<number>;
  disparus_count: Generated<number>;
  /** The latest message the commune wrote (trigger on messages, migration 0015). */
  dernier_message_commune_id: number | null;
  dernier_message_commune_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface CommuneUsersTable {
  id: Generated<number>;
  commune_id: number;
  email: string;
  messages_mail_notifications: Generated<boolean>;
  last_sign_in_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ConservateursTable {
  id: Generated<number>;
  email: string;
  first_name: Generated<string>;
  last_name: Generated<string>;
  phone_number: string | null;
  password_hash: string | null;
  messages_mail_notifications: Generated<boolean>;
  send_recap: Generated<boolean>;
  /** Alert mails for objets disparus or en péril (0012_alertes). */
  alertes_mail_notifications: Generated<boolean>;
  last_sign_in_at: Timestamp | null;
  /** Set by an admin: no sign-in, no session (0010_admin). */
  deactivated_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ConservateurDepartementsTable {
  conservateur_id: number;
  departement_code: string;
}

export interface AdminsTable {
  id: Generated<number>;
  email: string;
  first_name: string;
  last_name: string;
  password_hash: string | null;
  last_sign_in_at: Timestamp | null;
  /** Set by an admin: no sign-in, no session (0010_admin). */
  deactivated_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface LoginCodesTable {
  id: Generated<number>;
  commune_user_id: number;
  code: string;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  failed_attempts: Generated<number>;
  send_count: Generated<number>;
  created_at: CreatedAt;
}

export interface PasswordTokensTable {
  id: Generated<number>;
  account_type: "conservateur" | "admin";
  account_id: number;
  token_hash: string;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface RememberTokensTable {
  id: Generated<number>;
  account_type: "conservateur" | "admin";
  account_id: number;
  token_hash: string;
  expires_at: Timestamp;
  created_at: CreatedAt;
}

export interface EdificesTable {
  id: Generated<number>;
  merimee_ref: string | null;
  code_insee: string;
  nom: Generated<string>;
  slug: string;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ObjetsTable {
  id: Generated<number>;
  palissy_ref: string;
  palissy_tico: string | null;
  palissy_deno: string | null;
  palissy_cate: string | null;
  palissy_scle: string | null;
  palissy_denq: string | null;
  palissy_com: string | null;
  palissy_insee: string | null;
  palissy_dpt: string | null;
  palissy_doss: string | null;
  palissy_edif: string | null;
  palissy_empl: string | null;
  palissy_refa: string | null;
  palissy_prot: string | null;
  palissy_dpro: string | null;
  palissy_stat: string | null;
  palissy_depl: string | null;
  palissy_web: string | null;
  palissy_mosa: string | null;
  palissy_photos: Json<PalissyPhoto[]>;
  lieu_actuel_code_insee: string;
  lieu_actuel_edifice_nom: string | null;
  lieu_actuel_edifice_ref: string | null;
  lieu_actuel_departement_code: string;
  edifice_id: number | null;
  source_hash: Generated<string>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface CampaignsTable {
  id: Generated<number>;
  departement_code: string;
  status: Generated<CampaignStatus>;
  date_lancement: DateOnly;
  date_relance1: DateOnly;
  date_relance2: DateOnly;
  date_relance3: DateOnly;
  date_fin: DateOnly;
  sender_name: string | null;
  signature: string | null;
  nom_drac: string | null;
  custom_message: string | null;
  stats: Json<Record<string, unknown>> | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface CampaignRecipientsTable {
  id: Generated<number>;
  campaign_id: number;
  commune_id: number;
  current_step: CampaignStep | null;
  opt_out: Generated<boolean>;
  opt_out_reason: "postponed" | "other" | null;
  unsubscribe_token: string;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface DossiersTable {
  id: Generated<number>;
  commune_id: number;
  status: Generated<DossierStatus>;
  submitted_at: Timestamp | null;
  accepted_at: Timestamp | null;
  archived_at: Timestamp | null;
  /** Why the support team archived the dossier by hand; null for archives by a campaign or a job. */
  archive_reason: string | null;
  notes_commune: string | null;
  recenseur: string | null;
  notes_conservateur: string | null;
  conservateur_id: number | null;
  visit: "souhaitable" | "prioritaire" | null;
  replied_automatically_at: Timestamp | null;
  campaign_id: number | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface RecensementsTable {
  id: Generated<number>;
  objet_id: number | null;
  dossier_id: number;
  status: Generated<RecensementStatus>;
  localisation: Localisation | null;
  edifice_nom: string | null;
  autre_commune_code_insee: string | null;
  recensable: boolean | null;
  etat_sanitaire: EtatSanitaire | null;
  securisation: Securisation | null;
  notes: string | null;
  photos_count: Generated<number>;
  analyse_etat_sanitaire: EtatSanitaire | null;
  analyse_securisation: Securisation | null;
  analyse_fiches: TextArray;
  analyse_notes: string | null;
  analysed_at: Timestamp | null;
  conservateur_id: number | null;
  completed_at: Timestamp | null;
  deleted_at: Timestamp | null;
  deleted_reason: "objet-devenu-hors-scope" | "changement-de-commune" | null;
  deleted_message: string | null;
  deleted_objet_snapshot: Json<Record<string, unknown>> | null;
  archived_at: Timestamp | null;
  version: Generated<number>;
  etape_courante: Generated<number>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface PopExportsTable {
  id: Generated<number>;
  base: "memoire" | "palissy";
  departement_code: string;
  status: Generated<"pending" | "ready" | "failed">;
  csv_key: string | null;
  zip_key: string | null;
  created_at: CreatedAt;
  /** Photos linked to the export when it was created. */
  photos_count: Generated<number>;
  created_by_type: "conservateur" | "admin" | null;
  created_by_id: number | null;
  /** Set when a job claims the generation. */
  started_at: Timestamp | null;
  generated_at: Timestamp | null;
  error: string | null;
}

/** Next Mémoire photo number of a département (row locked while an export is created). */
export interface MemoireCompteursTable {
  departement_code: string;
  dernier_numero: Generated<number>;
}

/** A photo's Mémoire number, given at its first export and kept forever. */
export interface MemoireNumerosTable {
  photo_id: number;
  departement_code: string;
  numero: number;
  annee: number;
  created_at: CreatedAt;
}

export interface PhotosTable {
  id: Generated<number>;
  recensement_id: number;
  uploaded_by: "commune" | "conservateur";
  storage_key: string;
  content_type: "image/jpeg" | "image/png" | "image/webp";
  byte_size: number;
  width: number;
  height: number;
  sha256: string;
  original_filename: string | null;
  position: Generated<number>;
  memoire_number: number | null;
  exportable: Generated<boolean>;
  pop_export_id: number | null;
  created_at: CreatedAt;
}

export interface OutboxMailsTable {
  id: Generated<number>;
  idempotency_key: string;
  to_address: string;
  from_address: string;
  reply_to: string | null;
  subject: string;
  html: string;
  text: string;
  headers: Json<Record<string, string>>;
  category: string;
  status: Generated<"pending" | "sending" | "sent" | "failed">;
  attempts: Generated<number>;
  last_error: string | null;
  next_attempt_at: Generated<Date>;
  message_id: string | null;
  sent_at: Timestamp | null;
  claimed_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface CampaignEmailsTable {
  id: Generated<number>;
  campaign_recipient_id: number;
  step: CampaignStep;
  email_name: string;
  outbox_mail_id: number | null;
  created_at: CreatedAt;
}

export interface InboundEmailsTable {
  id: string;
  commune_id: number | null;
  from_email: string;
  to_email: string;
  subject: string | null;
  body_html: string | null;
  body_text: string | null;
  body_md: string | null;
  signature_md: string | null;
  status: "accepted" | "rejected";
  reject_reason: string | null;
  raw: Json<Record<string, unknown>> | null;
  received_at: CreatedAt;
  source: Generated<"smtp" | "webhook">;
  cote: "commune" | "conservateur" | null;
  sent_at: Timestamp | null;
  attachments_count: Generated<number>;
}

export interface MessagesTable {
  id: Generated<number>;
  commune_id: number;
  origin: "web" | "inbound_email" | "rejection";
  author_type: "commune" | "conservateur" | "admin";
  author_id: number;
  text: string;
  inbound_email_id: string | null;
  created_at: CreatedAt;
  /** Sanitised HTML of a reply received by mail (safe subset only). */
  body_html: string | null;
  /** Quoted history trimmed from a reply received by mail. */
  quoted_text: string | null;
  signature: string | null;
  from_email: string | null;
  sent_at: Timestamp | null;
  omitted_attachments: Generated<Json<{ filename: string; reason: string }[]>>;
}

export interface MessageAttachmentsTable {
  id: Generated<number>;
  message_id: number;
  storage_key: string;
  filename: string;
  content_type: string;
  byte_size: number;
  kind: Generated<"image" | "fichier">;
  width: number | null;
  height: number | null;
  sha256: string | null;
}

export interface MessageLecturesTable {
  commune_id: number;
  lecteur_type: "commune" | "conservateur";
  lecteur_id: number;
  dernier_message_lu_id: number;
  lu_at: Generated<Date>;
}

export interface BordereauxTable {
  id: Generated<number>;
  dossier_id: number;
  edifice_id: number | null;
  edifice_nom: Generated<string>;
  storage_key: string | null;
  generated_at: Timestamp | null;
  /** 0007: where the generation stands (a job runs it), the PDF's size and the last failure's message. */
  state: Generated<BordereauState>;
  byte_size: number | null;
  error: string | null;
  requested_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export type BordereauState = "a_generer" | "en_cours" | "genere" | "echec";

export interface BordereauRecensementsTable {
  id: Generated<number>;
  bordereau_id: number;
  recensement_id: number;
  etat_sanitaire: "introuvable" | "non_recensable" | EtatSanitaire | null;
  notes_commune: string | null;
  notes_conservateur: string | null;
  notes_proprietaire: string | null;
  notes_affectataire: string | null;
}

export interface FichesTable {
  id: FicheId;
  titre: string;
  resume: string;
  contenu_md: string;
  updated_at: UpdatedAt;
}

export interface AdminCommentsTable {
  id: Generated<number>;
  commune_id: number;
  admin_id: number;
  body: string;
  created_at: CreatedAt;
}

export interface AuditEventsTable {
  id: Generated<number>;
  occurred_at: CreatedAt;
  actor_type: ActorType;
  actor_id: number | null;
  impersonator_admin_id: number | null;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  commune_id: number | null;
  before: Json<Record<string, unknown>> | null;
  after: Json<Record<string, unknown>> | null;
  ip: string | null;
}

export interface ImportRunsTable {
  id: Generated<number>;
  kind: ImportKind;
  source_file: string;
  /** "pending": uploaded from the back office, waiting for its job (0013_imports). */
  status: Generated<ImportRunStatus>;
  started_at: CreatedAt;
  finished_at: Timestamp | null;
  duration_ms: number | null;
  read: Generated<number>;
  in_scope: Generated<number>;
  created: Generated<number>;
  updated: Generated<number>;
  deleted: Generated<number>;
  out_of_scope: Json<Record<string, number>>;
  details: Json<Record<string, unknown>>;
  errors: Json<unknown[]>;
  /** Imports from an uploaded file (migration 0013): estimated rows, upload under DATA_DIR/imports, who started it. */
  rows_total: number | null;
  upload_file: string | null;
  started_by_admin_id: number | null;
  progress_at: Timestamp | null;
}

export interface ApiClientsTable {
  id: Generated<number>;
  name: string;
  token_hash: string;
  departement_codes: TextArray;
  created_at: CreatedAt;
  revoked_at: Timestamp | null;
  last_used_at: Timestamp | null;
  created_by_admin_id: number | null;
  revoked_by_admin_id: number | null;
}

export interface SurveyVotesTable {
  id: Generated<number>;
  commune_id: number;
  survey: "campaign_inactive";
  reason: "trop_court" | "collectif_objets_inconnu" | "autres_priorites" | "pas_acces" | "pas_interesse" | "autre";
  additional_info: string | null;
  created_at: CreatedAt;
}

export interface RateLimitsTable {
  key: string;
  window_start: Timestamp;
  count: number;
}

export type AlerteKind = "disparu" | "peril";
export type AlerteSource = "commune" | "conservateur";

export interface AlertesTable {
  id: Generated<number>;
  commune_id: number;
  departement_code: string;
  objet_id: number | null;
  recensement_id: number;
  kind: AlerteKind;
  source: AlerteSource;
  created_at: CreatedAt;
  notified_at: Timestamp | null;
  envoi_id: number | null;
  traitee_at: Timestamp | null;
  traitee_par: number | null;
}

export interface AlertesEnvoisTable {
  id: Generated<number>;
  commune_id: number;
  /** Paris calendar day. */
  jour: DateOnly;
  created_at: CreatedAt;
}

export interface DB {
  departements: DepartementsTable;
  communes: CommunesTable;
  commune_users: CommuneUsersTable;
  conservateurs: ConservateursTable;
  conservateur_departements: ConservateurDepartementsTable;
  admins: AdminsTable;
  login_codes: LoginCodesTable;
  password_tokens: PasswordTokensTable;
  remember_tokens: RememberTokensTable;
  edifices: EdificesTable;
  objets: ObjetsTable;
  campaigns: CampaignsTable;
  campaign_recipients: CampaignRecipientsTable;
  dossiers: DossiersTable;
  recensements: RecensementsTable;
  pop_exports: PopExportsTable;
  memoire_compteurs: MemoireCompteursTable;
  memoire_numeros: MemoireNumerosTable;
  photos: PhotosTable;
  outbox_mails: OutboxMailsTable;
  campaign_emails: CampaignEmailsTable;
  inbound_emails: InboundEmailsTable;
  messages: MessagesTable;
  message_attachments: MessageAttachmentsTable;
  message_lectures: MessageLecturesTable;
  bordereaux: BordereauxTable;
  bordereau_recensements: BordereauRecensementsTable;
  fiches: FichesTable;
  admin_comments: AdminCommentsTable;
  audit_events: AuditEventsTable;
  import_runs: ImportRunsTable;
  api_clients: ApiClientsTable;
  survey_votes: SurveyVotesTable;
  rate_limits: RateLimitsTable;
  alertes: AlertesTable;
  alertes_envois: AlertesEnvoisTable;
}

export type Commune = Selectable<CommunesTable>;
export type NewCommune = Insertable<CommunesTable>;
export type CommuneUpdate = Updateable<CommunesTable>;
export type Objet = Selectable<ObjetsTable>;
export type NewObjet = Insertable<ObjetsTable>;
export type Edifice = Selectable<EdificesTable>;
export type Departement = Selectable<DepartementsTable>;
export type Dossier = Selectable<DossiersTable>;
export type Recensement = Selectable<RecensementsTable>;
export type OutboxMail = Selectable<OutboxMailsTable>;
