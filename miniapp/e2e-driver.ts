/**
 * How Playwright drives the Taro H5 build's form controls, for the e2e tests in tests/.
 *
 * Taro 4 renders components as Stencil custom elements (taro-input-core, taro-picker-core…),
 * not native controls, so a few of them need help:
 *
 * - Input: the id sits on <taro-input-core>; the native <input> is its child. Use `fillInput`
 *   (or `page.fill('#id input', text)`).
 * - Checkbox: Taro moves the id onto the native <input type="checkbox">, so
 *   `page.check('#consent-policy')` and `isChecked()` work as they are.
 * - Button: <taro-button-core id=…>, not a native button. The app's main buttons
 *   (consent-submit, profile-submit, verification-submit: components/PrimaryButton) carry
 *   role="button" + aria-disabled, so `expect(locator).toBeDisabled()` works and a plain
 *   click() waits while they are disabled. For any other Taro Button use `isTaroButtonDisabled`
 *   (React writes disabled="false" on enabled ones, so attribute presence means nothing).
 * - Picker (mode="selector"): the id sits on <taro-picker-core>, but its bottom sheet is moved
 *   to the end of <body> when the picker loads, so it cannot be found from the id. Clicking the
 *   picker shows its sheet (the only visible `.weui-picker__overlay`); the wheel answers mouse
 *   events only (no keyboard): a click with no movement at `k` rows above or below the centre
 *   line scrolls by `k` rows, as a tap does on a phone. `choosePickerOption` does exactly that
 *   until the wanted row is centred, then presses 确定 and waits for the sheet to close.
 */
import type { Locator, Page } from 'playwright-core';

/** Row height and the distance from the sheet body's top to the centre row, in CSS px (taro-picker-group). */
const ROW_HEIGHT = 34;
const CENTRE_TOP = 102;
/** The sheet body is 7 rows high; a tap further than 3 rows from the centre would miss it. */
const MAX_ROWS_PER_TAP = 3;
/** Taro's hide animation: the sheet is removed 350 ms after 确定. */
const HIDE_TIMEOUT_MS = 2_000;

function cssId(id: string): string {
  return `#${id.replace(/([^A-Za-z0-9_-])/g, '\\$1')}`;
}

/**
 * The bottom sheet of the picker that is open now. Closed sheets carry `display: none`; the
 * overlay element itself has no box (its children are position: fixed), so visibility is
 * judged on the sliding panel inside it.
 */
async function openSheet(page: Page): Promise<Locator> {
  const sheet = page.locator('body > .weui-picker__overlay:not([style*="display: none"])');
  await sheet.locator('.weui-picker').first().waitFor({ state: 'visible' });
  const count = await sheet.count();
  if (count !== 1) throw new Error(`choosePickerOption: expected one open picker sheet, found ${count}`);
  return sheet;
}

/** Waits until the slide-up animation has put the sheet at the bottom of the viewport. */
async function waitForSheetSettled(page: Page, sheet: Locator): Promise<void> {
  await page.waitForFunction(
    (el) => {
      const panel = el?.querySelector('.weui-picker');
      if (!panel) return false;
      return Math.abs(panel.getBoundingClientRect().bottom - window.innerHeight) < 1;
    },
    await sheet.elementHandle(),
  );
}

/** Index of the row on the centre line, read from the wheel's transform (Taro sets it per tap). */
async function centredRow(sheet: Locator): Promise<number> {
  const transform = await sheet.locator('.weui-picker__content').first().evaluate((el) => (el as HTMLElement).style.transform);
  const match = /translate3d\(\s*0(?:px)?,\s*(-?[\d.]+)px/.exec(transform);
  if (!match) throw new Error(`choosePickerOption: cannot read the wheel position from "${transform}"`);
  return Math.round((CENTRE_TOP - Number(match[1])) / ROW_HEIGHT);
}

/**
 * Opens the `<Picker mode="selector" id={pickerId}>` and chooses the option whose text is
 * exactly `optionText`, firing the picker's onChange as a doctor's tap on 确定 does.
 * Throws, listing the options, if there is no such option.
 */
export async function choosePickerOption(page: Page, pickerId: string, optionText: string): Promise<void> {
  const picker = page.locator(cssId(pickerId));
  await picker.click();
  const sheet = await openSheet(page);
  await waitForSheetSettled(page, sheet);

  const options = (await sheet.locator('.weui-picker__item').allTextContents()).map((t) => t.trim());
  const target = options.indexOf(optionText.trim());
  if (target < 0) {
    await sheet.locator('.weui-picker__action').first().click(); // 取消: leave the page usable
    await sheet.first().waitFor({ state: 'detached', timeout: HIDE_TIMEOUT_MS });
    throw new Error(`choosePickerOption: #${pickerId} has no option "${optionText}"; options: ${options.join(' / ')}`);
  }

  const body = await sheet.locator('.weui-picker__bd').first().boundingBox();
  if (!body) throw new Error('choosePickerOption: the picker sheet has no layout');
  const x = body.x + body.width / 2;
  const centreY = body.y + CENTRE_TOP + ROW_HEIGHT / 2;

  for (let guard = 0; guard < options.length + 2; guard += 1) {
    const current = await centredRow(sheet);
    if (current === target) break;
    const step = Math.max(-MAX_ROWS_PER_TAP, Math.min(MAX_ROWS_PER_TAP, target - current));
    await page.mouse.click(x, centreY + step * ROW_HEIGHT);
    await page.waitForFunction(
      ({ el, expected, top, row }) => {
        const content = el?.querySelector('.weui-picker__content') as HTMLElement | null;
        const m = content && /translate3d\(\s*0(?:px)?,\s*(-?[\d.]+)px/.exec(content.style.transform);
        return !!m && Math.round((top - Number(m[1])) / row) === expected;
      },
      { el: await sheet.elementHandle(), expected: current + step, top: CENTRE_TOP, row: ROW_HEIGHT },
    );
  }
  if ((await centredRow(sheet)) !== target) throw new Error(`choosePickerOption: could not scroll #${pickerId} to "${optionText}"`);

  // The header holds 取消 then 确定.
  await sheet.locator('.weui-picker__action').last().click();
  await sheet.first().waitFor({ state: 'detached', timeout: HIDE_TIMEOUT_MS }); // i.e. display: none again
  // Taro mirrors the chosen index into the picker's hidden form input.
  await page.waitForFunction(
    ({ selector, index }) =>
      (document.querySelector(`${selector} input[type="hidden"]`) as HTMLInputElement | null)?.value === String(index),
    { selector: cssId(pickerId), index: target },
  );
}

/** Types into a Taro `<Input id>` (the native input inside <taro-input-core>). */
export async function fillInput(page: Page, inputId: string, text: string): Promise<void> {
  await page.locator(`${cssId(inputId)} input, ${cssId(inputId)} textarea`).first().fill(text);
}

/**
 * Whether a Taro `<Button id>` is disabled. Read the element's property: React writes the
 * attribute as disabled="false" on enabled buttons, so attribute presence means nothing.
 */
export async function isTaroButtonDisabled(page: Page, buttonId: string): Promise<boolean> {
  return page.locator(cssId(buttonId)).evaluate((el) => (el as HTMLElement & { disabled?: boolean }).disabled === true);
}
