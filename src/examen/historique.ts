import type { ActorType, EtatSanitaire, Securisation } from "../platform/db/schema.ts";
import { ETAT_SANITAIRE_LABELS, SECURISATION_LABELS } from "../recensement/rules.ts";
import { VISITE_LABELS, type Visite } from "./rules.ts";

/** How the Historique tab tells the commune's audit events (DESIGN §4: every mutation is audited). */

export const ACTION_LABELS: Record<string, string> = {
  "message.create": "Message écrit dans la messagerie",
  "mail.renvoye": "Mail renvoyé par un administrateur",
  "tache.relancee": "Tâche de fond relancée par un administrateur",
  "messagerie.adresses_renouvelees": "Adresses de réponse par mail renouvelées",
  "commune.sign_in": "Connexion de la commune",
  "commune.sign_in_failed": "Échec de connexion de la commune",
  "commune.sign_out": "Déconnexion de la commune",
  "commune.login_code_requested": "Demande d’un code de connexion",
  "commune.preferences_updated": "Préférences de notification modifiées",
  "dossier.create": "Recensement commencé (dossier créé)",
  "dossier.submit": "Recensement envoyé aux conservateurs",
  "dossier.reopen": "Dossier rouvert par le conservateur",
  "dossier.archive": "Dossier archivé",
  "dossier.archive_incomplet": "Dossier incomplet archivé après un an",
  "dossier.auto_submit": "Recensement transmis automatiquement un mois après la dernière modification",
  "rgpd.recenseur_efface": "Coordonnées de la personne ayant recensé effacées (RGPD)",
  "campagne.desinscription": "Commune désinscrite des mails de la campagne",
  "campagne.reinscription": "Commune réinscrite aux mails de la campagne",
  "recensement.create": "Recensement d’un objet commencé",
  "recensement.update": "Réponses d’un recensement modifiées",
  "recensement.complete": "Recensement d’un objet validé",
  "photo.add": "Photo ajoutée",
  "photo.delete": "Photo supprimée",
  "examen.recensement_sauvegarde": "Examen d’un recensement enregistré",
  "examen.photo_ajoutee": "Photo ajoutée par le conservateur",
  "examen.photo_pivotee": "Photo pivotée par le conservateur",
  "examen.photo_supprimee": "Photo supprimée par le conservateur",
  "examen.envoye": "Examen envoyé à la commune",
  "impersonation.start": "Début d’incarnation par un administrateur",
  "impersonation.mode": "Mode d’incarnation changé",
  "impersonation.stop": "Fin d’incarnation",
  "impersonation.write": "Modification pendant une incarnation",
  "conservateur.sign_in": "Connexion d’un conservateur",
  "conservateur.sign_out": "Déconnexion d’un conservateur",
  "conservateur.password_link_requested": "Lien de mot de passe demandé (conservateur)",
  "conservateur.password_changed": "Mot de passe changé (conservateur)",
  "conservateur.password_change_failed": "Échec du changement de mot de passe (conservateur)",
  "conservateur.profile_updated": "Profil du conservateur modifié",
  "admin.sign_in": "Connexion d’un administrateur",
  "admin.sign_out": "Déconnexion d’un administrateur",
  "admin.password_link_requested": "Lien de mot de passe demandé (administrateur)",
  "admin.password_changed": "Mot de passe changé (administrateur)",
  "admin.password_change_failed": "Échec du changement de mot de passe (administrateur)",
  "admin.login_code_shown": "Code de connexion de la commune affiché au support",
  "admin.comment_created": "Commentaire interne ajouté",
  "admin.comment_deleted": "Commentaire interne supprimé",
  "admin.conservateur_created": "Compte conservateur créé",
  "admin.conservateur_updated": "Compte conservateur modifié",
  "admin.conservateur_deactivated": "Compte conservateur désactivé",
  "admin.conservateur_reactivated": "Compte conservateur réactivé",
  "admin.password_link_sent": "Lien de première connexion envoyé",
  "admin.admin_created": "Compte administrateur créé",
  "admin.admin_deactivated": "Compte administrateur désactivé",
  "campagne.create": "Campagne créée",
  "campagne.update": "Campagne modifiée",
  "campagne.delete": "Campagne supprimée",
  "campagne.recipients": "Destinataires de la campagne modifiés",
  "campagne.plan": "Campagne planifiée",
  "campagne.return_to_draft": "Campagne repassée en brouillon",
  "campagne.dates_modifiees": "Dates d’une campagne corrigées par l’administration",
  "api_client.create": "Accès à l’API créé",
  "api_client.revoke": "Accès à l’API révoqué",
  "export_memoire.creation": "Export Mémoire créé",
  "export_memoire.suppression": "Export Mémoire supprimé",
  "export_memoire.photo_exclue": "Photo exclue des exports nationaux",
  "export_memoire.photo_reintegree": "Photo réintégrée aux exports nationaux",
  "bordereau.generation_demandee": "Bordereau de récolement demandé",
  "import.demarre": "Import lancé depuis l’administration",
  "alerte.traitee": "Alerte (objet disparu ou en péril) marquée comme traitée",
};

