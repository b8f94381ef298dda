// The pages the flows do not pass through, audited and captured too: the clinic's team,
// protocols, catalog, account and patient-products pages, the print view, the error pages
// a patient can meet (unknown link, unknown page), and a form answered with errors.
import { test, expect } from '@playwright/test';
import { audit, clinicPage, recordTreatment } from './support';

test('every other clinic page passes the audit', async ({ browser }) => {
  const clinic = await clinicPage(browser);
  const treatment = await recordTreatment(clinic, 'A.M.', 5);
  for (const [name, url] of [
    ['clinic-team', '/clinic/team'],
    ['clinic-protocols', '/clinic/protocols'],
    ['clinic-catalog', '/clinic/catalog'],
    ['clinic-account', '/account/password'],
    ['clinic-patient-products', `${treatment.clinicUrl}/shelf`],
  ] as const) {
    const response = await clinic.goto(url);
    expect(response?.status(), url).toBe(200);
    await audit(clinic, name);
  }
  // A form sent back with errors: the summary and the fields it names pass the audit too.
  await clinic.goto('/clinic/treatments/new');
  await clinic.getByLabel("Patient's name or initials").fill('E.R.');
  await clinic.getByLabel('Treatment date').fill('2026-11-20');
  await clinic.getByLabel('Treatment time').fill('10:00');
  await clinic.getByLabel('Time zone').fill('Mars/Olympus');
  await clinic.getByRole('button', { name: 'Record and create the patient link' }).click();
  await expect(clinic.getByLabel('Time zone')).toHaveAttribute('aria-invalid', 'true');
  await audit(clinic, 'clinic-new-treatment-errors');
  await clinic.context().close();
});

test('the patient print view and the error pages pass the audit', async ({ browser, page }) => {
  const clinic = await clinicPage(browser);
  const treatment = await recordTreatment(clinic, 'L.O.', 9);
  await clinic.context().close();
  await page.goto(`${treatment.patientUrl}/print`);
  await audit(page, 'patient-print');
  await page.goto(`${treatment.patientUrl}/check-in`);
  await page.getByLabel(/Temperature/).fill('hot');
  await page.getByRole('button', { name: 'Send my check-in' }).click();
  await audit(page, 'patient-check-in-errors');

  const unknownLink = await page.goto('/p/0000000000000000000000000000000000000000000000000000000000000000');
  expect(unknownLink?.status()).toBe(404);
  await audit(page, 'patient-link-not-working');
  const unknownPage = await page.goto('/no-such-page');
  expect(unknownPage?.status()).toBe(404);
  await audit(page, 'not-found');
});
