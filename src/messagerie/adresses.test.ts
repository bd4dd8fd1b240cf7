import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { adresseReponse, jetonValide, lireAdresseReponse, nouveauSecretCommune } from "./adresses.ts";

const cle = crypto.randomBytes(32);
const domaine = "reponse.example.org";
const commune = { code_insee: "2A004", inbound_email_token: nouveauSecretCommune() };

describe("signed reply addresses", () => {
  it("reads back the commune and the side of each address, whatever the case", () => {
    const mairie = adresseReponse(cle, domaine, commune, "commune");
    const conservateurs = adresseReponse(cle, domaine, commune, "conservateur");
    expect(mairie).toMatch(/^mairie-2a004-[a-z2-7]{24}@reponse\.example\.org$/);
    expect(conservateurs).toMatch(/^mairie-2a004-conservateur-[a-z2-7]{24}@reponse\.example\.org$/);
    const lue = lireAdresseReponse(mairie.toUpperCase(), domaine);
    expect(lue).toMatchObject({ codeInsee: "2A004", cote: "commune" });
    expect(jetonValide(cle, commune, lue!)).toBe(true);
    const lueConservateurs = lireAdresseReponse(conservateurs, domaine);
    expect(lueConservateurs).toMatchObject({ codeInsee: "2A004", cote: "conservateur" });
    expect(jetonValide(cle, commune, lueConservateurs!)).toBe(true);
  });

  it("gives each side its own token: the mairie's token does not open the conservateurs' address", () => {
    const mairie = lireAdresseReponse(adresseReponse(cle, domaine, commune, "commune"), domaine)!;
    expect(jetonValide(cle, commune, { ...mairie, cote: "conservateur" })).toBe(false);
  });

  it("refuses a token made with another key, for another commune, or after the commune's secret is renewed", () => {
    const lue = lireAdresseReponse(adresseReponse(cle, domaine, commune, "commune"), domaine)!;
    expect(jetonValide(crypto.randomBytes(32), commune, lue)).toBe(false);
    expect(jetonValide(cle, { ...commune, code_insee: "2A005" }, lue)).toBe(false);
    expect(jetonValide(cle, { ...commune, inbound_email_token: nouveauSecretCommune() }, lue)).toBe(false);
  });

  it("ignores addresses of another domain or another shape", () => {
    const adresse = adresseReponse(cle, domaine, commune, "commune");
    expect(lireAdresseReponse(adresse.replace(domaine, "example.org"), domaine)).toBeNull();
    expect(lireAdresseReponse(`contact@${domaine}`, domaine)).toBeNull();
    expect(lireAdresseReponse(`mairie-99999-abc@${domaine}`, domaine)).toBeNull();
    expect(lireAdresseReponse(`mairie-01053-${"a".repeat(24)}@${domaine}.evil.test`, domaine)).toBeNull();
  });
});
