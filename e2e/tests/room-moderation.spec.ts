import { expect, test } from "@playwright/test";
import { api, loggedInPage, snap, token } from "./support";

// Room moderation in the app: slow mode shown in the composer with its countdown, a
// silenced member told why they cannot send, and an admin silencing and banning from the
// member list.

test("slow mode and silence show in the composer; the owner silences and bans from the member list", async ({ browser, request }) => {
  const suffix = Date.now().toString(36);
  const li = await loggedInPage(browser, request, `mli_${suffix}`);
  const han = await loggedInPage(browser, request, `mhan_${suffix}`);
  const liToken = await token(li);
  const hanToken = await token(han);
  const room = await api(request, liToken, "post", "/rooms", { name: "Quiet room", visibility: "public" });
  await api(request, hanToken, "post", "/rooms/join", { number: room.number });
  const hanMe = await (await request.get("/api/v1/me", { headers: { Authorization: `Bearer ${hanToken}` } })).json();

  // The owner turns slow mode on in the room's settings.
  await li.goto(`/rooms/${room.id}/${room.default_post_id}`);
  await li.getByRole("button", { name: /Members/ }).click();
  await li.getByRole("button", { name: "Edit room" }).click();
  await li.getByLabel("Slow mode (members)").selectOption("30");
  await li.getByRole("button", { name: "Save" }).click();
  await expect(li.getByRole("dialog")).toBeHidden();

  // Han sees it live in the composer, sends once, then counts down.
  await han.goto(`/rooms/${room.id}/${room.default_post_id}`);
  const slow = han.locator(".composer-notice.slow-mode");
  await expect(slow).toHaveText("Slow mode: one message every 30 s.");
  const composer = han.getByRole("textbox", { name: "Message" });
  await composer.fill("first");
  await composer.press("Enter");
  await expect(han.getByRole("log").locator(".message", { hasText: "first" })).toBeVisible();
  await expect(slow).toContainText(/you can send again in \d+ s/);
  await expect(han.getByRole("button", { name: "Send" })).toBeDisabled();
  await snap(han, "01-slow-mode");

  // Silenced by the owner from the member list: told until when, cannot type.
  await li.getByLabel("Silence…").selectOption("600");
  await expect(li.locator(".member", { hasText: `mhan_${suffix}` }).locator(".silenced-mark")).toHaveText("silenced");
  await snap(li, "02-member-silenced");
  const silenced = han.locator(".composer-notice", { hasText: "silenced" });
  await expect(silenced).toContainText("You are silenced in this room until");
  await expect(composer).toBeDisabled();
  await snap(han, "03-silenced");
  // In Chinese on a phone.
  await han.goto("/settings/appearance");
  await han.locator(".settings-body").getByLabel("Language").selectOption("zh-CN");
  await han.setViewportSize({ width: 360, height: 740 });
  await han.goto(`/rooms/${room.id}/${room.default_post_id}`);
  await expect(han.locator(".composer-notice", { hasText: "禁言" })).toContainText("你在本群已被禁言");
  expect(await han.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  await snap(han, "04-silenced-zh-phone");

  // Lifted: Han may write again (slow mode still on).
  await li.locator(".member", { hasText: `mhan_${suffix}` }).getByRole("button", { name: "Unsilence" }).click();
  await expect(han.getByRole("textbox", { name: "消息" })).toBeEnabled();

  // Banned: Han is out of the room, and joining again is refused.
  li.once("dialog", (d) => d.accept());
  await li.locator(".member", { hasText: `mhan_${suffix}` }).getByRole("button", { name: "Ban" }).click();
  await expect(li.locator(".member", { hasText: `mhan_${suffix}` })).toHaveCount(0);
  const again = await request.post("/api/v1/rooms/join", { headers: { Authorization: `Bearer ${hanToken}` }, data: { number: room.number } });
  expect(again.status()).toBe(403);
  expect((await again.json()).code).toBe("banned_from_room");
  const bans = await (await request.get(`/api/v1/rooms/${room.id}/bans`, { headers: { Authorization: `Bearer ${liToken}` } })).json();
  expect(bans[0].user.id).toBe(hanMe.id);
});

test("the owner chooses the room's word filter, never milder than the server's minimum", async ({ browser, request }) => {
  const suffix = Date.now().toString(36);
  const li = await loggedInPage(browser, request, `wli_${suffix}`);
  const han = await loggedInPage(browser, request, `whan_${suffix}`);
  const liToken = await token(li);
  const room = await api(request, liToken, "post", "/rooms", { name: "Filtered room", visibility: "public" });
  await api(request, await token(han), "post", "/rooms/join", { number: room.number });

  await li.goto(`/rooms/${room.id}/${room.default_post_id}`);
  await li.getByRole("button", { name: /Members/ }).click();
  await li.getByRole("button", { name: "Edit room" }).click();
  const policy = li.getByLabel("Sensitive-word filter");
  await expect(policy.locator("option")).toHaveText(["Server default (Off)", "Off", "Warn", "Mask", "Block"]);
  await policy.selectOption("block");
  await snap(li, "10-word-policy");
  await li.getByRole("button", { name: "Save" }).click();
  await expect(li.getByRole("dialog")).toBeHidden();
  const card = await (await request.get(`/api/v1/rooms/${room.id}`, { headers: { Authorization: `Bearer ${liToken}` } })).json();
  expect(card.word_policy).toBe("block");

  // An admin of the room (not its owner) does not get the choice.
  const hanMe = await (await request.get("/api/v1/me", { headers: { Authorization: `Bearer ${await token(han)}` } })).json();
  await api(request, liToken, "put", `/rooms/${room.id}/members/${hanMe.id}/role`, { role: "admin" });
  await han.goto(`/rooms/${room.id}/${room.default_post_id}`);
  await han.getByRole("button", { name: /Members/ }).click();
  await han.getByRole("button", { name: "Edit room" }).click();
  await expect(han.getByLabel("Slow mode (members)")).toBeVisible();
  await expect(han.getByLabel("Sensitive-word filter")).toHaveCount(0);
});
