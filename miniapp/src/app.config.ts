export default defineAppConfig({
  pages: ['pages/index/index', 'pages/me/index', 'pages/consent/index', 'pages/profile/index', 'pages/article/index', 'pages/video/index'],
  // Lists opened from 我的 and the search entry load on first use, keeping the main package small.
  subPackages: [{ root: 'library', pages: ['favorites/index', 'history/index', 'search/index'] }],
  window: {
    navigationBarTitleText: 'HCP360',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTextStyle: 'black',
    backgroundColor: '#f4f6f8',
    backgroundTextStyle: 'dark',
  },
  // Text-only tab bar: no bundled icons (STYLE: images are served, not bundled).
  tabBar: {
    color: '#86909c',
    selectedColor: '#0b7a84',
    backgroundColor: '#ffffff',
    borderStyle: 'white',
    list: [
      { pagePath: 'pages/index/index', text: '首页' },
      { pagePath: 'pages/me/index', text: '我的' },
    ],
  },
});
