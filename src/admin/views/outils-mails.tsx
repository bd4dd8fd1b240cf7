import { Table } from "../../ui/components.tsx";
import { CsrfField } from "../../comptes/views/components.tsx";
import type { OutboxMail } from "../../platform/db/schema.ts";
import { MAIL_STATUS_LABELS, type FiltreMails, type MailAttention } from "../repository-outils.ts";
import { BadgeMail, dateHeureAdmin } from "./outils-communs.tsx";

const ETATS: { value: string; label: string }[] = [
  { value: "", label: "Tous les états" },
  { value: "failed", label: MAIL_STATUS_LABELS.failed },
  { value: "difficulte", label: "En nouvel essai après un échec" },
  { value: "pending", label: MAIL_STATUS_LABELS.pending },
  { value: "sending", label: MAIL_STATUS_LABELS.sending },
  { value: "sent", label: MAIL_STATUS_LABELS.sent },
];

function lienPageSuivante(filtre: FiltreMails, avant: number | null): string {
  const params = new URLSearchParams();
  if (filtre.etat) params.set("etat", filtre.etat);
  if (filtre.destinataire) params.set("destinataire", filtre.destinataire);
  if (avant) params.set("avant", String(avant));
  const query = params.toString();
  return query ? `/admin/mails?${query}` : "/admin/mails";
}

