import { describe, expect, it } from "vitest";
import { estExaminable, etatEnvoiExamen, neContientQueDesObjetsVerts, prioritairesRestants, type RecensementExamine } from "./rules.ts";

const vert: RecensementExamine = {
  status: "completed",
  localisation: "edifice_initial",
  etat_sanitaire: "bon",
  analyse_etat_sanitaire: null,
  analysed_at: null,
};
const peril: RecensementExamine = { ...vert, etat_sanitaire: "peril" };
const absent: RecensementExamine = { ...vert, localisation: "absent", etat_sanitaire: null };

describe("examen rules", () => {
  it("lists the completed prioritaires not yet examined, an override to péril included", () => {
    const corrige: RecensementExamine = { ...vert, analyse_etat_sanitaire: "peril" };
    const examine: RecensementExamine = { ...peril, analysed_at: new Date() };
    const brouillon: RecensementExamine = { ...peril, status: "draft" };
    expect(prioritairesRestants([vert, peril, absent, corrige, examine, brouillon])).toEqual([peril, absent, corrige]);
  });

  it("allows sending once the dossier is sent and every prioritaire examined", () => {
    expect(etatEnvoiExamen("construction", [vert])).toEqual({ ok: false, raison: "pas_envoye_par_la_commune", restants: 0 });
    expect(etatEnvoiExamen("accepted", [vert])).toEqual({ ok: false, raison: "deja_examine", restants: 0 });
    expect(etatEnvoiExamen("submitted", [vert, peril, absent])).toEqual({ ok: false, raison: "prioritaires_restants", restants: 2 });
    expect(etatEnvoiExamen("submitted", [vert, { ...peril, analysed_at: "2026-11-01" }])).toEqual({ ok: true });
    expect(etatEnvoiExamen("submitted", [])).toEqual({ ok: true });
  });

  it("examines only completed recensements of a sent dossier", () => {
    expect(estExaminable("submitted", { status: "completed" })).toBe(true);
    expect(estExaminable("accepted", { status: "completed" })).toBe(true);
    expect(estExaminable("construction", { status: "completed" })).toBe(false);
    expect(estExaminable("submitted", { status: "draft" })).toBe(false);
  });

  it("accepts in batch only dossiers without péril or disparu, drafts ignored", () => {
    expect(neContientQueDesObjetsVerts([vert, { ...vert, etat_sanitaire: "mauvais" }])).toBe(true);
    expect(neContientQueDesObjetsVerts([vert, { ...peril, status: "draft" }])).toBe(true);
    expect(neContientQueDesObjetsVerts([vert, absent])).toBe(false);
    expect(neContientQueDesObjetsVerts([{ ...vert, analyse_etat_sanitaire: "peril" }])).toBe(false);
  });
});
