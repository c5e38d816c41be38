import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { admin, api, loggedInPage, snap, token } from "./support";

// The seeds' flow: a room whose word policy is "warn"; typing a sensitive word and pressing
// Enter shows which words matched; the person edits, or sends anyway. Under "block" the
// message is refused and says why.

test("the composer warns about a sensitive word: edit it, or send anyway", async ({ browser, request }) => {
  const suffix = Date.now().toString(36);
  const li = await loggedInPage(browser, request, `fli_${suffix}`);
  const han = await loggedInPage(browser, request, `fhan_${suffix}`);
  expect(admin("set-role", `fli_${suffix}`, "admin")).toContain("is now admin");
  const liToken = await token(li);
  const hanToken = await token(han);
  const list = await api(request, liToken, "post", "/admin/filter/categories", { name: `insults ${suffix}` });
  await api(request, liToken, "post", `/admin/filter/categories/${list.id}/words`, { words: ["傻逼", "badword"] });
  await api(request, liToken, "patch", `/admin/filter/categories/${list.id}`, { enabled: true });
  const room = await api(request, liToken, "post", "/rooms", { name: "Word club", visibility: "public" });
  await api(request, hanToken, "post", "/rooms/join", { number: room.number });
  await api(request, liToken, "put", `/rooms/${room.id}/word-policy`, { policy: "warn" });
  try {
    await han.goto(`/rooms/${room.id}/${room.default_post_id}`);
    const composer = han.getByRole("textbox", { name: "Message" });
    const log = han.getByRole("log");
    await composer.fill("you are a 傻 逼");
    await composer.press("Enter");
    const warning = han.getByRole("alert").filter({ hasText: "sensitive words" });
    await expect(warning).toContainText("「傻 逼」");
    await expect(composer).toHaveValue("you are a 傻 逼");
    await expect(log.locator(".message", { hasText: "you are a" })).toHaveCount(0);
    await snap(han, "01-warning");
    await expectAccessible(han);

    // Edit: the warning goes, the text stays to change; clean text sends at once.
    await warning.getByRole("button", { name: "Edit" }).click();
    await expect(warning).toBeHidden();
    await expect(composer).toBeFocused();
    await composer.fill("you are a friend");
    await composer.press("Enter");
    await expect(log.locator(".message", { hasText: "you are a friend" })).toBeVisible();
    await expect(composer).toHaveValue("");

    // Send anyway: sent as written.
    await composer.fill("ＢＡＤ word, sorry");
    await composer.press("Enter");
    await expect(warning).toContainText("「ＢＡＤ word」");
    await warning.getByRole("button", { name: "Send anyway" }).click();
    await expect(log.locator(".message", { hasText: "ＢＡＤ word, sorry" })).toBeVisible();
    await expect(warning).toBeHidden();

    // The hits are in the audit log: the warning, then the send.
    const hits = await (await request.get("/api/v1/admin/audit?action=filter_hit", { headers: { Authorization: `Bearer ${liToken}` } })).json();
    expect(hits.entries[0].details.words[0].matched).toBe("ＢＡＤ word");
    const warned = await (await request.get("/api/v1/admin/audit?action=filter_warned", { headers: { Authorization: `Bearer ${liToken}` } })).json();
    expect(warned.entries.length).toBeGreaterThanOrEqual(2);

    // Chinese, dark, and a phone.
    await han.evaluate(() => localStorage.setItem("teahouse.theme", "dark"));
    await han.goto("/settings/appearance");
    await han.locator(".settings-body").getByLabel("Language").selectOption("zh-CN");
    await han.goto(`/rooms/${room.id}/${room.default_post_id}`);
    const zhComposer = han.getByRole("textbox", { name: "消息" });
    await zhComposer.fill("你这个傻傻逼");
    await zhComposer.press("Enter");
    const zhWarning = han.getByRole("alert").filter({ hasText: "敏感词" });
    await expect(zhWarning).toContainText("「傻傻逼」");
    await expect(zhWarning.getByRole("button", { name: "仍然发送" })).toBeVisible();
    await snap(han, "02-warning-zh-dark");
    await expectAccessible(han);
    await han.setViewportSize({ width: 360, height: 740 });
    await expect(zhWarning).toBeVisible();
    await expectNoOverflow(han);
    await expect(zhWarning.getByRole("button", { name: "修改" })).toBeInViewport();
    await snap(han, "03-warning-phone");
    await zhWarning.getByRole("button", { name: "修改" }).click();
    await zhComposer.fill("");

    // Block: refused, and the failed message says which words.
    await api(request, liToken, "put", `/rooms/${room.id}/word-policy`, { policy: "block" });
    await han.setViewportSize({ width: 1366, height: 800 });
    await han.reload();
    await zhComposer.fill("傻逼");
    await zhComposer.press("Enter");
    await expect(log.locator(".message.failed")).toContainText("「傻逼」");
    await snap(han, "04-blocked-zh");
  } finally {
    await api(request, liToken, "patch", `/admin/filter/categories/${list.id}`, { enabled: false });
  }
});

