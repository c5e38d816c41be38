import { expect, test } from "@playwright/test";
import { api, loggedInPage, snap, token } from "./support";

// Pins and the announcement (群公告): an admin pins from a message's tools and the list
// follows live for everyone; the announcement shows at the top of the room, once by itself
// to each member after every change.

test("pin from the tools, the list is live for members, a pin opens its message", async ({ browser, request }) => {
  const suffix = Date.now().toString(36);
  const li = await loggedInPage(browser, request, `li_${suffix}`);
  const han = await loggedInPage(browser, request, `han_${suffix}`);
  const liToken = await token(li);
  const room = await api(request, liToken, "post", "/rooms", { name: "Pin board", visibility: "public" });
  await api(request, await token(han), "post", "/rooms/join", { number: room.number });
  await api(request, liToken, "post", `/posts/${room.default_post_id}/messages`, { client_id: crypto.randomUUID(), body: "Meeting every **Friday** at 7" });
  for (let i = 0; i < 40; i++) {
    await api(request, liToken, "post", `/posts/${room.default_post_id}/messages`, { client_id: crypto.randomUUID(), body: `chatter ${i}` });
  }
  for (const page of [li, han]) await page.goto(`/rooms/${room.id}/${room.default_post_id}`);

  // A member has no Pin tool.
  const hanMessage = han.getByRole("log").locator(".message", { hasText: "chatter 39" });
  await hanMessage.hover();
  await expect(hanMessage.getByRole("button", { name: "React", exact: true })).toBeVisible();
  await expect(hanMessage.getByRole("button", { name: "Pin", exact: true })).toHaveCount(0);

  // Li scrolls up to the first message and pins it.
  await li.getByRole("button", { name: /Pinned/ }).click();
  await expect(li.locator(".pins")).toContainText("Nothing pinned yet");
  await li.getByRole("button", { name: /Pinned/ }).click();
  const first = li.getByRole("log").locator(".message", { hasText: "Meeting every Friday at 7" });
  await first.scrollIntoViewIfNeeded();
  await first.hover();
  await first.getByRole("button", { name: "Pin", exact: true }).click();
  await expect(first.locator(".pinned-mark")).toHaveText("📌 Pinned");

  // Han's list has it, live; a click brings the message into view.
  const hanPins = han.getByRole("button", { name: /Pinned/ });
  await expect(hanPins).toHaveAccessibleName("Pinned · 1");
  await hanPins.click();
  const pin = han.locator(".pins .pin", { hasText: "Meeting every Friday at 7" });
  await expect(pin).toContainText(`pinned by li_${suffix}`);
  await snap(han, "01-pins");
  await pin.locator(".pin-line").click();
  const original = han.getByRole("log").locator(".message", { hasText: "Meeting every Friday at 7" });
  await expect(original).toBeInViewport();
  await expect(original.locator(".pinned-mark")).toBeVisible();

  // Unpinned: gone for Han too.
  await first.hover();
  await first.getByRole("button", { name: "Unpin", exact: true }).click();
  await expect(hanPins).toHaveAccessibleName("Pinned · 0");
  await expect(original.locator(".pinned-mark")).toHaveCount(0);
});

test("the announcement: written by an admin, at the top of the room, shown once to each member after a change", async ({ browser, request }) => {
  const suffix = Date.now().toString(36);
  const li = await loggedInPage(browser, request, `li3_${suffix}`);
  const han = await loggedInPage(browser, request, `han3_${suffix}`);
  const liToken = await token(li);
  const room = await api(request, liToken, "post", "/rooms", { name: "Notice board", visibility: "public" });
  await api(request, await token(han), "post", "/rooms/join", { number: room.number });
  for (const page of [li, han]) await page.goto(`/rooms/${room.id}/${room.default_post_id}`);
  await expect(han.getByRole("heading", { name: "Notice board", level: 1 })).toBeVisible();

  // Li writes it from the pins drawer.
  await li.getByRole("button", { name: /Pinned/ }).click();
  await li.getByRole("button", { name: "Edit announcement" }).click();
  const dialog = li.getByRole("dialog", { name: "Announcement" });
  await dialog.getByLabel(/Announcement/).fill("Tasting on **Saturday**.\nBring a cup.");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();
  await expect(li.locator(".announcement-banner")).toContainText("Tasting on Saturday.");
  // The writer is not prompted.
  await expect(li.getByRole("dialog")).toHaveCount(0);

  // Han, in the room, is shown it at once, rendered.
  const shown = han.getByRole("dialog", { name: "Announcement" });
  await expect(shown.locator(".announcement-body strong")).toHaveText("Saturday");
  await expect(shown).toContainText(`Posted by li3_${suffix}`);
  await snap(han, "02-announcement");
  await shown.getByRole("button", { name: "Got it" }).click();
  await expect(shown).toBeHidden();
  await expect(han.locator(".announcement-banner")).toBeVisible();
  // Once: a reload does not show it again.
  await han.reload();
  await expect(han.locator(".announcement-banner")).toBeVisible();
  await han.waitForTimeout(500);
  await expect(han.getByRole("dialog")).toHaveCount(0);
  // The banner opens it in full whenever one wants.
  await han.locator(".announcement-banner").click();
  await expect(shown).toBeVisible();
  await han.keyboard.press("Escape");
  await expect(shown).toBeHidden();

  // A change shows it again, also to someone who was away (from GET /rooms).
  await han.goto("/rooms");
  await api(request, liToken, "put", `/rooms/${room.id}/announcement`, { body: "Moved to Sunday." });
  await han.goto(`/rooms/${room.id}/${room.default_post_id}`);
  await expect(shown).toContainText("Moved to Sunday.");
  await shown.getByRole("button", { name: "Got it" }).click();

  // Screens: both sizes, both themes, both languages, with the banner and the drawer.
  for (const [width, height] of [[1366, 800], [360, 740]]) {
    await han.setViewportSize({ width, height });
    for (const lang of ["en", "zh-CN"]) {
      for (const theme of ["light", "dark"]) {
        await han.evaluate(([theme]) => localStorage.setItem("teahouse.theme", theme), [theme]);
        await han.goto("/settings/appearance");
        await han.locator(".settings-body").getByLabel(/^(Language|语言)$/).selectOption(lang);
        await han.goto(`/rooms/${room.id}/${room.default_post_id}`);
        await expect(han.locator(".announcement-banner")).toContainText(lang === "en" ? "Announcement" : "群公告");
        await han.locator(".pins-toggle").click();
        await expect(han.locator(".pins h2").first()).toHaveText(lang === "en" ? "Announcement" : "群公告");
        expect(await han.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
        await snap(han, `03-room-${width}-${lang}-${theme}`);
      }
    }
  }
});
