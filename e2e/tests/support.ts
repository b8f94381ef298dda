// Shared steps of the browser tests: signing in, recording a treatment, and the audit every page
// goes through (axe-core at phone and desktop width, a screenshot of each, the page language).
import { expect, type Page, type Browser, type BrowserContextOptions } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Phone and desktop widths named by the issue; every audited page is captured at both. */
export const VIEWPORTS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 800 },
] as const;

/** The WCAG 2.2 A and AA rules axe-core knows, plus the WCAG 2.0/2.1 ones. */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

const ARTIFACTS = path.join(__dirname, '..', 'artifacts');

/** Where a screenshot or PDF of `name` goes (artifacts/ is git-ignored). */
export function artifact(...parts: string[]): string {
  const file = path.join(ARTIFACTS, ...parts);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  return file;
}

/**
 * Audits the page as it is now: the language is declared, the title is set, there is one level-1
 * heading, axe-core finds no
 * serious or critical violation at phone and desktop width, and a full-page screenshot of each
 * width is written to artifacts/screenshots/<name>-<width>.png.
 */
export async function audit(page: Page, name: string): Promise<void> {
  await expect(page.locator('html')).toHaveAttribute('lang', /^[a-z]{2}/);
  expect(await page.title(), `${name}: page title`).not.toBe('');
  await expect(page.getByRole('heading', { level: 1 }), `${name}: one main heading`).toHaveCount(1);
  const original = page.viewportSize();
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
    const blocking = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    const report = blocking.map(
      (v) => `${v.impact} ${v.id}: ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`,
    );
    expect(report, `${name} at ${viewport.name} width (${page.url()})`).toEqual([]);
    await page.screenshot({ path: artifact('screenshots', `${name}-${viewport.name}.png`), fullPage: true });
  }
  if (original) await page.setViewportSize(original);
}

/** Signs the clinic admin in (created by e2e/run) and lands on the dashboard. */
export async function signIn(page: Page): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('E-mail').fill(process.env.AFTERCARE_ADMIN_EMAIL ?? '');
  await page.getByLabel('Password').fill(process.env.AFTERCARE_ADMIN_PASSWORD ?? '');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/clinic$/);
}

/**
 * The Europe/London date and time (as the form's date and time fields want them) of the moment
 * `days` days and two hours ago: a treatment then is on day `days + 1` now, whatever the time of
 * day the tests run at.
 */
export function daysAgo(days: number): { date: string; time: string } {
  const moment = new Date(Date.now() - days * 86_400_000 - 2 * 3_600_000);
  const zone = { timeZone: 'Europe/London' } as const;
  const date = new Intl.DateTimeFormat('en-CA', zone).format(moment);
  const time = new Intl.DateTimeFormat('en-GB', { ...zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(moment);
  return { date, time };
}

/** A recorded treatment: its clinic page and the patient's personal link. */
export interface Treatment {
  clinicUrl: string;
  patientUrl: string;
}

/**
 * Records a treatment through the clinic's form (signed in already), treated `treatedDaysAgo`
 * days and two hours ago (so the patient is on day `treatedDaysAgo + 1`), and reads the patient
 * link the page shows once.
 */
export async function recordTreatment(page: Page, label: string, treatedDaysAgo = 1): Promise<Treatment> {
  await page.goto('/clinic/treatments/new');
  await page.getByLabel("Patient's name or initials").fill(label);
  const treated = daysAgo(treatedDaysAgo);
  await page.getByLabel('Treatment date').fill(treated.date);
  await page.getByLabel('Treatment time').fill(treated.time);
  await page.getByLabel('Time zone').fill('Europe/London');
  await page.getByRole('button', { name: 'Record and create the patient link' }).click();
  await expect(page.getByRole('heading', { name: "The patient's link" })).toBeVisible();
  const patientUrl = (await page.locator('.link-url').innerText()).trim();
  expect(patientUrl).toMatch(/\/p\/[A-Za-z0-9_-]+$/);
  // The link is shown once, in the answer to the form (not at a URL); the treatment's own page
  // is the one its products link hangs off.
  const shelf = await page.getByRole('link', { name: /The patient's products/ }).getAttribute('href');
  expect(shelf).toMatch(/^\/clinic\/treatments\/[^/]+\/shelf$/);
  return { clinicUrl: (shelf ?? '').replace(/\/shelf$/, ''), patientUrl };
}

/** A fresh signed-in clinic page in its own browser context. */
export async function clinicPage(browser: Browser, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  await signIn(page);
  return page;
}
