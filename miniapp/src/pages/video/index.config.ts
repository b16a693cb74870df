export default definePageConfig({
  navigationBarTitleText: '视频',
  enableShareAppMessage: true,
});
