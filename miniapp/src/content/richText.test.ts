import { describe, expect, it } from 'vitest';
import { richTextHtml } from './richText';

const IMG = '/media/0123456789abcdef0123456789abcdef.png';

describe('richTextHtml', () => {
  it('keeps the allowed structure and text as it is', () => {
    const html = '<h2>要点</h2><p>降压目标 &lt;130/80 mmHg，<strong>个体化</strong>。</p><p>a<br/>b</p>';
    expect(richTextHtml(html, '')).toBe(html.replace('<br/>', '<br>'));
    expect(richTextHtml('<ol start="2"><li>一</li></ol>', '')).toMatch(/^<ol start="2" style="padding-left:[^"]*"><li>一<\/li><\/ol>$/);
  });

  it('prefixes media paths with the API origin and sizes images and tables to the screen', () => {
    const out = richTextHtml(`<figure><img src="${IMG}" alt="封面"/></figure><table><tr><td colspan="2">x</td></tr></table>`, 'https://api.example.com');
    expect(out).toContain(`<img src="https://api.example.com${IMG}" alt="封面" style="max-width:100%;`);
    expect(out).toMatch(/<table style="width:100%;[^"]*"><tr><td colspan="2" style="[^"]*">x<\/td><\/tr><\/table>/);
  });

  it('drops scripts with their content, event handlers, styles, foreign images and javascript: links', () => {
    const out = richTextHtml(
      '<p onclick="steal()" style="color:red">a</p><script>alert(1)</script><img src="https://evil.example/x.png" onerror="x()"><a href="javascript:alert(1)">b</a><a href="https://ok.example/">c</a><iframe src="https://x"></iframe><div>d</div>',
      '',
    );
    expect(out).toBe('<p>a</p><a>b</a><a href="https://ok.example/">c</a>d');
  });

  it('is not fooled by quotes holding a closing bracket', () => {
    expect(richTextHtml('<a title="x>y" href="https://a.example/">t</a>', '')).toBe('<a title="x&gt;y" href="https://a.example/">t</a>');
  });
});
