// Keyboard-only use: the skip link comes first and moves focus to the content; every focusable
// element shows a visible focus indicator; Tab follows the reading order; a patient can send a
// check-in and a clinic can record a treatment without a mouse; every form control has a name.
import { test, expect, type Page } from '@playwright/test';
import { clinicPage, recordTreatment, type Treatment } from './support';

test.describe.configure({ mode: 'serial' });

let treatment: Treatment;

test.beforeAll(async ({ browser }) => {
  const clinic = await clinicPage(browser);
  treatment = await recordTreatment(clinic, 'K.B.', 3);
  await clinic.context().close();
});

/** What has focus now: its tag, name and where it sits in the document. */
async function focused(page: Page) {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element || element === document.body) return null;
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    // Reading order: the element's index among all elements in document order.
    const order = Array.prototype.indexOf.call(document.getElementsByTagName('*'), element);
    return {
      tag: element.tagName.toLowerCase(),
      text: (element.getAttribute('aria-label') ?? element.textContent ?? '').trim().slice(0, 60),
      id: element.id,
      order,
      outlineStyle: style.outlineStyle,
      outlineWidth: parseFloat(style.outlineWidth),
      visible: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0,
    };
  });
}

/** Tabs through the whole page and checks order and focus visibility at each stop. */
async function tabThrough(page: Page, maxStops = 80) {
  const stops: NonNullable<Awaited<ReturnType<typeof focused>>>[] = [];
  for (let i = 0; i < maxStops; i++) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    if (!now) break; // focus left the document: the end of the page
    if (stops.length > 0 && now.order === stops[0].order) break; // wrapped around to the start
    if (stops.length > 0) {
      const before = stops[stops.length - 1];
      // A date or time field takes one Tab per part (day, month, year): the same element again.
      if (now.order === before.order && now.tag === 'input') continue;
      expect(now.order, `focus stop ${i + 1} (${now.tag} "${now.text}") comes after "${before.text}" in the document`).toBeGreaterThan(before.order);
    }
    expect(now.visible, `focus stop ${i + 1} (${now.tag} "${now.text}") is on screen`).toBe(true);
    expect(now.outlineStyle, `focus stop ${i + 1} (${now.tag} "${now.text}") shows an outline`).not.toBe('none');
    expect(now.outlineWidth, `focus stop ${i + 1} (${now.tag} "${now.text}") outline width`).toBeGreaterThanOrEqual(2);
    stops.push(now);
  }
  return stops;
}

for (const [name, path] of [
  ['patient Today', ''],
  ['patient check-in', '/check-in'],
  ['patient plan', '/plan'],
] as const) {
  test(`${name}: the skip link comes first, shows, and moves focus to the content`, async ({ page }) => {
    await page.goto(`${treatment.patientUrl}${path}`);
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to main content' });
    await expect(skip).toBeFocused();
    const box = await skip.boundingBox();
    expect(box && box.y >= 0, 'the focused skip link is on screen').toBe(true);
    await page.keyboard.press('Enter');
    await expect(page.locator('main#main')).toBeFocused();
    // The next Tab goes to the first control inside the content, not back to the navigation.
    await page.keyboard.press('Tab');
    const inMain = await page.evaluate(() => !!document.activeElement?.closest('main'));
    expect(inMain, 'after the skip link, Tab continues inside the content').toBe(true);
  });

  test(`${name}: every focus stop is visible and in reading order`, async ({ page }) => {
    await page.goto(`${treatment.patientUrl}${path}`);
    const stops = await tabThrough(page);
    expect(stops.length).toBeGreaterThan(5);
    expect(stops[0].text).toBe('Skip to main content');
  });
}

test('clinic pages: skip link first, every focus stop visible and in reading order', async ({ browser }) => {
  const clinic = await clinicPage(browser);
  for (const url of ['/clinic', '/clinic/treatments/new', treatment.clinicUrl, '/clinic/directory']) {
    await clinic.goto(url);
    const stops = await tabThrough(clinic);
    expect(stops.length, url).toBeGreaterThan(5);
    expect(stops[0].text, url).toBe('Skip to main content');
  }
  await clinic.context().close();
});

test('a patient sends a check-in with the keyboard alone', async ({ page }) => {
  await page.goto(`${treatment.patientUrl}/check-in`);
  // Move to the redness rating by keyboard: tab until it has focus.
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    if (await page.getByRole('spinbutton', { name: 'How red is the skin?' }).evaluate((e) => e === document.activeElement)) break;
  }
  await expect(page.getByRole('spinbutton', { name: 'How red is the skin?' })).toBeFocused();
  await page.keyboard.type('3');
  // On to the submit button, then Enter.
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    if (await page.getByRole('button', { name: 'Send my check-in' }).evaluate((e) => e === document.activeElement)) break;
  }
  await expect(page.getByRole('button', { name: 'Send my check-in' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/check-ins\//);
  await expect(page.getByRole('status')).toContainText(/Expected/i);
});

test('every form control on the forms people fill in has an accessible name', async ({ browser, page }) => {
  const clinic = await clinicPage(browser);
  const pages: [Page, string][] = [
    [page, `${treatment.patientUrl}/check-in`],
    [page, `${treatment.patientUrl}/products`],
    [page, `${treatment.patientUrl}/shelf`],
    [page, '/practitioners'],
    [clinic, '/clinic/treatments/new'],
    [clinic, '/clinic/directory'],
  ];
  for (const [tab, url] of pages) {
    await tab.goto(url);
    const controls = tab.locator('main').locator('input:not([type=hidden]), select, textarea, button');
    const count = await controls.count();
    expect(count, `${url} has form controls`).toBeGreaterThan(0);
    for (let i = 0; i < count; i++) {
      await expect(controls.nth(i), `${url}: control ${i + 1}`).toHaveAccessibleName(/\S/);
    }
  }
  await clinic.context().close();
});
