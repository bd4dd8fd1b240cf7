import { Accordions, Pagination } from "../../ui/components.tsx";
import type { CommuneMessagerie, FilConservateur, PageDuFil } from "../repository.ts";
import { NON_LUS_MAX } from "../repository.ts";
import { dateMessage, extrait, FILS_PAR_PAGE, ROLES, type Lecteur } from "../rules.ts";
import { AvertissementDonnees, Fil, FormulaireMessage, IndicationAdresse, type EtatFormulaire } from "./fil.tsx";

type FilProps = {
  page: PageDuFil;
  lecteur: Lecteur;
  fil: string;
  /** Null when the reader cannot write (read-only impersonation). */
  csrfToken: string | null;
  etat: EtatFormulaire;
};

function FilEtFormulaire(props: FilProps & { vide: string }) {
  return (
    <>
      <AvertissementDonnees />
      <Fil page={props.page} lecteur={props.lecteur} fil={props.fil} vide={props.vide} />
      {props.csrfToken !== null ? (
        <FormulaireMessage action={props.fil} csrfToken={props.csrfToken} etat={props.etat} />
      ) : (
        <p class="fr-text--sm">Vous consultez cette messagerie en lecture seule.</p>
      )}
    </>
  );
}

/** RB §4.8: the commune's messagerie. */
export function MessagerieCommune(props: FilProps & { commune: { nom: string }; adresse: string }) {
  return (
    <>
      <h1>Messagerie</h1>
      <div class="fr-callout fr-mb-3w">
        <p class="fr-callout__text">
          La messagerie vous permet d’échanger avec les conservateurs des monuments historiques de votre département au sujet des objets
          protégés de {props.commune.nom} : poser une question, signaler un changement, envoyer des photos ou des documents. Vous recevez un
          mail à chaque réponse.
        </p>
        <a class="fr-link fr-mt-2w" href="/comment-ca-marche">
          Voir la documentation
        </a>
      </div>
      <IndicationAdresse adresse={props.adresse} cote="commune" />
      <FilEtFormulaire
        {...props}
        vide="Aucun message pour le moment. Écrivez le premier : les conservateurs de votre département le recevront."
      />
    </>
  );
}

/** RB §5.14: the "Messagerie" tab of the conservateur's commune page. */
export function OngletMessagerie(props: FilProps & { commune: CommuneMessagerie; adresse: string }) {
  const { commune } = props;
  const annuaire = `https://lannuaire.service-public.fr/recherche?whoWhat=Mairie&where=${encodeURIComponent(`${commune.nom} ${commune.code_insee}`)}`;
  return (
    <>
      <h2 class="fr-h3">Messagerie avec la commune</h2>
      <IndicationAdresse adresse={props.adresse} cote="conservateur" />
      <div class="fr-mb-3w">
        <Accordions
          level={3}
          items={[
            {
              id: "msg-autres-contacts",
              title: "Autres contacts de la commune",
              content: (
                <>
                  <p>
                    Préférez la messagerie : les autres conservateurs du département et l’équipe support voient ainsi vos échanges avec la
                    commune.
                  </p>
                  <ul>
                    {commune.phone_number ? (
                      <li>
                        Téléphone de la mairie : <a href={`tel:${commune.phone_number.replace(/[^0-9+]/g, "")}`}>{commune.phone_number}</a>
                      </li>
                    ) : null}
                    {commune.emails.map((email) => (
                      <li key={email}>
                        Adresse de la commune sur Collectif Objets : <a href={`mailto:${email}`}>{email}</a>
                      </li>
                    ))}
                    <li>
                      <a
                        href={annuaire}
                        target="_blank"
                        rel="noopener noreferrer"
                        title={`Mairie de ${commune.nom} sur service-public.fr — nouvelle fenêtre`}
                      >
                        Fiche de la mairie sur l’annuaire de service-public.fr
                      </a>
                    </li>
                  </ul>
                </>
              ),
            },
          ]}
        />
      </div>
      <FilEtFormulaire {...props} vide="Aucun message pour le moment avec cette commune." />
    </>
  );
}

/** RB §6: support reads and writes in any commune's thread. */
export function MessagerieSupport(props: FilProps & { commune: CommuneMessagerie }) {
  return (
    <>
      <h1>
        Messagerie de {props.commune.nom} ({props.commune.code_insee})
      </h1>
      <p class="fr-text--sm">Vos messages sont signés « Support » et notifiés par mail aux utilisateurs de la commune.</p>
      <FilEtFormulaire {...props} vide="Aucun message pour le moment dans cette messagerie." />
    </>
  );
}

/** The conservateur's inbox: every thread of their départements, unread first. */
export function BoiteConservateur(props: { fils: FilConservateur[]; total: number; page: number }) {
  const { fils, total, page } = props;
  const pages = Math.max(1, Math.ceil(total / FILS_PAR_PAGE));
  return (
    <>
      <h1>Messagerie</h1>
      <p>Les échanges avec les communes de vos départements, les messages non lus d’abord puis les plus récents.</p>
      {fils.length === 0 ? (
        <p class="msg-vide">
          {page > 1 ? "Aucune conversation sur cette page." : "Aucune commune de vos départements n’a encore de message."}
        </p>
      ) : (
        <div class="fr-table fr-table--no-caption">
          <div class="fr-table__wrapper">
            <div class="fr-table__container">
              <div class="fr-table__content">
                <table>
                  <caption>
                    Conversations avec les communes, page {page} sur {pages}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Commune</th>
                      <th scope="col">Dernier message</th>
                      <th scope="col">Date</th>
                      <th scope="col">Non lus</th>
                    </tr>
                  </thead>
                  <tbody>
                    {fils.map((fil) => (
                      <tr key={fil.commune_id} class={fil.non_lus > 0 ? "msg-non-lu" : undefined}>
                        <td>
                          <a href={`/conservateurs/communes/${fil.code_insee}/messagerie`}>
                            {fil.nom} ({fil.code_insee})
                          </a>
                        </td>
                        <td>
                          <span class="fr-text--sm">{ROLES[fil.dernier_auteur]} : </span>
                          {extrait(fil.dernier_texte)}
                        </td>
                        <td>
                          <time dateTime={fil.dernier_at.toISOString()}>{dateMessage(fil.dernier_at)}</time>
                        </td>
                        <td>
                          {fil.non_lus > 0 ? (
                            <p class="fr-badge fr-badge--new fr-badge--sm">
                              {fil.non_lus > NON_LUS_MAX ? `${NON_LUS_MAX}+` : fil.non_lus} non lu{fil.non_lus > 1 ? "s" : ""}
                            </p>
                          ) : (
                            <span class="fr-sr-only">aucun</span>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </div>
          </div>
        </div>
      )}
      <Pagination base="/conservateurs/messagerie?" page={page} hasNext={page < pages} />
    </>
  );
}
