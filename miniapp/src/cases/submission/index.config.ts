export default definePageConfig({ navigationBarTitleText: '投稿详情' });
