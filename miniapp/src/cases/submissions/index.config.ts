export default definePageConfig({ navigationBarTitleText: '我的投稿', enablePullDownRefresh: true, backgroundTextStyle: 'dark' });
