import type { ComponentChildren } from "preact";
import type { PalissyPhoto } from "../../platform/db/schema.ts";
import { safeImageUrl, truncate } from "../rules.ts";

export type ObjetCardProps = {
  href: string;
  /** Full title; the card shows it truncated and keeps the full text for assistive technologies. */
  title: string;
  details: string[];
  photo: PalissyPhoto | null;
  /** Badges or tags shown above the title (recensement status in the commune interface). */
  start?: ComponentChildren;
  headingLevel?: 3 | 4;
};

/** DSFR card of one objet: truncated title, édifice, first photo or a placeholder. */
export function ObjetCard(props: ObjetCardProps) {
  const short = truncate(props.title);
  const Heading = props.headingLevel === 4 ? "h4" : "h3";
  const src = props.photo ? safeImageUrl(props.photo.url) : null;
  return (
    <div class="fr-card fr-enlarge-link">
      <div class="fr-card__body">
        <div class="fr-card__content">
          <Heading class="fr-card__title">
            <a href={props.href} title={short === props.title ? undefined : props.title}>
              {short}
            </a>
          </Heading>
          {props.details.map((detail, index) => (
            <p class="fr-card__desc" key={index}>
              {detail}
            </p>
          ))}
          {props.start ? <div class="fr-card__start">{props.start}</div> : null}
        </div>
      </div>
      <div class="fr-card__header">
        <div class="fr-card__img">
          {src ? (
            <img class="fr-responsive-img fr-ratio-4x3" src={src} alt="" loading="lazy" />
          ) : (
            <div class="co-card-img-placeholder">
              <span class="fr-icon-image-line" aria-hidden="true" />
              <span class="fr-text--xs fr-mb-0">Pas de photo</span>
            </div>
          )}
        </div>
      </div>
    </div>
  );
}
