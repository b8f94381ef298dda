// The patient pages and the public directory work with JavaScript turned off: every feature is
// a plain link or form, and scripts (only the directory's "Use my location") are an extra.
import { test, expect } from '@playwright/test';
import { clinicPage, recordTreatment, signIn, type Treatment } from './support';

test.describe.configure({ mode: 'serial' });
test.use({ javaScriptEnabled: false });

let treatment: Treatment;

test.beforeAll(async ({ browser }) => {
  const clinic = await clinicPage(browser, { javaScriptEnabled: false });
  treatment = await recordTreatment(clinic, 'N.J.', 2);
  await clinic.context().close();
});

test('the clinic signs in and records a treatment without JavaScript', async ({ page }) => {
  await signIn(page);
  const recorded = await recordTreatment(page, 'N.J. 2', 0);
  expect(recorded.patientUrl).toContain('/p/');
});

test('Today, the plan and the FAQ read without JavaScript', async ({ page }) => {
  await page.goto(treatment.patientUrl);
  await expect(page.getByText(/Day 3/).first()).toBeVisible();
  await page.getByRole('link', { name: 'Full plan' }).click();
  await expect(page.getByRole('heading', { name: 'Week 1' })).toBeVisible();
  await page.getByRole('link', { name: 'FAQ' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
});

test('a check-in is sent and answered without JavaScript', async ({ page }) => {
  await page.goto(`${treatment.patientUrl}/check-in`);
  await page.getByRole('checkbox', { name: /green or yellow|discharge|rash/i }).first().check();
  await page.getByRole('button', { name: 'Send my check-in' }).click();
  await expect(page).toHaveURL(/\/check-ins\//);
  await expect(page.getByRole('status')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Contact your practitioner' })).toBeVisible();
});

test('a bad check-in is refused with a message at the field, without JavaScript', async ({ page }) => {
  await page.goto(`${treatment.patientUrl}/check-in`);
  await page.getByLabel(/Temperature/).fill('hot');
  await page.getByRole('button', { name: 'Send my check-in' }).click();
  await expect(page.locator('.error-summary')).toBeVisible();
  await expect(page.getByLabel(/Temperature/)).toHaveAttribute('aria-invalid', 'true');
});

test('a product is checked and added to the shelf without JavaScript', async ({ page }) => {
  await page.goto(`${treatment.patientUrl}/products`);
  await page.getByLabel('Ingredient list').fill('Aqua, Sodium Hyaluronate, Glycerin');
  await page.getByRole('button', { name: 'Check the product' }).click();
  await expect(page.getByRole('status').first()).toBeVisible();
  await page.goto(`${treatment.patientUrl}/shelf`);
  await page.getByLabel('Product name').fill('Hydrating Serum');
  await page.getByLabel('Ingredient list').fill('Aqua, Sodium Hyaluronate, Glycerin');
  await page.getByRole('button', { name: /add|save/i }).first().click();
  await expect(page.locator('main')).toContainText('Hydrating Serum');
});

test('the directory is searched without JavaScript, and "Use my location" stays hidden', async ({ page }) => {
  await page.goto('/practitioners');
  await expect(page.locator('#near-me')).toBeHidden();
  await page.getByLabel('Near').fill('Springfield');
  await page.getByRole('button', { name: 'Search' }).click();
  // An ambiguous city lists the candidates as plain links.
  await expect(page.getByRole('link', { name: /Springfield/ }).first()).toBeVisible();
});

test('no page loads a script from another host', async ({ page }) => {
  const foreign: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(process.env.AFTERCARE_URL ?? '')) foreign.push(request.url());
  });
  for (const path of ['', '/plan', '/check-in', '/products', '/shelf', '/faq', '/calendar']) {
    await page.goto(`${treatment.patientUrl}${path}`);
  }
  await page.goto('/practitioners');
  expect(foreign).toEqual([]);
});
