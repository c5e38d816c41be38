import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { PASSWORD, loggedInPage, recordNotifications, sendMessage, setHidden, snap } from "./support";

// The timeline: following a busy room, the "new messages" pill and line, day separators
// and grouping, honest read state, the tab title, notifications and mute.

async function token(page: Page): Promise<string> {
  return page.evaluate(() => JSON.parse(window.localStorage.getItem("teahouse.tokens") ?? "{}").access);
}

/** Someone who only talks through the API (a bot, another device). */
async function apiUser(request: APIRequestContext, username: string): Promise<string> {
  const response = await request.post("/api/v1/auth/register", {
    data: { username, email: `${username}@example.com`, password: PASSWORD },
  });
  expect(response.status()).toBe(201);
  return (await response.json()).access_token;
}

async function createRoom(request: APIRequestContext, access: string, name: string) {
  const created = await request.post("/api/v1/rooms", {
    headers: { Authorization: `Bearer ${access}` },
    data: { name, visibility: "public" },
  });
  expect(created.status()).toBe(201);
  return created.json();
}

async function join(request: APIRequestContext, access: string, number: number) {
  const joined = await request.post("/api/v1/rooms/join", {
    headers: { Authorization: `Bearer ${access}` },
    data: { number },
  });
  expect(joined.status()).toBe(200);
}

async function send(request: APIRequestContext, access: string, post: number, body: string) {
  await sendMessage(request, access, post, body);
}

/** How far the timeline is from its bottom, in pixels. */
async function belowView(page: Page): Promise<number> {
  return page.locator(".timeline").evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);
}

test("a 200-message burst keeps the reader at the newest; scrolled up, a pill counts and jumps", async ({ browser, request }) => {
  const suffix = Date.now().toString(36);
  const li = await loggedInPage(browser, request, `li_${suffix}`);
  const room = await createRoom(request, await token(li), "Busy hall");
  // Four people, fifty messages each, all at once (each within the per-person limit).
  const senders = await Promise.all([0, 1, 2, 3].map((i) => apiUser(request, `bot${i}_${suffix}`)));
  for (const s of senders) await join(request, s, room.number);
  await li.goto(`/rooms/${room.id}/${room.default_post_id}`);
  await expect(li.getByRole("heading", { name: "Busy hall", level: 1 })).toBeVisible();

  await Promise.all(senders.map(async (s, i) => {
    for (let n = 1; n <= 50; n++) await send(request, s, room.default_post_id, `burst ${i}-${n}`);
  }));
  for (let i = 0; i < 4; i++) await expect(li.getByRole("log").getByText(`burst ${i}-50`, { exact: true })).toBeVisible();
  await expect.poll(() => belowView(li)).toBeLessThan(48);
  await expect(li.locator(".new-pill")).toHaveCount(0);
  await snap(li, "01-after-burst");

  // Scrolled up, new messages do not move the reader; a pill counts them and jumps down.
  await li.locator(".timeline").evaluate((el) => { el.scrollTop = 0; el.dispatchEvent(new Event("scroll")); });
  await li.mouse.wheel(0, -200);
  const top = await li.locator(".timeline").evaluate((el) => el.scrollTop);
  await send(request, senders[0], room.default_post_id, "while you were up there");
  await send(request, senders[1], room.default_post_id, "and another");
  const pill = li.getByRole("button", { name: /2 new messages/ });
  await expect(pill).toBeVisible();
  expect(Math.abs((await li.locator(".timeline").evaluate((el) => el.scrollTop)) - top)).toBeLessThan(400);
  await snap(li, "02-pill");
  await pill.click();
  await expect(li.getByRole("log").getByText("and another")).toBeInViewport();
  await expect(li.locator(".new-pill")).toHaveCount(0);
});

