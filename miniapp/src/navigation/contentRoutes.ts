/**
 * Where content and the doctor's library open. Article and video pages are in the main package
 * (the feed opens them, and share cards land on them); the list pages are in the `library`
 * subpackage, loaded when first opened.
 */
import Taro from '@tarojs/taro';
import type { ContentType } from '@hcp360/shared';

export const CONTENT_ROUTES = {
  article: '/pages/article/index',
  video: '/pages/video/index',
  favorites: '/library/favorites/index',
  history: '/library/history/index',
  search: '/library/search/index',
} as const;

/** The page that shows an item of this type, with its id. */
export function contentPath(item: { id: string; type: ContentType }): string {
  return `${item.type === 'video' ? CONTENT_ROUTES.video : CONTENT_ROUTES.article}?id=${encodeURIComponent(item.id)}`;
}

export function openContent(item: { id: string; type: ContentType }): void {
  void Taro.navigateTo({ url: contentPath(item) });
}
