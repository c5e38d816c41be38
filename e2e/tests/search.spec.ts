import { expect, test } from "@playwright/test";
import { api, loggedInPage, sendMessage, snap, token } from "./support";

// Message search: find a two-character Chinese word inside a longer run, see the match
// marked in results grouped by conversation, narrow them, and jump to the message in
// context, pages back in its topic.

test("search finds 上海 inside a sentence and opens it in context", async ({ browser, request }) => {
  const suffix = Date.now().toString(36);
  const li = await loggedInPage(browser, request, `sli_${suffix}`);
  const han = await loggedInPage(browser, request, `shan_${suffix}`);
  const liToken = await token(li);
  const hanToken = await token(han);
  const room = await api(request, liToken, "post", "/rooms", { name: `Search club ${suffix}`, visibility: "public" });
  await api(request, hanToken, "post", "/rooms/join", { number: room.number });
  await sendMessage(request, hanToken, room.default_post_id, "我家在上海东边，周末来喝茶");
  // More than the first page the app opens, so the message is pages back.
  for (let i = 0; i < 110; i++) await sendMessage(request, liToken, room.default_post_id, `filler ${i}`);
  await sendMessage(request, liToken, room.default_post_id, "上海的天气很好");

  await han.setViewportSize({ width: 1366, height: 800 });
  await han.goto(`/rooms/${room.id}/${room.default_post_id}`);
  await han.getByRole("button", { name: "Search messages" }).click();
  const dialog = han.getByRole("dialog", { name: "Search messages" });
  await dialog.getByRole("combobox", { name: "Search messages" }).fill("上海");
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

  // ↓ and Enter open the older one, pages back, highlighted.
  await dialog.getByRole("combobox", { name: "Search messages" }).press("ArrowDown");
  await dialog.getByRole("combobox", { name: "Search messages" }).press("Enter");
  await expect(dialog).toBeHidden();
  const found = han.getByRole("log").locator(".message", { hasText: "我家在上海东边" });
  await expect(found).toBeInViewport();
  await expect(found).toHaveClass(/flash/);
  await snap(han, "02-in-context");

  // Chinese, dark, on a phone.
  await han.evaluate(() => localStorage.setItem("teahouse.theme", "dark"));
  await han.goto("/settings/appearance");
  await han.locator(".settings-body").getByLabel("Language").selectOption("zh-CN");
  await han.setViewportSize({ width: 360, height: 740 });
  await han.goto(`/rooms/${room.id}/${room.default_post_id}`);
  await han.locator(".rooms-toggle").click();
  await han.getByRole("button", { name: "搜索消息" }).click();
  const zh = han.getByRole("dialog", { name: "搜索消息" });
  await zh.getByRole("combobox", { name: "搜索消息" }).fill("天气");
  await expect(zh.locator(".search-hit")).toHaveCount(1);
  await expect(zh.locator("mark")).toHaveText("天气");
  await snap(han, "03-results-zh-dark-phone");
});
