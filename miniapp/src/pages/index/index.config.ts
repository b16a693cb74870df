export default definePageConfig({
  navigationBarTitleText: '首页',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
  // 转发 from the menu; the path carries the sharer (tracking/taro.ts shareMessage)
  enableShareAppMessage: true,
});
