import { expect, test } from "@playwright/test";
import { api, loggedInPage, sendMessage, snap, token } from "./support";

// Message search: open it with the keyboard, find a two-character Chinese word inside a
// longer run, see the match marked in results grouped by conversation, narrow them, page
// on, find a file by its name, and jump to the message in context, pages back in its
// topic.

test("search finds 上海 inside a sentence and opens it in context", async ({ browser, request }) => {
  const suffix = Date.now().toString(36);
  const li = await loggedInPage(browser, request, `sli_${suffix}`);
  const han = await loggedInPage(browser, request, `shan_${suffix}`);
  const liToken = await token(li);
  const hanToken = await token(han);
  const room = await api(request, liToken, "post", "/rooms", { name: `Search club ${suffix}`, visibility: "public" });
  await api(request, hanToken, "post", "/rooms/join", { number: room.number });
  await sendMessage(request, hanToken, room.default_post_id, "我家在上海东边，周末来喝茶");
  const upload = await request.post("/api/v1/files", {
    headers: { Authorization: `Bearer ${liToken}` },
    multipart: { name: "周会纪要 12月.txt", file: { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("议程\n") } },
  });
  expect(upload.status(), await upload.text()).toBe(201);
  await sendMessage(request, liToken, room.default_post_id, "会议记录", { attachments: [(await upload.json()).id] });
  // More than the first page the app opens, so the message is pages back.
  for (let i = 0; i < 110; i++) await sendMessage(request, liToken, room.default_post_id, `filler ${i}`);
  await sendMessage(request, liToken, room.default_post_id, "上海的天气很好");

  await han.setViewportSize({ width: 1366, height: 800 });
  await han.goto(`/rooms/${room.id}/${room.default_post_id}`);
  // The shortcut opens it (the sidebar's button does too, below).
  await expect(han.getByRole("log").locator(".message").last()).toContainText("上海的天气很好");
  await han.keyboard.press("Control+Shift+F");
  const dialog = han.getByRole("dialog", { name: "Search" });
  const box = dialog.getByRole("combobox", { name: "Search" });
  await expect(box).toBeFocused();
  await box.fill("上海");
  const hits = dialog.locator(".search-hit");
  await expect(hits).toHaveCount(2);
  await expect(dialog.getByText(`Search club ${suffix}`, { exact: false }).first()).toBeVisible();
  await expect(hits.nth(1).locator("mark")).toHaveText("上海");
  await snap(han, "01-results");

  // Narrowed to messages with images: none.
  await dialog.getByLabel("Messages with").selectOption("image");
  await expect(dialog.getByText("Nothing found.")).toBeVisible();
  await dialog.getByLabel("Messages with").selectOption("");
  await expect(hits).toHaveCount(2);

  // More than a page of hits: older ones come on asking.
  await box.fill("filler");
  await expect(hits).toHaveCount(20);
  await dialog.getByRole("button", { name: "Show older results" }).click();
  await expect(hits).toHaveCount(40);
  await expect(hits.last()).toContainText("filler 70");

  // Files by name: the attachment's name, cut like a message.
  await dialog.getByRole("tab", { name: "Files" }).click();
  await box.fill("纪要");
  const fileHits = dialog.locator(".search-hit");
  await expect(fileHits).toHaveCount(1);
  await expect(fileHits.first()).toContainText("周会纪要 12月.txt");
  await expect(fileHits.first()).toContainText(`Search club ${suffix}`);
  await dialog.getByLabel("Kind of file").selectOption("image");
  await expect(dialog.getByText("Nothing found.")).toBeVisible();
  await dialog.getByLabel("Kind of file").selectOption("");
  await expect(fileHits).toHaveCount(1);
  await snap(han, "02-files");
  await dialog.getByRole("tab", { name: "Messages" }).click();
  await box.fill("上海");
  await expect(hits).toHaveCount(2);

  // ↓ and Enter open the older one, pages back, highlighted.
  await box.press("ArrowDown");
  await box.press("Enter");
  await expect(dialog).toBeHidden();
  const found = han.getByRole("log").locator(".message", { hasText: "我家在上海东边" });
  await expect(found).toBeInViewport();
  await expect(found).toHaveClass(/flash/);
  await snap(han, "03-in-context");

  // Chinese, dark, on a phone.
  await han.evaluate(() => localStorage.setItem("teahouse.theme", "dark"));
  await han.goto("/settings/appearance");
  await han.locator(".settings-body").getByLabel("Language").selectOption("zh-CN");
  await han.setViewportSize({ width: 360, height: 740 });
  await han.goto(`/rooms/${room.id}/${room.default_post_id}`);
  await han.locator(".rooms-toggle").click();
  await han.getByRole("button", { name: "搜索消息" }).click();
  const zh = han.getByRole("dialog", { name: "搜索" });
  await zh.getByRole("combobox", { name: "搜索" }).fill("天气");
  await expect(zh.locator(".search-hit")).toHaveCount(1);
  await expect(zh.locator("mark")).toHaveText("天气");
  await snap(han, "04-results-zh-dark-phone");

  // Chinese, light, on a desktop: the files tab.
  await han.evaluate(() => localStorage.setItem("teahouse.theme", "light"));
  await han.setViewportSize({ width: 1366, height: 800 });
  await han.goto(`/rooms/${room.id}/${room.default_post_id}`);
  await expect(han.getByRole("log").locator(".message").last()).toContainText("上海的天气很好");
  await han.keyboard.press("Control+Shift+F");
  await zh.getByRole("tab", { name: "文件" }).click();
  await zh.getByRole("combobox", { name: "搜索" }).fill("周会");
  await expect(zh.locator(".search-hit")).toHaveCount(1);
  await snap(han, "05-files-zh-light-desktop");
});
