/**
 * Media paths from the API are relative (`/media/…`): same-origin in the h5 build, loaded from
 * the API origin in WeChat. Other URLs pass through. Pure (media.ts binds the app's origin).
 */
export function mediaUrlFor(base: string, path: string | null | undefined): string | undefined {
  if (!path) return undefined;
  return path.startsWith('/media/') ? `${base}${path}` : path;
}
