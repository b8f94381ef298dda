// The printable plan is a clean handout: one column, no navigation or forms, each week on a new
// page, the emergency guidance kept; the clinic's treatment page prints with its healing chart.
import { test, expect } from '@playwright/test';
import { artifact, clinicPage, recordTreatment, type Treatment } from './support';

test.describe.configure({ mode: 'serial' });

let treatment: Treatment;

test.beforeAll(async ({ browser }) => {
  const clinic = await clinicPage(browser);
  treatment = await recordTreatment(clinic, 'P.R.', 1);
  await clinic.context().close();
});

test('the printable plan prints as a one-column handout, a week per page', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${treatment.patientUrl}/print`);
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('navigation')).toBeHidden();
  await expect(page.getByRole('link', { name: 'Skip to main content' })).toBeHidden();
  await expect(page.locator('.no-print')).toBeHidden();
  // The emergency guidance and the practitioner reminder stay on paper.
  await expect(page.locator('.emergency').first()).toBeVisible();
  await expect(page.locator('footer')).toContainText('999');

  const weeks = page.locator('section.week');
  expect(await weeks.count()).toBeGreaterThanOrEqual(2);
  expect(await weeks.nth(0).evaluate((e) => getComputedStyle(e).breakBefore)).not.toBe('page');
  for (let i = 1; i < (await weeks.count()); i++) {
    expect(await weeks.nth(i).evaluate((e) => getComputedStyle(e).breakBefore), `week ${i + 1}`).toBe('page');
  }
  // One column: the morning and evening cards sit one above the other even at desktop width.
  const cards = page.locator('section.day .cards').first();
  expect(await cards.evaluate((e) => getComputedStyle(e).display)).toBe('block');
  const [morning, evening] = await Promise.all([
    cards.locator(':scope > div').nth(0).boundingBox(),
    cards.locator(':scope > div').nth(1).boundingBox(),
  ]);
  expect(morning && evening && evening.y > morning.y + morning.height - 1).toBe(true);

  const pdf = await page.pdf({ path: artifact('print', 'plan.pdf'), format: 'A4', printBackground: false });
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
  expect(pages, 'at least one page per week').toBeGreaterThanOrEqual(await weeks.count());
  await page.screenshot({ path: artifact('print', 'plan-print-media.png'), fullPage: true });
});

test('the treatment page prints with the healing chart and its table', async ({ browser }) => {
  const patient = await browser.newPage();
  await patient.goto(`${treatment.patientUrl}/check-in`);
  await patient.getByRole('spinbutton', { name: 'How red is the skin?' }).fill('5');
  await patient.getByRole('button', { name: 'Send my check-in' }).click();
  await expect(patient).toHaveURL(/\/check-ins\//);
  await patient.close();

  const clinic = await clinicPage(browser);
  await clinic.goto(treatment.clinicUrl);
  await clinic.emulateMedia({ media: 'print' });
  const chart = clinic.locator('section.chart');
  await expect(chart.locator('svg')).toBeVisible();
  await expect(chart.locator('table')).toBeVisible();
  await expect(chart.locator('table')).toContainText('5');
  await clinic.pdf({ path: artifact('print', 'treatment.pdf'), format: 'A4' });
  await clinic.context().close();
});
