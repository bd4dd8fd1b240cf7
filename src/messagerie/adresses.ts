import crypto from "node:crypto";
import path from "node:path";
import type { Config } from "../config.ts";
import { persistedKey } from "../platform/http/session.ts";

/**
 * Signed reply addresses (RB §7.5): `mairie-{insee}-{jeton}@{REPLY_DOMAIN}` reaches the thread as the commune,
 * `mairie-{insee}-conservateur-{jeton}@…` as the conservateurs. Unlike RB, the two sides have different
 * tokens (an HMAC of the side, the INSEE code and the commune's secret `inbound_email_token`): a mairie that
 * reads its own address cannot derive the conservateurs' one. Rotating `inbound_email_token` revokes both.
 */
export type Cote = "commune" | "conservateur";

export type CommuneAdressable = { code_insee: string; inbound_email_token: string };

export type AdresseLue = { codeInsee: string; cote: Cote; jeton: string };

const JETON_LONGUEUR = 24;
const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

/** 24 base32 characters (120 bits), lower case: mail systems may change the case of a local part. */
export function jetonAdresse(cle: Buffer, commune: CommuneAdressable, cote: Cote): string {
  const mac = crypto
    .createHmac("sha256", cle)
    .update(`${cote}:${commune.code_insee.toUpperCase()}:${commune.inbound_email_token}`)
    .digest();
  return base32(mac).slice(0, JETON_LONGUEUR);
}

export function adresseReponse(cle: Buffer, domaine: string, commune: CommuneAdressable, cote: Cote): string {
  const insee = commune.code_insee.toLowerCase();
  const jeton = jetonAdresse(cle, commune, cote);
  return cote === "commune" ? `mairie-${insee}-${jeton}@${domaine}` : `mairie-${insee}-conservateur-${jeton}@${domaine}`;
}

const ADRESSE = /^mairie-([0-9][0-9ab][0-9]{3})-(?:(conservateur)-)?([a-z2-7]{8,64})@([a-z0-9.-]+)$/;

/** Reads the shape of an address (no check of the token): null when it is not one of ours. */
export function lireAdresseReponse(adresse: string, domaine: string): AdresseLue | null {
  const match = ADRESSE.exec(adresse.trim().toLowerCase());
  if (!match || match[4] !== domaine.toLowerCase()) return null;
  return { codeInsee: match[1]!.toUpperCase(), cote: match[2] ? "conservateur" : "commune", jeton: match[3]! };
}

/** Constant-time comparison of a received token with the commune's current one for that side. */
export function jetonValide(cle: Buffer, commune: CommuneAdressable, lue: AdresseLue): boolean {
  const attendu = Buffer.from(jetonAdresse(cle, commune, lue.cote));
  const recu = Buffer.from(lue.jeton);
  return attendu.length === recu.length && crypto.timingSafeEqual(attendu, recu);
}

/** A new secret for a commune: both of its reply addresses change, the old ones are refused from then on. */
export function nouveauSecretCommune(): string {
  return crypto.randomBytes(20).toString("hex");
}

/**
 * The key of the tokens: REPLY_TOKEN_SECRET, else derived from SESSION_SECRET (both required to be stable
 * across processes in production), else a key kept in the data folder (development), else a fixed key in
 * tests, else a per-process one.
 */
export function cleAdressesReponse(config: Pick<Config, "replyTokenSecret" | "sessionSecret" | "env" | "databaseUrl" | "dataDir">): Buffer {
  const secret = config.replyTokenSecret ?? config.sessionSecret;
  if (secret) return Buffer.from(crypto.hkdfSync("sha256", secret, "collectif-objets", "reply-address", 32));
  if (config.env === "test") return Buffer.from(crypto.hkdfSync("sha256", "tests", "collectif-objets", "reply-address", 32));
  if (config.env === "development" && !config.databaseUrl) return persistedKey(path.join(config.dataDir, "reply.key"));
  return crypto.randomBytes(32);
}

/** What a mail builder needs to give a commune-facing mail its Reply-To (replies land in the thread). */
export type AdressageReponses = { cle: Buffer; domaine: string };

export function adressageDe(ctx: { replyKey: Buffer; config: { replyDomain: string } }): AdressageReponses {
  return { cle: ctx.replyKey, domaine: ctx.config.replyDomain };
}

/** The commune-side reply address: a reply to a mail the commune received lands in its thread, as the commune. */
export function reponseCommune(adressage: AdressageReponses, commune: CommuneAdressable): string {
  return adresseReponse(adressage.cle, adressage.domaine, commune, "commune");
}
