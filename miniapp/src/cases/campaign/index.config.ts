export default definePageConfig({ navigationBarTitleText: '征集详情' });
