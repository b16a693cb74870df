export default definePageConfig({ navigationBarTitleText: '我的直播申请', enablePullDownRefresh: true, backgroundTextStyle: 'dark' });
