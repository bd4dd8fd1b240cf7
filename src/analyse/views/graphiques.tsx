import type { ComponentChildren } from "preact";
import { formatNombre } from "../rules.ts";

/**
 * Server-rendered SVG charts. Each one is an image with a title and a description read by screen readers;
 * the figures themselves are in the data table that follows it. No style attribute (the CSP forbids them):
 * colours come from the `co-analyse-serie-N` classes of public/app.css.
 */

export type Serie = { cle: string; label: string };
export type Barre = { label: string; valeurs: Record<string, number> };

const nombre = formatNombre;
/** SVG coordinates to a tenth of a unit: the charts are 770 units wide, so finer digits only add bytes. */
const dixieme = (valeur: number) => Math.round(valeur * 10) / 10;

function Legende({ series, prefixe }: { series: readonly Serie[]; prefixe: string }) {
  if (series.length < 2) return null;
  return (
    <ul class="co-analyse-legende" aria-hidden="true">
      {series.map((serie, index) => (
        <li key={serie.cle}>
          <span class={`co-analyse-pastille ${prefixe}-${index}`} />
          {serie.label}
        </li>
      ))}
    </ul>
  );
}

function Figure(props: {
  id: string;
  titre: string;
  description: string;
  largeur: number;
  hauteur: number;
  children: ComponentChildren;
  series: readonly Serie[];
  prefixe?: string;
}) {
  return (
    <figure class="co-analyse-figure">
      <svg
        role="img"
        aria-labelledby={`${props.id}-titre ${props.id}-desc`}
        viewBox={`0 0 ${props.largeur} ${props.hauteur}`}
        width="100%"
        preserveAspectRatio="xMinYMin meet"
        class="co-analyse-svg"
      >
        <title id={`${props.id}-titre`}>{props.titre}</title>
        <desc id={`${props.id}-desc`}>{props.description}</desc>
        {props.children}
      </svg>
      <Legende series={props.series} prefixe={props.prefixe ?? "co-analyse-serie"} />
    </figure>
  );
}

/** Horizontal bars, one per row, split into stacked segments when there are several series. */
export function BarresHorizontales(props: {
  id: string;
  titre: string;
  description: string;
  series: readonly Serie[];
  barres: readonly Barre[];
}) {
  const largeurLibelle = 220;
  const largeurBarres = 480;
  const hauteurBarre = 22;
  const ecart = 8;
  const totaux = props.barres.map((barre) => props.series.reduce((somme, serie) => somme + (barre.valeurs[serie.cle] ?? 0), 0));
  const maximum = Math.max(1, ...totaux);
  const hauteur = Math.max(1, props.barres.length) * (hauteurBarre + ecart) + ecart;
  return (
    <Figure
      id={props.id}
      titre={props.titre}
      description={props.description}
      largeur={largeurLibelle + largeurBarres + 70}
      hauteur={hauteur}
      series={props.series}
    >
      {props.barres.map((barre, ligne) => {
        const y = ecart + ligne * (hauteurBarre + ecart);
        let x = largeurLibelle;
        const libelle = barre.label.length > 32 ? `${barre.label.slice(0, 31)}…` : barre.label;
        return (
          <g key={`${barre.label}-${ligne}`}>
            <text x={largeurLibelle - 8} y={y + hauteurBarre / 2} class="co-analyse-libelle">
              {libelle}
            </text>
            {props.series.map((serie, index) => {
              const valeur = barre.valeurs[serie.cle] ?? 0;
              const largeur = (valeur / maximum) * largeurBarres;
              const rect =
                valeur > 0 ? (
                  <rect
                    key={serie.cle}
                    x={dixieme(x)}
                    y={y}
                    width={dixieme(largeur)}
                    height={hauteurBarre}
                    class={props.series.length === 1 ? "co-analyse-serie-unique" : `co-analyse-serie-${index}`}
                  />
                ) : null;
              x += largeur;
              return rect;
            })}
            <text x={dixieme(x + 6)} y={y + hauteurBarre / 2} class="co-analyse-valeur" dominant-baseline="middle">
              {nombre(totaux[ligne] ?? 0)}
            </text>
          </g>
        );
      })}
    </Figure>
  );
}

/** Lines over weeks (one per series), with the first and last week and the maximum on the axes. */
export function CourbesSemaines(props: {
  id: string;
  titre: string;
  description: string;
  series: readonly Serie[];
  points: readonly { label: string; valeurs: Record<string, number> }[];
}) {
  const gauche = 56;
  const haut = 12;
  const largeur = 640;
  const hauteur = 220;
  const maximum = Math.max(1, ...props.points.flatMap((point) => props.series.map((serie) => point.valeurs[serie.cle] ?? 0)));
  const pas = props.points.length > 1 ? largeur / (props.points.length - 1) : 0;
  const y = (valeur: number) => haut + hauteur - (valeur / maximum) * hauteur;
  const premier = props.points[0]?.label ?? "";
  const dernier = props.points.at(-1)?.label ?? "";
  return (
    <Figure
      id={props.id}
      titre={props.titre}
      description={props.description}
      largeur={gauche + largeur + 24}
      hauteur={haut + hauteur + 36}
      series={props.series}
      prefixe="co-analyse-trait"
    >
      <line x1={gauche} y1={haut + hauteur} x2={gauche + largeur} y2={haut + hauteur} class="co-analyse-axe" />
      <line x1={gauche} y1={haut} x2={gauche} y2={haut + hauteur} class="co-analyse-axe" />
      <text x={gauche - 6} y={haut} class="co-analyse-valeur" text-anchor="end" dominant-baseline="middle">
        {nombre(maximum)}
      </text>
      <text x={gauche - 6} y={haut + hauteur} class="co-analyse-valeur" text-anchor="end" dominant-baseline="middle">
        0
      </text>
      <text x={gauche} y={haut + hauteur + 22} class="co-analyse-valeur">
        {premier}
      </text>
      <text x={gauche + largeur} y={haut + hauteur + 22} class="co-analyse-valeur" text-anchor="end">
        {dernier}
      </text>
      {props.series.map((serie, index) => (
        <polyline
          key={serie.cle}
          class={`co-analyse-courbe co-analyse-trait-${index}`}
          points={props.points
            .map((point, i) => `${(gauche + i * pas).toFixed(1)},${y(point.valeurs[serie.cle] ?? 0).toFixed(1)}`)
            .join(" ")}
        />
      ))}
    </Figure>
  );
}

/** A data table in a focusable region named after it, so that keyboard users can scroll it on a narrow screen. */
export function TableauDonnees(props: { id: string; legende: string; csv?: string; children: ComponentChildren }) {
  return (
    <>
      <div class="fr-table fr-table--no-caption co-analyse-table">
        <div class="fr-table__wrapper">
          <div class="fr-table__container" tabIndex={0} role="region" aria-labelledby={`${props.id}-legende`}>
            <div class="fr-table__content">
              <table>
                <caption id={`${props.id}-legende`}>{props.legende}</caption>
                {props.children}
              </table>
            </div>
          </div>
        </div>
      </div>
      {props.csv ? (
        <p class="fr-mb-4w">
          <a class="fr-link fr-link--download" href={props.csv} download>
            Télécharger ces chiffres (CSV)
            <span class="fr-link__detail">CSV – séparateur point-virgule</span>
          </a>
        </p>
      ) : null}
    </>
  );
}
