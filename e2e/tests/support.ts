import { expect, test, type APIRequestContext, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { execFileSync } from "node:child_process";

/** The password every test account gets. */
export const PASSWORD = "green-tea-at-dusk";

// Contexts made by `loggedInPage`, with the test that made them. The `browser` fixture
// lives as long as the worker, so contexts made from it outlive their test unless closed:
// every earlier test's tabs kept running (a socket, timers, presence) and each later test
// ran slower, until timing-sensitive ones failed now and then in full runs. Each call
// closes what earlier tests left.
const contexts: { context: BrowserContext; testId: string }[] = [];

async function closeEarlierContexts() {
  const current = test.info().testId;
  for (let i = contexts.length - 1; i >= 0; i--) {
    if (contexts[i].testId !== current) {
      const [{ context }] = contexts.splice(i, 1);
      await context.close().catch(() => {});
    }
  }
}

// Accounts are made over the API (registration has its own test); each browser context
// then starts logged in with that account's tokens.
export async function loggedInPage(browser: Browser, request: APIRequestContext, username: string): Promise<Page> {
  await closeEarlierContexts();
  const response = await request.post("/api/v1/auth/register", {
    data: { username, email: `${username}@example.com`, password: PASSWORD },
  });
  expect(response.status()).toBe(201);
  const session = await response.json();
  const context = await browser.newContext();
  contexts.push({ context, testId: test.info().testId });
  await context.addInitScript((tokens) => {
    window.localStorage.setItem("teahouse.tokens", JSON.stringify(tokens));
  }, { access: session.access_token, refresh: session.refresh_token });
  const page = await context.newPage();
  await page.goto("/rooms");
  return page;
}

// Screenshots of each screen are kept as test artifacts (e2e/test-results, not committed).
export async function snap(page: Page, name: string) {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`), fullPage: true });
}

/** Sends a message over the API as a bot would: when the server says to slow down, it
 * waits as long as it is told (`retry_after`) and sends the same message again. */
export async function sendMessage(request: APIRequestContext, access: string, post: number, body: string, extra: object = {}) {
  const data = { client_id: crypto.randomUUID(), body, ...extra };
  for (;;) {
    const sent = await request.post(`/api/v1/posts/${post}/messages`, { headers: { Authorization: `Bearer ${access}` }, data });
    if (sent.status() === 429) {
      const wait = (await sent.json()).details?.retry_after ?? 1;
      await new Promise((resolve) => setTimeout(resolve, wait * 1000));
      continue;
    }
    expect(sent.status(), await sent.text()).toBe(201);
    return sent.json();
  }
}

/** The access token the page's session holds. */
export async function token(page: Page): Promise<string> {
  return page.evaluate(() => JSON.parse(window.localStorage.getItem("teahouse.tokens") ?? "{}").access);
}

/** One API call as `access` that must succeed; its JSON answer (null for 204). */
export async function api(request: APIRequestContext, access: string, method: "post" | "patch" | "put", url: string, data: object = {}) {
  const response = await request[method](`/api/v1${url}`, { headers: { Authorization: `Bearer ${access}` }, data });
  expect(response.status(), await response.text()).toBeLessThan(300);
  return response.status() === 204 ? null : response.json();
}

/** Pretends the tab is hidden (and unfocused) or back, as the browser tells the app. */
export async function setHidden(page: Page, hidden: boolean) {
  await page.evaluate((hidden) => {
    Object.defineProperty(document, "visibilityState", { value: hidden ? "hidden" : "visible", configurable: true });
    Object.defineProperty(document, "hidden", { value: hidden, configurable: true });
    document.hasFocus = () => !hidden;
    document.dispatchEvent(new Event("visibilitychange"));
    window.dispatchEvent(new Event(hidden ? "blur" : "focus"));
  }, hidden);
}

/** Records desktop notifications in `window.__notifications` instead of showing them; the
 * permission is granted. */
export async function recordNotifications(page: Page) {
  await page.addInitScript(() => {
    const shown: { title: string; body: string }[] = [];
    (window as any).__notifications = shown;
    function FakeNotification(this: any, title: string, options?: { body?: string }) {
      shown.push({ title, body: options?.body ?? "" });
    }
    (FakeNotification as any).permission = "granted";
    (FakeNotification as any).requestPermission = async () => "granted";
    (window as any).Notification = FakeNotification;
  });
}

/** Runs `teahouse admin …` on the test server's database (it may run meanwhile), as the
 * person who installed the server would; its output. */
export function admin(...args: string[]): string {
  return execFileSync(process.env.TEAHOUSE_BIN!, ["admin", ...args], {
    env: { ...process.env, TEAHOUSE_DATA_DIR: process.env.TEAHOUSE_E2E_DATA_DIR!, DATABASE_URL: "", TEAHOUSE_LOG: "warn" },
    encoding: "utf8",
  });
}

// Mail the server sent, as the test SMTP receiver wrote it down (playwright.config.ts).
const mailSeen = new Set<string>();

/** The next mail to `to` not returned before: `{ to, from, subject, text }`. */
export async function nextMail(to: string): Promise<{ to: string[]; subject: string; text: string }> {
  const fs = await import("node:fs");
  const path = await import("node:path");
  const dir = path.join(process.env.TEAHOUSE_E2E_DATA_DIR!, "mail");
  const deadline = Date.now() + 15_000;
  for (;;) {
    const names = fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith(".json")).sort() : [];
    for (const name of names) {
      if (mailSeen.has(name)) continue;
      const mail = JSON.parse(fs.readFileSync(path.join(dir, name), "utf8"));
      if (mail.to.includes(to)) {
        mailSeen.add(name);
        return mail;
      }
    }
    if (Date.now() > deadline) throw new Error(`no mail to ${to} arrived`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The six-digit code in a mail. */
export function codeIn(mail: { text: string }): string {
  const code = mail.text.match(/(?<!\d)\d{6}(?!\d)/);
  if (!code) throw new Error(`no code in ${mail.text}`);
  return code[0];
}
