export default definePageConfig({ navigationBarTitleText: '直播海报', enableShareAppMessage: true });
