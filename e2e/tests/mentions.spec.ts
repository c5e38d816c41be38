import { expect, test } from "@playwright/test";
import { api, loggedInPage, recordNotifications, setHidden, snap, token } from "./support";

// @mentions: completion by display name, username or pinyin initials; the mentioned
// person's highlight, "@" badge and "[Mentioned]" / "[有人@我]" in the contact list; @all
// only for those the room lets.

test("mention with completion by pinyin initials: highlight, badge and [有人@我] for the mentioned one", async ({ browser, request }) => {
  const suffix = Date.now().toString(36);
  const li = await loggedInPage(browser, request, `li_${suffix}`);
  const zhang = await loggedInPage(browser, request, `zhang_${suffix}`);
  const liToken = await token(li);
  const zhangToken = await token(zhang);
  await api(request, zhangToken, "patch", "/me", { display_name: "张三" });
  const room = await api(request, liToken, "post", "/rooms", { name: "Tea tasting", visibility: "public" });
  await api(request, zhangToken, "post", "/rooms/join", { number: room.number });
  await zhang.reload();

  // Li types "@zs": 张三 is offered (pinyin initials), Enter picks him.
  await li.goto(`/rooms/${room.id}/${room.default_post_id}`);
  const composer = li.getByRole("textbox", { name: "Message" });
  await composer.pressSequentially("Hi @zs");
  const list = li.getByRole("listbox", { name: "People to mention" });
  await expect(list.getByRole("option")).toHaveCount(1);
  await expect(list.getByRole("option").first()).toContainText("张三");
  await expect(list.getByRole("option").first()).toContainText(`@zhang_${suffix}`);
  await snap(li, "01-mention-list");
  await composer.press("Enter");
  await expect(list).toBeHidden();
  await expect(composer).toHaveValue("Hi @张三 ");
  await composer.pressSequentially("which oolong?");
  await composer.press("Enter");
  await expect(li.getByRole("log").locator(".message", { hasText: "which oolong?" })).toBeVisible();
  // The sender's own message is not highlighted for the sender.
  await expect(li.locator(".message.mentioned")).toHaveCount(0);

  // Zhang, on the contact list: "[Mentioned]" before the preview, "@" on the room.
  await zhang.goto("/rooms");
  const line = zhang.locator(".conversation", { hasText: "Tea tasting" });
  await expect(line.locator(".mentioned-tag")).toHaveText("[Mentioned]");
  await expect(line).toContainText("which oolong?");
  await zhang.getByRole("tab", { name: "Rooms" }).click();
  await expect(zhang.locator("a.room", { hasText: "Tea tasting" }).locator(".mention-badge")).toHaveText("@");
  // In Chinese it is QQ's [有人@我].
  await zhang.goto("/settings/appearance");
  await zhang.locator(".settings-body").getByLabel("Language").selectOption("zh-CN");
  await zhang.goto("/rooms");
  await zhang.getByRole("tab", { name: "消息" }).click();
  await expect(zhang.locator(".conversation", { hasText: "Tea tasting" }).locator(".mentioned-tag")).toHaveText("[有人@我]");
  await snap(zhang, "02-contact-list-zh");

  // Opening the room shows the message highlighted and reads it: the marks go.
  await zhang.locator(".conversation", { hasText: "Tea tasting" }).click();
  await expect(zhang.locator(".message.mentioned", { hasText: "which oolong?" })).toBeVisible();
  await snap(zhang, "03-highlight-zh");
  await zhang.goto("/rooms");
  await expect(zhang.locator(".conversation", { hasText: "Tea tasting" })).toBeVisible();
  await expect(zhang.locator(".mentioned-tag")).toHaveCount(0);
});

test("@all is offered to admins, and to members only where the room allows it", async ({ browser, request }) => {
  const suffix = Date.now().toString(36);
  const li = await loggedInPage(browser, request, `li2_${suffix}`);
  const han = await loggedInPage(browser, request, `han2_${suffix}`);
  const liToken = await token(li);
  const room = await api(request, liToken, "post", "/rooms", { name: "Everyone room", visibility: "public" });
  await api(request, await token(han), "post", "/rooms/join", { number: room.number });
  await han.reload();

  // A member: no "all" in the list.
  await han.goto(`/rooms/${room.id}/${room.default_post_id}`);
  const hanComposer = han.getByRole("textbox", { name: "Message" });
  await hanComposer.pressSequentially("@");
  const hanList = han.getByRole("listbox", { name: "People to mention" });
  await expect(hanList.getByRole("option", { name: new RegExp(`li2_${suffix}`) })).toBeVisible();
  await expect(hanList.getByRole("option", { name: /^all/ })).toHaveCount(0);
  await hanComposer.press("Escape");
  await expect(hanList).toBeHidden();
  await hanComposer.fill("");

  // The owner lets members @all in the room's settings; Han's list offers it at once.
  await li.goto(`/rooms/${room.id}/${room.default_post_id}`);
  await li.getByRole("button", { name: /Members/ }).click();
  await li.getByRole("button", { name: "Edit room" }).click();
  await li.getByLabel("Members may mention everyone (@all)").check();
  await li.getByRole("button", { name: "Save" }).click();
  await expect(li.getByRole("dialog")).toBeHidden();
  await hanComposer.pressSequentially("@al");
  await hanList.getByRole("option", { name: /^all/ }).click();
  await expect(hanComposer).toHaveValue("@all ");
  await hanComposer.pressSequentially("tea is ready");
  await hanComposer.press("Enter");
  // Everyone else is called: Li's copy is highlighted.
  await expect(li.locator(".message.mentioned", { hasText: "tea is ready" })).toBeVisible();
  await snap(li, "04-mention-all");
});

test("a mention notifies in a muted room; other messages there stay silent", async ({ browser, request }) => {
  const suffix = Date.now().toString(36);
  const li = await loggedInPage(browser, request, `li3_${suffix}`);
  const zhang = await loggedInPage(browser, request, `zhang3_${suffix}`);
  await recordNotifications(zhang);
  const liToken = await token(li);
  const zhangToken = await token(zhang);
  const room = await api(request, liToken, "post", "/rooms", { name: "Muted hall", visibility: "public" });
  await api(request, zhangToken, "post", "/rooms/join", { number: room.number });
  await zhang.goto("/settings/notifications");
  await zhang.getByLabel("Desktop notifications").check();
  await zhang.goto(`/rooms/${room.id}/${room.default_post_id}`);
  await zhang.getByRole("button", { name: "Mute" }).click();
  await expect(zhang.getByRole("button", { name: "Unmute" })).toHaveAttribute("aria-pressed", "true");
  // The tab is hidden: what arrives is news.
  await setHidden(zhang, true);
  const post = room.default_post_id;
  await api(request, liToken, "post", `/posts/${post}/messages`, { client_id: crypto.randomUUID(), body: "just chatting" });
  await api(request, liToken, "post", `/posts/${post}/messages`, {
    client_id: crypto.randomUUID(), body: `@zhang3_${suffix} your turn`, mentions: [(await (await request.get("/api/v1/me", { headers: { Authorization: `Bearer ${zhangToken}` } })).json()).id],
  });
  await expect(zhang.getByRole("log").getByText("your turn")).toBeAttached();
  await expect.poll(() => zhang.evaluate(() => (window as any).__notifications.length)).toBe(1);
  const note = await zhang.evaluate(() => (window as any).__notifications[0]);
  expect(note.body).toContain("your turn");
});
