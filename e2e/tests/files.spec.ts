import { expect, test, type Page } from "@playwright/test";
import { readFile } from "node:fs/promises";
import { loggedInPage, snap } from "./support";

async function token(page: Page): Promise<string> {
  return page.evaluate(() => JSON.parse(window.localStorage.getItem("teahouse.tokens") ?? "{}").access);
}

/** An 800 × 600 PNG drawn by the browser itself. */
async function drawnPng(page: Page): Promise<Buffer> {
  const data = await page.evaluate(() => {
    const canvas = document.createElement("canvas");
    canvas.width = 800;
    canvas.height = 600;
    const g = canvas.getContext("2d")!;
    g.fillStyle = "#2f6f4f";
    g.fillRect(0, 0, 800, 600);
    g.fillStyle = "#f6f3ec";
    g.fillRect(200, 150, 400, 300);
    return canvas.toDataURL("image/png").split(",")[1];
  });
  return Buffer.from(data, "base64");
}

test("one person sends an image and a file; the other sees the thumbnail, opens it, and downloads the file", async ({ browser, request }) => {
  const suffix = Date.now().toString(36);
  const li = await loggedInPage(browser, request, `li_${suffix}`);
  const han = await loggedInPage(browser, request, `han_${suffix}`);

  // A room with both in it, made over the API (rooms have their own test).
  const created = await request.post("/api/v1/rooms", {
    headers: { Authorization: `Bearer ${await token(li)}` },
    data: { name: "Photo club", visibility: "public" },
  });
  expect(created.status()).toBe(201);
  const room = await created.json();
  const joined = await request.post("/api/v1/rooms/join", {
    headers: { Authorization: `Bearer ${await token(han)}` },
    data: { number: room.number },
  });
  expect(joined.status()).toBe(200);
  const path = `/rooms/${room.id}/${room.default_post_id}`;
  await li.goto(path);
  await han.goto(path);
  await expect(han.getByRole("heading", { name: "Photo club", level: 1 })).toBeVisible();

  // Li attaches an image and a file, watches them upload, and sends them with a line.
  const fileName = "菜单 秋季 v2.txt"; // quotes: the API test (browsers swap them for _ when saving)
  const fileText = "绿茶 12\n乌龙 15\n";
  await li.locator(".composer input[type=file]").setInputFiles([
    { name: "tea.png", mimeType: "image/png", buffer: await drawnPng(li) },
    { name: fileName, mimeType: "text/plain", buffer: Buffer.from(fileText) },
  ]);
  await expect(li.locator(".upload .ok")).toHaveCount(2);
  await snap(li, "01-staged");
  await li.getByLabel("Message").fill("今天的茶");
  await li.getByLabel("Message").press("Enter");
  await expect(li.locator(".uploads")).toHaveCount(0);

  // Han sees the message live with the thumbnail (480 px wide, made by the server).
  const message = han.locator(".message", { hasText: "今天的茶" });
  const thumb = message.locator(".attachments img.auth-image");
  await expect(thumb).toHaveAttribute("src", /^blob:/);
  await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(480);
  await expect(message.locator(".file-card")).toContainText(fileName);
  await snap(han, "02-received");

  // The full-size image opens in the viewer.
  await thumb.click();
  const viewer = han.getByRole("dialog", { name: "tea.png" });
  const full = viewer.locator("img.auth-image");
  await expect.poll(() => full.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(800);
  await snap(han, "03-viewer");
  await viewer.getByRole("button", { name: "Close" }).click();
  await expect(viewer).toHaveCount(0);

  // The file downloads under its own name with its own content.
  const [download] = await Promise.all([
    han.waitForEvent("download"),
    message.locator(".file-card").getByRole("button", { name: "Download" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(fileName);
  expect(await readFile(await download.path(), "utf8")).toBe(fileText);

  // The contact list says what came.
  await han.getByRole("tab", { name: "Chats" }).click();
  await expect(han.locator(".conversation", { hasText: "Photo club" }).locator(".preview")).toContainText("[Image]");
});

test("an avatar is uploaded on the profile and shown", async ({ browser, request }) => {
  const suffix = Date.now().toString(36);
  const li = await loggedInPage(browser, request, `ava_${suffix}`);
  await li.goto("/me");
  const card = li.locator(".profile-card");
  await expect(card.locator("span.avatar")).toHaveText("A");
  await card.locator(".avatar-picker input[type=file]").setInputFiles({
    name: "me.png",
    mimeType: "image/png",
    buffer: await drawnPng(li),
  });
  const avatar = card.locator("img.avatar");
  await expect.poll(() => avatar.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(256);
  await snap(li, "04-avatar");
  await card.getByRole("button", { name: "Use the generated one" }).click();
  await expect(card.locator("span.avatar")).toHaveText("A");
});
