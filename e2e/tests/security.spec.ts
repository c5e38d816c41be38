import { expect, test, type Page } from "@playwright/test";
import { loggedInPage } from "./support";

// Records every CSP violation the page reports, from the first script on.
async function recordViolations(page: Page) {
  await page.addInitScript(() => {
    (window as any).__violations = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as any).__violations.push(`${e.effectiveDirective} ${e.blockedURI}`);
    });
  });
}

test("the app runs under a strict CSP, and an injected inline script does not", async ({ page, browser, request }) => {
  await recordViolations(page);
  const response = await page.goto("/");
  const csp = response!.headers()["content-security-policy"];
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("base-uri 'none'");
  expect(csp).toContain("object-src 'none'");
  const scriptSrc = csp.split(";").find((d) => d.trim().startsWith("script-src"))!;
  expect(scriptSrc).not.toContain("'unsafe-inline'");
  expect(scriptSrc).not.toContain("'unsafe-eval'");
  expect(response!.headers()["x-frame-options"]).toBe("DENY");

  // The app (loader, theme script, wasm) starts and works.
  await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.getAttribute("data-theme"))).toMatch(/light|dark/);
  expect(await page.evaluate(() => (window as any).__violations)).toEqual([]);

  // Script injected into the page (as an XSS would) is refused, inline or as a handler.
  const ran = await page.evaluate(() => {
    const s = document.createElement("script");
    s.textContent = "window.__pwned = true";
    document.head.appendChild(s);
    const img = document.createElement("img");
    img.setAttribute("onerror", "window.__pwned = true");
    img.src = "/nothing-here.png";
    document.body.appendChild(img);
    return new Promise((resolve) => setTimeout(() => resolve((window as any).__pwned === true), 500));
  });
  expect(ran).toBe(false);
  const violations: string[] = await page.evaluate(() => (window as any).__violations);
  expect(violations.some((v) => v.startsWith("script-src"))).toBe(true);

  // A logged-in chat screen (socket, images, avatars) raises no violation either.
  const chat = await loggedInPage(browser, request, `csp_${Date.now().toString(36)}`);
  await recordViolations(chat);
  await chat.reload();
  await expect(chat.getByRole("link", { name: "Settings" })).toBeVisible();
  await chat.waitForTimeout(500);
  expect(await chat.evaluate(() => (window as any).__violations)).toEqual([]);
});

test("the app cannot be framed", async ({ page, baseURL }) => {
  await page.setContent(`<iframe id="f" width="400" height="300"></iframe>`);
  // The load event comes for a refused frame too (with the browser's error page).
  await page.evaluate(
    (src) =>
      new Promise<void>((resolve) => {
        const frame = document.getElementById("f") as HTMLIFrameElement;
        frame.addEventListener("load", () => resolve());
        frame.src = src;
      }),
    `${baseURL}/`,
  );
  const frame = page.frame({ url: /127\.0\.0\.1/ });
  const framedTitle = frame ? await frame.title().catch(() => "") : "";
  expect(framedTitle).not.toContain("Teahouse");
});

test("the API docs work under their own CSP", async ({ page }) => {
  await recordViolations(page);
  const response = await page.goto("/api/docs/");
  expect(response!.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  await expect(page.getByRole("heading", { name: /Teahouse API/ })).toBeVisible();
  expect(await page.evaluate(() => (window as any).__violations)).toEqual([]);
});

test("too many attempts are explained in both languages", async ({ page, request }) => {
  const username = `slow_${Date.now().toString(36)}`;
  const registered = await request.post("/api/v1/auth/register", {
    data: { username, email: `${username}@example.com`, password: "green-tea-at-dusk" },
  });
  expect(registered.status()).toBe(201);
  // Someone guesses from this address until the server says to wait.
  let status = 0;
  for (let i = 0; i < 12 && status !== 429; i++) {
    const guess = await request.post("/api/v1/auth/login", { data: { login: username, password: `guess-${i}` } });
    status = guess.status();
  }
  expect(status).toBe(429);

  await page.goto("/login");
  await page.getByLabel("Username or email").fill(username);
  await page.getByLabel("Password").fill("another-guess");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("alert")).toHaveText(/^Too many requests\. Try again in \d+ s\.$/);

  await page.getByLabel("Language").selectOption("zh-CN");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("alert")).toHaveText(/^操作过于频繁，请 \d+ 秒后再试。$/);
  await page.screenshot({ path: test.info().outputPath("rate-limited-zh.png"), fullPage: true });
});
