import { expect, test, type Page } from "@playwright/test";
import { loggedInPage, snap } from "./support";

// Reactions: pick an emoji (search, recently used), see counts change live on both sides,
// and take one back with a click.

async function token(page: Page): Promise<string> {
  return page.evaluate(() => JSON.parse(window.localStorage.getItem("teahouse.tokens") ?? "{}").access);
}

test("react from the picker; counts update live for both; a click takes it back", async ({ browser, request }) => {
  const suffix = Date.now().toString(36);
  const li = await loggedInPage(browser, request, `li_${suffix}`);
  const han = await loggedInPage(browser, request, `han_${suffix}`);
  const room = await (await request.post("/api/v1/rooms", {
    headers: { Authorization: `Bearer ${await token(li)}` },
    data: { name: "Reaction club", visibility: "public" },
  })).json();
  await request.post("/api/v1/rooms/join", { headers: { Authorization: `Bearer ${await token(han)}` }, data: { number: room.number } });
  await request.post(`/api/v1/posts/${room.default_post_id}/messages`, {
    headers: { Authorization: `Bearer ${await token(li)}` },
    data: { client_id: crypto.randomUUID(), body: "tea at five?" },
  });
  for (const page of [li, han]) await page.goto(`/rooms/${room.id}/${room.default_post_id}`);

  const theirs = han.getByRole("log").locator(".message", { hasText: "tea at five?" });
  await theirs.hover();
  await theirs.getByRole("button", { name: "React", exact: true }).click();
  const picker = han.getByRole("dialog", { name: "React with an emoji" });
  await picker.getByRole("searchbox", { name: "Search emoji" }).fill("thumbs up");
  await picker.getByRole("button", { name: "thumbs up", exact: true }).click();
  await expect(picker).toBeHidden();
  const hanChip = theirs.locator(".reaction", { hasText: "👍" });
  await expect(hanChip).toHaveText("👍1");
  await expect(hanChip).toHaveAttribute("aria-pressed", "true");

  // Live on Li's side; Li adds the same one with a click on the chip.
  const mine = li.getByRole("log").locator(".message", { hasText: "tea at five?" });
  const liChip = mine.locator(".reaction", { hasText: "👍" });
  await expect(liChip).toHaveText("👍1");
  await expect(liChip).toHaveAttribute("aria-pressed", "false");
  await liChip.click();
  await expect(liChip).toHaveText("👍2");
  await expect(hanChip).toHaveText("👍2");
  await expect(liChip).toHaveAttribute("title", `han_${suffix}, li_${suffix} reacted with 👍`);
  await snap(li, "01-reactions");

  // Han takes his back: both see one.
  await hanChip.click();
  await expect(hanChip).toHaveText("👍1");
  await expect(liChip).toHaveText("👍1");
  await expect(hanChip).toHaveAttribute("aria-pressed", "false");
  // The picker remembers what Han used.
  await theirs.hover();
  await theirs.getByRole("button", { name: "React", exact: true }).click();
  await expect(picker.locator(".emoji-grid.recent .emoji-choice").first()).toHaveText("👍");
  await snap(han, "02-picker");
  await han.keyboard.press("Escape");
});
