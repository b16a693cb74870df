/**
 * Content bodies are sanitised when they are saved, with an allow-list (sanitize-html), so what
 * reviewers approve is exactly what doctors get: no script, style, iframe, form or event
 * handler survives, links keep only http(s) hrefs, and images only come from our own media store
 * (OWASP ASVS 5.2: sanitise untrusted HTML with an allow-list library).
 */
import { MEDIA_IMAGE_PATH_RE } from '@hcp360/shared';
import sanitizeHtml from 'sanitize-html';

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'blockquote',
    'ul', 'ol', 'li', 'strong', 'b', 'em', 'i', 'u', 's', 'sub', 'sup',
    'table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td',
    'figure', 'figcaption', 'img', 'a',
  ],
  allowedAttributes: {
    a: ['href', 'title'],
    img: ['src', 'alt', 'width', 'height'],
    th: ['colspan', 'rowspan', 'scope'],
    td: ['colspan', 'rowspan'],
    ol: ['start'],
  },
  allowedSchemes: ['http', 'https'],
  allowedSchemesByTag: { img: [] },
  allowedSchemesAppliedToAttributes: ['href', 'src'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // An <img> whose src is not one of our media paths is dropped whole.
  exclusiveFilter: (frame) => frame.tag === 'img' && !MEDIA_IMAGE_PATH_RE.test(frame.attribs.src ?? ''),
};

/** The body as it will be stored and shown. */
export function sanitiseBody(html: string): string {
  return sanitizeHtml(html, OPTIONS).trim();
}

/** Whether sanitised HTML has anything to read (text or an image). */
export function hasContent(html: string): boolean {
  return /<img\b/.test(html) || sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} }).trim().length > 0;
}
