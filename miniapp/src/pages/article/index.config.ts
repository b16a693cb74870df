export default definePageConfig({
  navigationBarTitleText: '文章',
  // 转发 from the menu and the share button; the path carries the sharer (tracking/taro.ts shareMessage)
  enableShareAppMessage: true,
});
