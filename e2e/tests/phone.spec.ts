import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { PASSWORD, loggedInPage, snap } from "./support";

// A 360×740 phone: the composer always on screen, a top bar that folds into a menu,
// drawers that close every way people expect, and text that cannot break the layout.

async function token(page: Page): Promise<string> {
  return page.evaluate(() => JSON.parse(window.localStorage.getItem("teahouse.tokens") ?? "{}").access);
}

async function apiUser(request: APIRequestContext, username: string): Promise<{ access: string; id: number }> {
  const response = await request.post("/api/v1/auth/register", {
    data: { username, email: `${username}@example.com`, password: PASSWORD },
  });
  expect(response.status()).toBe(201);
  const session = await response.json();
  return { access: session.access_token, id: session.user.id };
}

async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

async function composerInView(page: Page) {
  const box = await page.locator(".composer").boundingBox();
  expect(box).not.toBeNull();
  const height = page.viewportSize()!.height;
  expect(box!.y + box!.height).toBeLessThanOrEqual(height + 0.5);
  expect(box!.y).toBeGreaterThan(0);
}

const LONG_WORD = "茶".repeat(20) + "x".repeat(180);

test("on a phone the composer stays on screen and every drawer closes by button, Escape and tap outside", async ({ browser, request }) => {
  const suffix = Date.now().toString(36);
  const li = await loggedInPage(browser, request, `li_${suffix}`);
  await li.setViewportSize({ width: 360, height: 740 });
  const access = await token(li);
  // A long unbroken room name and display name.
  const created = await request.post("/api/v1/rooms", {
    headers: { Authorization: `Bearer ${access}` },
    data: { name: "R".repeat(60), visibility: "public" },
  });
  expect(created.status()).toBe(201);
  const room = await created.json();
  const han = await apiUser(request, `han_${suffix}`);
  await request.patch("/api/v1/me", { headers: { Authorization: `Bearer ${han.access}` }, data: { display_name: "H".repeat(40) } });
  await request.post("/api/v1/rooms/join", { headers: { Authorization: `Bearer ${han.access}` }, data: { number: room.number } });
  for (const body of [LONG_WORD, "\u202Eevil reversed tail", "an ordinary line after it"]) {
    const sent = await request.post(`/api/v1/posts/${room.default_post_id}/messages`, {
      headers: { Authorization: `Bearer ${han.access}` },
      data: { client_id: crypto.randomUUID(), body },
    });
    expect(sent.status()).toBe(201);
  }
  await li.goto(`/rooms/${room.id}/${room.default_post_id}`);
  await expect(li.getByRole("log").getByText("an ordinary line after it")).toBeVisible();

  // The top bar is one row; the composer is inside the screen; nothing scrolls sideways.
  const bar = await li.locator(".topbar").boundingBox();
  expect(bar!.height).toBeLessThanOrEqual(64);
  await composerInView(li);
  expect(await horizontalOverflow(li)).toBeLessThanOrEqual(0);
  // The override stays inside its own message: the next message's name and time keep
  // their order.
  const after = li.locator(".message", { hasText: "an ordinary line after it" });
  const author = await li.locator(".message .meta .author").first().boundingBox();
  const time = await li.locator(".message .meta time").first().boundingBox();
  expect(author!.x).toBeLessThan(time!.x);
  await expect(after.locator(".body")).toHaveAttribute("dir", "auto");
  // Every message, notice and name fits the screen (long words wrap or ellipsize).
  for (const box of await li.locator(".messages > li").evaluateAll((items) =>
    items.map((i) => i.getBoundingClientRect().right))) {
    expect(box).toBeLessThanOrEqual(360);
  }
  await snap(li, "01-phone-chat");

  // The menu: opens, closes with Escape and with a tap elsewhere.
  const menu = li.getByRole("button", { name: "Menu" });
  await menu.click();
  await expect(li.getByRole("link", { name: "Settings" })).toBeVisible();
  await snap(li, "02-phone-menu");
  await li.keyboard.press("Escape");
  await expect(li.getByRole("link", { name: "Settings" })).toBeHidden();
  await menu.click();
  await li.mouse.click(180, 500);
  await expect(li.getByRole("link", { name: "Settings" })).toBeHidden();

  // The rooms drawer.
  const roomsToggle = li.locator(".rooms-toggle");
  const drawer = li.locator("nav.rooms");
  for (const how of ["button", "escape", "outside"]) {
    await roomsToggle.click();
    await expect(drawer).toBeVisible();
    if (how === "button") await drawer.getByRole("button", { name: "Close" }).click();
    if (how === "escape") await li.keyboard.press("Escape");
    if (how === "outside") await li.mouse.click(350, 400);
    await expect(drawer).toBeHidden();
  }

  // The members drawer, which must not cover its own way out.
  const membersButton = li.getByRole("button", { name: /Members/ });
  const members = li.locator("aside.members");
  for (const how of ["button", "escape", "outside"]) {
    await membersButton.click();
    await expect(members).toBeVisible();
    if (how === "button") {
      await snap(li, "03-phone-members");
      await members.getByRole("button", { name: "Close" }).click();
    }
    if (how === "escape") await li.keyboard.press("Escape");
    if (how === "outside") await li.mouse.click(20, 400);
    await expect(members).toBeHidden();
  }
  // Names in the member list are not crushed by their actions.
  await membersButton.click();
  const name = members.locator(".member-name", { hasText: "HHHH" });
  expect((await name.boundingBox())!.width).toBeGreaterThan(100);
  await li.keyboard.press("Escape");

  // A friend request waiting does not cover the composer.
  const me = await (await request.get("/api/v1/me", { headers: { Authorization: `Bearer ${access}` } })).json();
  const asked = await request.post("/api/v1/friends/requests", {
    headers: { Authorization: `Bearer ${han.access}` },
    data: { user_id: me.id },
  });
  expect(asked.status()).toBe(200);
  const prompt = li.locator(".request-prompt");
  await expect(prompt).toBeVisible();
  const p = (await prompt.boundingBox())!;
  const c = (await li.locator(".composer").boundingBox())!;
  expect(p.y + p.height <= c.y || c.y + c.height <= p.y).toBe(true);
  await snap(li, "04-phone-request");
});

