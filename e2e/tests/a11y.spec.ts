import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { PASSWORD, loggedInPage } from "./support";

// axe-core on every screen, in both themes: no critical, serious or moderate violation
// of WCAG 2.1 A and AA (contrast included).

/** Every violation found, by screen; checked at the end, so one run lists them all. */
const problems: string[] = [];

async function audit(page: Page, screen: string) {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"])
    .analyze();
  const bad = results.violations.filter((v) => ["critical", "serious", "moderate"].includes(v.impact ?? ""));
  const report = bad.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("\n  ")}`);
  for (const line of report) problems.push(`${screen}: ${line}`);
}

async function each_theme(page: Page, screen: string, open: () => Promise<void>) {
  for (const theme of ["light", "dark"]) {
    await page.evaluate((t) => localStorage.setItem("teahouse.theme", t), theme);
    await open();
    await expect(page.locator("html")).toHaveAttribute("data-theme", theme);
    await page.waitForTimeout(150);
    await audit(page, `${screen} (${theme})`);
  }
}

test("every screen passes axe in both themes", async ({ browser, request, page }) => {
  test.setTimeout(120_000);
  await page.goto("/login");
  await each_theme(page, "login", async () => {
    await page.goto("/login");
    await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();
  });
  await each_theme(page, "register", async () => {
    await page.goto("/register");
    await expect(page.getByRole("heading", { name: "Create your account" })).toBeVisible();
  });

  const suffix = Date.now().toString(36);
  const li = await loggedInPage(browser, request, `a11y_${suffix}`);
  await each_theme(li, "new account", async () => {
    await li.goto("/rooms");
    await expect(li.getByRole("heading", { name: "Welcome to Teahouse" })).toBeVisible();
  });
  // A room with messages, a badge and a private chat.
  const token = await li.evaluate(() => JSON.parse(localStorage.getItem("teahouse.tokens") ?? "{}").access);
  const room = await (await request.post("/api/v1/rooms", {
    headers: { Authorization: `Bearer ${token}` },
    data: { name: "Accessible room", visibility: "public" },
  })).json();
  const other = await request.post("/api/v1/auth/register", {
    data: { username: `peer_${suffix}`, email: `peer_${suffix}@example.com`, password: PASSWORD },
  });
  const peer = await other.json();
  await request.post("/api/v1/rooms/join", { headers: { Authorization: `Bearer ${peer.access_token}` }, data: { number: room.number } });
  for (const body of ["hello", "second", "third"]) {
    await request.post(`/api/v1/posts/${room.default_post_id}/messages`, {
      headers: { Authorization: `Bearer ${peer.access_token}` },
      data: { client_id: crypto.randomUUID(), body },
    });
  }
  await each_theme(li, "room", async () => {
    await li.goto(`/rooms/${room.id}/${room.default_post_id}`);
    await expect(li.getByRole("log").getByText("third")).toBeVisible();
  });
  await each_theme(li, "members", async () => {
    await li.goto(`/rooms/${room.id}/${room.default_post_id}`);
    await li.getByRole("button", { name: /Members/ }).click();
    await expect(li.locator("aside.members")).toBeVisible();
  });
  await each_theme(li, "pins drawer", async () => {
    await li.goto(`/rooms/${room.id}/${room.default_post_id}`);
    await li.locator(".pins-toggle").click();
    await expect(li.locator("aside.pins")).toBeVisible();
  });
  await each_theme(li, "announcement editor", async () => {
    await li.goto(`/rooms/${room.id}/${room.default_post_id}`);
    await li.locator(".pins-toggle").click();
    await li.getByRole("button", { name: "Edit announcement" }).click();
    await expect(li.getByRole("dialog", { name: "Announcement" })).toBeVisible();
  });
  await each_theme(li, "profile card", async () => {
    await li.goto(`/rooms/${room.id}/${room.default_post_id}`);
    await li.locator(".message .person-button").first().click();
    await expect(li.getByRole("dialog")).toBeVisible();
  });
  await each_theme(li, "join dialog", async () => {
    await li.goto(`/rooms/${room.id}/${room.default_post_id}`);
    await li.getByRole("tab", { name: "Rooms" }).click();
    await li.getByRole("button", { name: "Join a room" }).click();
    await expect(li.getByRole("dialog")).toBeVisible();
  });
  await each_theme(li, "quick switcher", async () => {
    await li.goto(`/rooms/${room.id}/${room.default_post_id}`);
    await expect(li.getByRole("log").getByText("third")).toBeVisible();
    await li.keyboard.press("Control+k");
    await expect(li.getByRole("dialog")).toBeVisible();
  });
  await each_theme(li, "friends", async () => {
    await li.goto("/friends");
    await expect(li.getByRole("heading", { level: 1 })).toBeVisible();
  });
  for (const section of ["profile", "password", "notifications", "appearance"]) {
    await each_theme(li, `settings ${section}`, async () => {
      await li.goto(`/settings/${section}`);
      await expect(li.locator(".settings-body h2").first()).toBeVisible();
    });
  }
  expect(problems, problems.join("\n")).toEqual([]);
  // One h1 on every screen.
  for (const path of ["/rooms", `/rooms/${room.id}/${room.default_post_id}`, "/friends", "/settings/profile"]) {
    await li.goto(path);
    await li.waitForTimeout(200);
    await expect(li.locator("h1")).toHaveCount(1);
  }
});

test("dialogs take the focus, keep Tab inside, close on Escape and give the focus back", async ({ browser, request }) => {
  const li = await loggedInPage(browser, request, `focus_${Date.now().toString(36)}`);
  await li.getByRole("tab", { name: "Rooms" }).click();
  const opener = li.getByRole("button", { name: "Join a room" });
  await opener.click();
  const dialog = li.getByRole("dialog");
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel("Room number")).toBeFocused();
  for (let i = 0; i < 12; i++) {
    await li.keyboard.press("Tab");
    expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  }
  await li.keyboard.press("Shift+Tab");
  expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  await li.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(opener).toBeFocused();
  // The login form focuses its first field.
  const fresh = await browser.newPage();
  await fresh.goto("/login");
  await expect(fresh.getByLabel("Username or email")).toBeFocused();
});