test("a conversation opens at the first unread message under a line; days and authors group", async ({ browser, request }) => {
  const suffix = Date.now().toString(36);
  const li = await loggedInPage(browser, request, `li_${suffix}`);
  const han = await apiUser(request, `han_${suffix}`);
  const room = await createRoom(request, await token(li), "Reading room");
  const other = await createRoom(request, await token(li), "Elsewhere");
  await join(request, han, room.number);
  for (let n = 1; n <= 40; n++) await send(request, han, room.default_post_id, `read ${n}`);
  // Li read those (on another device); now Li looks elsewhere while 30 more arrive.
  const read = await request.post(`/api/v1/posts/${room.default_post_id}/read`, {
    headers: { Authorization: `Bearer ${await token(li)}` },
    data: {},
  });
  expect(read.status()).toBe(200);
  await li.goto(`/rooms/${other.id}/${other.default_post_id}`);
  await expect(li.getByRole("heading", { name: "Elsewhere", level: 1 })).toBeVisible();
  for (let n = 1; n <= 30; n++) await send(request, han, room.default_post_id, `unread ${n}`);
  await li.getByRole("tab", { name: "Rooms" }).click();
  await expect(li.getByRole("link", { name: /Reading room/ }).locator(".badge")).toHaveText("30");
  await li.getByRole("link", { name: /Reading room/ }).click();

  const line = li.locator(".unread-divider", { hasText: "New messages" });
  await expect(line).toBeVisible();
  await expect(line).toBeInViewport();
  await expect(li.getByText("unread 1", { exact: true })).toBeInViewport();
  // The line sits right above the first unread message.
  const next = await line.evaluate((el) => el.nextElementSibling?.textContent ?? "");
  expect(next).toContain("unread 1");
  // A day separator, and one name over Han's run of messages.
  await expect(li.locator(".day-separator", { hasText: "Today" })).toBeVisible();
  const named = await li.locator(".message:not(.continued) .author", { hasText: `han_${suffix}` }).count();
  const continued = await li.locator(".message.continued").count();
  expect(continued).toBeGreaterThan(named);
  // The full date and time are on the time itself.
  await expect(li.locator(".message .meta time").first()).toHaveAttribute("title", /\d{4}/);
  await snap(li, "03-divider");
  // Scrolling to the end reads the rest: the badge goes.
  await li.locator(".timeline").evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await expect(li.getByRole("link", { name: /Reading room/ }).locator(".badge")).toHaveCount(0);
});

test("a hidden tab reads nothing, counts in its title, notifies when allowed, and mute silences", async ({ browser, request }) => {
  const suffix = Date.now().toString(36);
  const li = await loggedInPage(browser, request, `li_${suffix}`);
  await recordNotifications(li);
  const han = await apiUser(request, `han_${suffix}`);
  const room = await createRoom(request, await token(li), "Quiet corner");
  await join(request, han, room.number);

  // Turn notifications on in the settings.
  await li.goto("/settings/notifications");
  await li.getByLabel("Desktop notifications").check();
  await expect(li.getByLabel("Desktop notifications")).toBeChecked();
  await snap(li, "04-settings-notifications");

  await li.goto(`/rooms/${room.id}/${room.default_post_id}`);
  await expect(li.getByRole("heading", { name: "Quiet corner", level: 1 })).toBeVisible();
  await send(request, han, room.default_post_id, "seen at once");
  await expect(li.getByRole("log").getByText("seen at once")).toBeVisible();
  await expect(li).toHaveTitle("Teahouse · 茶馆");

  await setHidden(li, true);
  await send(request, han, room.default_post_id, "while hidden 1");
  await send(request, han, room.default_post_id, "while hidden 2");
  await expect(li.getByRole("log").getByText("while hidden 2")).toBeAttached();
  await expect(li).toHaveTitle("(2) Teahouse · 茶馆");
  await expect(li.locator("link[rel~='icon']")).toHaveAttribute("data-unread", "2");
  await expect.poll(() => li.evaluate(() => (window as any).__notifications.length)).toBe(2);
  const note = await li.evaluate(() => (window as any).__notifications[1]);
  expect(note.title).toContain("Quiet corner");
  expect(note.body).toBe("while hidden 2");
  // Nothing was marked read on the server.
  const rooms = await request.get("/api/v1/rooms", { headers: { Authorization: `Bearer ${await token(li)}` } });
  expect((await rooms.json()).find((r: any) => r.id === room.id).unread).toBe(2);

  // Back: what is on screen is read, under a "new messages" line.
  await setHidden(li, false);
  await expect(li).toHaveTitle("Teahouse · 茶馆");
  const line = li.locator(".unread-divider", { hasText: "New messages" });
  expect(await line.evaluate((el) => el.nextElementSibling?.textContent ?? "")).toContain("while hidden 1");

  // Muted: counts stay, but no title count and no notification, on every device (another
  // tab of Li's hears it at once).
  const other = await li.context().newPage();
  await other.goto(`/rooms/${room.id}/${room.default_post_id}`);
  await expect(other.getByRole("button", { name: "Mute" })).toBeVisible();
  await li.getByRole("button", { name: "Mute" }).click();
  await expect(li.getByRole("button", { name: "Unmute" })).toHaveAttribute("aria-pressed", "true");
  await expect(other.getByRole("button", { name: "Unmute" })).toBeVisible();
  await other.close();
  await setHidden(li, true);
  await send(request, han, room.default_post_id, "muted news");
  await expect(li.getByRole("log").getByText("muted news")).toBeAttached();
  await li.waitForTimeout(300);
  expect(await li.evaluate(() => (window as any).__notifications.length)).toBe(2);
  await expect(li).toHaveTitle("Teahouse · 茶馆");
  const mine = await request.get("/api/v1/rooms", { headers: { Authorization: `Bearer ${await token(li)}` } });
  const muted = (await mine.json()).find((r: any) => r.id === room.id);
  expect(muted.muted).toBe(true);
  expect(muted.unread).toBe(1);
  await setHidden(li, false);
  await li.reload();
  await expect(li.getByRole("button", { name: "Unmute" })).toBeVisible();
});

