export default definePageConfig({
  navigationBarTitleText: '首页',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
  // infinite scroll: the next page is asked for this far (px) before the end
  onReachBottomDistance: 200,
  // 转发 from the menu; the path carries the sharer (tracking/taro.ts shareMessage)
  enableShareAppMessage: true,
});