/** A French label for known actions; an unknown action keeps its raw name, so that nothing is hidden. */
export function libelleAction(action: string): string {
  return ACTION_LABELS[action] ?? action;
}

const ACTEURS: Record<ActorType, string> = {
  commune: "Commune",
  conservateur: "Conservateur",
  admin: "Administrateur",
  system: "Collectif Objets (automatique)",
  anonymous: "Personne non connectée",
};

/** "Conservateur · Jeanne Martin via incarnation par Alex Admin". */
export function libelleActeur(event: { actor_type: ActorType; actor_nom: string | null; impersonator_nom: string | null }): string {
  const type = ACTEURS[event.actor_type];
  const qui = event.actor_nom && event.actor_type !== "system" && event.actor_type !== "anonymous" ? `${type} · ${event.actor_nom}` : type;
  return event.impersonator_nom ? `${qui} via incarnation par ${event.impersonator_nom}` : qui;
}

const CLE_LABELS: Record<string, string> = {
  status: "Statut",
  localisation: "Localisation",
  edifice_nom: "Édifice",
  autre_commune_code_insee: "Autre commune",
  recensable: "Recensable",
  etat_sanitaire: "État sanitaire",
  securisation: "Sécurisation",
  notes: "Commentaire de la commune",
  objet_id: "Objet",
  recensement_id: "Recensement",
  photos_count: "Nombre de photos",
  photos_supprimees: "Photos supprimées",
  analyse_etat_sanitaire: "État sanitaire (conservateur)",
  analyse_securisation: "Sécurisation (conservateur)",
  analyse_fiches: "Fiches conseil",
  analyse_notes: "Commentaire du conservateur",
  notes_commune: "Commentaire de la commune",
  notes_conservateur: "Commentaire du conservateur",
  recenseur: "Recenseur",
  visit: "Déplacement",
  submitted_at: "Envoyé le",
  accepted_at: "Examen envoyé le",
  messages_mail_notifications: "Notifications par mail",
  write: "Incarnation en écriture",
  brouillons_archives: "Brouillons archivés",
  recensements_archives: "Recensements archivés",
  en_lot: "Envoi groupé",
};

export function libelleCle(cle: string): string {
  return CLE_LABELS[cle] ?? cle;
}

/** Beyond this, a value is cut: the history is a trace, not a copy of every comment. */
export const VALEUR_MAX = 140;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const parisDateHeure = new Intl.DateTimeFormat("fr-FR", {
  timeZone: "Europe/Paris",
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});

function tronquer(texte: string): string {
  const chars = Array.from(texte);
  return chars.length <= VALEUR_MAX ? texte : `${chars.slice(0, VALEUR_MAX - 1).join("")}…`;
}

/** A stored value as a person reads it; labels for the enums they know (état, sécurisation, visite). */
export function formatValeur(cle: string, valeur: unknown): string {
  if (valeur === null || valeur === undefined || valeur === "") return "vide";
  if (typeof valeur === "boolean") return valeur ? "oui" : "non";
  if (typeof valeur === "number") return valeur.toLocaleString("fr-FR");
  if (typeof valeur === "string") {
    if ((cle === "etat_sanitaire" || cle === "analyse_etat_sanitaire") && valeur in ETAT_SANITAIRE_LABELS) {
      return ETAT_SANITAIRE_LABELS[valeur as EtatSanitaire];
    }
    if ((cle === "securisation" || cle === "analyse_securisation") && valeur in SECURISATION_LABELS) {
      return SECURISATION_LABELS[valeur as Securisation];
    }
    if (cle === "visit" && valeur in VISITE_LABELS) return VISITE_LABELS[valeur as Visite];
    if (ISO_DATE.test(valeur)) {
      const date = new Date(valeur);
      if (!Number.isNaN(date.getTime())) return parisDateHeure.format(date).replace(",", "");
    }
    return tronquer(valeur);
  }
  if (Array.isArray(valeur)) return valeur.length === 0 ? "aucune" : tronquer(valeur.map((v) => formatValeur(cle, v)).join(", "));
  return tronquer(JSON.stringify(valeur));
}

export type Changement = { cle: string; libelle: string; avant: string | null; apres: string | null };

/**
 * The keys an event changed, in the order they were written: a key present on both sides with the same
 * value is left out; `avant`/`apres` are null when the event has no such side (a creation, a deletion).
 */
export function changements(before: Record<string, unknown> | null, after: Record<string, unknown> | null): Changement[] {
  const cles = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  const result: Changement[] = [];
  for (const cle of cles) {
    const avant = before && cle in before ? before[cle] : undefined;
    const apres = after && cle in after ? after[cle] : undefined;
    if (before && after && cle in before && cle in after && JSON.stringify(avant) === JSON.stringify(apres)) continue;
    result.push({
      cle,
      libelle: libelleCle(cle),
      avant: before ? formatValeur(cle, avant) : null,
      apres: after ? formatValeur(cle, apres) : null,
    });
  }
  return result;
}