export function ListeMails({ mails, filtre, suivant }: { mails: MailAttention[]; filtre: FiltreMails; suivant: number | null }) {
  return (
    <>
      <h1>Mails</h1>
      <p>
        Tous les mails envoyés par la plateforme, du plus récent au plus ancien. Un mail en échec est réessayé automatiquement pendant
        environ une journée, puis abandonné : il peut alors être renvoyé depuis sa page.{" "}
        <a href="/admin/mails/apercus">Aperçu de chaque modèle de mail</a>
      </p>
      <form method="get" action="/admin/mails" class="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom fr-mb-3w">
        <div class="fr-col-12 fr-col-md-4">
          <div class="fr-select-group">
            <label class="fr-label" for="filtre-etat">
              État
            </label>
            <select class="fr-select" id="filtre-etat" name="etat">
              {ETATS.map((e) => (
                <option key={e.value} value={e.value} selected={(filtre.etat ?? "") === e.value}>
                  {e.label}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div class="fr-col-12 fr-col-md-5">
          <div class="fr-input-group">
            <label class="fr-label" for="filtre-destinataire">
              Destinataire contient
            </label>
            <input class="fr-input" id="filtre-destinataire" name="destinataire" type="search" value={filtre.destinataire ?? ""} />
          </div>
        </div>
        <div class="fr-col-12 fr-col-md-3">
          <button class="fr-btn" type="submit">
            Filtrer
          </button>
        </div>
      </form>
      {mails.length === 0 ? (
        <p>Aucun mail ne correspond à ces critères.</p>
      ) : (
        <Table small>
          <table>
            <caption class="fr-sr-only">Mails</caption>
            <thead>
              <tr>
                <th scope="col">Créé le</th>
                <th scope="col">Destinataire</th>
                <th scope="col">Objet</th>
                <th scope="col">Type</th>
                <th scope="col">État</th>
                <th scope="col">Dernière erreur</th>
              </tr>
            </thead>
            <tbody>
              {mails.map((m) => (
                <tr key={m.id}>
                  <td>{dateHeureAdmin(m.created_at)}</td>
                  <td>{m.to_address}</td>
                  <td>
                    <a href={`/admin/mails/${m.id}`}>{m.subject}</a>
                  </td>
                  <td>{m.category}</td>
                  <td>
                    <BadgeMail status={m.status} attempts={m.attempts} />
                  </td>
                  <td>{m.last_error ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Table>
      )}
      {filtre.avant || suivant ? (
        <nav role="navigation" class="fr-pagination" aria-label="Pagination">
          <ul class="fr-pagination__list">
            {filtre.avant ? (
              <li>
                <a class="fr-pagination__link fr-pagination__link--first" href={lienPageSuivante(filtre, null)}>
                  Plus récents
                </a>
              </li>
            ) : null}
            {suivant ? (
              <li>
                <a
                  class="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label"
                  href={lienPageSuivante(filtre, suivant)}
                >
                  Mails plus anciens
                </a>
              </li>
            ) : null}
          </ul>
        </nav>
      ) : null}
    </>
  );
}

export function DetailMail({ mail, csrfToken, renvoye }: { mail: OutboxMail; csrfToken: string; renvoye: boolean }) {
  const entetes = Object.entries(mail.headers ?? {});
  return (
    <>
      <h1>{mail.subject}</h1>
      {renvoye ? (
        <div class="fr-alert fr-alert--success fr-alert--sm fr-mb-3w">
          <p>Le mail a été remis dans la file d’envoi : il partira dans la minute.</p>
        </div>
      ) : null}
      <BadgeMail status={mail.status} attempts={mail.attempts} />
      <dl class="fr-mt-2w">
        <dt>
          <strong>Destinataire</strong>
        </dt>
        <dd>{mail.to_address}</dd>
        <dt>
          <strong>Expéditeur</strong>
        </dt>
        <dd>{mail.from_address}</dd>
        {mail.reply_to ? (
          <>
            <dt>
              <strong>Réponse à</strong>
            </dt>
            <dd>{mail.reply_to}</dd>
          </>
        ) : null}
        <dt>
          <strong>Type</strong>
        </dt>
        <dd>{mail.category}</dd>
        <dt>
          <strong>Créé le</strong>
        </dt>
        <dd>{dateHeureAdmin(mail.created_at)}</dd>
        <dt>
          <strong>Envoyé le</strong>
        </dt>
        <dd>{mail.sent_at ? dateHeureAdmin(mail.sent_at) : "Pas encore envoyé"}</dd>
        <dt>
          <strong>Tentatives</strong>
        </dt>
        <dd>
          {mail.attempts}
          {mail.status === "pending" ? ` (prochain essai le ${dateHeureAdmin(mail.next_attempt_at)})` : ""}
        </dd>
        {mail.message_id ? (
          <>
            <dt>
              <strong>Identifiant chez le prestataire</strong>
            </dt>
            <dd>
              <code>{mail.message_id}</code>
            </dd>
          </>
        ) : null}
        {mail.last_error ? (
          <>
            <dt>
              <strong>Dernière erreur</strong>
            </dt>
            <dd>
              <code>{mail.last_error}</code>
            </dd>
          </>
        ) : null}
      </dl>
      {mail.status === "failed" ? (
        <form method="post" action={`/admin/mails/${mail.id}/renvoyer`} class="fr-mb-4w">
          <CsrfField token={csrfToken} />
          <div class="fr-checkbox-group fr-mb-2w">
            <input type="checkbox" id="confirmer-renvoi" name="confirmer" value="oui" required />
            <label class="fr-label" for="confirmer-renvoi">
              Je confirme vouloir renvoyer ce mail à {mail.to_address}
            </label>
          </div>
          <button class="fr-btn fr-btn--secondary" type="submit">
            Renvoyer le mail
          </button>
        </form>
      ) : null}
      {entetes.length > 0 ? (
        <>
          <h2>En-têtes ajoutés</h2>
          <ul>
            {entetes.map(([nom, valeur]) => (
              <li key={nom}>
                <code>
                  {nom}: {String(valeur)}
                </code>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h2>Version HTML</h2>
      <iframe
        class="co-mail-frame fr-mb-4w"
        title={`Version HTML du mail « ${mail.subject} »`}
        sandbox=""
        src={`/admin/mails/${mail.id}/html`}
      />
      <h2>Version texte</h2>
      <pre class="co-mail-text">{mail.text}</pre>
    </>
  );
}
