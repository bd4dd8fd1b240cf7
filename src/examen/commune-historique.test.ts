import { describe, expect, it } from "vitest";
import { changements, formatValeur, libelleAction, libelleActeur, VALEUR_MAX } from "./historique.ts";

describe("historique of a commune: how audit events read", () => {
  it("names known actions in French and keeps the raw name of unknown ones", () => {
    expect(libelleAction("dossier.submit")).toBe("Recensement envoyé aux conservateurs");
    expect(libelleAction("recensement.complete")).toBe("Recensement d’un objet validé");
    expect(libelleAction("photo.add")).toBe("Photo ajoutée");
    expect(libelleAction("examen.recensement_sauvegarde")).toBe("Examen d’un recensement enregistré");
    expect(libelleAction("examen.envoye")).toBe("Examen envoyé à la commune");
    expect(libelleAction("quelque.chose_de_nouveau")).toBe("quelque.chose_de_nouveau");
  });

  it("says who acted, and through which admin's impersonation", () => {
    expect(libelleActeur({ actor_type: "conservateur", actor_nom: "Jeanne Martin", impersonator_nom: null })).toBe(
      "Conservateur · Jeanne Martin",
    );
    expect(libelleActeur({ actor_type: "commune", actor_nom: "mairie@example.test", impersonator_nom: "Alex Admin" })).toBe(
      "Commune · mairie@example.test via incarnation par Alex Admin",
    );
    expect(libelleActeur({ actor_type: "system", actor_nom: null, impersonator_nom: null })).toBe("Collectif Objets (automatique)");
  });

  it("lists only the keys that changed, before and after, with labels for known keys and values", () => {
    expect(
      changements(
        { etat_sanitaire: "bon", notes: "identique", recensable: true },
        { etat_sanitaire: "peril", notes: "identique", recensable: false },
      ),
    ).toEqual([
      { cle: "etat_sanitaire", libelle: "État sanitaire", avant: "Bon état", apres: "En péril" },
      { cle: "recensable", libelle: "Recensable", avant: "oui", apres: "non" },
    ]);
  });

  it("shows one side only for a creation or a deletion, and 'vide' for a key missing on one side", () => {
    expect(changements(null, { objet_id: 12 })).toEqual([{ cle: "objet_id", libelle: "Objet", avant: null, apres: "12" }]);
    expect(changements({ sha256: "abc" }, null)).toEqual([{ cle: "sha256", libelle: "sha256", avant: "abc", apres: null }]);
    expect(changements({ status: "draft" }, { status: "completed", photos_supprimees: 2 })).toEqual([
      { cle: "status", libelle: "Statut", avant: "draft", apres: "completed" },
      { cle: "photos_supprimees", libelle: "Photos supprimées", avant: "vide", apres: "2" },
    ]);
  });

  it("cuts long values and formats dates in Paris time", () => {
    const long = "x".repeat(VALEUR_MAX + 50);
    const cut = formatValeur("notes", long);
    expect(Array.from(cut)).toHaveLength(VALEUR_MAX);
    expect(cut.endsWith("…")).toBe(true);
    expect(formatValeur("submitted_at", "2025-07-01T22:30:00.000Z")).toBe("02/07/2025 00:30");
    expect(formatValeur("analyse_fiches", ["securisation", "restauration"])).toBe("securisation, restauration");
    expect(formatValeur("visit", "prioritaire")).toBe("Déplacement prioritaire");
    expect(formatValeur("x", { a: 1 })).toBe('{"a":1}');
  });
});
