import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { insertCommune, insertConservateur, insertDossier, insertObjet, insertRecensement, type CommuneRow } from "../../test/factories.ts";
import { Browser, insertCommuneUser } from "../../test/factories-comptes.ts";
import { buildApp } from "../app.tsx";
import { loadConfig } from "../config.ts";
import { refreshCommunesStatut } from "../dossier/repository.ts";
import type { EtatSanitaire, Localisation } from "../platform/db/schema.ts";

const BASE = "/conservateurs/departements/29";
const NBSP = "\u00a0";

/** Codes INSEE of the table's rows, in order. */
function lignes(html: string): string[] {
  const tbody = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? "";
  return [...tbody.matchAll(/<th scope="row"><a href="\/conservateurs\/communes\/([0-9AB]{5})">/g)].map((m) => m[1]!);
}

function decode(html: string): string {
  return html
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/&quot;/g, '"');
}

describe("départements list and département dashboard", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let ip = 0;
  let conservateur: Browser;
  let autre: Browser;
  let sansDepartement: Browser;
  let deuxDepartements: Browser;
  /** A conservateur of the Finistère whose session tests the remembered filter. */
  let memoire: Browser;
  const lastWeek = new Date(Date.now() - 40 * 24 * 3600 * 1000);
  const communes: Record<string, CommuneRow> = {};

  function browser(id: number): Browser {
    return new Browser(app, `198.51.100.${++ip}`).withSession({ account: { type: "conservateur", id } });
  }

  type Reponse = { etat?: EtatSanitaire; localisation?: Localisation; analyse?: EtatSanitaire; status?: "draft" | "completed" };

  /** A commune of the Finistère with one objet per answer, its dossier in the given state, its statut refreshed. */
  async function communeAvecDossier(
    code: string,
    nom: string,
    dossier: { status: "construction" | "submitted" | "accepted"; auto?: boolean; submittedAt?: Date },
    reponses: Reponse[],
  ) {
    const commune = await insertCommune(database, { code_insee: code, nom, objets_count: reponses.length });
    const d = await insertDossier(database, {
      commune_id: commune.id,
      status: dossier.status,
      replied_automatically_at: dossier.auto ? new Date() : null,
      ...(dossier.submittedAt ? { submitted_at: dossier.submittedAt } : {}),
    });
    // Recensements completed just before the dossier was sent (now unless told otherwise).
    const completedAt = new Date((dossier.submittedAt ?? new Date()).getTime() - 3600 * 1000);
    for (const r of reponses) {
      const objet = await insertObjet(database, { lieu_actuel_code_insee: code, palissy_tico: `Objet de ${nom}` });
      await insertRecensement(database, {
        ...(dossier.submittedAt && r.status !== "draft" ? { completed_at: completedAt, updated_at: completedAt } : {}),
        objet_id: objet.id,
        dossier_id: d.id,
        status: r.status ?? "completed",
        localisation: r.localisation ?? "edifice_initial",
        etat_sanitaire: r.localisation === "absent" ? null : (r.etat ?? "bon"),
        analyse_etat_sanitaire: r.analyse ?? null,
        analysed_at: r.analyse ? new Date() : null,
      });
    }
    await refreshCommunesStatut(database.db, [commune.id]);
    communes[nom] = commune;
    return commune;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await buildApp({ config: loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }), database });
    await communeAvecDossier("29301", "Sainte-Anne-d’Auray", { status: "submitted" }, [
      { etat: "peril" },
      { localisation: "absent" },
      { etat: "bon" },
    ]);
    await communeAvecDossier("29266", "Saint-Thégonnec", { status: "submitted", auto: true, submittedAt: lastWeek }, [
      { etat: "bon" },
      { etat: "moyen" },
    ]);
    await communeAvecDossier("29049", "Élliant", { status: "submitted" }, [{ etat: "mauvais", analyse: "peril" }, { etat: "bon" }]);
    await communeAvecDossier("29189", "Plougastel-Daoulas", { status: "accepted" }, [
      { etat: "peril", analyse: "peril" },
      { etat: "peril", analyse: "peril" },
    ]);
    await communeAvecDossier("29053", "Le Faou", { status: "construction" }, [{ etat: "moyen", status: "draft" }]);
    communes.Brest = await insertCommune(database, { code_insee: "29019", nom: "Brest", objets_count: 10 });
    await insertCommune(database, { code_insee: "29232", nom: "Quimper", objets_count: 0 });
    for (let i = 0; i < 18; i++) {
      await insertCommune(database, {
        code_insee: `294${String(i).padStart(2, "0")}`,
        nom: `Commune ${String(i).padStart(2, "0")}`,
        objets_count: 1,
      });
    }
    // Another département, whose communes never show in the Finistère.
    await insertCommune(database, { code_insee: "56001", nom: "Sainte-Anne-d’Auray du Morbihan", objets_count: 4, statut_global: 3 });
    // A message written by Élliant today, and an old one by Brest.
    const user = await insertCommuneUser(database, communes["Élliant"]!.id);
    const brest = await insertCommuneUser(database, communes.Brest.id);
    await database.db
      .insertInto("messages")
      .values([
        { commune_id: communes["Élliant"]!.id, origin: "web", author_type: "commune", author_id: user.id, text: "Bonjour" },
        { commune_id: communes["Élliant"]!.id, origin: "web", author_type: "commune", author_id: user.id, text: "Re-bonjour" },
        { commune_id: communes["Élliant"]!.id, origin: "web", author_type: "conservateur", author_id: 1, text: "Réponse" },
        { commune_id: communes.Brest.id, origin: "web", author_type: "commune", author_id: brest.id, text: "Vieux", created_at: lastWeek },
      ])
      .execute();

    conservateur = browser((await insertConservateur(database, { departement_codes: ["29"] })).id);
    autre = browser((await insertConservateur(database, { departement_codes: ["56"] })).id);
    sansDepartement = browser((await insertConservateur(database)).id);
    deuxDepartements = browser((await insertConservateur(database, { departement_codes: ["29", "56"] })).id);
    memoire = browser((await insertConservateur(database, { departement_codes: ["29"] })).id);
  });

  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  describe("départements list", () => {
    it("shows one line per département with its objets and communes", async () => {
      const response = await deuxDepartements.get("/conservateurs/departements");
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('<a class="fr-link fr-text--lg" href="/conservateurs/departements/29">29 - Finistère</a>');
      expect(response.body).toContain('<p class="fr-mb-0">38 objets protégés dans 24 communes</p>');
      expect(response.body).toContain('<p class="fr-mb-0">4 objets protégés dans 1 commune</p>');
    });

    it("tells a conservateur without département how to ask for one", async () => {
      const response = await sansDepartement.get("/conservateurs/departements");
      expect(response.body).toContain("Vous n’avez accès à aucun département pour l’instant.");
      expect(response.body).toContain("Contactez-nous pour accéder à d’autres départements");
      expect(response.body).toContain('href="mailto:contact@');
    });
  });

  describe("header", () => {
    it("shows the campaign line, the figures and the tabs", async () => {
      const html = (await conservateur.get(BASE)).body;
      expect(html).toContain("<h1>29 - Finistère</h1>");
      expect(html).toContain("Aucune campagne n’est en cours dans ce département.");
      // 4 of the 24 communes with objets sent their dossier; 10 of their 38 objets have a recensement.
      expect(html).toContain(`Communes recenseuses : <strong>17${NBSP}%</strong>`);
      expect(html).toContain("Soit 4 communes sur 24.");
      expect(html).toContain(`Objets recensés : <strong>26${NBSP}%</strong>`);
      expect(html).toContain("Soit 10 objets sur 38.");
      // The commune's answers, overrides ignored: 3 péril, 1 mauvais, 2 moyen, 3 bon (the absent one has none).
      expect(html).toContain(`En péril : 3 (33${NBSP}%)`);
      expect(html).toContain(`Mauvais état : 1 (11${NBSP}%)`);
      expect(html).toContain(`État moyen : 2 (22${NBSP}%)`);
      expect(html).toContain(`Bon état : 3 (33${NBSP}%)`);
      expect(html).toContain('<a class="onglets__lien" href="/conservateurs/departements/29" aria-current="page">Tableau des communes</a>');
      expect(html).toContain('href="/conservateurs/departements/29/carte"');
    });

    it("keeps the figures drawn from the recensements 30 seconds, the rest live", async () => {
      expect((await conservateur.get(BASE)).body).toContain("Soit 10 objets sur 38.");
      const commune = await database.db.selectFrom("communes").select("id").where("code_insee", "=", "29400").executeTakeFirstOrThrow();
      const objet = await insertObjet(database, { lieu_actuel_code_insee: "29400" });
      const dossier = await insertDossier(database, { commune_id: commune.id });
      await insertRecensement(database, { objet_id: objet.id, dossier_id: dossier.id, status: "draft" });
      await database.db.updateTable("communes").set({ status: "started", statut_global: 1 }).where("id", "=", commune.id).execute();
      try {
        const html = (await conservateur.get(BASE)).body;
        expect(html).toContain("Soit 10 objets sur 38.");
        expect(html).toContain("En cours de recensement (2)");
        vi.useFakeTimers({ toFake: ["Date"] });
        vi.setSystemTime(Date.now() + 31_000);
        expect((await conservateur.get(BASE)).body).toContain("Soit 11 objets sur 38.");
      } finally {
        vi.useRealTimers();
        await database.db.updateTable("communes").set({ status: "inactive", statut_global: 0 }).where("id", "=", commune.id).execute();
        await database.db.deleteFrom("recensements").where("dossier_id", "=", dossier.id).execute();
        await database.db.deleteFrom("dossiers").where("id", "=", dossier.id).execute();
      }
    });

    it("announces a planned campaign", async () => {
      const campagne = await database.db
        .insertInto("campaigns")
        .values({
          departement_code: "29",
          status: "planned",
          date_lancement: "2031-04-01",
          date_relance1: "2031-04-15",
          date_relance2: "2031-05-01",
          date_relance3: "2031-05-15",
          date_fin: "2031-06-02",
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      const html = (await conservateur.get(BASE)).body;
      expect(html).toContain("Une campagne est planifiée pour commencer le 1 avril 2031.");
      await database.db.deleteFrom("campaigns").where("id", "=", campagne.id).execute();
    });
  });

  describe("communes table", () => {
    it("shows by default the dossiers to examine, péril then disparus first, with their badges", async () => {
      const html = (await conservateur.get(BASE)).body;
      expect(lignes(html)).toEqual(["29301", "29049", "29266"]);
      expect(html).toContain('<option value="a-examiner" selected>Dossiers à examiner (3)</option>');
      expect(html).toContain('<th scope="col" aria-sort="descending"><div class="fr-cell--sort"><span>Objets en péril</span>');
      expect(html).toContain('<p class="fr-badge fr-badge--sm fr-badge--error fr-badge--no-icon">1 en péril</p>');
      expect(html).toContain('<p class="fr-badge fr-badge--sm fr-badge--warning fr-badge--no-icon">1 disparu</p>');
      expect(html).toContain('fr-badge--warning">À examiner en priorité</p>');
      expect(html).toContain('fr-badge--info">En cours d’examen</p>');
      expect(decode(html)).toContain('<a href="/conservateurs/communes/29301">Sainte-Anne-d’Auray</a>');
      expect(html).toContain("3 communes");
      expect(html).not.toContain("Réinitialiser les filtres");
    });

    it("offers the batch acceptance when a sent dossier has neither péril nor disparu", async () => {
      const html = (await conservateur.get(BASE)).body;
      expect(html).toContain("1 dossier transmis n’a aucun objet en péril ni disparu.");
      expect(html).toContain(
        '<a href="/conservateurs/departements/29/acceptation-groupee">Accepter en lot les dossiers sans objet en péril ni disparu</a>',
      );
    });

    it("shows the date of last activity of the current dossier", async () => {
      // Saint-Thégonnec sent its dossier after its last recensement change.
      const html = (await conservateur.get(`${BASE}?statut=tous&q=thegonnec`)).body;
      const date = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", day: "2-digit", month: "2-digit", year: "numeric" });
      expect(html).toContain(`<td>${date.format(lastWeek)}</td>`);
      const brest = (await conservateur.get(`${BASE}?statut=tous&q=brest`)).body;
      expect(brest).toContain('<td><span aria-hidden="true">—</span><span class="fr-sr-only">Aucune</span></td>');
    });

    it("filters on one statut global, remembers it, and forgets it on reset", async () => {
      const browser = memoire;
      const examines = await browser.get(`${BASE}?statut=5`);
      expect(lignes(examines.body)).toEqual(["29189"]);
      expect(examines.body).toContain("Réinitialiser les filtres");
      // Coming back without a filter keeps the last one.
      expect(lignes((await browser.get(BASE)).body)).toEqual(["29189"]);
      expect(lignes((await browser.get(`${BASE}?statut=1`)).body)).toEqual(["29053"]);
      expect(lignes((await browser.get(BASE)).body)).toEqual(["29053"]);
      const reset = await browser.get(`${BASE}?reinitialiser=1`);
      expect(reset.statusCode).toBe(303);
      expect(reset.headers.location).toBe(BASE);
      expect(lignes((await browser.get(BASE)).body)).toEqual(["29301", "29049", "29266"]);
    });

    it("keeps each département's filter apart", async () => {
      const browser = deuxDepartements;
      await browser.get(`${BASE}?statut=tous`);
      expect(lignes((await browser.get("/conservateurs/departements/56")).body)).toEqual(["56001"]);
      expect(lignes((await browser.get(BASE)).body)).toHaveLength(15);
    });

    it("lists every commune with objets when asked for all statuts, 15 a page", async () => {
      const page1 = await conservateur.get(`${BASE}?statut=tous`);
      expect(lignes(page1.body)).toEqual([
        "29189",
        "29301",
        "29049",
        "29019",
        "29400",
        "29401",
        "29402",
        "29403",
        "29404",
        "29405",
        "29406",
        "29407",
        "29408",
        "29409",
        "29410",
      ]);
      expect(page1.body).toContain("24 communes · page 1 sur 2");
      expect(page1.body).not.toContain("29232");
      expect(page1.body).toContain(
        '<a class="fr-pagination__link" href="/conservateurs/departements/29?statut=tous&amp;page=2" title="Page 2">2</a>',
      );
      const page2 = await conservateur.get(`${BASE}?statut=tous&page=2`);
      expect(lignes(page2.body)).toEqual(["29411", "29412", "29413", "29414", "29415", "29416", "29417", "29053", "29266"]);
      expect(page2.body).toContain('aria-current="page">2</a>');
      // Past the end: the last page.
      expect(lignes((await conservateur.get(`${BASE}?statut=tous&page=40`)).body)).toEqual(lignes(page2.body));
    });

    it("sorts on every column both ways, name A→Z between ties", async () => {
      const tri = async (colonne: string, ordre: string, q = "") =>
        lignes((await conservateur.get(`${BASE}?statut=tous&tri=${colonne}&ordre=${ordre}${q}`)).body);
      // The five communes with a dossier (all have an "a" in their name, the others not).
      const nommees = "&q=a";
      // Names A→Z whatever their accents: Élliant first (in C collation "É" comes after "Z").
      expect(await tri("commune", "asc", nommees)).toEqual(["29049", "29053", "29189", "29266", "29301"]);
      expect(await tri("commune", "desc", nommees)).toEqual(["29301", "29266", "29189", "29053", "29049"]);
      expect(await tri("objets", "desc", nommees)).toEqual(["29301", "29049", "29189", "29266", "29053"]);
      expect(await tri("objets", "asc", nommees)).toEqual(["29053", "29049", "29189", "29266", "29301"]);
      expect(await tri("peril", "desc", nommees)).toEqual(["29189", "29301", "29049", "29053", "29266"]);
      expect(await tri("peril", "asc", nommees)).toEqual(["29053", "29266", "29049", "29301", "29189"]);
      expect(await tri("disparus", "desc", nommees)).toEqual(["29301", "29189", "29049", "29053", "29266"]);
      expect(await tri("disparus", "asc", nommees)).toEqual(["29053", "29266", "29049", "29189", "29301"]);
      expect(await tri("examen", "asc", nommees)).toEqual(["29053", "29266", "29301", "29049", "29189"]);
      expect(await tri("examen", "desc", nommees)).toEqual(["29189", "29049", "29301", "29266", "29053"]);
      // Activity: the communes without a dossier come last both ways.
      const recents = await tri("activite", "desc");
      expect(recents.slice(0, 5).sort()).toEqual(["29049", "29053", "29189", "29266", "29301"]);
      expect(recents[4]).toBe("29266");
      expect(recents[5]).toBe("29019");
      expect((await tri("activite", "asc"))[0]).toBe("29266");
      const html = (await conservateur.get(`${BASE}?statut=tous&tri=commune&ordre=asc`)).body;
      expect(html).toContain('<th scope="col" aria-sort="ascending"><div class="fr-cell--sort"><span>Commune</span>');
      expect(html).toContain('href="/conservateurs/departements/29?statut=tous&amp;tri=commune&amp;ordre=desc"');
    });

    it("finds communes by name whatever the accents, case and hyphens", async () => {
      const cherche = async (q: string) => lignes((await conservateur.get(`${BASE}?statut=tous&q=${encodeURIComponent(q)}`)).body);
      expect(await cherche("elliant")).toEqual(["29049"]);
      expect(await cherche("ÉLLIANT")).toEqual(["29049"]);
      expect(await cherche("thégo")).toEqual(["29266"]);
      expect(await cherche("saint-anne")).toEqual(["29301"]);
      expect(await cherche("sainte anne d'auray")).toEqual(["29301"]);
      expect(await cherche("saint")).toEqual(["29301", "29266"]);
      const html = (await conservateur.get(`${BASE}?statut=tous&q=zzz`)).body;
      expect(html).toContain("Aucune commune trouvée.");
      expect(html).not.toContain("<table");
      expect(html).toContain('value="zzz"');
      // The search applies within the remembered statut filter too.
      expect(lignes((await conservateur.get(`${BASE}?statut=a-examiner&q=plougastel`)).body)).toEqual([]);
    });

    it("falls back to the defaults on malformed parameters, never an error", async () => {
      for (const query of [
        "statut=9&tri=nom;drop&ordre=up&page=-1",
        "statut=a-examiner&statut=tous&tri[]=x",
        "page=1e99",
        `q=${"%25".repeat(300)}`,
        "q=%00%27%22%5C",
      ]) {
        const response = await conservateur.get(`${BASE}?${query}`);
        expect(response.statusCode, query).toBe(200);
      }
      expect(lignes((await conservateur.get(`${BASE}?statut=9&tri=nom;drop&ordre=up&page=-1`)).body)).toEqual(["29301", "29049", "29266"]);
    });

    it("is refused to a conservateur of another département and unknown for a wrong code", async () => {
      const refused = await autre.get(BASE);
      expect(refused.statusCode).toBe(403);
      expect(refused.body).not.toContain("Sainte-Anne");
      expect((await autre.get(`${BASE}/activite`)).statusCode).toBe(403);
      expect((await conservateur.get("/conservateurs/departements/999")).statusCode).toBe(404);
      expect((await conservateur.get("/conservateurs/departements/98")).statusCode).toBe(404);
    });
  });

  describe("activity", () => {
    it("shows the dossiers sent, the recensements completed and the messages of the default period", async () => {
      const html = (await conservateur.get(`${BASE}/activite`)).body;
      expect(html).toContain('aria-current="page">Activité</a>');
      // Saint-Thégonnec sent its dossier 40 days ago: outside the default period.
      expect(html).toContain("Dossiers transmis : 3");
      expect(decode(html)).toContain('<a href="/conservateurs/communes/29301">Sainte-Anne-d’Auray</a>');
      expect(html).not.toContain('<a href="/conservateurs/communes/29266">Saint-Thégonnec</a> <span class="fr-text--sm">transmis');
      expect(html).toContain("Recensements récents : 7");
      expect(html).toContain("Objet de Plougastel-Daoulas");
      expect(html).toContain("Nouveaux messages : 2");
      expect(html).toContain('<a href="/conservateurs/communes/29049/messagerie">Élliant</a>');
      expect(html).toContain("2 messages");
      expect(html).not.toContain("/conservateurs/communes/29019/messagerie");
      expect(html).toMatch(/id="periode-du" name="du" value="\d{4}-\d{2}-\d{2}"/);
    });

    it("takes a chosen period, and says when nothing happened", async () => {
      const html = (await conservateur.get(`${BASE}/activite?du=2020-01-01&au=2020-01-31`)).body;
      expect(html).toContain("Dossiers transmis : 0");
      expect(html).toContain("Aucun dossier transmis entre le 1 janvier 2020 et le 31 janvier 2020.");
      expect(html).toContain("Aucun recensement terminé entre le 1 janvier 2020 et le 31 janvier 2020.");
      expect(html).toContain("Aucun message des communes entre le 1 janvier 2020 et le 31 janvier 2020.");
      const large = (await conservateur.get(`${BASE}/activite?du=01/01/2020&au=31/12/2099`)).body;
      expect(large).toContain("Dossiers transmis : 4");
      expect(large).toContain("Nouveaux messages : 3");
    });

    it("explains a wrong or inverted period in French, without a server error", async () => {
      const wrong = await conservateur.get(`${BASE}/activite?du=2025-02-30&au=demain`);
      expect(wrong.statusCode).toBe(400);
      expect(wrong.body).toContain("La date de début n’est pas une date valide");
      expect(wrong.body).toContain("La date de fin n’est pas une date valide");
      expect(wrong.body).toContain('value="demain"');
      expect(wrong.body).not.toContain("Dossiers transmis");
      const inverted = await conservateur.get(`${BASE}/activite?du=2025-03-10&au=2025-03-01`);
      expect(inverted.statusCode).toBe(400);
      expect(inverted.body).toContain("La date de fin doit être le même jour que la date de début ou après.");
      expect((await conservateur.get(`${BASE}/activite?du[]=1&au=%00`)).statusCode).toBe(400);
      // A date left out of the form keeps its default.
      const half = await conservateur.get(`${BASE}/activite?du=hier`);
      expect(half.statusCode).toBe(400);
      expect(half.body).toMatch(/id="periode-au" name="au" value="\d{4}-\d{2}-\d{2}"/);
    });

    it("sends a conservateur of one département to its tab, and shows every département to the others", async () => {
      const one = await conservateur.get("/conservateurs/departements/activite?du=2020-01-01");
      expect(one.statusCode).toBe(303);
      expect(one.headers.location).toBe(`${BASE}/activite?du=2020-01-01`);
      const both = await deuxDepartements.get("/conservateurs/departements/activite");
      expect(both.statusCode).toBe(200);
      expect(both.body).toContain("<h1>Activité des communes</h1>");
      expect(both.body).toContain('<a href="/conservateurs/departements/29/activite">29 - Finistère</a>');
      expect(both.body).toContain('<a href="/conservateurs/departements/56/activite">56 - Morbihan</a>');
      expect(both.body.match(/<h3 class="fr-h6 fr-mb-2w">Dossiers transmis : \d+<\/h3>/g)).toHaveLength(2);
      const none = await sansDepartement.get("/conservateurs/departements/activite");
      expect(none.body).toContain("Vous n’avez accès à aucun département pour l’instant.");
    });
  });
});
