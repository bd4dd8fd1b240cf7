import type { ComponentChildren } from "preact";

/** Small DSFR components shared by every interface, following the DSFR 1.14 markup. */

type HeadingLevel = 2 | 3 | 4;

function Heading(props: { level: HeadingLevel; class?: string; id?: string; children: ComponentChildren }) {
  const Tag = `h${props.level}` as const;
  return (
    <Tag class={props.class} id={props.id}>
      {props.children}
    </Tag>
  );
}

export function Callout(props: {
  title: string;
  level?: HeadingLevel;
  icon?: string;
  children: ComponentChildren;
  action?: { href: string; label: string };
}) {
  return (
    <div class={`fr-callout${props.icon ? ` ${props.icon}` : ""}`}>
      <Heading level={props.level ?? 2} class="fr-callout__title">
        {props.title}
      </Heading>
      <div class="fr-callout__text">{props.children}</div>
      {props.action ? (
        <a class="fr-btn fr-btn--secondary fr-mt-2w" href={props.action.href}>
          {props.action.label}
        </a>
      ) : null}
    </div>
  );
}

export type AccordionItem = { id: string; title: string; content: ComponentChildren };

/** Without JavaScript every panel stays open (see public/app.css). */
export function Accordions(props: { items: AccordionItem[]; level?: HeadingLevel }) {
  return (
    <div class="fr-accordions-group">
      {props.items.map((item) => (
        <section class="fr-accordion" key={item.id}>
          <Heading level={props.level ?? 3} class="fr-accordion__title">
            <button type="button" class="fr-accordion__btn" aria-expanded="false" aria-controls={item.id}>
              {item.title}
            </button>
          </Heading>
          <div class="fr-collapse" id={item.id}>
            {item.content}
          </div>
        </section>
      ))}
    </div>
  );
}

/** DSFR "sommaire" (table of contents) linking to anchors of the page. */
export function Summary(props: { items: { anchor: string; label: string }[]; id?: string; title?: string }) {
  const titleId = `${props.id ?? "sommaire"}-titre`;
  return (
    <nav class="fr-summary fr-mb-4w" role="navigation" aria-labelledby={titleId}>
      <h2 class="fr-summary__title" id={titleId}>
        {props.title ?? "Sommaire"}
      </h2>
      <ol>
        {props.items.map((item) => (
          <li key={item.anchor}>
            <a class="fr-summary__link" href={`#${item.anchor}`}>
              {item.label}
            </a>
          </li>
        ))}
      </ol>
    </nav>
  );
}

/** DSFR 1.14 table wrapper (horizontal scroll on narrow screens); the table itself keeps its caption. */
export function Table(props: {
  bordered?: boolean;
  /** compact rows, for the back office's long lists */ small?: boolean;
  /** the caption repeats the heading just above: hide it visually */ noCaption?: boolean;
  children: ComponentChildren;
}) {
  const modifiers = `${props.bordered ? " fr-table--bordered" : ""}${props.small ? " fr-table--sm" : ""}${props.noCaption ? " fr-table--no-caption" : ""}`;
  return (
    <div class={`fr-table${modifiers}`}>
      <div class="fr-table__wrapper">
        {/* Focusable so that keyboard users can scroll a table wider than the screen. */}
        <div class="fr-table__container" tabIndex={0}>
          <div class="fr-table__content">{props.children}</div>
        </div>
      </div>
    </div>
  );
}

/** A big figure with its label, for counters (home, statistics). */
export function KeyFigure(props: { value: number | string; label: string; detail?: string }) {
  return (
    <div class="co-key-figure">
      <p class="co-counter fr-mb-1v">{typeof props.value === "number" ? props.value.toLocaleString("fr-FR") : props.value}</p>
      <p class="fr-text--lg fr-mb-0">{props.label}</p>
      {props.detail ? <p class="fr-text--sm fr-mb-0 co-muted">{props.detail}</p> : null}
    </div>
  );
}

/** Previous / next links for lists read page by page; `base` ends with `?` or `&`. */
export function Pagination({ base, page, hasNext }: { base: string; page: number; hasNext: boolean }) {
  if (page === 1 && !hasNext) return null;
  return (
    <nav role="navigation" class="fr-pagination" aria-label="Pagination">
      <ul class="fr-pagination__list">
        {page > 1 ? (
          <li>
            <a class="fr-pagination__link fr-pagination__link--prev fr-pagination__link--lg-label" href={`${base}page=${page - 1}`}>
              Page précédente
            </a>
          </li>
        ) : null}
        <li>
          <a class="fr-pagination__link" aria-current="page">
            {page}
          </a>
        </li>
        {hasNext ? (
          <li>
            <a class="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label" href={`${base}page=${page + 1}`}>
              Page suivante
            </a>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}
