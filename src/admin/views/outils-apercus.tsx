import { Table } from "../../ui/components.tsx";
import { mailCampagne, VARIANTES_PAR_ETAPE } from "../../campagnes/mails.ts";
import { mailObjetsVerts } from "../../campagnes/mails-objets-verts.ts";
import { ETAPE_LABELS } from "../../campagnes/rules.ts";
import { loginCodeMail, passwordLinkMail } from "../../comptes/mails.ts";
import type { Config } from "../../config.ts";
import { dossierEnvoyeMail } from "../../dossier/mails.ts";
import { examenDisponibleMail } from "../../examen/mails.ts";
import { notificationMessageMail } from "../../messagerie/mails.ts";
import type { CampaignStep } from "../../platform/db/schema.ts";
import type { OutgoingMail } from "../../platform/mail/outbox.ts";
import { alerteMail } from "../../alertes/mails.ts";
import { coherenceMail, dossierAutoSoumisMail, recapitulatifMail, relanceDossierMail } from "../../taches/mails.ts";

export type Apercu = { id: string; titre: string; mail: OutgoingMail };

const VARIANTE_LABELS = { inactive: "commune inactive", started: "recensement commencé", to_complete: "recensement à terminer" } as const;

/** Every mail of the platform rendered by its own builder with demo data (no copy of any text). */
export function apercusMails(config: Pick<Config, "publicUrl" | "mailFrom">, now = new Date()): Apercu[] {
  const commune = { nom: "Sainte-Anne-d’Auray", codeInsee: "56263" };
  const replyTo = "commune-56263@reponses.example.org";
  const dans = 24 * 3600 * 1000;
  const apercus: Apercu[] = [
    {
      id: "code-connexion",
      titre: "Code de connexion d’une commune",
      mail: loginCodeMail(config, {
        to: "mairie@exemple.fr",
        codeId: 1,
        sendCount: 1,
        code: "123456",
        expiresAt: new Date(now.getTime() + dans),
        commune,
        now,
      }),
    },
    {
      id: "mot-de-passe-premier",
      titre: "Premier mot de passe d’un conservateur",
      mail: passwordLinkMail(config, {
        type: "conservateur",
        to: "conservateur@exemple.fr",
        tokenId: 1,
        token: "jeton-demo",
        firstSignIn: true,
        validHours: 72,
      }),
    },
    {
      id: "mot-de-passe-oubli",
      titre: "Mot de passe oublié (conservateur ou administrateur)",
      mail: passwordLinkMail(config, {
        type: "conservateur",
        to: "conservateur@exemple.fr",
        tokenId: 2,
        token: "jeton-demo",
        firstSignIn: false,
        validHours: 2,
      }),
    },
    {
      id: "dossier-envoye",
      titre: "Remerciement après l’envoi du recensement",
      mail: dossierEnvoyeMail(config, { to: "mairie@exemple.fr", dossierId: 1, submittedAt: now, commune, replyTo }),
    },
    {
      id: "auto-soumission",
      titre: "Recensement transmis automatiquement",
      mail: dossierAutoSoumisMail(config, { to: "mairie@exemple.fr", dossierId: 1, commune }),
    },
    {
      id: "examen",
      titre: "Examen du recensement disponible",
      mail: examenDisponibleMail(config, {
        to: "mairie@exemple.fr",
        communeUserId: 1,
        dossierId: 1,
        acceptedAt: now,
        commune,
        conservateur: { nom: "Jeanne Dupont" },
        notes: "Merci pour ces photos très utiles.\nLe retable mérite une visite.",
        fiches: ["Sécuriser les objets", "Entretenir les objets"],
        replyTo,
      }),
    },
  ];
  for (const [etape, variantes] of Object.entries(VARIANTES_PAR_ETAPE) as [CampaignStep, readonly (keyof typeof VARIANTE_LABELS)[]][]) {
    for (const variante of variantes) {
      apercus.push({
        id: `campagne-${etape}-${variante}`,
        titre: `Campagne : ${ETAPE_LABELS[etape]}${variantes.length > 1 ? ` (${VARIANTE_LABELS[variante]})` : ""}`,
        mail: mailCampagne(config, {
          campagne: {
            id: 1,
            date_lancement: "2026-03-02",
            date_relance1: "2026-03-16",
            date_relance2: "2026-03-30",
            date_relance3: "2026-04-13",
            date_fin: "2026-04-27",
            nom_drac: "DRAC Bretagne",
            sender_name: "Jeanne Dupont",
            signature: "Jeanne Dupont\nConservatrice des antiquités et objets d’art du Morbihan",
            custom_message: null,
            communesCount: 120,
          },
          departement: { code: "56", nom: "Morbihan", dans_nom: "dans le Morbihan", concordataire: false },
          commune: { nom: commune.nom, code_insee: commune.codeInsee, objetsCount: 12 },
          destinataire: { recipientId: 1, email: "mairie@exemple.fr", unsubscribeToken: "jeton-demo" },
          etape,
          variante,
          replyTo,
        }),
      });
    }
  }
  apercus.push(
    {
      id: "objets-verts",
      titre: "Réponse automatique : tous les objets en bon état",
      mail: mailObjetsVerts(config, {
        to: "mairie@exemple.fr",
        dossierId: 1,
        commune,
        departement: { dans_nom: "dans le Morbihan" },
        replyTo,
      }),
    },
    {
      id: "relance-dossier",
      titre: "Relance d’un recensement inachevé (3 mois)",
      mail: relanceDossierMail(config, {
        to: "mairie@exemple.fr",
        dossierId: 1,
        relance: "relance",
        commune,
        archivageLe: new Date(now.getTime() + 90 * dans),
      }),
    },
    {
      id: "derniere-relance-dossier",
      titre: "Dernière relance d’un recensement inachevé (1 mois)",
      mail: relanceDossierMail(config, {
        to: "mairie@exemple.fr",
        dossierId: 1,
        relance: "derniere_relance",
        commune,
        archivageLe: new Date(now.getTime() + 30 * dans),
      }),
    },
    {
      id: "recapitulatif",
      titre: "Récapitulatif hebdomadaire d’un conservateur",
      mail: recapitulatifMail(config, {
        to: "conservateur@exemple.fr",
        conservateurId: 1,
        departement: { code: "56", dansNom: "dans le Morbihan" },
        semaine: { debut: new Date("2026-03-02T00:00:00+01:00"), fin: new Date("2026-03-09T00:00:00+01:00"), cle: "2026-W10" },
        messages: [{ codeInsee: commune.codeInsee, nom: commune.nom, messages: 2 }],
        dossiers: [{ codeInsee: "56116", nom: "Locmariaquer", enPeril: 1, disparus: 0 }],
        alertes: { ouvertes: 3, nouvelles: [{ codeInsee: "56116", nom: "Locmariaquer", objet: "Statue de saint Cornély", kind: "peril" }] },
      }),
    },
    {
      id: "alerte",
      titre: "Alerte : objets disparus ou en péril dans une commune",
      mail: alerteMail(config, {
        to: "conservateur@exemple.fr",
        conservateurId: 1,
        envoiId: 1,
        jour: "2026-03-04",
        commune: { nom: "Sainte-Anne-d’Auray", codeInsee: "56263" },
        departement: { code: "56", dansNom: "dans le Morbihan" },
        alertes: [
          { objet: "Calice en argent doré", palissyRef: "PM56000123", kind: "disparu", source: "commune", recensementId: 1 },
          { objet: "Retable du Rosaire", palissyRef: "PM56000124", kind: "peril", source: "conservateur", recensementId: 2 },
        ],
      }),
    },
    {
      id: "message-commune",
      titre: "Nouveau message pour une commune",
      mail: notificationMessageMail(config, {
        messageId: 1,
        destinataire: { type: "commune", id: 1, email: "mairie@exemple.fr" },
        auteur: { type: "conservateur", nom: "Jeanne Dupont" },
        commune,
        texte: "Bonjour, pourriez-vous photographier le revers du tableau ?",
        piecesJointes: 1,
        replyTo,
      }),
    },
    {
      id: "message-conservateur",
      titre: "Nouveau message pour un conservateur",
      mail: notificationMessageMail(config, {
        messageId: 2,
        destinataire: { type: "conservateur", id: 1, email: "conservateur@exemple.fr" },
        auteur: { type: "commune", nom: commune.nom },
        commune,
        texte: "Voici la photo demandée.",
        piecesJointes: 0,
        replyTo: "conservateur-1@reponses.example.org",
      }),
    },
    {
      id: "coherence",
      titre: "Vérification quotidienne des données (administrateurs)",
      mail: coherenceMail(config, {
        to: "admin@exemple.fr",
        adminId: 1,
        jour: "02/03/2026",
        constats: [{ titre: "Dossiers envoyés sans recensement", details: ["Dossier 12 (Locmariaquer)"], total: 1 }],
      }),
    },
  );
  return apercus;
}

