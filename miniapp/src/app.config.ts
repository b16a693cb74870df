export default defineAppConfig({
  pages: ['pages/index/index', 'pages/me/index', 'pages/consent/index', 'pages/profile/index', 'pages/article/index', 'pages/video/index', 'pages/lives/index', 'pages/live/index', 'pages/cases/index'],
  // Lists opened from 我的 and the search entry load on first use, keeping the main package small.
  subPackages: [
    { root: 'library', pages: ['favorites/index', 'history/index', 'search/index'] },
    // Rep pages (apply for a live stream, my applications, poster and share link): reps only.
    { root: 'rep', pages: ['apply/index', 'lives/index', 'poster/index'] },
    // Case collection: campaign, the case form (heavy: form logic, PHI detector use), my submissions.
    { root: 'cases', pages: ['campaign/index', 'form/index', 'submissions/index', 'submission/index'] },
  ],
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
      { pagePath: 'pages/lives/index', text: '直播' },
      { pagePath: 'pages/cases/index', text: '病例' },
      { pagePath: 'pages/me/index', text: '我的' },
    ],
  },
});
