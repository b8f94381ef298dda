// Playwright settings for the aftercare browser tests (docs/e2e.md). `e2e/run` starts the
// server and sets AFTERCARE_URL; the browser is Debian's Chromium, never a downloaded one.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: './tests',
  outputDir: './artifacts/test-results',
  // The flows share one server and one database and build on each other (the clinic creates the
  // treatment the patient then opens), so they run in order in one worker.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  // An audited page runs axe-core twice (phone and desktop width); a 2-core CI machine needs time.
  timeout: 120_000,
  expect: { timeout: 5_000 },
  reporter: [['list'], ['html', { outputFolder: './artifacts/report', open: 'never' }]],
  use: {
    baseURL: process.env.AFTERCARE_URL,
    locale: 'en-GB',
    timezoneId: 'Europe/London',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      // As root on a CI machine, with no network but loopback: no sandbox, and none of
      // Chromium's background connections.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-dev-shm-usage',
      ],
    },
  },
});
