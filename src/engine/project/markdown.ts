/**
 * Markdown cells to HTML, safe to insert into the page even when the project came from someone else's link.
 * markdown-it runs with raw HTML off (every `<` in the text is escaped), so the only tags are the ones its
 * renderer writes; link and image URLs then pass an allowlist. Links: http(s), mailto, relative paths and
 * #anchors (external ones open in a new tab, without opener or referrer). Images: this site's own paths and
 * data:image/png|jpeg|gif|webp in base64 only; remote images are shown as their alt text, as the CSP
 * (img-src 'self' data: blob:) would block them and they would tell a third party who opened the project.
 */
import MarkdownItCtor, { type MarkdownIt, type StateCore, type Token } from 'markdown-it';

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
const DATA_IMAGE = /^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=]*$/i;

type UrlKind = 'anchor' | 'relative' | 'external' | 'mailto' | 'data-image' | 'refused';

/** What a (normalized) URL points at; anything unclear is 'refused'. */
function kindOf(url: string): UrlKind {
  // Normalized URLs have no raw spaces or controls; one that does is not ours to interpret.
  // eslint-disable-next-line no-control-regex
  if (url === '' || /[\s\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(url)) return 'refused';
  if (url.startsWith('#')) return 'anchor';
  if (url.startsWith('//')) return 'external';
  const m = SCHEME.exec(url);
  if (m === null) {
    // A relative path may not have ':' in its first segment: "java%09script:…" must not read as a scheme.
    const first = url.split(/[/?#]/, 1)[0] ?? '';
    return first.includes(':') ? 'refused' : 'relative';
  }
  const scheme = m[1]!.toLowerCase();
  if (scheme === 'http' || scheme === 'https') return 'external';
  if (scheme === 'mailto') return 'mailto';
  if (scheme === 'data' && DATA_IMAGE.test(url)) return 'data-image';
  return 'refused';
}

/** Whether a link may point at this URL. */
export function isSafeLinkUrl(url: string): boolean {
  const k = kindOf(url);
  return k === 'anchor' || k === 'relative' || k === 'external' || k === 'mailto';
}

/** Whether an image may load from this URL (this site's paths, or an inline PNG/JPEG/GIF/WebP). */
export function isSafeImageUrl(url: string): boolean {
  const k = kindOf(url);
  return k === 'relative' || k === 'data-image';
}

/** Drops links and images the allowlist refuses (their text stays) and marks external links. */
function checkUrls(state: StateCore): void {
  for (const block of state.tokens) {
    if (block.type !== 'inline' || block.children === null) continue;
    const out: Token[] = [];
    let dropClose = false;
    for (const t of block.children) {
      if (t.type === 'link_open') {
        const href = String(t.attrGet('href') ?? '');
        if (!isSafeLinkUrl(href)) {
          dropClose = true;
          continue;
        }
        if (kindOf(href) === 'external') {
          t.attrSet('target', '_blank');
          t.attrSet('rel', 'noopener noreferrer nofollow');
        }
      } else if (t.type === 'link_close' && dropClose) {
        dropClose = false;
        continue;
      } else if (t.type === 'image' && !isSafeImageUrl(String(t.attrGet('src') ?? ''))) {
        const alt = new state.Token('text', '', 0);
        alt.content = t.content;
        out.push(alt);
        continue;
      }
      out.push(t);
    }
    block.children = out;
  }
}

function createRenderer(): MarkdownIt {
  const md = new MarkdownItCtor('default', { html: false, linkify: false, typographer: false });
  // markdown-it's own check runs first (a refused URL leaves the markdown as text); images are stricter.
  md.validateLink = (url) => isSafeLinkUrl(url) || isSafeImageUrl(url);
  md.core.ruler.push('workbench_urls', checkUrls);
  return md;
}

let renderer: MarkdownIt | null = null;

/** Markdown text as sanitized HTML (no raw HTML, scripts, event handlers or script URLs). */
export function renderMarkdown(text: string): string {
  renderer ??= createRenderer();
  return renderer.render(text);
}
