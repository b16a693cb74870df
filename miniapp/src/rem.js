// The h5 build's rem base (index.html loads it before the app; a file, not an inline script, so
// the server's Content-Security-Policy, script-src 'self', lets it run). Taro's 750px design
// width: 1rem = 40 design px, so 750 design px fill the screen; wider screens (desktop preview)
// show a 480px-wide column.
!(function (w) {
  function r() {
    var d = w.document.documentElement;
    var t = Math.min(d.getBoundingClientRect().width, 480);
    d.style.fontSize = (t / 750) * 40 + 'px';
  }
  w.addEventListener('resize', r);
  r();
})(window);
