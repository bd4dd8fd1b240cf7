import type { CampaignStep } from "../../platform/db/schema.ts";
import type { OutgoingMail } from "../../platform/mail/outbox.ts";
import { ETAPES, ETAPE_LABELS, type VarianteMail } from "../rules.ts";
import type { DestinataireVue } from "../repository.ts";

export const VARIANTES: readonly VarianteMail[] = ["inactive", "started", "to_complete"];

export const VARIANTE_LABELS: Record<VarianteMail, string> = {
  inactive: "Commune inactive",
  started: "Recensement démarré",
  to_complete: "Commune devant finaliser",
};

/** Mail previews of every step and variant for one recipient (RB §5.15). */
export function PageApercu(props: {
  titre: string;
  action: string;
  /** The mail's HTML served by itself (sandboxed, without scripts). */
  htmlUrl: string;
  campagneUrl: string;
  destinataires: DestinataireVue[];
  choix: { recipientId: number | null; etape: CampaignStep; variante: VarianteMail };
  mail: OutgoingMail | null;
  absence?: string;
}) {
  const { choix, mail } = props;
  return (
    <>
      <h1>{props.titre}</h1>
      <form method="get" action={props.action} class="fr-mb-4w">
        <div class="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom">
          <div class="fr-col-12 fr-col-md-4 fr-select-group">
            <label class="fr-label" for="apercu-commune">
              Commune destinataire
            </label>
            <select class="fr-select" id="apercu-commune" name="commune">
              {props.destinataires.map((d) => (
                <option key={d.recipient_id} value={d.code_insee} selected={d.recipient_id === choix.recipientId}>
                  {d.nom} ({d.code_insee})
                </option>
              ))}
            </select>
          </div>
          <div class="fr-col-12 fr-col-md-3 fr-select-group">
            <label class="fr-label" for="apercu-etape">
              Étape
            </label>
            <select class="fr-select" id="apercu-etape" name="etape">
              {ETAPES.map((e) => (
                <option key={e} value={e} selected={e === choix.etape}>
                  {ETAPE_LABELS[e]}
                </option>
              ))}
            </select>
          </div>
          <div class="fr-col-12 fr-col-md-3 fr-select-group">
            <label class="fr-label" for="apercu-variante">
              Situation de la commune
            </label>
            <select class="fr-select" id="apercu-variante" name="variante">
              {VARIANTES.map((v) => (
                <option key={v} value={v} selected={v === choix.variante}>
                  {VARIANTE_LABELS[v]}
                </option>
              ))}
            </select>
          </div>
          <div class="fr-col-12 fr-col-md-2">
            <button class="fr-btn" type="submit">
              Voir
            </button>
          </div>
        </div>
      </form>
      {mail ? (
        <section class="camp-apercu" aria-labelledby="apercu-sujet">
          <h2 class="fr-h4" id="apercu-sujet">
            {mail.subject}
          </h2>
          <dl class="camp-config">
            <dt>De</dt>
            <dd>{mail.from}</dd>
            <dt>À</dt>
            <dd>{mail.to}</dd>
          </dl>
          <iframe class="camp-iframe" title={`Aperçu du mail : ${mail.subject}`} sandbox="" src={props.htmlUrl} />
          <details class="camp-details fr-mt-2w">
            <summary>Version texte</summary>
            <pre class="camp-texte">{mail.text}</pre>
          </details>
        </section>
      ) : (
        <p>{props.absence ?? "Choisissez une commune destinataire."}</p>
      )}
      <p>
        <a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href={props.campagneUrl}>
          Retour à la campagne
        </a>
      </p>
    </>
  );
}
