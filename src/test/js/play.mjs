// Plays one page in headless Chromium and prints what the page reported in window.playback, as one JSON line.
// Usage: node play.mjs URL USER_DATA_DIR [CHROMIUM_FLAG...]   (e.g. --ignore-certificate-errors for a test certificate)
// The pages detect stalls themselves; the timeout only bounds a page that never reports (a live page watches 60 s).
import { chromium } from 'playwright-core';

const [url, userDataDir, ...flags] = process.argv.slice(2);
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required', ...flags],
});
try {
  const page = await context.newPage();
  page.on('console', message => console.error('console: ' + message.text()));
  await page.goto(url);
  const playback = await page.waitForFunction(() => window.playback, null, { timeout: 150000, polling: 200 });
  console.log(JSON.stringify(await playback.jsonValue()));
} finally {
  await context.close();
}
