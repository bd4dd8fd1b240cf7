/**
 * Tabs made of links: each tab is its own page, so they work without JavaScript, can be bookmarked and
 * keep their state in the URL. Styled after the DSFR tabs (`.onglets` in app.css).
 */
export type Onglet = { href: string; label: string; current: boolean };

export function Onglets({ label, items }: { label: string; items: Onglet[] }) {
  return (
    <nav class="onglets fr-mb-4w" aria-label={label}>
      <ul class="onglets__liste">
        {items.map((item) => (
          <li key={item.href}>
            <a class="onglets__lien" href={item.href} aria-current={item.current ? "page" : undefined}>
              {item.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
