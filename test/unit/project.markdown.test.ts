import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSafeImageUrl, isSafeLinkUrl, renderMarkdown } from '../../src/engine/project/markdown';

const xssDir = join(import.meta.dirname, '../fixtures/xss');
const dompurify = JSON.parse(readFileSync(join(xssDir, 'dompurify-vectors.json'), 'utf8')) as {
  title: string;
  payload: string;
}[];
const markdownVectors = (
  JSON.parse(readFileSync(join(xssDir, 'markdown-vectors.json'), 'utf8')) as { vectors: string[] }
).vectors;

interface Tag {
  readonly name: string;
  readonly closing: boolean;
  readonly attrs: readonly (readonly [string, string])[];
}

/** Decodes the character references an attribute value may hold (named ones markdown-it writes, and numeric). */
function decodeEntities(s: string): string {
  return s
    .replace(/&#x([0-9a-f]+);?/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);?/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&(quot|apos|lt|gt|colon|tab|newline|amp);/gi, (_, n: string) => {
      const map: Record<string, string> = {
        quot: '"',
        apos: "'",
        lt: '<',
        gt: '>',
        colon: ':',
        tab: '\t',
        newline: '\n',
        amp: '&',
      };
      return map[n.toLowerCase()]!;
    });
}

/**
 * A small HTML tokenizer, enough to read markdown-it's output the way a browser would: every '<' must open
 * a well-formed start or end tag (text '<' is always escaped), attributes are read with their values decoded.
 * Anything else (a comment, a doctype, a stray '<') is reported as a problem.
 */
function scanHtml(html: string): { tags: Tag[]; problems: string[] } {
  const tags: Tag[] = [];
  const problems: string[] = [];
  let i = 0;
  while ((i = html.indexOf('<', i)) >= 0) {
    const m = /^<(\/?)([A-Za-z][A-Za-z0-9]*)/.exec(html.slice(i));
    if (m === null) {
      problems.push(`stray '<' at ${i}: ${html.slice(i, i + 30)}`);
      i++;
      continue;
    }
    i += m[0].length;
    const attrs: [string, string][] = [];
    for (;;) {
      while (/[\s/]/.test(html[i] ?? '')) i++;
      if (i >= html.length) {
        problems.push(`unterminated tag <${m[2]!}`);
        break;
      }
      if (html[i] === '>') {
        i++;
        break;
      }
      const an = /^[^\s"'>/=]+/.exec(html.slice(i));
      if (an === null) {
        problems.push(`bad attribute at ${i}: ${html.slice(i, i + 30)}`);
        i++;
        continue;
      }
      i += an[0].length;
      let value = '';
      while (/\s/.test(html[i] ?? '')) i++;
      if (html[i] === '=') {
        i++;
        while (/\s/.test(html[i] ?? '')) i++;
        const q = html[i];
        if (q === '"' || q === "'") {
          const end = html.indexOf(q, i + 1);
          value = html.slice(i + 1, end < 0 ? html.length : end);
          i = end < 0 ? html.length : end + 1;
        } else {
          const v = /^[^\s>]*/.exec(html.slice(i))![0];
          value = v;
          i += v.length;
        }
      }
      attrs.push([an[0].toLowerCase(), decodeEntities(value)]);
    }
    tags.push({ name: m[2]!.toLowerCase(), closing: m[1] === '/', attrs });
  }
  return { tags, problems };
}

const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  p: [],
  br: [],
  hr: [],
  h1: [],
  h2: [],
  h3: [],
  h4: [],
  h5: [],
  h6: [],
  em: [],
  strong: [],
  s: [],
  code: ['class'],
  pre: [],
  blockquote: [],
  ul: [],
  ol: ['start'],
  li: [],
  a: ['href', 'title', 'target', 'rel'],
  img: ['src', 'alt', 'title'],
  table: [],
  thead: [],
  tbody: [],
  tr: [],
  th: ['style'],
  td: ['style'],
};
const FORBIDDEN_TAGS = [
  'script',
  'iframe',
  'object',
  'embed',
  'svg',
  'style',
  'form',
  'math',
  'base',
  'meta',
  'link',
];
const BAD_SCHEME = /^(javascript|vbscript|livescript|data:text|data:image\/svg|file|blob):?/;