test("screens at both sizes, both themes and both languages", async ({ browser, request }) => {
  test.setTimeout(180_000);
  const suffix = Date.now().toString(36);
  const li = await loggedInPage(browser, request, `li_${suffix}`);
  await expect(li.getByRole("heading", { name: "Welcome to Teahouse", level: 1 })).toBeVisible();
  // A new account is led somewhere: create, join, find friends.
  await expect(li.getByRole("button", { name: "Create a room" })).toBeVisible();
  await expect(li.getByRole("button", { name: "Join by number" })).toBeVisible();
  await expect(li.getByRole("link", { name: "Find people" })).toBeVisible();
  await li.getByRole("button", { name: "Join by number" }).click();
  await expect(li.getByRole("dialog")).toBeVisible();
  await li.keyboard.press("Escape");
  await expect(li.getByRole("dialog")).toBeHidden();
  const created = await request.post("/api/v1/rooms", {
    headers: { Authorization: `Bearer ${await token(li)}` },
    data: { name: "茶话会 Tea talk", visibility: "public" },
  });
  const room = await created.json();
  await request.post(`/api/v1/posts/${room.default_post_id}/messages`, {
    headers: { Authorization: `Bearer ${await token(li)}` },
    data: { client_id: crypto.randomUUID(), body: "大家好 👋 hello everyone" },
  });
  // Formatting, and a long address that must wrap on a phone.
  await request.post(`/api/v1/posts/${room.default_post_id}/messages`, {
    headers: { Authorization: `Bearer ${await token(li)}` },
    data: {
      client_id: crypto.randomUUID(),
      body: "**粗体 bold** _斜体 italic_ ~~删除~~ `code`\n> 引用 a quote\n\n- 一 one\n- 二 two\n\n```\nlet tea = \"乌龙\"; // a long line of code that has to wrap on a phone screen\n```\n"
        + "https://example.com/" + "tea".repeat(60),
    },
  });
  // An edited message, a reply to it and a reaction: the marks those leave.
  const auth = { Authorization: `Bearer ${await token(li)}` };
  const asked = await (await request.post(`/api/v1/posts/${room.default_post_id}/messages`, {
    headers: auth, data: { client_id: crypto.randomUUID(), body: "周六喝什么茶？ What tea on Saturday?" },
  })).json();
  await request.patch(`/api/v1/messages/${asked.id}`, { headers: auth, data: { body: "周日喝什么茶？ What tea on Sunday?" } });
  await request.post(`/api/v1/posts/${room.default_post_id}/messages`, {
    headers: auth, data: { client_id: crypto.randomUUID(), body: "乌龙 Oolong", reply_to: asked.id },
  });
  await request.put(`/api/v1/messages/${asked.id}/reactions/${encodeURIComponent("🍵")}`, { headers: auth, data: {} });
  for (const [width, height] of [[1366, 800], [360, 740]]) {
    await li.setViewportSize({ width, height });
    for (const lang of ["en", "zh-CN"]) {
      for (const theme of ["light", "dark"]) {
        await li.evaluate(([theme]) => localStorage.setItem("teahouse.theme", theme), [theme]);
        await li.goto("/settings/appearance");
        await li.locator(".settings-body").getByLabel(/^(Language|语言)$/).selectOption(lang);
        await li.goto(`/rooms/${room.id}/${room.default_post_id}`);
        await expect(li.locator("html")).toHaveAttribute("data-theme", theme);
        await expect(li.locator(".room-head .mute")).toHaveAccessibleName(lang === "en" ? "Mute" : "消息免打扰");
        await expect(li.locator(".message").first()).toBeVisible();
        expect(await horizontalOverflow(li)).toBeLessThanOrEqual(0);
        await composerInView(li);
        await snap(li, `05-chat-${width}-${lang}-${theme}`);
        await li.goto("/settings/notifications");
        await expect(li.locator(".settings h1")).toBeVisible();
        expect(await horizontalOverflow(li)).toBeLessThanOrEqual(0);
        await snap(li, `06-settings-${width}-${lang}-${theme}`);
      }
    }
  }
  // Picking a language in the app remembers it for the whole site, beyond this session.
  await li.context().clearCookies();
  await li.goto("/settings/appearance");
  await li.locator(".settings-body").getByLabel("Language").selectOption("zh-CN");
  await expect(li.locator(".settings h1")).toHaveText("设置");
  const locale = (await li.context().cookies()).find((c) => c.name === "i18n_pref_locale");
  expect(locale?.value).toBe("zh-CN");
  expect(locale?.path).toBe("/");
  expect(locale?.expires).toBeGreaterThan(Date.now() / 1000 + 300 * 24 * 3600);
});