async function expectNoOverflow(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

/** axe on the warning (contrast included): nothing critical, serious or moderate. */
async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page })
    .include(".filter-warning")
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  const bad = results.violations.filter((v) => ["critical", "serious", "moderate"].includes(v.impact ?? ""));
  expect(bad.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
}

// Enter pressed before the room list had loaded, when the app did not know the room's
// policy yet, sent a listed word unwarned (the test above failed so once in a full run).
// The conversation now holds such a message until the policy is known: warned about
// where it is `warn`, sent as it is otherwise, and never lost when the chat view is
// rebuilt as the lists arrive.
test("a message sent before the room list has loaded is checked all the same", async ({ browser, request }) => {
  const suffix = Date.now().toString(36);
  const li = await loggedInPage(browser, request, `eli_${suffix}`);
  const han = await loggedInPage(browser, request, `ehan_${suffix}`);
  expect(admin("set-role", `eli_${suffix}`, "admin")).toContain("is now admin");
  const liToken = await token(li);
  const list = await api(request, liToken, "post", "/admin/filter/categories", { name: `early ${suffix}` });
  await api(request, liToken, "post", `/admin/filter/categories/${list.id}/words`, { words: ["earlyword"] });
  await api(request, liToken, "patch", `/admin/filter/categories/${list.id}`, { enabled: true });
  const room = await api(request, liToken, "post", "/rooms", { name: "Early room", visibility: "public" });
  await api(request, await token(han), "post", "/rooms/join", { number: room.number });
  await api(request, liToken, "put", `/rooms/${room.id}/word-policy`, { policy: "warn" });
  try {
    const log = han.getByRole("log");
    const composer = han.getByRole("textbox", { name: "Message" });
    // The room list answers only when released.
    const holdRoomList = async () => {
      let release = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      await han.unrouteAll();
      await han.route("**/api/v1/rooms", async (route) => {
        await held;
        await route.continue();
      });
      return release;
    };

    let release = await holdRoomList();
    await han.goto(`/rooms/${room.id}/${room.default_post_id}`);
    await composer.fill("an earlyword here");
    await composer.press("Enter");
    release();
    const warning = han.getByRole("alert").filter({ hasText: "sensitive words" });
    await expect(warning).toContainText("「earlyword」");
    await expect(composer).toHaveValue("an earlyword here");
    await expect(log.locator(".message", { hasText: "an earlyword here" })).toHaveCount(0);
    await warning.getByRole("button", { name: "Send anyway" }).click();
    await expect(log.locator(".message", { hasText: "an earlyword here" })).toBeVisible();

    // Clean text sent early arrives, once.
    release = await holdRoomList();
    await han.reload();
    await composer.fill("hello before the list");
    await composer.press("Enter");
    await expect(log.locator(".message", { hasText: "hello before the list" })).toBeVisible();
    release();
    await expect(log.locator(".message:not(.pending)", { hasText: "hello before the list" })).toHaveCount(1);
    await expect(han.getByRole("alert").filter({ hasText: "sensitive words" })).toHaveCount(0);
  } finally {
    await api(request, liToken, "patch", `/admin/filter/categories/${list.id}`, { enabled: false });
  }
});
