import { describe, expect, it } from "vitest";
import { FragmentPreRendu, renderDocument, renderDocumentBytes, renderFragment } from "./render.ts";

describe("pages with pre-rendered fragments", () => {
  const premier = renderFragment(<p>Chiffres de l’analyse : 12 345 objets — « vus »</p>);
  const second = renderFragment(
    <ul>
      <li>Église Saint-Éloi</li>
    </ul>,
  );
  const page = (texteUtilisateur: string) => (
    <html lang="fr">
      <body>
        <h1>{texteUtilisateur}</h1>
        <FragmentPreRendu rendu={premier} />
        <p>entre les deux</p>
        <FragmentPreRendu rendu={second} />
      </body>
    </html>
  );

  it("sends the same UTF-8 bytes as the whole page rendered as text", () => {
    const bytes = renderDocumentBytes(page("Analyse — 62"));
    const texte = renderDocument(page("Analyse — 62"));
    expect(bytes.toString("utf8")).toBe(texte);
    expect(texte).toContain("<div><p>Chiffres de l’analyse : 12 345 objets — « vus »</p></div><p>entre les deux</p><div><ul>");
  });

  it("keeps a user's text that looks like a marker as escaped text", () => {
    const html = renderDocumentBytes(page("<!--co-fragment-0000-->")).toString("utf8");
    expect(html).toContain("<h1>&lt;!--co-fragment-0000--></h1>");
    expect(html.match(/Chiffres de l’analyse/g)).toHaveLength(1);
  });

  it("gives a fragment rendered while a page renders its own markup, not the page's markers", () => {
    function Imbrique() {
      return <FragmentPreRendu rendu={renderFragment(<FragmentPreRendu rendu={premier} />)} />;
    }
    const html = renderDocumentBytes(
      <main>
        <Imbrique />
      </main>,
    ).toString("utf8");
    expect(html).toBe(`<!DOCTYPE html><main><div><div>${premier.octets.toString()}</div></div></main>`);
  });
});