export function PageApercus({ apercus, choisi }: { apercus: Apercu[]; choisi: Apercu | null }) {
  return (
    <>
      <h1>Aperçu des mails</h1>
      <p>Chaque modèle de mail de la plateforme, rempli avec des données de démonstration. Rien n’est envoyé.</p>
      <Table small>
        <table>
          <caption class="fr-sr-only">Modèles de mail</caption>
          <thead>
            <tr>
              <th scope="col">Mail</th>
              <th scope="col">Objet</th>
            </tr>
          </thead>
          <tbody>
            {apercus.map((a) => (
              <tr key={a.id}>
                <td>
                  <a href={`/admin/mails/apercus?modele=${a.id}#apercu`} {...(choisi?.id === a.id ? { "aria-current": "true" } : {})}>
                    {a.titre}
                  </a>
                </td>
                <td>{a.mail.subject}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Table>
      {choisi ? (
        <section id="apercu" aria-labelledby="apercu-titre">
          <h2 id="apercu-titre">{choisi.titre}</h2>
          <p>
            <strong>Objet :</strong> {choisi.mail.subject}
            <br />
            <strong>Expéditeur :</strong> {choisi.mail.from}
            {choisi.mail.replyTo ? (
              <>
                <br />
                <strong>Réponse à :</strong> {choisi.mail.replyTo}
              </>
            ) : null}
          </p>
          <iframe
            class="co-mail-frame fr-mb-4w"
            title={`Version HTML du mail « ${choisi.mail.subject} »`}
            sandbox=""
            src={`/admin/mails/apercus/html?modele=${choisi.id}`}
          />
          <h3>Version texte</h3>
          <pre class="co-mail-text">{choisi.mail.text}</pre>
        </section>
      ) : null}
    </>
  );
}
