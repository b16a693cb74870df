export default definePageConfig({
  navigationBarTitleText: '学术直播',
  enableShareAppMessage: true,
});