test.describe("on a touch screen", () => {
  test.use({ hasTouch: true, isMobile: true, viewport: { width: 360, height: 740 } });

  test("a message's tools show once it is tapped, not under every message", async ({ browser, request }) => {
    const suffix = Date.now().toString(36);
    const li = await loggedInPage(browser, request, `li_${suffix}`);
    const auth = { Authorization: `Bearer ${await token(li)}` };
    const room = await (await request.post("/api/v1/rooms", { headers: auth, data: { name: "Touch", visibility: "public" } })).json();
    for (const body of ["first", "second **one**", "third"]) {
      await request.post(`/api/v1/posts/${room.default_post_id}/messages`, { headers: auth, data: { client_id: crypto.randomUUID(), body } });
    }
    await li.goto(`/rooms/${room.id}/${room.default_post_id}`);
    const second = li.getByRole("log").locator(".message", { hasText: "second" });
    await expect(li.getByRole("log").getByText("third")).toBeVisible();
    await expect(li.getByRole("log").getByRole("button", { name: "Reply" }).first()).toBeHidden();
    await second.tap();
    await expect(second.getByRole("button", { name: "Reply" })).toBeVisible();
    await expect(li.getByRole("log").locator(".message", { hasText: "third" }).getByRole("button", { name: "Reply" })).toBeHidden();
    await snap(li, "07-touch-tools");
  });
});
