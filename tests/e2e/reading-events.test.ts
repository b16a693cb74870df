/**
 * Behaviour events from a real browser: a signed-in doctor opens the privacy policy from 我的,
 * reads it for about three seconds, goes back, and the page_view with a plausible active dwell
 * time reaches the database (along with app_launch and the other page views).
 */
import { describe, expect, it } from 'vitest';
import { makeDoctor } from '../../server/test/factories.js';
import { useBrowserStack } from './browser.js';

const ctx = useBrowserStack();

async function eventsOf(hcpId: string) {
  const [rows] = await ctx.stack.deps.pool.query('SELECT type, page, props FROM events WHERE hcp_id = ? ORDER BY id', [hcpId]);
  return (rows as { type: string; page: string; props: string }[]).map((r) => ({ type: r.type, page: r.page, props: JSON.parse(r.props) }));
}

describe('events from the h5 app', () => {
  it('records a page_view with the active dwell time of a page the doctor read, and the launch', async () => {
    const { page } = ctx;
    // The browser's clock is real time; let the server's agree so event times are in range.
    ctx.stack.clock.ms = Date.now();
    const doctor = await makeDoctor(ctx.stack, { until: 'verified', openid: `e2e-reader-${Date.now()}` });
    await page.goto(`${ctx.stack.url}/h5/?openid=${doctor.openid}#/pages/me/index`);
    await page.locator('#privacy-policy').waitFor({ timeout: 30_000 });

    await page.locator('#privacy-policy').click();
    await page.locator('#consent-accepted').waitFor({ timeout: 10_000 });
    const opened = Date.now();
    await page.waitForTimeout(3000);
    await page.goBack();
    const readFor = Date.now() - opened;
    await page.locator('#profile-card').waitFor({ timeout: 10_000 });

    let events: Awaited<ReturnType<typeof eventsOf>> = [];
    await expect
      .poll(async () => {
        ctx.stack.clock.ms = Date.now();
        events = await eventsOf(doctor.id);
        return events.some((e) => e.type === 'page_view' && e.page === 'pages/consent/index');
      }, { timeout: 20_000, interval: 500 })
      .toBe(true);

    const policyView = events.find((e) => e.type === 'page_view' && e.page === 'pages/consent/index')!;
    expect(policyView.props.dwell_ms).toBeGreaterThanOrEqual(2500);
    expect(policyView.props.dwell_ms).toBeLessThanOrEqual(readFor + 1500);
    expect(policyView.props.referrer).toBe('pages/me/index');
    expect(events.map((e) => e.type)).toContain('app_launch');
  });
});
