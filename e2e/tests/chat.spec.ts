import { expect, test } from "@playwright/test";
import { loggedInPage, snap } from "./support";
import type { Page } from "@playwright/test";

// These tests work with rooms: show the rooms rather than the contact list.
async function roomsTab(...pages: Page[]) {
  for (const page of pages) await page.getByRole("tab", { name: "Rooms" }).click();
}

test("two people chat live, recall, unread badges, and an offline message arrives once", async ({ browser, request }) => {
  const suffix = Date.now().toString(36);
  const li = await loggedInPage(browser, request, `li_${suffix}`);
  const han = await loggedInPage(browser, request, `han_${suffix}`);
  await roomsTab(li, han);

  // Li creates a room; its number is shown in the header.
  await li.getByRole("button", { name: "New room" }).click();
  await li.getByLabel("Room name").fill("Tea club");
  await li.getByRole("button", { name: "Create", exact: true }).click();
  await expect(li.getByRole("heading", { name: "Tea club", level: 1 })).toBeVisible();
  const numberText = await li.locator(".room-head p").innerText();
  const number = numberText.replace(/\D/g, "");
  expect(number).toHaveLength(8);

  // Han joins by number.
  await han.getByRole("button", { name: "Join a room" }).click();
  await han.getByLabel("Room number").fill(number);
  await han.getByRole("dialog").getByRole("button", { name: "Join", exact: true }).click();
  await expect(han.getByRole("heading", { name: "Tea club", level: 1 })).toBeVisible();
  await expect(li.getByText(`han_${suffix} joined the room`)).toBeVisible();

  // Live, both ways; Enter sends.
  await li.getByLabel("Message").fill("你好, Han! https://example.com/tea");
  await li.getByLabel("Message").press("Enter");
  await expect(han.getByText("你好, Han!")).toBeVisible();
  await expect(han.getByRole("link", { name: "https://example.com/tea" })).toBeVisible();
  await han.getByLabel("Message").fill("Hi Li\nsecond line");
  await han.getByRole("button", { name: "Send" }).click();
  await expect(li.locator(".message .body", { hasText: "Hi Li" })).toHaveText("Hi Li\nsecond line");
  await snap(li, "01-chat");

  // Li recalls; Han sees the placeholder and the text is gone.
  await li.locator(".message.mine", { hasText: "你好, Han!" }).getByRole("button", { name: "Recall" }).click();
  await expect(han.getByText(`li_${suffix} recalled a message`)).toBeVisible();
  await expect(han.getByText("你好, Han!")).toHaveCount(0);
  await expect(li.getByLabel("Message")).toHaveValue("你好, Han! https://example.com/tea");
  await li.getByLabel("Message").fill("");

  // A second room: Han is looking at the first one, so the second shows an unread badge.
  await li.getByRole("button", { name: "New room" }).click();
  await li.getByLabel("Room name").fill("Oolong corner");
  await li.getByRole("button", { name: "Create", exact: true }).click();
  await expect(li.getByRole("heading", { name: "Oolong corner", level: 1 })).toBeVisible();
  const second = (await li.locator(".room-head p").innerText()).replace(/\D/g, "");
  await han.getByRole("button", { name: "Join a room" }).click();
  await han.getByLabel("Room number").fill(second);
  await han.getByRole("dialog").getByRole("button", { name: "Join", exact: true }).click();
  await expect(han.getByRole("heading", { name: "Oolong corner", level: 1 })).toBeVisible();
  await han.getByRole("link", { name: "Tea club" }).click();
  await expect(han.getByRole("heading", { name: "Tea club", level: 1 })).toBeVisible();
  await li.getByLabel("Message").fill("news in the corner");
  await li.getByLabel("Message").press("Enter");
  await expect(han.getByRole("link", { name: /Oolong corner/ }).locator(".badge")).toHaveText("1");
  await snap(han, "02-unread");
  await han.getByRole("link", { name: /Oolong corner/ }).click();
  await expect(han.getByText("news in the corner")).toBeVisible();
  await expect(han.getByRole("link", { name: /Oolong corner/ }).locator(".badge")).toHaveCount(0);

  // Offline: the message waits as pending, and is delivered exactly once when back.
  await han.context().setOffline(true);
  await han.getByLabel("Message").fill("sent while offline");
  await han.getByLabel("Message").press("Enter");
  await expect(han.locator(".message.pending", { hasText: "sent while offline" })).toBeVisible();
  await han.context().setOffline(false);
  await expect(li.locator(".message .body", { hasText: "sent while offline" })).toHaveCount(1, { timeout: 20_000 });
  await expect(han.locator(".message.pending")).toHaveCount(0, { timeout: 20_000 });
  await expect(han.locator(".message .body", { hasText: "sent while offline" })).toHaveCount(1);
  await snap(han, "03-after-offline");
});

