// The flows of issue #10, in the order people meet them: the clinic records a treatment and
// shares the link; the patient reads Today, checks a product, adds it to their shelf and sends
// a check-in with a red flag; the clinic sees the alert and acknowledges it; a practitioner is
// listed in the directory and a visitor finds them. Every page on the way is audited.
import { test, expect, type Page } from '@playwright/test';
import { audit, clinicPage, recordTreatment, type Treatment } from './support';

test.describe.configure({ mode: 'serial' });

let clinic: Page;
let treatment: Treatment;

test.beforeAll(async ({ browser }) => {
  clinic = await clinicPage(browser);
});

test.afterAll(async () => {
  await clinic.context().close();
});

test('the public pages and the sign-in page pass the audit', async ({ page }) => {
  await page.goto('/');
  await audit(page, 'home');
  await page.goto('/sign-in');
  await audit(page, 'sign-in');
});

test('the clinic signs in, records a treatment and gets the patient link', async () => {
  await audit(clinic, 'clinic-dashboard');
  await clinic.goto('/clinic/treatments/new');
  await audit(clinic, 'clinic-new-treatment');
  treatment = await recordTreatment(clinic, 'J.S.');
  await expect(clinic.locator('.qr svg')).toBeVisible();
  await audit(clinic, 'clinic-treatment-with-link');
});

test('the patient opens the link and reads Today', async ({ page }) => {
  await page.goto(treatment.patientUrl);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByText(/Day 2/).first()).toBeVisible();
  // Emergency guidance and the clinic's number are on every patient page.
  await expect(page.locator('footer')).toContainText('999');
  await expect(page.locator('footer')).toContainText('Riverside Skin Clinic');
  await audit(page, 'patient-today');
  for (const [name, link] of [
    ['patient-plan', 'Full plan'],
    ['patient-faq', 'FAQ'],
    ['patient-calendar', 'Add to calendar'],
  ] as const) {
    await page.getByRole('navigation', { name: 'Your aftercare' }).getByRole('link', { name: link }).click();
    await expect(page.getByRole('link', { name: link })).toHaveAttribute('aria-current', 'page');
    await audit(page, name);
  }
});

test('the patient checks a product and learns when it is fine again', async ({ page }) => {
  await page.goto(`${treatment.patientUrl}/products`);
  await audit(page, 'patient-products');
  await page.getByLabel('Ingredient list').fill('Aqua, Glycerin, Retinol, Parfum, Phenoxyethanol');
  await page.getByRole('button', { name: 'Check the product' }).click();
  await expect(page.getByText(/retinol/i).first()).toBeVisible();
  await expect(page.locator('main')).toContainText(/not yet|wait|from/i);
  await audit(page, 'patient-product-verdict');
});

test('the patient adds the product to their shelf and sees when it comes back', async ({ page }) => {
  await page.goto(`${treatment.patientUrl}/shelf`);
  await audit(page, 'patient-shelf-empty');
  await page.getByLabel('Product name').fill('Night Renewal Cream');
  await page.getByLabel('Ingredient list').fill('Aqua, Glycerin, Retinol, Tocopherol');
  await page.getByRole('button', { name: /add|save/i }).first().click();
  await expect(page.locator('main')).toContainText('Night Renewal Cream');
  await audit(page, 'patient-shelf');
});

test('the patient sends a check-in with a red flag and is told to contact the practitioner', async ({ page }) => {
  await page.goto(`${treatment.patientUrl}/check-in`);
  await audit(page, 'patient-check-in');
  await page.getByLabel(/Temperature/).fill('38.6');
  await page.getByRole('radio', { name: /yellow/i }).check();
  await page.getByRole('spinbutton', { name: 'How red is the skin?' }).fill('6');
  await page.getByRole('button', { name: 'Send my check-in' }).click();
  await expect(page).toHaveURL(/\/check-ins\//);
  const result = page.getByRole('status');
  await expect(result).toContainText(/Urgent|Contact/i);
  const contact = page.getByRole('region', { name: 'Contact your practitioner' });
  await expect(contact).toContainText('Riverside Skin Clinic');
  await expect(contact.getByRole('link', { name: '+44 20 7946 0000' })).toHaveAttribute('href', 'tel:+44 20 7946 0000');
  await expect(page.locator('.emergency').last()).toContainText('999');
  await audit(page, 'patient-check-in-result');
  // Today now shows the healing chart with the rating just sent, and its table.
  await page.getByRole('link', { name: 'Back to today' }).click();
  const chart = page.locator('section.chart');
  await expect(chart.locator('svg[role="img"]')).toBeVisible();
  await expect(chart.getByRole('table')).toContainText('6');
  await audit(page, 'patient-today-with-chart');
});

test('the clinic sees the alert and acknowledges it', async () => {
  await clinic.goto('/clinic');
  await expect(clinic.locator('main')).toContainText('J.S.');
  await audit(clinic, 'clinic-dashboard-alert');
  await clinic.goto(treatment.clinicUrl);
  const alerts = clinic.getByRole('region', { name: 'Alerts' });
  await expect(alerts).toContainText(/Urgent|Contact/i);
  await audit(clinic, 'clinic-treatment-alert');
  await alerts.getByLabel(/What did you do/).fill('Called the patient; seen the same day.');
  await alerts.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(clinic.getByRole('region', { name: 'Alerts' })).toContainText('Called the patient; seen the same day.');
  await expect(clinic.getByRole('region', { name: 'Alerts' }).getByRole('button', { name: 'Acknowledge' })).toHaveCount(0);
  await audit(clinic, 'clinic-treatment-acknowledged');
});

test('a practitioner is listed in the directory and a visitor finds them', async ({ browser }) => {
  await clinic.goto('/clinic/directory');
  await audit(clinic, 'clinic-directory-profile');
  await clinic.getByLabel('Name shown').fill('Dr Ada Byrne');
  await clinic.getByLabel('City').fill('London');
  await clinic.getByLabel('Country').fill('GB');
  await clinic.getByLabel('Licence number').fill('GMC 1234567');
  await clinic.getByLabel('Issued by').fill('General Medical Council');
  await clinic.getByRole('checkbox', { name: /microneedling/i }).first().check();
  await clinic.getByRole('checkbox', { name: /List me in the public directory/ }).check();
  await clinic.getByRole('button', { name: 'Save the profile' }).click();
  await expect(clinic.getByRole('status').first()).toBeVisible();
  await clinic.goto('/clinic/directory/profiles');
  await audit(clinic, 'clinic-directory-approvals');
  await clinic.getByRole('button', { name: 'Approve' }).first().click();
  await expect(clinic.getByRole('button', { name: 'Withdraw the approval' })).toBeVisible();

  const visitor = await browser.newContext();
  const page = await visitor.newPage();
  await page.goto('/practitioners');
  // With JavaScript on, the optional "Use my location" button appears (progressive enhancement).
  await expect(page.getByRole('button', { name: 'Use my location' })).toBeVisible();
  await audit(page, 'directory-search');
  await page.getByLabel('Near').fill('London');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.locator('main')).toContainText('Dr Ada Byrne');
  await expect(page.locator('main')).toContainText(/km|mi/);
  await audit(page, 'directory-results');
  await visitor.close();
});