/** What is wrong with an HTML output, by the rules the brief states; [] when it is safe. */
function violations(html: string): string[] {
  const { tags, problems } = scanHtml(html);
  const out = [...problems];
  if (/<script/i.test(html)) out.push('contains "<script"');
  for (const t of tags) {
    if (FORBIDDEN_TAGS.includes(t.name)) out.push(`forbidden tag <${t.name}>`);
    const allowed = ALLOWED[t.name];
    if (allowed === undefined) out.push(`tag <${t.name}> is not in the allowlist`);
    if (t.closing) continue;
    for (const [name, value] of t.attrs) {
      if (/^on/i.test(name)) out.push(`event handler ${name} on <${t.name}>`);
      if (allowed !== undefined && !allowed.includes(name)) out.push(`attribute ${name} on <${t.name}>`);
      if (name === 'style' && !/^text-align:(left|center|right)$/.test(value)) out.push(`style "${value}"`);
      if (name === 'href' || name === 'src') {
        // Browsers drop controls and whitespace inside schemes; compare what they would see.
        const seen = value
          // eslint-disable-next-line no-control-regex
          .replace(/[\u0000-\u0020\u007f-\u00a0\u1680\u180e\u2000-\u200b\u2028\u2029\u205f\u3000\ufeff]/g, '')
          .toLowerCase();
        if (BAD_SCHEME.test(seen)) out.push(`${name}="${value}" on <${t.name}>`);
        if (
          seen.startsWith('data:') &&
          !(name === 'src' && /^data:image\/(png|jpeg|gif|webp);base64,/.test(seen))
        ) {
          out.push(`data URL ${name}="${value}"`);
        }
        if (name === 'src' && /^(https?:)?\/\//.test(seen)) out.push(`remote image src="${value}"`);
      }
    }
  }
  return out;
}

/** Every way a payload can reach the renderer: as text, as a URL, as link text, as an autolink, as a definition. */
function embeddings(payload: string): string[] {
  const oneLine = payload.replace(/[\r\n]+/g, ' ');
  return [
    payload,
    `[x](${oneLine})`,
    `[x](<${oneLine}>)`,
    `![x](${oneLine})`,
    `[${oneLine}](https://example.org)`,
    `![${oneLine}](pic.png)`,
    `<${oneLine}>`,
    `[x][r]\n\n[r]: ${oneLine}`,
    `![x][r]\n\n[r]: ${oneLine}`,
    `[x](https://example.org "${oneLine}")`,
  ];
}

/** URL-ish attribute values inside an HTML payload, tried as link and image destinations too. */
function urlsIn(payload: string): string[] {
  const re =
    /(?:href|src|action|formaction|data|xlink:href|poster|background)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi;
  return [...payload.matchAll(re)].map((m) => m[1]!.replace(/^["']|["']$/g, ''));
}

describe('project: markdown sanitizer (test helper)', () => {
  it('the scanner flags unsafe HTML it is shown, so the sanitizer tests can fail', () => {
    expect(
      violations('<p>fine <a href="https://example.org" target="_blank" rel="noopener">x</a></p>'),
    ).toEqual([]);
    expect(violations('<img src=x onerror=alert(1)>').join()).toMatch(/event handler onerror/);
    expect(violations('<a href=" &#x6A;avascript:alert(1)">x</a>').join()).toMatch(/href/);
    expect(violations('<a href="java&#x09;script:alert(1)">x</a>').join()).toMatch(/href/);
    expect(violations('<img src="data:image/svg+xml;base64,AAAA">').join()).toMatch(/src/);
    expect(violations('<img src="https://tracker.example/p.gif">').join()).toMatch(/remote image/);
    expect(violations('<svg><script>alert(1)</script></svg>').join()).toMatch(/forbidden tag <svg>/);
    expect(violations('<!-- x -->').join()).toMatch(/stray/);
    expect(violations('<p style="color:red">x</p>').join()).toMatch(/attribute style/);
  });
});

describe('project: markdown sanitizer', () => {
  it(`renders every DOMPurify vector (${dompurify.length}) in every embedding without unsafe output`, () => {
    expect(dompurify.length).toBeGreaterThan(200);
    const failures: string[] = [];
    let renders = 0;
    for (const { title, payload } of dompurify) {
      for (const input of [...embeddings(payload), ...urlsIn(payload).flatMap((u) => embeddings(u))]) {
        renders++;
        const v = violations(renderMarkdown(input));
        if (v.length > 0) failures.push(`${title}: ${JSON.stringify(input).slice(0, 120)} → ${v.join('; ')}`);
      }
    }
    expect(renders).toBeGreaterThan(2000);
    expect(failures).toEqual([]);
  });

  it(`renders every Markdown-specific vector (${markdownVectors.length}) in every embedding without unsafe output`, () => {
    const failures: string[] = [];
    for (const payload of markdownVectors) {
      for (const input of embeddings(payload)) {
        const v = violations(renderMarkdown(input));
        if (v.length > 0) failures.push(`${JSON.stringify(input)} → ${v.join('; ')}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('keeps the text of a refused link or image, without the element', () => {
    expect(renderMarkdown('[click me](javascript:alert(1))')).not.toMatch(/<a\b/);
    expect(renderMarkdown('[click me](JaVaScRiPt:alert(1))')).not.toMatch(/href/);
    expect(renderMarkdown('[click me](vbscript:x)')).toContain('click me');
    const img = renderMarkdown('![a chart](https://tracker.example/chart.png)');
    expect(img).not.toMatch(/<img/);
    expect(img).toContain('a chart');
    expect(renderMarkdown('![x](data:image/svg+xml;base64,PHN2Zz4=)')).not.toMatch(/<img/);
    expect(renderMarkdown('[x](data:image/png;base64,iVBORw0KGgo=)')).not.toMatch(/<a\b/);
  });

  it('shows raw HTML as text', () => {
    expect(renderMarkdown('<b onclick="x()">bold</b>')).toBe(
      '<p>&lt;b onclick=&quot;x()&quot;&gt;bold&lt;/b&gt;</p>\n',
    );
  });

  it('renders ordinary Markdown: external links open in a new tab without opener or referrer', () => {
    expect(renderMarkdown('See [the docs](https://example.org/docs).')).toBe(
      '<p>See <a href="https://example.org/docs" target="_blank" rel="noopener noreferrer nofollow">the docs</a>.</p>\n',
    );
    expect(renderMarkdown('[top](#intro) and [file](docs/a.md) and [mail](mailto:a@example.org)')).toBe(
      '<p><a href="#intro">top</a> and <a href="docs/a.md">file</a> and <a href="mailto:a@example.org">mail</a></p>\n',
    );
    expect(renderMarkdown('![dot](data:image/png;base64,iVBORw0KGgo=)')).toBe(
      '<p><img src="data:image/png;base64,iVBORw0KGgo=" alt="dot"></p>\n',
    );
    expect(renderMarkdown('# Title\n\n*a* **b** `c`\n\n- x\n- y')).toBe(
      '<h1>Title</h1>\n<p><em>a</em> <strong>b</strong> <code>c</code></p>\n<ul>\n<li>x</li>\n<li>y</li>\n</ul>\n',
    );
    // No linkify: a bare URL stays text.
    expect(renderMarkdown('https://example.org')).toBe('<p>https://example.org</p>\n');
  });

  it('classifies URLs by the allowlist', () => {
    for (const ok of [
      'https://a.example/x',
      'http://a.example',
      '#x',
      'a/b.md',
      '../up',
      '?q=1',
      'mailto:a@b.c',
      '//a.example',
    ]) {
      expect({ ok, safe: isSafeLinkUrl(ok) }).toEqual({ ok, safe: true });
    }
    for (const bad of [
      'javascript:x',
      'JAVASCRIPT:x',
      'vbscript:x',
      'data:text/html,x',
      'file:///x',
      'java%09script:x',
      'a b',
      '',
    ]) {
      expect({ bad, safe: isSafeLinkUrl(bad) }).toEqual({ bad, safe: false });
    }
    expect(isSafeImageUrl('img/a.png')).toBe(true);
    expect(isSafeImageUrl('data:image/webp;base64,UklGRg==')).toBe(true);
    expect(isSafeImageUrl('data:image/svg+xml;base64,PHN2Zz4=')).toBe(false);
    expect(isSafeImageUrl('data:image/png,raw')).toBe(false);
    expect(isSafeImageUrl('https://a.example/x.png')).toBe(false);
    expect(isSafeImageUrl('//a.example/x.png')).toBe(false);
  });
});