async function serverUnread(request: APIRequestContext, page: Page, roomId: number): Promise<number> {
  const rooms = await request.get("/api/v1/rooms", { headers: { Authorization: `Bearer ${await token(page)}` } });
  return (await rooms.json()).find((r: any) => r.id === roomId).unread;
}

test("leaving the chat screen reads nothing more of the conversation that was open", async ({ browser, request }) => {
  const suffix = Date.now().toString(36);
  const li = await loggedInPage(browser, request, `li_${suffix}`);
  const han = await apiUser(request, `han_${suffix}`);
  const room = await createRoom(request, await token(li), "Left behind");
  await join(request, han, room.number);
  await li.goto(`/rooms/${room.id}/${room.default_post_id}`);
  await expect(li.getByRole("heading", { name: "Left behind", level: 1 })).toBeVisible();
  await li.getByRole("link", { name: "Friends", exact: true }).click();
  await expect(li.locator(".friends-page")).toBeVisible();
  await send(request, han, room.default_post_id, "said while Li was elsewhere");
  await expect.poll(() => serverUnread(request, li, room.id)).toBe(1);
  await li.waitForTimeout(500);
  expect(await serverUnread(request, li, room.id)).toBe(1);
});

test("back after a long absence, only what is on screen is read, from the new-messages line", async ({ browser, request }) => {
  const suffix = Date.now().toString(36);
  const li = await loggedInPage(browser, request, `li_${suffix}`);
  const han = await apiUser(request, `han_${suffix}`);
  const room = await createRoom(request, await token(li), "Long absence");
  await join(request, han, room.number);
  await li.goto(`/rooms/${room.id}/${room.default_post_id}`);
  await expect(li.getByRole("heading", { name: "Long absence", level: 1 })).toBeVisible();
  await setHidden(li, true);
  for (let n = 1; n <= 50; n++) await send(request, han, room.default_post_id, `away ${n}`);
  await expect(li.getByRole("log").getByText("away 50", { exact: true })).toBeAttached();
  await setHidden(li, false);
  // The line and the first unseen message are in view; the newest is not, and stays unread.
  await expect(li.locator(".unread-divider")).toBeInViewport();
  await expect(li.getByRole("log").getByText("away 1", { exact: true })).toBeInViewport();
  await expect(li.getByRole("log").getByText("away 50", { exact: true })).not.toBeInViewport();
  await expect.poll(() => serverUnread(request, li, room.id)).toBeLessThan(50);
  await li.waitForTimeout(500);
  const left = await serverUnread(request, li, room.id);
  expect(left).toBeGreaterThan(10);
  // Reading on reads the rest.
  await li.locator(".timeline").evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await expect.poll(() => serverUnread(request, li, room.id)).toBe(0);
});

test("a message sent after the conversation loaded but before the socket was ready is shown", async ({ browser, request }) => {
  // The socket starts from its own moment: what was sent between the page and it must be
  // read from the server (it was lost when the socket connected late).
  const suffix = Date.now().toString(36);
  const li = await loggedInPage(browser, request, `li_${suffix}`);
  const han = await apiUser(request, `han_${suffix}`);
  const room = await createRoom(request, await token(li), "Late socket");
  await join(request, han, room.number);
  await send(request, han, room.default_post_id, "before the page");
  let connect = false;
  await li.routeWebSocket(/\/ws$/, (ws) => {
    if (connect) ws.connectToServer();
    else ws.close();
  });
  await li.goto(`/rooms/${room.id}/${room.default_post_id}`);
  await expect(li.getByRole("log").getByText("before the page", { exact: true })).toBeVisible();
  await send(request, han, room.default_post_id, "between the page and the socket");
  connect = true;
  await expect(li.getByRole("log").getByText("between the page and the socket", { exact: true })).toBeVisible({ timeout: 20_000 });
  await send(request, han, room.default_post_id, "over the socket");
  await expect(li.getByRole("log").getByText("over the socket", { exact: true })).toBeVisible();
  await expect(li.getByRole("log").getByText("between the page and the socket", { exact: true })).toHaveCount(1);
});

