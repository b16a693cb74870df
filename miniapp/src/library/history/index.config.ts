export default definePageConfig({
  navigationBarTitleText: '阅读历史',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
});
