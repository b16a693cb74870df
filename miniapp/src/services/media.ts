/** Where images and videos are loaded from: media paths with the app's API origin. */
import { mediaUrlFor } from './mediaPath';
import { API_BASE } from './request';

export function mediaUrl(path: string | null | undefined): string | undefined {
  return mediaUrlFor(API_BASE, path);
}
