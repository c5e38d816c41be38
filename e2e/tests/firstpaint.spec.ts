import { expect, test } from "@playwright/test";
import { snap } from "./support";

// What a person on a slow connection sees first, and what the app costs to download.

test("a styled loading screen shows until the app runs", async ({ page }) => {
  let release = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  await page.route(/_bg\.wasm$/, async (route) => {
    await gate;
    await route.continue();
  });
  await page.goto("/login");
  const boot = page.locator("#boot");
  await expect(boot).toBeVisible();
  await expect(boot).toContainText("Loading");
  await expect(boot).toContainText("加载中");
  // Styled: the brand mark has its colour before any wasm ran.
  const background = await boot.locator(".brand-mark").evaluate((e) => getComputedStyle(e).backgroundColor);
  expect(background).not.toBe("rgba(0, 0, 0, 0)");
  await snap(page, "01-loading");
  release();
  await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();
  await expect(boot).toHaveCount(0);
});

test("the app's files are served precompressed, brotli first", async ({ request }) => {
  const html = await (await request.get("/")).text();
  const wasm = html.match(/\/[\w-]+_bg\.wasm/)?.[0];
  expect(wasm).toBeTruthy();
  // The server compresses once, in the background, after it starts.
  let encoding = "";
  let served = 0;
  for (let i = 0; i < 120 && encoding !== "br"; i++) {
    const res = await request.fetch(wasm!, { headers: { "accept-encoding": "br, gzip" } });
    encoding = res.headers()["content-encoding"] ?? "";
    served = Number(res.headers()["content-length"] ?? 0);
    if (encoding !== "br") await new Promise((r) => setTimeout(r, 500));
  }
  expect(encoding).toBe("br");
  // A budget against growth: 540 KB since issue 14's formatting, editing, replies,
  // reactions, mentions, pins and the announcement (489 KB before it), 552 KB with issue
  // 15's filter warning and room moderation, 565 KB with reporting a message,
  // registering by invite and the owner's word-filter choice, 580 KB with e-mail, 589 KB with message search (the
  // code step, forgot and reset password, changing the address; the admin console is a
  // bundle of its own under /admin, not in this one; docs/BENCHMARKS.md), 594 KB with the
  // search dialog's files tab, paging and shortcut; the target (issue 13) is 400 KB.
  expect(served).toBeGreaterThan(100_000);
  expect(served).toBeLessThanOrEqual(584 * 1024);
  const gz = await request.fetch(wasm!, { headers: { "accept-encoding": "gzip" } });
  expect(gz.headers()["content-encoding"]).toBe("gzip");
});
