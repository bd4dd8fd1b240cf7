import { Summary } from "../ui/components.tsx";
import {
  GUIDE_INTRODUCTION,
  GUIDE_TITRE,
  SECTIONS,
  URL_GUIDE_PDF,
  type Bloc,
  type Section,
  type SousSection,
  type Texte,
} from "./contenus.ts";

/** A piece of the guide's text, its links as links. */
export function TexteGuide(props: { texte: Texte }) {
  if (typeof props.texte === "string") return <>{props.texte}</>;
  return (
    <>
      {props.texte.map((part, index) =>
        typeof part === "string" ? (
          part
        ) : (
          <a key={index} href={part.href}>
            {part.texte}
          </a>
        ),
      )}
    </>
  );
}

export function BlocGuide(props: { bloc: Bloc; niveauTitre: 3 | 4 }) {
  const { bloc } = props;
  switch (bloc.type) {
    case "paragraphe":
      return (
        <p>
          <TexteGuide texte={bloc.texte} />
        </p>
      );
    case "liste": {
      const items = bloc.items.map((item, index) => (
        <li key={index}>
          <TexteGuide texte={item} />
        </li>
      ));
      return bloc.numerotee ? <ol class="guide-liste">{items}</ol> : <ul class="guide-liste">{items}</ul>;
    }
    case "important": {
      const Titre = props.niveauTitre === 3 ? "h3" : "h4";
      return (
        <div class="fr-callout guide-important">
          <Titre class="fr-callout__title fr-h6">{bloc.titre}</Titre>
          <p class="fr-callout__text fr-text--md">
            <TexteGuide texte={bloc.texte} />
          </p>
        </div>
      );
    }
    case "definitions":
      return (
        <dl class="guide-definitions">
          {bloc.items.map((item) => (
            <div key={item.terme}>
              <dt>{item.terme}</dt>
              <dd>
                <TexteGuide texte={item.definition} />
              </dd>
            </div>
          ))}
        </dl>
      );
  }
}

function SousSectionGuide(props: { sous: SousSection }) {
  return (
    <section aria-labelledby={props.sous.id} class="fr-mt-4w">
      <h3 id={props.sous.id} class="fr-h5 guide-ancre">
        {props.sous.titre}
      </h3>
      {props.sous.blocs.map((bloc, index) => (
        <BlocGuide key={index} bloc={bloc} niveauTitre={4} />
      ))}
    </section>
  );
}

function SectionGuide(props: { section: Section }) {
  const { section } = props;
  return (
    <section aria-labelledby={section.id} class="fr-mt-6w">
      <h2 id={section.id} class="guide-ancre">
        {section.titre}
      </h2>
      {section.blocs.map((bloc, index) => (
        <BlocGuide key={index} bloc={bloc} niveauTitre={3} />
      ))}
      {section.sousSections.map((sous) => (
        <SousSectionGuide key={sous.id} sous={sous} />
      ))}
    </section>
  );
}

/** /guide-de-recensement: table of contents, the sections with their anchors, the PDF link. */
export function GuidePage() {
  return (
    <div class="fr-grid-row">
      <div class="fr-col-12 fr-col-lg-9 guide">
        <h1>{GUIDE_TITRE}</h1>
        {GUIDE_INTRODUCTION.map((texte, index) => (
          <p key={index} class={index === 0 ? "fr-text--lead" : undefined}>
            <TexteGuide texte={texte} />
          </p>
        ))}
        <p>
          <a class="fr-link fr-icon-download-line fr-link--icon-left" href={URL_GUIDE_PDF} download="guide-de-recensement.pdf">
            Télécharger le guide au format PDF, pour l’imprimer
          </a>
        </p>
        <Summary items={SECTIONS.map((section) => ({ anchor: section.id, label: section.titre }))} />
        {SECTIONS.map((section) => (
          <SectionGuide key={section.id} section={section} />
        ))}
        <p class="fr-mt-6w">
          <a class="fr-link fr-icon-arrow-up-line fr-link--icon-left" href="#contenu">
            Haut de page
          </a>
        </p>
      </div>
    </div>
  );
}