test("what a late socket catches up on comes before the new-messages line, not after what arrived live", async ({ browser, request }) => {
  // The socket connects after messages were sent; the catch-up for them is slow, and newer
  // ones arrive live first. The line still goes before the first unseen message, in view.
  const suffix = Date.now().toString(36);
  const li = await loggedInPage(browser, request, `li_${suffix}`);
  const han = await apiUser(request, `han_${suffix}`);
  const room = await createRoom(request, await token(li), "Slow catch-up");
  await join(request, han, room.number);
  let connect = false;
  await li.routeWebSocket(/\/ws$/, (ws) => {
    if (connect) ws.connectToServer();
    else ws.close();
  });
  let caughtUp!: () => void;
  const release = new Promise<void>((resolve) => (caughtUp = resolve));
  let asked!: () => void;
  const catchUpAsked = new Promise<void>((resolve) => (asked = resolve));
  await li.route(/\/api\/v1\/posts\/\d+\/messages\?after=/, async (route) => {
    asked();
    await release;
    await route.continue();
  });
  await li.goto(`/rooms/${room.id}/${room.default_post_id}`);
  await expect(li.getByRole("heading", { name: "Slow catch-up", level: 1 })).toBeVisible();
  await setHidden(li, true);
  for (let n = 1; n <= 5; n++) await send(request, han, room.default_post_id, `away ${n}`);
  connect = true;
  await catchUpAsked;
  for (let n = 6; n <= 50; n++) await send(request, han, room.default_post_id, `away ${n}`);
  await expect(li.getByRole("log").getByText("away 50", { exact: true })).toBeAttached();
  caughtUp();
  await expect(li.getByRole("log").getByText("away 1", { exact: true })).toBeAttached();
  await setHidden(li, false);
  await expect(li.locator(".unread-divider")).toBeInViewport();
  await expect(li.getByRole("log").getByText("away 1", { exact: true })).toBeInViewport();
  await expect(li.locator(".unread-divider + li")).toContainText(/away 1(?!\d)/);
  // Each message is counted once, though the catch-up brought the live ones again.
  const pill = await li.locator(".new-pill").textContent();
  expect(Number.parseInt(pill ?? "0", 10)).toBeLessThanOrEqual(50);
});

test("a new-messages line the reader has read past moves to what arrives while they are away", async ({ browser, request }) => {
  // The page is made after a message came: it opens under a line, is read on screen, and
  // what comes while the tab is hidden gets the line.
  const suffix = Date.now().toString(36);
  const li = await loggedInPage(browser, request, `li_${suffix}`);
  const han = await apiUser(request, `han_${suffix}`);
  const room = await createRoom(request, await token(li), "Read past");
  await join(request, han, room.number);
  let release!: () => void;
  const sent = new Promise<void>((resolve) => (release = resolve));
  await li.route(/\/api\/v1\/posts\/\d+\/messages\?limit=/, async (route) => {
    await sent;
    await route.continue();
  });
  await li.goto(`/rooms/${room.id}/${room.default_post_id}`);
  await expect(li.getByRole("heading", { name: "Read past", level: 1 })).toBeVisible();
  await send(request, han, room.default_post_id, "before the page");
  release();
  await expect(li.locator(".unread-divider + li")).toContainText("before the page");
  await expect.poll(() => serverUnread(request, li, room.id)).toBe(0);
  await setHidden(li, true);
  await send(request, han, room.default_post_id, "while away");
  await expect(li.getByRole("log").getByText("while away", { exact: true })).toBeAttached();
  await setHidden(li, false);
  await expect(li.locator(".unread-divider + li")).toContainText("while away");
});

test("after a glance that read only part, the line goes before the first message not seen, and the view stays", async ({ browser, request }) => {
  const suffix = Date.now().toString(36);
  const li = await loggedInPage(browser, request, `li_${suffix}`);
  const han = await apiUser(request, `han_${suffix}`);
  const room = await createRoom(request, await token(li), "Glance");
  await join(request, han, room.number);
  await li.goto(`/rooms/${room.id}/${room.default_post_id}`);
  await expect(li.getByRole("heading", { name: "Glance", level: 1 })).toBeVisible();
  await setHidden(li, true);
  for (let n = 1; n <= 40; n++) await send(request, han, room.default_post_id, `away ${n}`);
  await expect(li.getByRole("log").getByText("away 40", { exact: true })).toBeAttached();
  // A glance: what is on screen is read, the rest below is not.
  await setHidden(li, false);
  await expect.poll(() => serverUnread(request, li, room.id)).toBeLessThan(40);
  await li.waitForTimeout(300);
  const unread = await serverUnread(request, li, room.id);
  expect(unread).toBeGreaterThan(5);
  await setHidden(li, true);
  await send(request, han, room.default_post_id, "after the glance");
  await expect(li.getByRole("log").getByText("after the glance", { exact: true })).toBeAttached();
  await li.waitForTimeout(300);
  // The first message not seen is the one after the read ones: 40 - unread + 1.
  await expect(li.locator(".unread-divider + li")).toContainText(new RegExp(`away ${40 - unread + 1}(?!\\d)`));
  // The view stays where the reader left it: the last message they read is still on screen.
  await expect(li.getByRole("log").getByText(`away ${40 - unread}`, { exact: true })).toBeInViewport();
});
