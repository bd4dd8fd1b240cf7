import type { ComponentChildren } from "preact";
import { safeImageUrl, truncate } from "../rules.ts";

export type ObjetCardProps = {
  href: string;
  /** Full title; the card shows it truncated and keeps the full text for assistive technologies. */
  title: string;
  details: string[];
  /** A Mémoire photo (hot-linked, checked by `safeImageUrl`) or one of our own paths; null shows a placeholder. */
  photo: { url: string } | null;
  /** Badges or tags shown above the title (recensement status in the commune interface). */
  start?: ComponentChildren;
  /** Buttons under the card (commune interface); a card with buttons is no longer one big link (DSFR). */
  footer?: ComponentChildren;
  headingLevel?: 3 | 4;
};

/** DSFR card of one objet: truncated title, édifice, first photo or a placeholder. */
export function ObjetCard(props: ObjetCardProps) {
  const short = truncate(props.title);
  const Heading = props.headingLevel === 4 ? "h4" : "h3";
  const src = props.photo ? safeImageUrl(props.photo.url) : null;
  return (
    <div class={props.footer ? "fr-card" : "fr-card fr-enlarge-link"}>
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
        {props.footer ? <div class="fr-card__footer">{props.footer}</div> : null}
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
