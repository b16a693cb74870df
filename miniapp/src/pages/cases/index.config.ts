export default definePageConfig({
  navigationBarTitleText: '病例征集',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
});
