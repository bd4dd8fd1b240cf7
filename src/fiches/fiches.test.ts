import { describe, expect, it } from "vitest";
import { FICHE_IDS, frenchSpacing, listFiches, parseFrontMatter, renderMarkdown } from "./fiches.ts";

describe("renderMarkdown", () => {
  it("escapes raw HTML instead of passing it through", () => {
    const { html } = renderMarkdown('Texte <script>alert(1)</script>\n\n<div onclick="x()">bloc</div>\n');
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<div");
    expect(html).toContain("&lt;script&gt;");
  });
  it("drops links to unsafe schemes and opens external links in a new window", () => {
    const { html } = renderMarkdown("[a](javascript:alert(1)) [b](/fiches/securisation) [c](https://www.culture.gouv.fr)");
    expect(html).not.toContain("javascript:");
    expect(html).toContain('<a href="/fiches/securisation">b</a>');
    expect(html).toContain('href="https://www.culture.gouv.fr" title="c - nouvelle fenêtre" target="_blank" rel="noopener"');
  });
  it("anchors h2 headings for the table of contents, with unique ids", () => {
    const { html, sommaire } = renderMarkdown("## L’humidité\n\ntexte\n\n## L’humidité\n\n### Détail\n");
    expect(sommaire).toEqual([
      { anchor: "l-humidite", label: "L’humidité" },
      { anchor: "l-humidite-2", label: "L’humidité" },
    ]);
    expect(html).toContain('<h2 id="l-humidite">L’humidité</h2>');
    expect(html).toContain("<h3>Détail</h3>");
  });
});

describe("frenchSpacing", () => {
  it("puts non-breaking spaces in text, never inside tags", () => {
    expect(frenchSpacing('<p title="a : b">Vrai ? « oui » : <a href="/x">non !</a></p>')).toBe(
      '<p title="a : b">Vrai\u00a0? «\u00a0oui\u00a0»\u00a0: <a href="/x">non\u00a0!</a></p>',
    );
  });
});

describe("fiches", () => {
  it("parses the front-matter", () => {
    expect(parseFrontMatter("---\ntitre: Un titre : oui\nresume: Court\n---\n\n## Corps")).toEqual({
      data: { titre: "Un titre : oui", resume: "Court" },
      body: "\n## Corps",
    });
  });
  it("loads the five fiches, each with several sections", () => {
    const fiches = listFiches();
    expect(fiches.map((fiche) => fiche.id)).toEqual([...FICHE_IDS]);
    for (const fiche of fiches) {
      expect(fiche.titre).not.toBe("");
      expect(fiche.sommaire.length).toBeGreaterThanOrEqual(4);
    }
  });
});
