import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { PASSWORD, loggedInPage, snap } from "./support";

// Profile cards, drafts that survive switching and reloads, and the keyboard switcher.

async function token(page: Page): Promise<string> {
  return page.evaluate(() => JSON.parse(window.localStorage.getItem("teahouse.tokens") ?? "{}").access);
}

async function room(request: APIRequestContext, access: string, name: string) {
  const created = await request.post("/api/v1/rooms", {
    headers: { Authorization: `Bearer ${access}` },
    data: { name, visibility: "public" },
  });
  expect(created.status()).toBe(201);
  return created.json();
}

test("a name opens its profile card, with a way to message, add and block", async ({ browser, request }) => {
  const suffix = Date.now().toString(36);
  const li = await loggedInPage(browser, request, `li_${suffix}`);
  const han = await (await request.post("/api/v1/auth/register", {
    data: { username: `han_${suffix}`, email: `han_${suffix}@example.com`, password: PASSWORD },
  })).json();
  const auth = { Authorization: `Bearer ${han.access_token}` };
  await request.patch("/api/v1/me", {
    headers: auth,
    data: { display_name: "韩梅梅", bio: "喜欢乌龙茶", location: "上海", zodiac: "leo" },
  });
  const r = await room(request, await token(li), "Card room");
  await request.post("/api/v1/rooms/join", { headers: auth, data: { number: r.number } });
  await request.post(`/api/v1/posts/${r.default_post_id}/messages`, {
    headers: auth,
    data: { client_id: crypto.randomUUID(), body: "你好" },
  });
  await li.goto(`/rooms/${r.id}/${r.default_post_id}`);
  await li.getByRole("log").getByRole("button", { name: "韩梅梅" }).click();
  const card = li.getByRole("dialog", { name: "韩梅梅" });
  await expect(card).toBeVisible();
  await expect(card.getByText(`@han_${suffix}`)).toBeVisible();
  await expect(card.getByText("喜欢乌龙茶")).toBeVisible();
  await expect(card.getByText("上海")).toBeVisible();
  await expect(card.getByText("Leo")).toBeVisible();
  await expect(card.getByRole("button", { name: "Add friend" })).toBeVisible();
  await expect(card.getByRole("button", { name: "Block" })).toBeVisible();
  await snap(li, "01-profile-card");
  // Han takes private messages from friends only: the card says so and stays.
  await card.getByRole("button", { name: "Message" }).click();
  await expect(card.getByText("friends only")).toBeVisible();
  await li.keyboard.press("Escape");
  await expect(card).toBeHidden();
  // Once Han lets room members write, the card's Message opens the private chat.
  await request.patch("/api/v1/me", { headers: auth, data: { direct_messages: "room_members" } });
  await li.getByRole("log").getByRole("button", { name: "韩梅梅" }).click();
  await card.getByRole("button", { name: "Message" }).click();
  await expect(card).toBeHidden();
  await expect(li.getByRole("heading", { name: "韩梅梅", level: 1 })).toBeVisible();
});

test("a half-written message survives switching and reloads, and goes at logout", async ({ browser, request }) => {
  const suffix = Date.now().toString(36);
  const li = await loggedInPage(browser, request, `li_${suffix}`);
  const a = await room(request, await token(li), "Draft A");
  const b = await room(request, await token(li), "Draft B");
  await li.goto(`/rooms/${a.id}/${a.default_post_id}`);
  await li.getByLabel("Message", { exact: true }).fill("half a thought about tea");
  await li.getByRole("tab", { name: "Rooms" }).click();
  await li.getByRole("link", { name: /Draft B/ }).click();
  await expect(li.getByRole("heading", { name: "Draft B", level: 1 })).toBeVisible();
  await expect(li.getByLabel("Message", { exact: true })).toHaveValue("");
  await li.getByLabel("Message", { exact: true }).fill("another for B");
  await li.getByRole("link", { name: /Draft A/ }).click();
  await expect(li.getByLabel("Message", { exact: true })).toHaveValue("half a thought about tea");
  await li.reload();
  await expect(li.getByLabel("Message", { exact: true })).toHaveValue("half a thought about tea");
  await li.goto(`/rooms/${b.id}/${b.default_post_id}`);
  await expect(li.getByLabel("Message", { exact: true })).toHaveValue("another for B");
  // Sending clears it.
  await li.getByLabel("Message", { exact: true }).press("Enter");
  await expect(li.getByRole("log").getByText("another for B")).toBeVisible();
  await li.reload();
  await expect(li.getByLabel("Message", { exact: true })).toHaveValue("");
  // Logging out forgets drafts on this browser.
  await li.getByRole("button", { name: "Log out" }).click();
  await expect(li.getByRole("heading", { name: "Log in" })).toBeVisible();
  const left = await li.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("teahouse.draft.")));
  expect(left).toEqual([]);
});

test("Ctrl+K finds a conversation by name; Alt+arrows move between conversations", async ({ browser, request }) => {
  const suffix = Date.now().toString(36);
  const li = await loggedInPage(browser, request, `li_${suffix}`);
  const access = await token(li);
  for (const name of ["Oolong corner", "Jasmine hall", "Pu'er cellar", "周末读书会"]) await room(request, access, name);
  await li.goto("/rooms");
  await expect(li.locator(".conversation")).toHaveCount(4);
  await li.keyboard.press("Control+k");
  const switcher = li.getByRole("dialog", { name: "Go to a conversation" });
  await expect(switcher).toBeVisible();
  await expect(switcher.getByRole("combobox")).toBeFocused();
  await li.keyboard.type("jasm");
  await expect(switcher.getByRole("option")).toHaveCount(1);
  await snap(li, "02-switcher");
  await li.keyboard.press("Enter");
  await expect(switcher).toBeHidden();
  await expect(li.getByRole("heading", { name: "Jasmine hall", level: 1 })).toBeVisible();
  // Alt+↓ goes to the next conversation in the contact list, Alt+↑ back.
  const order = await li.locator(".conversation .room-name").allInnerTexts();
  const at = order.findIndex((t) => t.startsWith("Jasmine hall"));
  await li.keyboard.press("Alt+ArrowDown");
  const next = order[(at + 1) % order.length].split(" · ")[0];
  await expect(li.getByRole("heading", { name: next, level: 1 })).toBeVisible();
  await li.keyboard.press("Alt+ArrowUp");
  await expect(li.getByRole("heading", { name: "Jasmine hall", level: 1 })).toBeVisible();
  // Pinyin initials find a Chinese name: "zmds" is 周末读书(会). What is typed straight
  // after Ctrl+K goes into the switcher: its field has the focus before the browser
  // handles another key (a timer runs only after the microtasks that mount the dialog).
  const focused = await li.evaluate(async () => {
    document.body.dispatchEvent(new KeyboardEvent("keydown", { key: "k", ctrlKey: true, bubbles: true }));
    await new Promise((done) => setTimeout(done, 0));
    return !!document.activeElement?.closest(".switcher") && document.activeElement?.getAttribute("role");
  });
  expect(focused).toBe("combobox");
  await li.keyboard.type("zmds");
  await expect(switcher.getByRole("option")).toHaveCount(1);
  await expect(switcher.getByRole("option")).toContainText("周末读书会");
  await li.keyboard.press("Enter");
  await expect(li.getByRole("heading", { name: "周末读书会", level: 1 })).toBeVisible();
});
