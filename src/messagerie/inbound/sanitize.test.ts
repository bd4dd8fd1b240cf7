import { describe, expect, it } from "vitest";
import { sanitiserHtml } from "./sanitize.ts";

/** What must never survive, whatever the input. */
const DANGEREUX =
  /<\s*(?:script|style|iframe|object|embed|form|input|img|svg|math|link|meta|base)\b|\son[a-z]+\s*=|javascript:|vbscript:|data:|style\s*=|expression\s*\(/i;

const VECTEURS = [
  `<script>alert(1)</script>`,
  `<SCRIPT SRC=//evil.test/x.js></SCRIPT>`,
  `<img src=x onerror=alert(1)>`,
  `<img src="x" onerror="alert(1)" alt="Plan de l'église">`,
  `<svg onload=alert(1)><circle r=5 /></svg>`,
  `<svg><script>alert(1)</script></svg>`,
  `<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
  `<a href="javascript:alert(1)">clic</a>`,
  `<a href="JaVaScRiPt:alert(1)">clic</a>`,
  `<a href="jav&#x09;ascript:alert(1)">clic</a>`,
  `<a href="jav&#x0A;ascript:alert(1)">clic</a>`,
  `<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">clic</a>`,
  `<a href=" javascript:alert(1)">clic</a>`,
  `<a href="vbscript:msgbox(1)">clic</a>`,
  `<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">clic</a>`,
  `<div style="background:url(javascript:alert(1))">x</div>`,
  `<div style="width: expression(alert(1))">x</div>`,
  `<p onclick="alert(1)" onmouseover=alert(1)>x</p>`,
  `<iframe src="https://evil.test"></iframe>`,
  `<object data="x.swf"></object><embed src="x.swf">`,
  `<form action="https://evil.test"><input name=code><button>OK</button></form>`,
  `<scr<script>ipt>alert(1)</scr</script>ipt>`,
  `<<script>script>alert(1)<</script>/script>`,
  `<div><p><b>non fermé <i>du tout`,
  `<a href="https://ok.test" onclick="alert(1)" style="color:red" target="_blank" rel="opener">lien</a>`,
  `<meta http-equiv="refresh" content="0;url=https://evil.test"><base href="https://evil.test/">`,
  `<link rel=stylesheet href=https://evil.test/x.css><style>@import 'x';</style>`,
  `<!--[if gte mso 9]><script>alert(1)</script><![endif]--><p>Outlook</p>`,
  `<table background="javascript:alert(1)"><tr><td onmouseover=alert(1)>cellule</td></tr></table>`,
  `<img src="https://tracker.test/pixel.gif" width="1" height="1">`,
  `<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>`,
  `<a href="//evil.test/x">protocole relatif</a>`,
];

describe("sanitiserHtml", () => {
  it.each(VECTEURS)("neutralises %s", (vecteur) => {
    const propre = sanitiserHtml(vecteur);
    expect(propre).not.toMatch(DANGEREUX);
    expect(sanitiserHtml(propre)).toBe(propre);
  });

  it("keeps the structure of a reply and safe links, with rel forced", () => {
    const html =
      '<div><p>Bonjour,</p><p>Le <strong>calice</strong> est <em>à la sacristie</em>, <u>voir</u> <s>hier</s>.</p><ul><li>un</li><li>deux</li></ul><ol><li>trois</li></ol><blockquote>cité</blockquote><pre><code>code</code></pre><p><a href="https://pop.culture.gouv.fr/notice/palissy/PM56000001" title="Notice" target="_blank" class="x">notice</a> <a href="mailto:mairie@ville.fr">écrire</a></p><table><tr><th>Objet</th><td>Calice</td></tr></table></div>';
    expect(sanitiserHtml(html)).toBe(
      '<div><p>Bonjour,</p><p>Le <strong>calice</strong> est <em>à la sacristie</em>, <u>voir</u> <s>hier</s>.</p><ul><li>un</li><li>deux</li></ul><ol><li>trois</li></ol><blockquote>cité</blockquote><pre><code>code</code></pre><p><a href="https://pop.culture.gouv.fr/notice/palissy/PM56000001" title="Notice" rel="nofollow noopener noreferrer">notice</a> <a href="mailto:mairie@ville.fr" rel="nofollow noopener noreferrer">écrire</a></p><table><tr><th>Objet</th><td>Calice</td></tr></table></div>',
    );
  });

  it("replaces images by their alt text and headings by bold text", () => {
    expect(
      sanitiserHtml('<h1 style="color:red">Inventaire</h1><p><img src="cid:1" alt="Photo du calice"> <img src="https://t.test/p.gif"></p>'),
    ).toBe("<strong>Inventaire</strong><p><span>[Photo du calice]</span> <span>[image]</span></p>");
  });

  it("drops the head, styles and comments of a whole HTML document and keeps text that looks like markup escaped", () => {
    expect(
      sanitiserHtml(
        "<html><head><title>Re: message</title><style>p{color:red}</style></head><body><!-- x --><p>ok &lt;script&gt;</p></body></html>",
      ),
    ).toBe("<p>ok &lt;script&gt;</p>");
  });
});