test("topics with tags, and managing a room", async ({ browser, request }) => {
  const suffix = Date.now().toString(36);
  const li = await loggedInPage(browser, request, `owner_${suffix}`);
  const han = await loggedInPage(browser, request, `member_${suffix}`);
  await roomsTab(li, han);
  li.on("dialog", (d) => d.accept());

  await li.getByRole("button", { name: "New room" }).click();
  await li.getByLabel("Room name").fill("Tea club");
  await li.getByRole("button", { name: "Create", exact: true }).click();
  await expect(li.getByRole("heading", { name: "Tea club", level: 1 })).toBeVisible();
  const number = (await li.locator(".room-head p").innerText()).replace(/\D/g, "");

  // Two topics with tags; the tag filter narrows the list.
  for (const [title, tags] of [["Best oolong", "oolong, shops"], ["Green tea", "green"]]) {
    await li.getByRole("button", { name: "New topic" }).click();
    await li.getByLabel("Title").fill(title);
    await li.getByLabel("Tags, separated by commas (optional)").fill(tags);
    await li.getByRole("button", { name: "Create", exact: true }).click();
    await expect(li.locator(".post-title")).toHaveText(title);
  }
  const topics = li.locator("aside.posts ul li");
  await expect(topics).toHaveCount(3);
  await li.getByRole("button", { name: "#oolong" }).click();
  await expect(topics).toHaveCount(1);
  await expect(topics.first()).toContainText("Best oolong");
  await li.getByRole("button", { name: "All" }).click();
  await expect(topics).toHaveCount(3);

  // Rename one, delete the other.
  await li.getByRole("link", { name: "Best oolong" }).click();
  await li.getByRole("button", { name: "Edit topic" }).click();
  await li.getByLabel("Title").fill("Oolong shops");
  await li.getByRole("button", { name: "Save" }).click();
  await expect(li.getByRole("link", { name: "Oolong shops" })).toBeVisible();
  await li.getByRole("link", { name: "Green tea" }).click();
  await li.getByRole("button", { name: "Edit topic" }).click();
  await li.getByRole("button", { name: "Delete topic" }).click();
  await expect(topics).toHaveCount(2);

  // Han joins; Li renames the room, promotes Han, then hands the room over.
  await han.getByRole("button", { name: "Join a room" }).click();
  await han.getByLabel("Room number").fill(number);
  await han.getByRole("dialog").getByRole("button", { name: "Join", exact: true }).click();
  await expect(han.getByRole("heading", { name: "Tea club", level: 1 })).toBeVisible();
  await li.getByRole("button", { name: /Members/ }).click();
  const members = li.getByRole("complementary", { name: "Members" });
  await expect(members.getByText(`member_${suffix}`)).toBeVisible();
  await members.getByRole("button", { name: "Edit room" }).click();
  await li.getByLabel("Room name").fill("Tea society");
  await li.getByRole("button", { name: "Save" }).click();
  await expect(li.getByRole("heading", { name: "Tea society", level: 1 })).toBeVisible();
  await expect(han.getByRole("link", { name: "Tea society" })).toBeVisible();
  await members.getByRole("button", { name: "Make admin" }).click();
  await expect(members.locator(".member", { hasText: `member_${suffix}` }).locator(".role")).toHaveText("Admin");
  await members.getByRole("button", { name: "Make owner" }).click();
  await expect(members.locator(".member", { hasText: `member_${suffix}` }).locator(".role")).toHaveText("Owner");
  await expect(members.getByRole("button", { name: "Leave room" })).toBeVisible();
  await snap(li, "04-members");
});
