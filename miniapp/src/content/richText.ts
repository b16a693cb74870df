/**
 * Article bodies as <RichText> shows them. The server sanitises bodies with an allow-list when
 * they are saved (server/src/domains/content/bodySanitiser.ts), so what arrives is already safe;
 * this is defence in depth for the h5 build, where RichText becomes innerHTML: the same
 * allow-list of tags and attributes again (anything else is dropped, script-like elements with
 * their content), links kept only with http(s) hrefs, images only from our media store. And two
 * display fixes: media paths get the API origin (WeChat loads them from there) and images and
 * tables are sized to the screen.
 */
import { MEDIA_IMAGE_PATH_RE } from '@hcp360/shared';
import { mediaUrlFor } from '../services/mediaPath';

const ALLOWED: Record<string, readonly string[]> = {
  h1: [], h2: [], h3: [], h4: [], h5: [], h6: [], p: [], br: [], hr: [], blockquote: [],
  ul: [], ol: ['start'], li: [], strong: [], b: [], em: [], i: [], u: [], s: [], sub: [], sup: [],
  table: [], caption: [], thead: [], tbody: [], tfoot: [], tr: [], th: ['colspan', 'rowspan', 'scope'], td: ['colspan', 'rowspan'],
  figure: [], figcaption: [], img: ['src', 'alt', 'width', 'height'], a: ['href', 'title'],
};

const STYLES: Record<string, string> = {
  img: 'max-width:100%;height:auto;display:block;margin:12px auto;border-radius:8px;',
  table: 'width:100%;border-collapse:collapse;font-size:13px;margin:12px 0;',
  th: 'border:1px solid #e5e8ec;padding:6px;background:#f4f6f8;',
  td: 'border:1px solid #e5e8ec;padding:6px;',
  ul: 'padding-left:1.4em;margin:8px 0;',
  ol: 'padding-left:1.6em;margin:8px 0;',
  blockquote: 'margin:12px 0;padding:8px 12px;border-left:3px solid #0b7a84;background:#f4f6f8;color:#4e5969;',
};

const DROP_WITH_CONTENT = /<(script|style|iframe|object|embed|template|noscript|svg|math|textarea|select)\b[\s\S]*?<\/\1\s*>/gi;
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b((?:[^>"']|"[^"]*"|'[^']*')*)>/g;
const ATTR = /([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

const escapeAttr = (v: string) => v.replace(/&(?!(?:[a-zA-Z]+|#[0-9]+|#x[0-9a-fA-F]+);)/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function attributesOf(tag: string, raw: string, apiBase: string): string | null {
  const out: string[] = [];
  let hasSrc = false;
  for (const m of raw.matchAll(ATTR)) {
    const name = m[1]!.toLowerCase();
    const value = (m[2] ?? m[3] ?? m[4] ?? '').trim();
    if (!ALLOWED[tag]!.includes(name)) continue;
    if (name === 'href') {
      if (!/^https?:\/\//i.test(value)) continue;
      out.push(`href="${escapeAttr(value)}"`);
    } else if (name === 'src') {
      if (!MEDIA_IMAGE_PATH_RE.test(value)) continue;
      hasSrc = true;
      out.push(`src="${escapeAttr(mediaUrlFor(apiBase, value)!)}"`);
    } else {
      out.push(`${name}="${escapeAttr(value)}"`);
    }
  }
  if (tag === 'img' && !hasSrc) return null;
  if (STYLES[tag]) out.push(`style="${STYLES[tag]}"`);
  return out.length ? ` ${out.join(' ')}` : '';
}

/** The body ready for <RichText nodes>, with media loaded from `apiBase` ('' in the h5 build). */
export function richTextHtml(html: string, apiBase: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(DROP_WITH_CONTENT, '')
    .replace(TAG, (_m, close: string, rawTag: string, rawAttrs: string) => {
      const tag = rawTag.toLowerCase();
      if (!(tag in ALLOWED)) return '';
      if (close) return `</${tag}>`;
      const attrs = attributesOf(tag, rawAttrs, apiBase);
      return attrs === null ? '' : `<${tag}${attrs}>`;
    });
}
