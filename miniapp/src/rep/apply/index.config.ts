export default definePageConfig({ navigationBarTitleText: '申请学术直播' });
